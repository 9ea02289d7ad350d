"""Block Kit rendering: pure functions from answers to blocks plus fallback text, within limits."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePath
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel

from bot.home import HomeData
from briefing.answers import (
    AuditAnswer,
    BriefAnswer,
    HelpAnswer,
    Notice,
    QuestionsAnswer,
    QuotesAnswer,
    SourcesAnswer,
    StanceAnswer,
    SubscriptionAnswer,
    TimelineAnswer,
    TimelineItem,
)
from briefing.errors import BriefingError, NotFoundError, PermissionDenied, UsageError
from briefing.models import (
    ArticleRef,
    Attribution,
    Evidence,
    QuestionStatus,
    StatementKind,
    StoredQuestion,
    StoredStatement,
    Topic,
)
from briefing.ports import SourceInfo
from briefing.sources import shown_url

# Slack's published limits (api.slack.com/reference/block-kit/blocks and chat.postMessage).
MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_FALLBACK_TEXT = 3900  # Slack truncates message text at 4,000 characters
MAX_BUTTON_VALUE = 2000
# Evidence items shown per message; each takes two blocks, leaving room for headers and buttons.
PAGE_SIZE = 8

ATTRIBUTION_HEADINGS = {
    Attribution.ON_RECORD: "On the record",
    Attribution.REPORTED: "Reported by media or sources",
    Attribution.ASCRIBED: "Ascribed by others",
    Attribution.ANALYSIS: "Analysis",
}


@dataclass
class Message:
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    ok: bool = True

    def payload(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


# --- text helpers -----------------------------------------------------------------------------


def escape(text: str) -> str:
    """Escape article and user text so it can never ping (<!channel>) or link (<@U1>)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_CUT_ENTITY = re.compile(r"&[a-z]{0,3}$")


def fallback_text(text: str) -> str:
    """The message's top-level `text`: Slack parses it as mrkdwn too, so it is escaped (never
    pings), then clipped under 4,000 characters without leaving half an entity."""
    escaped = escape(text)
    if len(escaped) <= MAX_FALLBACK_TEXT:
        return escaped
    return _CUT_ENTITY.sub("", escaped[: MAX_FALLBACK_TEXT - 1]).rstrip() + "…"


def _date(dt: datetime | None, inferred: bool = False) -> str:
    if dt is None:
        return "undated"
    return dt.date().isoformat() + (" (about)" if inferred else "")


def file_name(path: str) -> str:
    """A stored file's name without its folders: where the server keeps files is not for Slack."""
    return PurePath(path).name or path


def cite(article: ArticleRef) -> str:
    """Outlet, date and link of an article, as mrkdwn."""
    outlet = escape(article.outlet or "unknown outlet")
    when = _date(article.published, article.published_inferred)
    if article.url and article.url.startswith(("http://", "https://")):
        title = escape(clip(article.title or article.url, 80))
        link = f"<{article.url.replace('|', '%7C').replace('>', '%3E')}|{title}>"
    elif article.path and not article.url:
        # a file's name is not italicised: its underscores would end the emphasis early
        name = escape(file_name(article.path))
        link = f"_{escape(clip(article.title, 80))}_ ({name})" if article.title else name
    else:
        link = f"_{escape(clip(article.title or article.url or 'article', 80))}_"
    return f"{outlet} · {when} · {link}"


def cite_plain(article: ArticleRef) -> str:
    where = article.url or (file_name(article.path) if article.path else "")
    return (f"{article.outlet or 'unknown outlet'}, "
            f"{_date(article.published, article.published_inferred)}"
            + (f", {where}" if where else ""))


def header(text: str) -> dict[str, Any]:
    return {"type": "header",
            "text": {"type": "plain_text", "text": clip(text, MAX_HEADER_TEXT), "emoji": False}}


def section(mrkdwn: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(mrkdwn, MAX_SECTION_TEXT)}}


def context(*parts: str) -> dict[str, Any]:
    return {"type": "context", "elements": [
        {"type": "mrkdwn", "text": clip(p, MAX_SECTION_TEXT)}
        for p in parts[:MAX_CONTEXT_ELEMENTS]]}


def divider() -> dict[str, Any]:
    return {"type": "divider"}


def button(text: str, action_id: str, value: dict[str, Any]) -> dict[str, Any]:
    return {"type": "button", "text": {"type": "plain_text", "text": text},
            "action_id": action_id, "value": json.dumps(value)[:MAX_BUTTON_VALUE]}


