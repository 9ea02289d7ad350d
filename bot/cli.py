"""`briefbot`: the one entry point (ingest, queries with --json, ask, console, serve, clock, db)."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from pydantic import BaseModel, ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, InterfaceError, OperationalError

from bot import bootstrap
from bot.blocks import render, render_error
from bot.commands import Context, dispatch, refuse_unknown_words
from bot.ingest import ingest_paths
from bot.plaintext import to_plain
from bot.settings import Settings, check_database_url
from briefing import services
from briefing.errors import BriefingError, SchemaOutOfDate
from storage import db

F = TypeVar("F", bound=Callable[..., Any])

db_option = click.option("--db", "database_url", default=None, metavar="URL",
                         help="Database URL (default: DATABASE_URL, else sqlite:///briefing.db).")
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def _fail(message: str, code: int = 1, *, as_json: bool = False) -> None:
    """One clear line (or the JSON error object under --json) and the exit status."""
    if as_json:
        click.echo(json.dumps({"error": message, "suggestions": []}))
    else:
        click.echo(message, err=True)
    sys.exit(code)


# user:password@ in any URL a message quotes (a driver's error may echo the URL it was given)
_URL_PASSWORD = re.compile(r"(://[^/@\s:]*):[^@\s]*@")


def _without_password(text: str) -> str:
    return _URL_PASSWORD.sub(r"\1:***@", text)


def _settings_problem(exc: ValidationError) -> str:
    """`Setting INGEST_WORKERS is invalid: ...`, one line per setting (values are not shown:
    they may be secrets)."""
    lines = []
    for err in exc.errors():
        name = ".".join(str(part) for part in err["loc"]).upper() or "settings"
        message = err["msg"].removeprefix("Value error, ")
        lines.append(f"Setting {name} is invalid: {message}.")
    return " ".join(lines)


def _database_problem(exc: Exception, url: str | None) -> str:
    """`Cannot use the database URL: reason`, the password hidden, the driver's first line."""
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    where = ""
    if url:
        try:
            where = " " + make_url(url.strip()).render_as_string(hide_password=True)
        except ArgumentError:
            where = " " + url
    return _without_password(f"Cannot use the database{where}: "
                             f"{reason[0] if reason else type(exc).__name__}")


def _configured_url(database_url: str | None) -> str | None:
    if database_url:
        return database_url
    try:
        return bootstrap.load_settings().database_url
    except ValidationError:
        return None


class _BadOption(Exception):
    """An option's value the command cannot use (said in one line, like a bad setting)."""


def handles_errors(fn: F) -> F:
    """Turn the engine's errors, bad settings and an unreachable database into a clear message
    and exit status (the JSON error object under --json), never a traceback."""
    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        as_json = bool(kwargs.get("as_json"))
        try:
            return fn(*args, **kwargs)
        except SchemaOutOfDate as exc:
            _fail(str(exc), 2, as_json=as_json)
        except BriefingError as exc:
            if as_json:
                click.echo(json.dumps({"error": str(exc),
                                       "suggestions": getattr(exc, "suggestions", [])}))
                sys.exit(1)
            _fail(to_plain(render_error(exc)))
        except _BadOption as exc:
            _fail(str(exc), as_json=as_json)
        except ValidationError as exc:
            if exc.title != Settings.__name__:
                raise
            _fail(_settings_problem(exc), as_json=as_json)
        except (OperationalError, InterfaceError, ArgumentError) as exc:
            # cannot connect, cannot open the file, a URL SQLAlchemy cannot parse
            _fail(_database_problem(exc, _configured_url(kwargs.get("database_url"))),
                  as_json=as_json)
    return wrapper  # type: ignore[return-value]


