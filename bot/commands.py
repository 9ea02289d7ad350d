"""The command layer shared by Slack, the console and `briefbot ask`: parse, check, call a service.

Each handler's docstring is its help text: first line the usage, then a summary, then a line
starting "Examples:" with examples separated by ";".
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from rapidfuzz import fuzz, process

from briefing import services, sources
from briefing.actors import ActorRegistry
from briefing.answers import AuditAnswer, HelpAnswer, Notice, SourcesAnswer
from briefing.errors import PermissionDenied, UsageError
from briefing.models import Actor, ArticleInput, QuestionStatus
from briefing.ports import Fetcher, Poster, UnitOfWorkFactory

log = logging.getLogger(__name__)

# Longer command text is refused rather than searched (Slack allows 4,000 characters).
MAX_COMMAND_CHARS = 300
# Discovered actors are reloaded from the store at most this often (seconds), so a name first
# seen by the clock's polling becomes queryable in a running app without a restart.
REGISTRY_TTL_SECONDS = 60.0


@dataclass(frozen=True)
class Context:
    """Who is asking, where, and when."""

    now: datetime
    user_id: str = "console"
    channel_id: str | None = None
    user_tz: str | None = None


@dataclass
class Deps:
    """The collaborators commands need; built once by the composition root."""

    uow: UnitOfWorkFactory
    is_admin: Callable[[str], bool]
    fetcher: Fetcher | None = None
    poster: Poster | None = None
    default_digest_time: str = "08:00"
    poll_minutes: int = sources.DEFAULT_POLL_MINUTES  # POLL_INTERVAL_MINUTES of a new source
    _registry: ActorRegistry | None = field(default=None, repr=False)
    _registry_at: float = 0.0
    _discovered: list[Actor] | None = field(default=None, repr=False)

    def registry(self) -> ActorRegistry:
        """The registry with the discovered actors, checked against the store at most every
        REGISTRY_TTL_SECONDS. It is rebuilt only when they changed: a kept registry keeps its
        caches of name matches and expansions (a rebuilt one starts them afresh)."""
        now = time.monotonic()
        if self._registry is None or now - self._registry_at > REGISTRY_TTL_SECONDS:
            discovered = services.discovered_actors(uow=self.uow)
            if self._registry is None or discovered != self._discovered:
                self._registry = ActorRegistry().with_actors(discovered)
                self._discovered = discovered
            self._registry_at = now
        return self._registry

    def forget_registry(self) -> None:
        self._registry = None


Handler = Callable[[list[str], Context, Deps], BaseModel]


@dataclass(frozen=True)
class Command:
    name: str
    handler: Handler
    admin_only: frozenset[str] = frozenset()  # subcommands only admins may run ("*" = all)

    @property
    def doc(self) -> tuple[str, str, list[str]]:
        lines = [ln.strip() for ln in (self.handler.__doc__ or "").strip().splitlines()]
        usage = lines[0] if lines else f"/{self.name}"
        examples: list[str] = []
        summary_lines = []
        for ln in lines[1:]:
            if ln.startswith("Examples:"):
                examples = [e.strip() for e in ln[len("Examples:"):].split(";") if e.strip()]
            elif ln:
                summary_lines.append(ln)
        return usage, " ".join(summary_lines), examples

    def needs_admin(self, args: list[str]) -> bool:
        sub = args[0].lower() if args else ""
        return "*" in self.admin_only or sub in self.admin_only


COMMANDS: dict[str, Command] = {}


def command(name: str, *, admin_only: tuple[str, ...] = ()) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        COMMANDS[name] = Command(name=name, handler=fn, admin_only=frozenset(admin_only))
        return fn
    return register


def usage_of(name: str) -> str:
    return COMMANDS[name].doc[0] if name in COMMANDS else "/briefing help"


# --- handlers ------------------------------------------------------------------------------------


@command("stance")
def stance_cmd(args: list[str], ctx: Context, deps: Deps) -> BaseModel:
    """/stance <actor> <topic>
    An actor's position on a topic: a label, how it changed, and the cited evidence.
    Examples: /stance putin ceasefire; /stance trump nato; /stance europe security guarantees
    """
    if len(args) < 2:
        raise UsageError("Name an actor and a topic.", usage=usage_of("stance"))
    registry = deps.registry()
    actor, topic = services.split_actor_topic(args, registry=registry, topic_required=True)
    if not topic:
        raise UsageError(f"Name a topic after “{actor}”.", usage=usage_of("stance"))
    return services.stance_of(actor, topic, uow=deps.uow, registry=registry)


@command("quotes")
def quotes_cmd(args: list[str], ctx: Context, deps: Deps) -> BaseModel:
    """/quotes <actor> [topic]
    What the actor said, newest first: direct quotes and reported speech, each with its source.
    Examples: /quotes trump; /quotes peskov; /quotes trump nato
    """
    if not args:
        raise UsageError("Name an actor.", usage=usage_of("quotes"))
    registry = deps.registry()
    actor, topic = services.split_actor_topic(args, registry=registry)
    return services.quotes_of(actor, topic or None, uow=deps.uow, registry=registry)


@command("brief")
def brief_cmd(args: list[str], ctx: Context, deps: Deps) -> BaseModel:
    """/brief [topic or actor]
    One screen: latest developments, key stances, open questions and contradictions.
    Examples: /brief; /brief ceasefire; /brief putin
    """
    return services.brief(" ".join(args) or None, uow=deps.uow, registry=deps.registry(),
                          now=ctx.now)


@command("questions")
def questions_cmd(args: list[str], ctx: Context, deps: Deps) -> BaseModel:
    """/questions [topic] | /questions answered | /questions all
    What is still unknown: each question, since when, who raised it, what partly answers it.
    Examples: /questions; /questions summit; /questions answered
    """
    mode = args[0].lower() if args else ""
    words = args[1:] if mode in ("answered", "all") else args
    query = " ".join(words) or None
    answer = services.list_questions(query, uow=deps.uow, now=ctx.now,
                                     answered=mode == "answered", include_all=mode == "all")
    if query and not answer.questions:
        refuse_unknown_words(query, deps=deps, actors=False)
    return answer


@command("timeline")
def timeline_cmd(args: list[str], ctx: Context, deps: Deps) -> BaseModel:
    """/timeline [topic or actor]
    Dated developments, oldest first, each with its sources.
    Examples: /timeline; /timeline putin; /timeline summit
    """
    query = " ".join(args) or None
    answer = services.timeline(query, uow=deps.uow, registry=deps.registry())
    if query and not answer.items:
        refuse_unknown_words(query, deps=deps)
    return answer


# Suggestions when a query's words match nothing: this many topics and actors.
SUGGESTED_TOPICS = 3
SUGGESTED_ACTORS = 2


def refuse_unknown_words(query: str, *, deps: Deps, actors: bool = True) -> None:
    """For an empty /questions or /timeline answer: raise NoMatch, with the closest topics (and
    actors) that have evidence, when the words name no topic and no actor and no stored
    statement, event or question holds them. Words that do name something simply have nothing
    to show (a known topic without open questions is not an error)."""
    if services.resolve_topic(query) is not None:
        return
    registry = deps.registry()
    named = registry.match(query, limit=1)
    if named and named[0][1] >= services.ACTOR_MATCH_MIN:
        return
    # the words services search for when they name no topic (resolve_topic_query)
    terms = [w for w in query.lower().split() if len(w) > 2] or [query.lower().strip()]
    with deps.uow() as tx:
        if (tx.statements.evidence(None, topic_ids=[None], terms=terms, limit=1)[None]
                or tx.events.developments(topic_id=None, terms=terms, limit=1)
                or tx.questions.list(topic_id=None, terms=terms,
                                     statuses=tuple(QuestionStatus), limit=1)):
            return
        with_evidence = tx.actors.with_evidence()
        topic_ids = tx.statements.topics_with_evidence(with_evidence)
    topics = [t for t in (services.resolve_topic(i) for i in topic_ids) if t is not None]
    ranked = process.extract(query, {t.id: " ".join((t.label, *t.synonyms)) for t in topics},
                             scorer=fuzz.token_set_ratio, limit=SUGGESTED_TOPICS)
    suggestions = [next(t.label for t in topics if t.id == key) for _, _, key in ranked]
    if actors:
        having = set(with_evidence)
        suggestions += [a.name for a, _ in registry.match(query, limit=10)
                        if a.id in having][:SUGGESTED_ACTORS]
    raise services.NoMatch(f"Nothing matches “{query}”: it names no topic or actor, and no "
                           "statement, development or question mentions it.",
                           suggestions=suggestions)


@command("briefing")
def help_cmd(args: list[str], ctx: Context, deps: Deps) -> BaseModel:
    """/briefing help
    Usage of every command, with examples. Add `help` after any command for its own usage.
    Examples: /briefing help; /stance help
    """
    if args and args[0].lower().lstrip("/") in COMMANDS and args[0].lower() != "help":
        return help_for(args[0].lower().lstrip("/"))
    return HelpAnswer(entries=[COMMANDS[n].doc for n in COMMANDS])


def help_for(name: str) -> HelpAnswer:
    return HelpAnswer(command=name, entries=[COMMANDS[name].doc])


# How many audit entries `/sources log` shows.
AUDIT_LOG_ENTRIES = 20


def bound_ingest(deps: Deps, ctx: Context) -> Callable[[ArticleInput], services.IngestOutcome]:
    """The ingest use case with its collaborators bound, for the source use cases."""
    registry = deps.registry()

    def ingest(doc: ArticleInput) -> services.IngestOutcome:
        return services.ingest_article(doc, uow=deps.uow, now=ctx.now, registry=registry)

    return ingest


def _source_id(args: list[str]) -> int:
    if len(args) < 2 or not args[1].lstrip("#").isdigit():
        raise UsageError(f"/sources {args[0]} needs a source id (a number).",
                         usage=f"/sources {args[0]} <id>")
    return int(args[1].lstrip("#"))


def not_read_note(skipped: int) -> str:
    """What a long feed's report says of the items beyond MAX_ITEMS_PER_FETCH."""
    return (f"{skipped} older item{'s' if skipped != 1 else ''} not read (only the newest "
            f"{sources.MAX_ITEMS_PER_FETCH} are read at a time)")