def quote_block(text: str) -> str:
    return "\n".join("> " + ln for ln in escape(text).splitlines() or [""])


def _finish(title: str, blocks: list[dict[str, Any]], plain: str, *,
            share: dict[str, Any] | None = None) -> Message:
    """Keep within Slack's limits: at most MAX_BLOCKS blocks, fallback under 4,000 chars."""
    actions = []
    if share is not None:
        actions.append(button("Share in channel", "share_in_channel", share))
    reserve = 1 if actions else 0
    if len(blocks) + reserve > MAX_BLOCKS:
        blocks = blocks[: MAX_BLOCKS - reserve - 1] + [context("_More than fits one message; "
                                                               "narrow the query._")]
    if actions:
        blocks.append({"type": "actions", "elements": actions})
    return Message(text=fallback_text(plain or title), blocks=blocks)


# --- answers ------------------------------------------------------------------------------------


def _speaker(e: Evidence | StoredStatement, names: dict[str, str]) -> str:
    if isinstance(e, StoredStatement):
        speaker, label = e.statement.speaker, e.statement.speaker_label
    else:
        speaker, label = e.speaker, e.speaker_label
    if speaker:
        return names.get(speaker, speaker)
    return label or "the author"


# A statement's kind in the words users read (the enum's values are identifiers).
KIND_WORDS: dict[str, str] = {
    StatementKind.DIRECT_QUOTE: "direct quote",
    StatementKind.REPORTED_SPEECH: "reported speech",
    StatementKind.MEDIA_REPORT: "media report",
    StatementKind.ANALYSIS: "analysis",
    StatementKind.QUESTION: "question",
}


def evidence_item(e: Evidence, names: dict[str, str]) -> list[dict[str, Any]]:
    who = escape(_speaker(e, names))
    return [section(quote_block(e.text)),
            context(f"*{who}* · {e.stance} · {e.certainty}", cite(e.article))]


# What a free-word topic's "supports" means, as briefing.topics.free_topic words it.
_FREE_WORDS_MEANING = "what the words describe"


def supports_definition(topic: Topic) -> str | None:
    """What the label "supports" means for a topic, worded as a definition (so that
    "opposes" beside it does not read as a contradiction): “supports” here means: Ukraine
    joining NATO."""
    means = (topic.supports_means or "").strip()
    if not means:
        return None
    what = means.removeprefix("supports ").strip()
    if what == _FREE_WORDS_MEANING:
        what = f"in favour of “{topic.label}”"
    return f"“supports” here means: {what}"


def render_stance(a: StanceAnswer, *, page: int = 0) -> Message:
    title = f"{a.actor.name} on {a.topic.label}"
    blocks = [header(title)]
    meaning = supports_definition(a.topic)
    lines = [f"*Stance: {a.stance}*"
             + (f" — {escape(meaning)}" if meaning and a.stance != "unclear" else "")]
    if len(a.history) > 1:
        lines.append("Changed: " + " → ".join(f"{p.stance} ({p.date.isoformat()})"
                                              for p in a.history))
    blocks.append(section("\n".join(lines)))
    start, end = page * PAGE_SIZE, (page + 1) * PAGE_SIZE
    shown = a.evidence[start:end]
    fallback = [f"{title}: {a.stance}"]
    for attribution, heading in ATTRIBUTION_HEADINGS.items():
        group = [e for e in shown if e.attribution == attribution]
        if not group:
            continue
        blocks.append(section(f"*{heading}*"))
        for e in group:
            blocks.extend(evidence_item(e, a.names))
            fallback.append(f"- {e.text} ({_speaker(e, a.names)}; {cite_plain(e.article)})")
    if a.open_questions and page == 0:
        blocks.append(divider())
        blocks.append(section("*Still unknown*\n" + "\n".join(
            f"• {escape(q.question)}" for q in a.open_questions)))
    more = len(a.evidence) - end
    if more > 0:
        blocks.append({"type": "actions", "elements": [button(
            f"Show more ({more})", "show_more",
            {"command": "stance", "actor": a.actor.name, "topic": a.topic.label,
             "page": page + 1})]})
    share = {"command": f"/stance {a.actor.name} {a.topic.label}", "page": page}
    return _finish(title, blocks, "\n".join(fallback), share=share)


