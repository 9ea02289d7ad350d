"""Topics: synonyms with offsets, plurals, possessives, resolution of user words."""

from __future__ import annotations

from briefing.topics import TOPICS, find_topics, free_topic, resolve_topic, topic_spans


def test_every_topic_says_what_supports_means() -> None:
    assert len(TOPICS) >= 14
    assert all(t.supports_means for t in TOPICS)


def test_spans_point_into_the_text() -> None:
    text = "A cease-fire and NATO\u2019s expansion were discussed at the summits."
    spans = topic_spans(text)
    assert ("ceasefire", "cease-fire") in [(t, text[a:b]) for t, a, b in spans]
    assert ("nato", "NATO") in [(t, text[a:b]) for t, a, b in spans]
    assert ("summit", "summits") in [(t, text[a:b]) for t, a, b in spans]


def test_longest_term_wins() -> None:
    text = "They talked about Ukraine's NATO membership."
    assert [(t, text[a:b]) for t, a, b in topic_spans(text)] == [("nato", "NATO membership")]


def test_words_inside_other_words_do_not_count() -> None:
    assert find_topics("The landlord sanctioned nothing.") == []


def test_multiword_synonyms_across_line_breaks() -> None:
    assert "ceasefire" in find_topics("a halt to\nthe fighting")


def test_resolve_topic_from_user_words() -> None:
    assert resolve_topic("truce").id == "ceasefire"  # type: ignore[union-attr]
    assert resolve_topic("NATO membership").id == "nato"  # type: ignore[union-attr]
    assert resolve_topic("sanctions").id == "sanctions"  # type: ignore[union-attr]
    assert resolve_topic("weather") is None


def test_free_topic_uses_the_words() -> None:
    t = free_topic("grain corridor")
    assert t.id == "text:grain-corridor" and t.synonyms == ("grain corridor",)