def _missing_sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names when it does not exist yet (None for Postgres, memory)."""
    parsed = make_url(db.normalise_url(url))
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    path = Path(parsed.database)
    return None if path.exists() else path


def _migrate(c: bootstrap.Container) -> None:
    """Bring the schema to the code's revision and the topics table up to date."""
    db.upgrade(c.engine)
    from briefing.topics import TOPICS
    with c.uow() as tx:
        tx.topics.sync((t.id, t.label, t.supports_means) for t in TOPICS)
        tx.commit()


def _container(database_url: str | None, *, check: bool = True,
               create: bool = False) -> bootstrap.Container:
    """The composition root's container. A SQLite file that does not exist is created (with its
    schema) only when `create`: a query must not leave an empty database behind."""
    if database_url:
        try:
            check_database_url(database_url)
        except ValueError as exc:
            raise _BadOption(f"--db {exc}.") from exc
    settings = bootstrap.load_settings(database_url)
    bootstrap.configure_logging(settings)
    missing = _missing_sqlite_file(settings.database_url)
    if missing is not None and not create:
        raise SchemaOutOfDate(f"The database {missing} does not exist yet. Run `briefbot db "
                              "upgrade` to create it, or `briefbot ingest` to fill it.")
    c = bootstrap.build(settings, check_schema=check and missing is None)
    if missing is not None and check:  # a new store, created as `briefbot db upgrade` would
        _migrate(c)
    return c


def _emit(answer: BaseModel, as_json: bool) -> None:
    if as_json:
        data = answer.to_json() if hasattr(answer, "to_json") else answer.model_dump(mode="json")
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        click.echo(to_plain(render(answer)))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Briefing bot: cited stances, quotes, open questions and a daily digest."""


# --- database -----------------------------------------------------------------------------------


@main.group("db")
def db_group() -> None:
    """Database schema commands."""


@db_group.command("upgrade")
@db_option
@handles_errors
def db_upgrade(database_url: str | None) -> None:
    """Apply schema migrations (safe to run at every start)."""
    c = _container(database_url, check=False, create=True)
    _migrate(c)
    click.echo(f"Schema is at revision {db.current_revision(c.engine)}.")


@db_group.command("check")
@db_option
@handles_errors
def db_check(database_url: str | None) -> None:
    """Exit 0 when the schema is up to date, else say how to fix it."""
    c = _container(database_url, check=False)
    db.check_schema(c.engine)
    click.echo(f"Schema is up to date (revision {db.current_revision(c.engine)}).")


# --- ingestion ----------------------------------------------------------------------------------


@main.command()
@click.argument("targets", nargs=-1, required=True)
@db_option
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary.")
@handles_errors
def ingest(targets: tuple[str, ...], database_url: str | None, quiet: bool) -> None:
    """Ingest files, folders, web pages or feeds. Idempotent."""
    c = _container(database_url, create=True)
    report = ingest_paths(list(targets), container=c, echo=not quiet)
    click.echo(report.summary())
    if report.failed:
        sys.exit(1)


# --- queries ------------------------------------------------------------------------------------


def _ask(c: bootstrap.Container, text: str, user: str = "cli") -> BaseModel:
    return dispatch(text, ctx=Context(now=c.clock(), user_id=user), deps=c.deps)


@main.command()
@click.argument("actor")
@click.argument("topic")
@json_option
@db_option
@handles_errors
def stance(actor: str, topic: str, as_json: bool, database_url: str | None) -> None:
    """An actor's position on a topic, with evidence."""
    c = _container(database_url)
    _emit(services.stance_of(actor, topic, uow=c.uow, registry=c.deps.registry()), as_json)


@main.command()
@click.argument("actor")
@click.argument("topic", required=False)
@json_option
@db_option
@handles_errors
def quotes(actor: str, topic: str | None, as_json: bool, database_url: str | None) -> None:
    """What an actor said, newest first."""
    c = _container(database_url)
    _emit(services.quotes_of(actor, topic, uow=c.uow, registry=c.deps.registry()), as_json)


