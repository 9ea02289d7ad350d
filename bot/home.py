"""App Home data: source health, subscribed channels with their next digest, top open questions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from briefing import services, sources
from briefing.models import StoredQuestion
from briefing.ports import DigestRecord, SourceInfo

if TYPE_CHECKING:
    from bot.commands import Deps

# Open questions shown on the Home tab; the rest are one `/questions` away.
TOP_QUESTIONS = 5
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class ChannelDigest:
    channel: str
    time: str
    timezone: str
    next_post: datetime | None  # None when the stored time or timezone cannot be read
    problem: str | None = None  # the last digest's failure, if it has not been posted since


@dataclass(frozen=True)
class HomeData:
    now: datetime
    sources: list[SourceInfo]
    channels: list[ChannelDigest]
    questions: list[StoredQuestion]


def next_digest(hhmm: str, timezone: str, *, now: datetime) -> datetime | None:
    """The next wall-clock HH:MM in `timezone` strictly after `now`, DST-aware."""
    match = _HHMM.match(hhmm.strip())
    try:
        tz = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    if match is None:
        return None
    at = time(int(match.group(1)), int(match.group(2)))
    local = now.astimezone(tz)
    for day in (local.date(), local.date() + timedelta(days=1)):
        candidate = datetime.combine(day, at, tzinfo=tz)
        if candidate > local:
            return candidate
    return None  # unreachable: tomorrow's HH:MM is always after now


def _problem(records: list[DigestRecord]) -> str | None:
    """What went wrong with the channel's latest digest, for admins to see."""
    if not records or not records[0].error:
        return None
    r = records[0]
    state = "not posted" if r.status != "posted" else "posted, but"
    return f"digest of {r.day.isoformat()} {state}: {r.error} (attempts: {r.attempts})"


def gather(*, deps: Deps, now: datetime) -> HomeData:
    """Everything the Home tab shows, read from the store in one pass."""
    with deps.uow() as tx:
        subs = tx.subscriptions.active()
        last = {s.channel: tx.digests.recent(channel=s.channel, limit=1) for s in subs}
    channels = [ChannelDigest(channel=s.channel, time=s.time, timezone=s.timezone,
                              next_post=next_digest(s.time, s.timezone, now=now),
                              problem=_problem(last[s.channel]))
                for s in subs]
    questions = services.list_questions(None, uow=deps.uow, now=now).questions
    return HomeData(now=now, sources=sources.list_sources(uow=deps.uow), channels=channels,
                    questions=questions[:TOP_QUESTIONS])
