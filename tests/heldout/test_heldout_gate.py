"""Quality gate on the held-out articles: floors at the measured scores, which only go up."""

from __future__ import annotations

from tests.heldout import score

# The tuned split was read while the rules were improved, so its scores are optimistic; the
# untouched split was written and labelled last and scored once (tests/heldout/README.md).
# Floors sit a little under the measured values; raise them when the engine does better.
FLOORS = {
    "tuned": {"quote_precision": 0.90, "quote_recall": 0.78, "statement_precision": 0.88,
              "statement_recall": 0.78, "question_recall": 0.95, "question_precision": 0.95},
}


def test_heldout_floors() -> None:
    for split, floors in FLOORS.items():
        s = score.score(split)
        print(f"\n{split}: {s.line()}")
        for miss in s.misses:
            print("  ", miss)
        for name, floor in floors.items():
            assert getattr(s, name) >= floor, (split, name, getattr(s, name), s.misses)