def render_quotes(a: QuotesAnswer, *, page: int = 0) -> Message:
    title = f"Quotes: {a.actor.name}" + (f" on {a.topic.label}" if a.topic else "")
    blocks = [header(title)]
    start, end = page * PAGE_SIZE, (page + 1) * PAGE_SIZE
    fallback = [title]
    for q in a.quotes[start:end]:
        body = q.statement.quote or q.statement.text
        blocks.append(section(quote_block(f"“{body}”" if q.statement.quote else body)))
        blocks.append(context(f"*{escape(_speaker(q, a.names))}* · "
                              f"{KIND_WORDS.get(q.statement.kind, q.statement.kind)}",
                              cite(q.article)))
        fallback.append(f"- “{body}” ({_speaker(q, a.names)}; {cite_plain(q.article)})")
    more = len(a.quotes) - end
    if more > 0:
        blocks.append({"type": "actions", "elements": [button(
            f"Show more ({more})", "show_more",
            {"command": "quotes", "actor": a.actor.name,
             "topic": a.topic.label if a.topic else "", "page": page + 1})]})
    return _finish(title, blocks, "\n".join(fallback),
                   share={"command": f"/quotes {a.actor.name}"
                          + (f" {a.topic.label}" if a.topic else ""), "page": page})


STATUS_LABELS = {QuestionStatus.OPEN: "open", QuestionStatus.PARTLY_ANSWERED: "partly answered",
                 QuestionStatus.ANSWERED: "answered"}


def _age(q: StoredQuestion, now: datetime) -> str:
    if q.first_seen is None:
        return ""
    days = (now - q.first_seen).days
    return "since today" if days < 1 else f"open {days} day{'s' if days != 1 else ''}"


def question_blocks(q: StoredQuestion, now: datetime) -> tuple[list[dict[str, Any]], str]:
    """The question in the bot's words, then the sentence that raised it (the earliest
    published of those read), so that a reader sees what the source actually said."""
    first = min(q.raised_in, key=lambda c: _published_key(c.article), default=None)
    line = f"*{escape(q.question)}*  _{STATUS_LABELS[q.status]}_"
    if q.status == QuestionStatus.OPEN:
        line += f" · {_age(q, now)}"
    blocks = [section(line)]
    parts = []
    if first:
        parts.append(f"Raised: “{escape(clip(first.text, 400))}” — {cite(first.article)}")
        if len(q.raised_in) > 1:
            parts.append(f"and {len(q.raised_in) - 1} more")
    blocks.append(context(*parts) if parts else context("_no source_"))
    plain = f"- {q.question} [{STATUS_LABELS[q.status]}]"
    if q.answered_by:
        ans = q.answered_by[-1]
        blocks.append(section("Answer: " + quote_block(ans.text)))
        blocks.append(context(cite(ans.article)))
        plain += f" Answer: {ans.text} ({cite_plain(ans.article)})"
    elif first:
        plain += f" (raised: “{clip(first.text, 400)}”, {cite_plain(first.article)})"
    return blocks, plain


def _published_key(article: ArticleRef) -> float:
    """Sorts undated articles last."""
    return article.published.timestamp() if article.published else float("inf")


def render_questions(a: QuestionsAnswer) -> Message:
    what = "Recently settled questions" if a.answered_view else "Open questions"
    title = what + (f": {a.topic.label}" if a.topic else "")
    blocks = [header(title)]
    fallback = [title]
    if not a.questions:
        blocks.append(section("Nothing here yet."))
        fallback.append("Nothing here yet.")
    for q in a.questions[:PAGE_SIZE * 2]:
        qb, plain = question_blocks(q, a.now)
        blocks.extend(qb)
        fallback.append(plain)
    if len(a.questions) > PAGE_SIZE * 2:
        blocks.append(context(f"_{len(a.questions) - PAGE_SIZE * 2} more; name a topic to "
                              "narrow the list._"))
    return _finish(title, blocks, "\n".join(fallback), share={"command": "/questions"})


def timeline_blocks(items: Sequence[TimelineItem],
                    names: dict[str, str]) -> tuple[list[dict[str, Any]], list[str]]:
    blocks, plain = [], []
    for i in items:
        when = i.date.isoformat() + (" (inferred)" if i.date_inferred else "")
        blocks.append(section(f"*{when}*\n{escape(i.summary)}"))
        blocks.append(context(*(cite(s) for s in i.sources[:MAX_CONTEXT_ELEMENTS])))
        plain.append(f"- {when}: {i.summary} ("
                     + "; ".join(cite_plain(s) for s in i.sources) + ")")
    return blocks, plain


