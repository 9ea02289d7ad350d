"""Quality gate on the held-out articles: floors at the measured scores, which only go up."""

from __future__ import annotations

from tests.heldout import score

# The tuned split was read while the rules were improved, so its scores are optimistic; the
# holdout splits were written and labelled later and first scored once (README.md here).
# Floors sit a little under the measured values; raise them when the engine does better.
FLOORS = {
    "tuned": {"quote_precision": 0.97, "quote_recall": 0.97, "statement_precision": 0.97,
              "statement_recall": 0.97, "question_recall": 0.96, "question_precision": 0.96},
    "holdout1": {"quote_precision": 0.92, "quote_recall": 0.92, "statement_precision": 0.92,
                 "statement_recall": 0.92, "question_recall": 0.90, "question_precision": 0.95},
    "holdout2": {"quote_precision": 0.98, "quote_recall": 0.98, "statement_precision": 0.98,
                 "statement_recall": 0.98, "question_recall": 0.90, "question_precision": 0.95},
    # stance floors from the engine-recall branch on: an actor's clear positions found (a
    # statement of that sentence with the actor as holder and the topic) and labelled right
    "holdout3": {"quote_precision": 0.97, "quote_recall": 0.96, "statement_precision": 0.97,
                 "statement_recall": 0.96, "question_recall": 0.96, "question_precision": 0.94,
                 "stance_found_rate": 0.70, "stance_label_rate": 0.58},
    "holdout4": {"quote_precision": 0.95, "quote_recall": 0.90, "statement_precision": 0.95,
                 "statement_recall": 0.90, "question_recall": 0.92, "question_precision": 0.92,
                 "stance_found_rate": 0.80, "stance_label_rate": 0.80},
    "holdout5": {"quote_precision": 0.98, "quote_recall": 0.98, "statement_precision": 0.98,
                 "statement_recall": 0.98, "question_recall": 0.90, "question_precision": 0.96,
                 "stance_found_rate": 0.83, "stance_label_rate": 0.66},
    "holdout6": {"quote_precision": 0.98, "quote_recall": 0.98, "statement_precision": 0.98,
                 "statement_recall": 0.98, "question_recall": 0.98, "question_precision": 0.98,
                 "stance_found_rate": 0.74, "stance_label_rate": 0.62},
    "holdout7": {"quote_precision": 0.98, "quote_recall": 0.98, "statement_precision": 0.98,
                 "statement_recall": 0.98, "question_recall": 0.90, "question_precision": 0.90,
                 "stance_found_rate": 0.78, "stance_label_rate": 0.70},
    # holdout8 was written and labelled before the stance round and first scored at found 0.34,
    # labelled 0.22 (README.md); these floors sit under its score after the round
    "holdout8": {"quote_precision": 0.97, "quote_recall": 0.89, "statement_precision": 0.97,
                 "statement_recall": 0.89, "question_recall": 0.80, "question_precision": 0.98,
                 "stance_found_rate": 0.77, "stance_label_rate": 0.72},
    # holdout9 was written and labelled after the stance round and scored once (0.32 / 0.26);
    # its misses were read after that for two general rules (README.md)
    "holdout9": {"quote_precision": 0.95, "quote_recall": 0.85, "statement_precision": 0.94,
                 "statement_recall": 0.85, "question_recall": 0.98, "question_precision": 0.98,
                 "stance_found_rate": 0.41, "stance_label_rate": 0.36},
}


def test_heldout_floors() -> None:
    for split, floors in FLOORS.items():
        s = score.score(split)
        print(f"\n{split}: {s.line()}")
        for miss in s.misses:
            print("  ", miss)
        for name, floor in floors.items():
            assert getattr(s, name) >= floor, (split, name, getattr(s, name), s.misses)
