"""Topics: synonyms with offsets, plurals, possessives, resolution of user words."""

from __future__ import annotations

import ast
from pathlib import Path

from briefing import topics
from briefing.topics import TOPICS, find_topics, free_topic, resolve_topic, topic_spans

ROOT = Path(__file__).resolve().parent.parent.parent


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


def _plain_find_topics(text: str) -> list[str]:
    """find_topics as first written: every topic's pattern searched. The reference."""
    norm = topics._normalise(text)
    return [t.id for t in TOPICS if topics._pattern(t.id).search(norm)]


def _texts() -> list[str]:
    out = [
        "The \u0131and was ceded; \u017fanctions stay, and sanct\u0131ons too.",
        "a halt   to\nthe fighting, and the war to end; Europe\u2019s role; in-person talks",
        "peacekeepingforce trucemaker land-based ex-nato nato-led pre-truce summits' truces",
    ]
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        out.extend(path.read_text().splitlines())
    for path in sorted((ROOT / "tests" / "engine").glob("test_*.py")):
        out.extend(n.value for n in ast.walk(ast.parse(path.read_text()))
                   if isinstance(n, ast.Constant) and isinstance(n.value, str))
    # every term, alone, inside longer words, and at the text's edges
    for t in TOPICS:
        for term in (*t.synonyms, t.label):
            out += [term, f"x{term}", f"{term}x", f"-{term}-", f"({term}s)", term.upper()]
    return out


def test_gated_find_topics_finds_what_every_pattern_finds() -> None:
    for text in _texts():
        assert find_topics(text) == _plain_find_topics(text), text