def render_timeline(a: TimelineAnswer) -> Message:
    title = "Timeline" + (f": {a.query}" if a.query else "")
    blocks = [header(title)]
    items = a.items[-20:]
    if len(a.items) > len(items):
        blocks.append(context(f"_Showing the latest {len(items)} of {len(a.items)}._"))
    body, plain = timeline_blocks(items, a.names)
    if not items:
        body, plain = [section("No dated developments found.")], ["No dated developments found."]
    return _finish(title, blocks + body, "\n".join([title, *plain]),
                   share={"command": "/timeline" + (f" {a.query}" if a.query else "")})


def render_brief(a: BriefAnswer) -> Message:
    title = "Brief" + (f": {a.query}" if a.query else "")
    blocks: list[dict[str, Any]] = [header(title)]
    plain = [title]
    blocks.append(section("*Latest developments*"))
    plain.append("Latest developments:")
    dev_blocks, dev_plain = timeline_blocks(a.developments, a.names)
    blocks.extend(dev_blocks or [context("_none found_")])
    plain.extend(dev_plain or ["- none found"])
    blocks.append(section("*Key stances*"))
    plain.append("Key stances:")
    for s in a.stances:
        blocks.append(section(f"*{escape(s.actor.name)}* on {escape(s.topic.label)}: "
                              f"*{s.stance}*\n{quote_block(s.evidence.text)}"))
        blocks.append(context(cite(s.evidence.article)))
        plain.append(f"- {s.actor.name} on {s.topic.label}: {s.stance}. {s.evidence.text} "
                     f"({cite_plain(s.evidence.article)})")
    if not a.stances:
        blocks.append(context("_none found_"))
        plain.append("- none found")
    blocks.append(section("*Open questions*"))
    plain.append("Open questions:")
    for q in a.questions:
        qb, qp = question_blocks(q, a.now)
        blocks.extend(qb)
        plain.append(qp)
    if a.contradictions:
        blocks.append(section("*Contradictions*"))
        plain.append("Contradictions:")
        for c in a.contradictions:
            blocks.append(section(f"{escape(c.matter)}\n{quote_block(c.first.statement.text)}\n"
                                  f"{quote_block(c.second.statement.text)}"))
            blocks.append(context(cite(c.first.article), cite(c.second.article)))
            plain.append(f"- {c.matter}: “{c.first.statement.text}” "
                         f"({cite_plain(c.first.article)}) vs “{c.second.statement.text}” "
                         f"({cite_plain(c.second.article)})")
    return _finish(title, blocks, "\n".join(plain),
                   share={"command": "/brief" + (f" {a.query}" if a.query else "")})


def render_sources(a: SourcesAnswer) -> Message:
    title = "Sources"
    blocks = [header(title)]
    plain = [title]
    if not a.sources:
        blocks.append(section("No sources yet. An admin can add one: `/sources add <url>`."))
        plain.append("No sources yet. An admin can add one: /sources add <url>")
    for s in a.sources:
        s = s.model_copy(update={"url": shown_url(s.url)})  # a private feed's token stays hidden
        state = "paused" if s.paused else "active"
        health = (f"last error: {escape(clip(s.last_error, 200))}" if s.last_error
                  else f"last fetch: {_date(s.last_fetched)}")
        blocks.append(section(f"*{s.id}.* {escape(s.name or s.url)} ({s.kind}, {state})\n"
                              f"{escape(s.url)} · {_plural(s.articles, 'article')} · "
                              f"{health}"))
        plain.append(f"{s.id}. {s.name or s.url} ({s.kind}, {state}) {s.url} - "
                     f"{_plural(s.articles, 'article')} - {health}")
    return _finish(title, blocks, "\n".join(plain))


def render_audit(a: AuditAnswer) -> Message:
    title = "Admin log"
    lines = [f"{e.at:%Y-%m-%d %H:%M} <{e.user}> {e.action} {e.target}: {e.result}"
             for e in a.entries] or ["No admin actions yet."]
    blocks = [header(title), section("\n".join(escape(ln) for ln in lines))]
    return _finish(title, blocks, "\n".join([title, *lines]))