def add_report_lines(report: sources.AddReport) -> list[str]:
    t = report.items
    counts = (f"{t.found} item{'s' if t.found != 1 else ''} found: {t.new} new, "
              f"{t.unchanged} already stored, {t.failed} failed")
    lines = [f"{report.kind}: {report.title or sources.shown_url(report.source.url)}",
             counts + (f"; {not_read_note(t.skipped)}." if t.skipped else ".")]
    if t.sample_headline:
        lines.append(f"Sample headline: {t.sample_headline}")
    lines.append(f"Dates found: {'yes' if report.dates_found else 'no'}; full text found: "
                 f"{'yes' if report.full_text_found else 'no'}.")
    lines += [f"Problem: {e}" for e in t.errors]
    lines += [f"Note: {w}" for w in report.warnings]
    return lines


@command("sources", admin_only=("add", "remove", "pause", "resume", "log"))
def sources_cmd(args: list[str], ctx: Context, deps: Deps) -> BaseModel:
    """/sources list | add <url> [name] | remove <id> | pause <id> | resume <id> | log
    Everyone may list the sources; only admins add, remove, pause or resume them and read the log.
    Examples: /sources list; /sources add https://example.org/feed.xml Example; /sources pause 3
    """
    sub = args[0].lower() if args else "list"
    if sub == "list":
        return SourcesAnswer(sources=sources.list_sources(uow=deps.uow))
    if sub == "log":
        with deps.uow() as tx:
            return AuditAnswer(entries=tx.audit.recent(limit=AUDIT_LOG_ENTRIES))
    if sub == "add":
        if len(args) < 2:
            raise UsageError("/sources add needs a URL.", usage="/sources add <url> [name]")
        if deps.fetcher is None:
            raise UsageError("Web sources are not available in this installation.")
        url = args[1].strip("<>").split("|")[0]  # Slack wraps links as <url|label>
        report = sources.add_source(url, name=" ".join(args[2:]) or None, user=ctx.user_id,
                                    uow=deps.uow, fetcher=deps.fetcher,
                                    ingest=bound_ingest(deps, ctx), now=ctx.now,
                                    poll_minutes=deps.poll_minutes)
        deps.forget_registry()
        return Notice(title=f"Added source #{report.source.id}", lines=add_report_lines(report))
    actions = {"remove": (sources.remove_source, "Removed"),
               "pause": (sources.pause_source, "Paused"),
               "resume": (sources.resume_source, "Resumed")}
    if sub not in actions:
        raise UsageError(f"/sources has no subcommand “{sub}”.", usage=usage_of("sources"))
    action, verb = actions[sub]
    source = action(_source_id(args), user=ctx.user_id, uow=deps.uow, now=ctx.now)
    title = f"{verb} source #{source.id}"
    if isinstance(source, sources.SourceChange) and source.already:
        title = (f"Source #{source.id} was already paused" if sub == "pause" else
                 f"Source #{source.id} was not paused (its failures were reset)")
    return Notice(title=title, lines=[source.name or sources.shown_url(source.url)])


