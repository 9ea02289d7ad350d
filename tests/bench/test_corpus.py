"""The benchmark corpus: the same for a seed, varied, with wire copies and near-duplicates."""

from __future__ import annotations

from collections import Counter

from bench import corpus
from briefing import stories

SAMPLE = 200


def test_the_same_seed_gives_the_same_corpus() -> None:
    first = [(g.doc.text, g.doc.url, g.doc.published, g.kind) for g in corpus.generate(60, seed=3)]
    again = [(g.doc.text, g.doc.url, g.doc.published, g.kind) for g in corpus.generate(60, seed=3)]
    other = [g.doc.text for g in corpus.generate(60, seed=4)]
    assert first == again
    assert [t for t, *_ in first] != other


def test_articles_vary_in_outlet_speaker_topic_and_date() -> None:
    docs = [g.doc for g in corpus.generate(SAMPLE, seed=5, per_day=50)]
    assert len({d.outlet for d in docs}) >= len(corpus.OUTLETS) // 2
    assert len({d.published.date() for d in docs if d.published}) == SAMPLE // 50
    assert len({d.url for d in docs}) == SAMPLE
    text = " ".join(d.text for d in docs)
    assert sum(1 for full, _, _ in corpus.SPEAKERS if full in text) >= len(corpus.SPEAKERS) - 2
    assert all(any(p in text for p in phrases) for phrases, *_ in corpus.TOPICS.values())
    # about 5 KB of text, as issue 3's throughput target assumes
    mean = sum(len(d.text.encode()) for d in docs) / len(docs)
    assert 4_000 < mean < 7_000


def test_originals_are_distinct_and_copies_are_near_duplicates() -> None:
    generated = list(corpus.generate(SAMPLE, seed=6))
    kinds = Counter(g.kind for g in generated)
    assert kinds["wire_copy"] >= SAMPLE * corpus.WIRE_COPY_SHARE / 2
    assert kinds["near_duplicate"] >= SAMPLE * corpus.NEAR_DUPLICATE_SHARE / 2
    prints = [stories.fingerprint(g.doc.text) for g in generated]
    for i, g in enumerate(generated):
        if g.copy_of is None:
            continue
        assert g.doc.text != generated[g.copy_of].doc.text
        sim = stories.similarity(prints[i], prints[g.copy_of])
        floor = stories.WIRE_COPY if g.kind == "wire_copy" else stories.SAME_STORY
        assert sim >= floor, (g.kind, sim)
    originals = [i for i, g in enumerate(generated) if g.kind == "original"][:40]
    unrelated = [stories.similarity(prints[a], prints[b])
                 for a, b in zip(originals, originals[1:], strict=False)]
    assert max(unrelated) < stories.SAME_STORY