def render_notice(a: Notice) -> Message:
    body = "\n".join([f"*{escape(a.title)}*", *(escape(ln) for ln in a.lines)])
    return Message(text=fallback_text("\n".join([a.title, *a.lines])),
                   blocks=[section(body)], ok=a.ok)


def render_subscription(a: SubscriptionAnswer) -> Message:
    lines = [a.message]
    if a.next_post:
        lines.append(f"Next digest: {a.next_post:%Y-%m-%d %H:%M %Z}")
    return Message(text=fallback_text("\n".join(lines)), blocks=[section(escape("\n".join(lines)))])


def render_help(a: HelpAnswer) -> Message:
    title = f"Help: /{a.command}" if a.command else "Briefing bot: commands"
    blocks = [header(title)]
    plain = [title]
    for usage, summary, examples in a.entries:
        ex = ("\nExamples: " + ", ".join(f"`{escape(e)}`" for e in examples)) if examples else ""
        blocks.append(section(f"*{escape(usage)}*\n{escape(summary)}{ex}"))
        plain.append(f"{usage}\n  {summary}" + (f"\n  Examples: {'; '.join(examples)}"
                                                if examples else ""))
    return _finish(title, blocks, "\n".join(plain))


def render_error(exc: BriefingError) -> Message:
    """A short message with a usage hint; never an HTTP error."""
    text = str(exc)
    if isinstance(exc, UsageError) and exc.usage:
        text += f"\nUsage: {exc.usage}"
    suggestions = getattr(exc, "suggestions", None)
    if isinstance(exc, NotFoundError) and suggestions:
        text += "\nTry: " + ", ".join(suggestions)
    if isinstance(exc, PermissionDenied):
        text = "Sorry — " + text[0].lower() + text[1:]
    return Message(text=fallback_text(text), blocks=[section(escape(text))], ok=False)


# --- Slack interactions: working notice, unexpected errors, pages, sharing, App Home -----------

WORKING_TEXT = "Working on it…"
UNEXPECTED_TEXT = ("Sorry, something went wrong on our side. It has been logged; please try again "
                   "in a moment (usage: /briefing help).")
# Actions that only make sense in the asker's ephemeral reply, dropped when it is shared.
PRIVATE_ACTIONS = frozenset({"share_in_channel", "show_more"})
# Slack's limit for a Home tab view (api.slack.com/reference/surfaces/views).
MAX_VIEW_BLOCKS = 100
# Rows of each Home tab list; the full lists are one command away (/sources list, /questions).
MAX_HOME_ROWS = 20
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,20}$")
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,20}$")


def mention_user(user_id: str) -> str:
    """<@U123> for a well-formed Slack user id, escaped text for anything else."""
    return f"<@{user_id}>" if _USER_ID.match(user_id) else escape(user_id)


def mention_channel(channel_id: str) -> str:
    return f"<#{channel_id}>" if _CHANNEL_ID.match(channel_id) else escape(channel_id)


def render_working() -> Message:
    return Message(text=WORKING_TEXT, blocks=[context(f"_{WORKING_TEXT}_")])


def render_unexpected() -> Message:
    return Message(text=UNEXPECTED_TEXT, blocks=[section(UNEXPECTED_TEXT)], ok=False)


def render_page(answer: BaseModel, *, page: int) -> Message:
    """Page `page` of an answer that pages (stance, quotes); other answers render whole."""
    paged = PAGED_RENDERERS.get(type(answer))
    return paged(answer, page=page) if paged else render(answer)


def for_channel(message: Message, *, shared_by: str) -> Message:
    """The reply as posted in channel: without its private buttons, saying who shared it."""
    blocks: list[dict[str, Any]] = []
    for block in message.blocks:
        if block.get("type") == "actions":
            kept = [e for e in block["elements"] if e.get("action_id") not in PRIVATE_ACTIONS]
            if not kept:
                continue
            block = {**block, "elements": kept}
        blocks.append(block)
    blocks = blocks[: MAX_BLOCKS - 1] + [context(f"Shared by {mention_user(shared_by)}")]
    return Message(text=message.text, blocks=blocks, ok=message.ok)