# --- dispatch ------------------------------------------------------------------------------------


def parse(text: str) -> tuple[str, list[str]]:
    """Split "/stance putin ceasefire" into ("stance", ["putin", "ceasefire"])."""
    text = (text or "").strip()
    if not text:
        raise UsageError("Type a command.", usage="/briefing help")
    if len(text) > MAX_COMMAND_CHARS:
        raise UsageError(f"That command is too long ({len(text):,} characters; the limit is "
                         f"{MAX_COMMAND_CHARS}).", usage="/briefing help")
    name, *args = text.split()
    return name.lstrip("/").lower(), args


def dispatch(text: str, *, ctx: Context, deps: Deps) -> BaseModel:
    """Run one command; raises BriefingError subclasses for the caller to render."""
    name, args = parse(text)
    return run(name, args, ctx=ctx, deps=deps)


def run(name: str, args: list[str], *, ctx: Context, deps: Deps) -> BaseModel:
    cmd = COMMANDS.get(name)
    if cmd is None:
        known = ", ".join(f"/{n}" for n in COMMANDS)
        raise UsageError(f"There is no command /{name}. Commands: {known}.",
                         usage="/briefing help")
    if args and args[-1].lower() == "help" or args[:1] == ["help"]:
        return help_for(name) if name != "briefing" else help_cmd([], ctx, deps)
    if cmd.needs_admin(args) and not deps.is_admin(ctx.user_id):
        raise PermissionDenied(f"Only admins can run /{name} {args[0] if args else ''}. "
                               "Ask a workspace admin or someone in ADMIN_USER_IDS.".replace(
                                   "  ", " "))
    return cmd.handler(args, ctx, deps)