@main.command()
@click.argument("topic", required=False)
@click.option("--all", "include_all", is_flag=True, help="Include answered and stale questions.")
@click.option("--answered", is_flag=True, help="Only recently settled questions.")
@json_option
@db_option
@handles_errors
def questions(topic: str | None, include_all: bool, answered: bool, as_json: bool,
              database_url: str | None) -> None:
    """What is still unknown."""
    c = _container(database_url)
    answer = services.list_questions(topic, uow=c.uow, now=c.clock(), include_all=include_all,
                                     answered=answered)
    if topic and not answer.questions:
        refuse_unknown_words(topic, deps=c.deps, actors=False)
    _emit(answer, as_json)


@main.command()
@click.argument("topic", required=False)
@json_option
@db_option
@handles_errors
def timeline(topic: str | None, as_json: bool, database_url: str | None) -> None:
    """Dated developments, oldest first."""
    c = _container(database_url)
    answer = services.timeline(topic, uow=c.uow, registry=c.deps.registry())
    if topic and not answer.items:
        refuse_unknown_words(topic, deps=c.deps)
    _emit(answer, as_json)


@main.command()
@click.argument("text")
@db_option
@handles_errors
def ask(text: str, database_url: str | None) -> None:
    """Run a slash-command as Slack would and print the reply as plain text."""
    c = _container(database_url)
    try:
        answer = _ask(c, text)
    except BriefingError as exc:
        click.echo(to_plain(render_error(exc)))
        sys.exit(1)
    click.echo(to_plain(render(answer)))


# --- processes ----------------------------------------------------------------------------------


@main.command()
@db_option
@handles_errors
def console(database_url: str | None) -> None:
    """A local console: type slash-commands, read replies; end of input exits."""
    from bot.console import run_console
    run_console(_container(database_url))


@main.command()
@db_option
@click.option("--seeds", "seeds_dir", default=None, help="Folder to ingest first.")
@handles_errors
def run(database_url: str | None, seeds_dir: str | None) -> None:
    """Migrate, ingest the seeds, then start Slack (with tokens) or the local console."""
    c = _container(database_url, check=False, create=True)
    _migrate(c)
    folder = Path(seeds_dir or c.settings.seeds_dir)
    if folder.exists():
        report = ingest_paths([str(folder)], container=c, echo=False)
        click.echo(report.summary(), err=True)
    if c.settings.slack_enabled:
        from bot.server import serve_forever
        serve_forever(c)
    else:
        from bot.console import run_console
        run_console(c)


@main.command()
@db_option
@handles_errors
def serve(database_url: str | None) -> None:
    """The Slack app: Socket Mode when SLACK_APP_TOKEN is set, else HTTP on PORT."""
    from bot.server import serve_forever
    serve_forever(_container(database_url))


@main.command()
@db_option
@handles_errors
def clock(database_url: str | None) -> None:
    """The scheduler process: posts channel digests and polls sources."""
    from bot.clock import run_clock
    run_clock(_container(database_url))


@main.command()
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Build the digest as it would have been posted on this date.")
@click.option("--channel", default=None, help="Channel id (default: a channel's first digest).")
@json_option
@db_option
@handles_errors
def digest(as_of: datetime | None, channel: str | None, as_json: bool,
           database_url: str | None) -> None:
    """The digest that would be posted."""
    from bot.clock import print_digest
    print_digest(_container(database_url), as_of=as_of.date() if as_of else None,
                 channel=channel, as_json=as_json)


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("words", nargs=-1, required=False)
@json_option
@db_option
@handles_errors
def sources(words: tuple[str, ...], as_json: bool, database_url: str | None) -> None:
    """Manage web sources: list | add URL [NAME] | remove ID | pause ID | resume ID | log."""
    c = _container(database_url)
    answer = _ask(c, "/sources " + " ".join(words or ("list",)))
    _emit(answer, as_json)


if __name__ == "__main__":  # pragma: no cover
    main()