def stamp_command(message: Message, text: str) -> Message:
    """Make the reply's Share and Show more buttons re-run exactly what the user typed: the
    renderer only knows the resolved names, which need not parse back into the same query."""
    text = " ".join(text.split())

    def stamped(element: dict[str, Any]) -> dict[str, Any]:
        if element.get("action_id") not in PRIVATE_ACTIONS:
            return element
        value = json.loads(element["value"])
        key = "command" if element["action_id"] == "share_in_channel" else "text"
        return {**element, "value": json.dumps({**value, key: text})[:MAX_BUTTON_VALUE]}

    blocks = [{**b, "elements": [stamped(e) for e in b["elements"]]}
              if b.get("type") == "actions" else b for b in message.blocks]
    return Message(text=message.text, blocks=blocks, ok=message.ok)


def _source_row(s: SourceInfo) -> dict[str, Any]:
    s = s.model_copy(update={"url": shown_url(s.url)})  # a private feed's token stays hidden
    if s.paused:
        state = ":double_vertical_bar: paused"
    elif s.last_error:
        state = ":warning: failing"
    else:
        state = ":white_check_mark: ok"
    lines = [f"*{s.id}. {escape(clip(s.name or s.url, 200))}* ({s.kind}) · {state}",
             f"{s.articles} article{'s' if s.articles != 1 else ''} · last fetch: "
             f"{_stamp(s.last_fetched)}"]
    if s.last_error:
        lines.append(f"Last error: {escape(clip(s.last_error, 300))}")
    return section("\n".join(lines))


def _stamp(dt: datetime | None) -> str:
    return f"{dt:%Y-%m-%d %H:%M %Z}".strip() if dt else "never"


def render_home(data: HomeData) -> dict[str, Any]:
    """The App Home tab as a `views.publish` view."""
    blocks: list[dict[str, Any]] = [
        header("Briefing bot"),
        context(f"Updated {_stamp(data.now)} · `/briefing help` lists the commands"),
        header("Sources"),
    ]
    if not data.sources:
        blocks.append(section("No sources yet. An admin can add one: `/sources add <url>`."))
    blocks.extend(_source_row(s) for s in data.sources[:MAX_HOME_ROWS])
    if len(data.sources) > MAX_HOME_ROWS:
        blocks.append(context(f"_and {len(data.sources) - MAX_HOME_ROWS} more: "
                              "`/sources list`_"))
    blocks.append(header("Daily digests"))
    if not data.channels:
        blocks.append(section("No channel subscribes yet: `/digest subscribe 08:00` in a "
                              "channel."))
    for c in data.channels[:MAX_HOME_ROWS]:
        when = _stamp(c.next_post) if c.next_post else "unknown (check the time and timezone)"
        blocks.append(section(f"{mention_channel(c.channel)} at {escape(c.time)} "
                              f"{escape(c.timezone)} · next digest: {when}"))
        if c.problem:
            blocks.append(context(f":warning: {escape(clip(c.problem, 500))}"))
    blocks.append(header("Open questions"))
    if not data.questions:
        blocks.append(section("Nothing open right now."))
    for q in data.questions:
        blocks.extend(question_blocks(q, data.now)[0])
    if len(blocks) > MAX_VIEW_BLOCKS:
        blocks = blocks[: MAX_VIEW_BLOCKS - 1] + [context("_More than fits the Home tab._")]
    return {"type": "home", "blocks": blocks}


PAGED_RENDERERS: dict[type[BaseModel], Callable[..., Message]] = {
    StanceAnswer: render_stance,
    QuotesAnswer: render_quotes,
}


RENDERERS: dict[type[BaseModel], Callable[[Any], Message]] = {
    StanceAnswer: render_stance,
    QuotesAnswer: render_quotes,
    QuestionsAnswer: render_questions,
    TimelineAnswer: render_timeline,
    BriefAnswer: render_brief,
    SourcesAnswer: render_sources,
    AuditAnswer: render_audit,
    Notice: render_notice,
    SubscriptionAnswer: render_subscription,
    HelpAnswer: render_help,
}


def render(answer: BaseModel) -> Message:
    return RENDERERS[type(answer)](answer)


# --- digest ----
# The daily digest (issue 5): a summary message, and the details in its thread when long.
# Imported here, at the end, so the digest section stays one appended block of this module.
from briefing.digest import DigestAnswer  # noqa: E402

# A digest whose details take more blocks than this is posted as a short summary with the
# details in a threaded reply (issue 5 §2); below it one message reads better than a thread.
DIGEST_INLINE_BLOCKS = 14
# Story headlines named in the summary message.
DIGEST_SUMMARY_STORIES = 3
# Developments listed under one story.
DIGEST_STORY_DEVELOPMENTS = 3


