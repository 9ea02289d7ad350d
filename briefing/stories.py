"""Groups articles into stories: MinHash for copies, shared dated developments for rewrites."""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from collections.abc import Sequence
from datetime import timedelta
from functools import lru_cache
from typing import Any

import numpy as np

from briefing.events import development_kind
from briefing.models import Event
from briefing.ports import DevelopmentFacts, DevelopmentRecord, StoredEvent

# 128 permutations: the standard error of a MinHash Jaccard estimate is about 1/sqrt(128) = 0.09,
# fine for telling copies (>= 0.5) from independent texts (< 0.1 on the seeds).
NUM_PERM = 128
# datasketch's "affine32" scheme (MinHash(seed=SEED, hashfunc=zlib.crc32, scheme="affine32")),
# reimplemented here with numpy alone so the values match it bit for bit without importing
# datasketch (which pulls in scipy: about 1 s of start-up); tests pin the equality.
SCHEME = "affine32"
SEED = 1  # fixed, so fingerprints stored today compare with fingerprints made next year
SHINGLE_WORDS = 4  # word 4-grams: long enough that independent articles share few (< 5%)
# LSH: 32 bands of 4 rows. Probability two texts share a band is 1 - (1 - J^4)^32: 0.87 at
# Jaccard 0.5, 0.99 at 0.6, 0.23 at 0.3, 0.003 at 0.1; the threshold (1/32)^(1/4) is about 0.42.
BANDS = 32
ROWS = NUM_PERM // BANDS
# Estimated Jaccard of 4-gram shingles at or above which two articles are one wire story copied.
# Measured on tests/fixtures/stories: copies with a new headline, a trimmed tail, respelled words
# and a paragraph dropped score 0.64-0.92; independent articles, even about the same development
# (seeds 000 and 001, the grain fixtures), score 0.00-0.03. 0.5 sits between with room either side.
WIRE_COPY = 0.5
# At or above this two texts are one story from fingerprints alone (heavier rewrites of one copy);
# still ten times the 0.03 that independent texts reach, so unrelated stories never group.
SAME_STORY = 0.25
# Two dated developments are one when their days are this close and both dates came from the
# publication day (outlets publish the same news a day apart); exact dates must agree.
SAME_DEVELOPMENT_DAYS = 1
# Shared actors needed for two reports to be the same development ("Trump" and "Putin").
SAME_DEVELOPMENT_ACTORS = 2

_WORD = re.compile(r"[a-z0-9]+(?:['\u2019][a-z]+)?")


def _shingles(text: str) -> list[bytes]:
    words = [w.encode() for w in _WORD.findall(text.lower())]
    if len(words) < SHINGLE_WORDS:
        return [b" ".join(words)] if words else []
    grams = zip(*(words[i:] for i in range(SHINGLE_WORDS)), strict=False)
    return list({b" ".join(gram) for gram in grams})


# MurmurHash3's 32-bit finalizer (shift, multiplier, shift, multiplier, shift): the fixed pre-mix
# the affine32 scheme applies to each base hash before the permutations.
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35),
           np.uint32(16))


@lru_cache(maxsize=1)
def _permutations() -> tuple[Any, Any]:
    """The seeded affine permutations (a odd, b) as datasketch's affine32 scheme draws them."""
    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def fingerprint(text: str) -> list[int]:
    """MinHash signature of the text's word 4-grams (NUM_PERM integers); [] for empty text."""
    shingles = _shingles(text)
    if not shingles:
        return []
    # crc32 as the base hash: stable across processes and 2.5x faster than datasketch's sha1; the
    # seeded permutations on top of it do the mixing (uint32 arithmetic wraps: that is the mod 2^32)
    a, b = _permutations()
    s1, m1, s2, m2, s3 = _FMIX32
    hv = np.fromiter(map(zlib.crc32, shingles), dtype=np.uint32, count=len(shingles))
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    hv = (hv ^ (hv >> s3)).reshape(-1, 1)
    return (hv * a + b).min(axis=0).tolist()


def lsh_bands(fp: Sequence[int]) -> list[str]:
    """Band keys for blocking: articles sharing any key are candidates for comparison."""
    if len(fp) != NUM_PERM:
        return []
    keys = []
    for band in range(BANDS):
        rows = fp[band * ROWS:(band + 1) * ROWS]
        digest = hashlib.blake2b(struct.pack(f"<{ROWS}Q", *rows), digest_size=8).hexdigest()
        keys.append(f"{band:02d}:{digest}")
    return keys


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of two fingerprints (0.0 when either is missing)."""
    if len(a) != NUM_PERM or len(b) != NUM_PERM:
        return 0.0
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / NUM_PERM


def is_wire_copy(a: Sequence[int], b: Sequence[int]) -> bool:
    return similarity(a, b) >= WIRE_COPY


def same_development(a: Event | DevelopmentFacts, b: Event | DevelopmentFacts) -> bool:
    """Two events report one development: same kind, same day, the same main actors."""
    days = abs((a.date - b.date).days)
    tolerance = timedelta(days=SAME_DEVELOPMENT_DAYS).days if (a.date_inferred and
                                                                b.date_inferred) else 0
    if days > tolerance:
        return False
    # the actors before the kind: a set is cheaper than the kind's patterns, and the ingest
    # compares a lead with a hundred stored events, most naming other people
    shared = set(a.actors) & set(b.actors)
    if not len(shared) >= min(SAME_DEVELOPMENT_ACTORS, len(a.actors), len(b.actors)) > 0:
        return False
    kind_a = development_kind(a.summary)
    return kind_a is not None and kind_a == development_kind(b.summary)


def development_days(lead: Event) -> int | None:
    """How many days from `lead` a stored event may be dated and still be the same development
    (`same_development`), or None when no event can be: the lead has no kind of development or
    names no actor. Lets the ingest read only the few stored events that could match."""
    if not lead.actors or development_kind(lead.summary) is None:
        return None
    return SAME_DEVELOPMENT_DAYS if lead.date_inferred else 0


def same_story(a: Sequence[int], b: Sequence[int], *, a_events: Sequence[Event] = (),
               b_events: Sequence[Event] = ()) -> bool:
    """Same story: near-copies by fingerprint, or different texts reporting one development.

    Fingerprints only catch copies; two outlets writing up the same remarks share almost no
    4-grams, so they are grouped by their lead development instead (the first event of each).
    """
    if similarity(a, b) >= SAME_STORY:
        return True
    if not a_events or not b_events:
        return False
    return same_development(a_events[0], b_events[0])


def story_of_development(article_events: Sequence[Event],
                         stored: Sequence[StoredEvent | DevelopmentRecord]) -> int | None:
    """The story id of a stored event reporting the same development as this article's lead.

    For the ingest service, after fingerprints found no copy: pass the events stored for the few
    days around the article's publication (e.g. EventRepo.timeline narrowed by the lead event's
    actors), never the whole store.
    """
    if not article_events:
        return None
    lead = article_events[0]
    for other in stored:
        if other.story_id is not None and same_development(lead, other.event):
            return other.story_id
    return None