def available() -> dict[str, Any]:
    return {n: c.doc for n, c in COMMANDS.items()}


# --- digest ----
# Issue 5: a channel's daily digest. Without a channel (the console, `briefbot ask`) `preview`
# shows the last 24 hours; subscribe, unsubscribe and now need the channel, so they are refused
# there with a hint rather than acting on a made-up channel the clock could not post to.


def _digest_channel(ctx: Context, sub: str) -> str:
    if not ctx.channel_id:
        raise UsageError(f"/digest {sub} works in a Slack channel: run it in the channel that "
                         "should get the digest. Here, /digest preview shows the last 24 hours.",
                         usage=usage_of("digest"))
    return ctx.channel_id


@command("digest", admin_only=("subscribe", "unsubscribe", "now"))
def digest_cmd(args: list[str], ctx: Context, deps: Deps) -> BaseModel:
    """/digest subscribe [HH:MM] [timezone] | unsubscribe | preview | now
    The channel's daily digest: new developments by story, stance changes, contradictions and questions, each cited. Admins subscribe, unsubscribe or post now (once per day); subscribe defaults to 08:00 in your Slack timezone; everyone may preview what would be posted now (only to you).
    Examples: /digest subscribe; /digest subscribe 07:30 Europe/Kyiv; /digest preview; /digest now
    """  # noqa: E501
    from briefing import digest as digests

    sub = args[0].lower() if args else "preview"
    if sub == "subscribe":
        channel = _digest_channel(ctx, sub)
        rest = args[1:]
        at = rest[0] if rest and ":" in rest[0] else None
        zone = next((w for w in rest if w != at), None)
        return digests.subscribe(channel, time_text=at, zone_text=zone, user=ctx.user_id,
                                 default_time=deps.default_digest_time,
                                 default_zone=ctx.user_tz or "UTC", uow=deps.uow, now=ctx.now)
    if sub == "unsubscribe":
        return digests.unsubscribe(_digest_channel(ctx, sub), uow=deps.uow)
    if sub == "preview":
        return digests.preview(ctx.channel_id, uow=deps.uow, now=ctx.now,
                               registry=deps.registry())
    if sub == "now":
        channel = _digest_channel(ctx, sub)
        if deps.poster is None:
            raise UsageError("Posting is not available here (no Slack connection); "
                             "/digest preview shows what would be posted.")
        from bot.clock import render_for_post
        with deps.uow() as tx:
            subscription = tx.subscriptions.get(channel)
        day = digests.local_day(subscription, ctx.now, default_zone=ctx.user_tz)
        outcome = digests.post_digest(channel, day=day, uow=deps.uow, poster=deps.poster,
                                      render=render_for_post, registry=deps.registry(),
                                      now=ctx.now, owner=f"now:{ctx.user_id}")
        titles = {"posted": "Digest posted.",
                  "already_posted": f"Today's digest ({day}) was already posted.",
                  "busy": f"Today's digest ({day}) is being posted right now.",
                  "failed": "The digest could not be posted; the clock will retry."}
        return Notice(title=titles[outcome.status], ok=outcome.status != "failed",
                      lines=[f"Error: {outcome.error}"] if outcome.error else [])
    raise UsageError(f"/digest has no subcommand “{sub}”.", usage=usage_of("digest"))