def _digest_title(a: DigestAnswer) -> str:
    """Dated by the channel's local day, as the (channel, day) record it is posted under."""
    return f"Daily digest · {_local(a.now, a.timezone):%Y-%m-%d}"


def _local(dt: datetime, zone: str) -> datetime:
    try:
        return dt.astimezone(ZoneInfo(zone)) if dt.tzinfo is not None else dt
    except (ZoneInfoNotFoundError, ValueError):
        return dt


def _when(dt: datetime, zone: str) -> str:
    """A time in the channel's timezone, named ("2026-11-21 08:00 JST")."""
    return f"{_local(dt, zone):%Y-%m-%d %H:%M %Z}".strip()


def _plural(n: int, word: str) -> str:
    if n == 1:
        return f"{n} {word}"
    consonant_y = word.endswith("y") and word[-2:-1] not in tuple("aeiou")
    return f"{n} {word[:-1]}ies" if consonant_y else f"{n} {word}s"


def _pack(title: str, lines: Sequence[str]) -> list[dict[str, Any]]:
    """Lines under a bold title, packed into as few sections as Slack's 3,000 chars allow."""
    blocks, current = [], f"*{title}*"
    for line in lines:
        if len(current) + 1 + len(line) > MAX_SECTION_TEXT:
            blocks.append(section(current))
            current = line
        else:
            current += "\n" + line
    blocks.append(section(current))
    return blocks


def digest_counts(a: DigestAnswer) -> str:
    parts = [f"{_plural(a.new_articles, 'new article')} in {_plural(a.stories_total, 'story')}"]
    if a.stance_changes_total:
        parts.append(_plural(a.stance_changes_total, "stance change"))
    if a.contradictions:
        parts.append(_plural(len(a.contradictions), "contradiction"))
    if a.opened:
        parts.append(f"{_plural(len(a.opened), 'question')} opened")
    if a.answered:
        parts.append(f"{len(a.answered)} answered")
    return f"Since {_when(a.since, a.timezone)}: " + ", ".join(parts) + "."


def digest_details(a: DigestAnswer) -> tuple[list[dict[str, Any]], list[str]]:
    """Every item of the digest, each with its sources."""
    blocks: list[dict[str, Any]] = []
    plain: list[str] = []
    if a.stories:
        blocks.append(section("*New developments*"))
        plain.append("New developments:")
    for s in a.stories:
        lines = [f"*{escape(clip(s.headline, 200))}* · "
                 f"{_plural(s.independent_sources, 'independent source')}"]
        for d in s.developments[:DIGEST_STORY_DEVELOPMENTS]:
            lines.append(f"• {d.date.isoformat()}: {escape(clip(d.summary, 400))} — "
                         f"{cite(d.sources[0])}")
        blocks.append(section("\n".join(lines)))
        blocks.append(context(*(cite(x) for x in s.articles[:MAX_CONTEXT_ELEMENTS])))
        plain.append(f"- {clip(s.headline, 200)} "
                     f"({_plural(s.independent_sources, 'independent source')}; "
                     + "; ".join(cite_plain(x) for x in s.articles[:MAX_CONTEXT_ELEMENTS]) + ")")
        plain.extend(f"  {d.date.isoformat()}: {d.summary}"
                     for d in s.developments[:DIGEST_STORY_DEVELOPMENTS])
    if a.stories_total > len(a.stories):
        blocks.append(context(f"_{a.stories_total - len(a.stories)} more stories; "
                              "/timeline lists every development._"))
    if a.stance_changes:
        blocks.append(section("*Stance changes*"))
        plain.append("Stance changes:")
    for c in a.stance_changes:
        was = f"{c.before} → " if c.before else "first stated: "
        lines = [f"*{escape(c.actor.name)}* on {escape(c.topic.label)}: {was}*{c.after}*"]
        lines += [quote_block(clip(e.text, 700)) for e in c.evidence]
        blocks.append(section("\n".join(lines)))
        blocks.append(context(*(f"*{escape(_speaker(e, a.names))}* · {cite(e.article)}"
                                for e in c.evidence)))
        plain.append(f"- {c.actor.name} on {c.topic.label}: {was}{c.after}. "
                     + " ".join(f"“{e.text}” ({cite_plain(e.article)})" for e in c.evidence))
    if a.stance_changes_total > len(a.stance_changes):
        more = a.stance_changes_total - len(a.stance_changes)
        blocks.append(context(f"_{_plural(more, 'more stance change')}; /stance shows each "
                              "actor's history._"))
        plain.append(f"({_plural(more, 'more stance change')}; /stance shows each actor's "
                     "history.)")
    if a.contradictions:
        blocks.append(section("*Contradictions*"))
        plain.append("Contradictions:")
    for k in a.contradictions:
        blocks.append(section(f"{escape(clip(k.matter, 300))}\n"
                              f"{quote_block(clip(k.first.statement.text, 900))}\n"
                              f"{quote_block(clip(k.second.statement.text, 900))}"))
        blocks.append(context(cite(k.first.article), cite(k.second.article)))
        plain.append(f"- {k.matter}: “{k.first.statement.text}” ({cite_plain(k.first.article)})"
                     f" vs “{k.second.statement.text}” ({cite_plain(k.second.article)})")
    if a.opened:
        lines, texts = [], []
        for q in a.opened:
            raised = q.raised_in[0].article if q.raised_in else None
            lines.append(f"• {escape(q.question)}" + (f" — {cite(raised)}" if raised else ""))
            texts.append(f"- {q.question}" + (f" ({cite_plain(raised)})" if raised else ""))
        blocks.extend(_pack("Questions opened", lines))
        plain += ["Questions opened:", *texts]
    if a.answered:
        lines, texts = [], []
        for sq in a.answered:
            how = "answered" if sq.status == "answered" else "partly answered"
            lines.append(f"• {escape(sq.question.question)} — _{how}_: "
                         f"“{escape(clip(sq.answer.text, 500))}” — {cite(sq.answer.article)}")
            texts.append(f"- {sq.question.question} ({how}): “{sq.answer.text}” "
                         f"({cite_plain(sq.answer.article)})")
        blocks.extend(_pack("Questions answered", lines))
        plain += ["Questions answered:", *texts]
    if a.unresolved:
        lines, texts = [], []
        for o in a.unresolved:
            raised = min((c.article for c in o.question.raised_in),  # the first to raise it
                         key=lambda x: x.published.timestamp() if x.published else 0.0,
                         default=None)
            age = f"open {_plural(o.age_days, 'day')} (since {o.open_since:%Y-%m-%d})"
            lines.append(f"• {escape(o.question.question)} — {age}"
                         + (f" — {cite(raised)}" if raised else ""))
            texts.append(f"- {o.question.question}: {age}"
                         + (f" ({cite_plain(raised)})" if raised else ""))
        blocks.extend(_pack("Longest open, still unresolved", lines))
        plain += ["Longest open, still unresolved:", *texts]
    return blocks, plain


def digest_messages(a: DigestAnswer) -> list[Message]:
    """What is posted: one message, or a short summary plus the details for its thread."""
    title = _digest_title(a)
    if a.nothing_new:
        line = f"Nothing new since {_when(a.since, a.timezone)}."
        return [Message(text=f"{title}: {line}",
                        blocks=[section(f"*{escape(title)}*: {escape(line)}")])]
    counts = digest_counts(a)
    details, plain = digest_details(a)
    if len(details) <= DIGEST_INLINE_BLOCKS:
        return [_finish(title, [header(title), context(escape(counts)), *details],
                        "\n".join([title, counts, *plain]))]
    top = a.stories[:DIGEST_SUMMARY_STORIES]
    lines = [f"• *{escape(clip(s.headline, 200))}* ({s.independent_sources}) — "
             f"{cite(s.articles[0])}" for s in top]
    summary = [header(title), section(escape(counts))]
    if lines:
        summary.append(section("\n".join(lines)))
    summary.append(context("_Details in the thread._"))
    summary_plain = [title, counts,
                     *(f"- {clip(s.headline, 200)} ({cite_plain(s.articles[0])})" for s in top),
                     "Details in the thread."]
    return [_finish(title, summary, "\n".join(summary_plain)),
            _finish(title, details, "\n".join(plain))]


def render_digest(a: DigestAnswer) -> Message:
    """The whole digest in one message (preview, console, `briefbot digest`)."""
    title = _digest_title(a)
    if a.nothing_new:
        return digest_messages(a)[0]
    counts = digest_counts(a)
    details, plain = digest_details(a)
    return _finish(title, [header(title), context(escape(counts)), *details],
                   "\n".join([title, counts, *plain]))


RENDERERS[DigestAnswer] = render_digest
