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
                 "stance_found_rate": 0.82, "stance_label_rate": 0.75},
    # holdout9 was written and labelled after the stance round and scored once (0.32 / 0.26);
    # its misses were read after that for two general rules, then in the second stance round
    # (README.md)
    "holdout9": {"quote_precision": 0.95, "quote_recall": 0.85, "statement_precision": 0.94,
                 "statement_recall": 0.85, "question_recall": 0.98, "question_precision": 0.98,
                 "stance_found_rate": 0.57, "stance_label_rate": 0.52},
    # holdout10 was written and labelled before the second stance round and scored once
    # (found 0.43, labelled 0.23; quotes P 0.96 R 0.67); these floors sit under its score
    # after the round, which read its misses (README.md)
    "holdout10": {"quote_precision": 0.96, "quote_recall": 0.84, "statement_precision": 0.97,
                  "statement_recall": 0.84, "question_recall": 0.77, "question_precision": 0.98,
                  "stance_found_rate": 0.60, "stance_label_rate": 0.51},
    # holdout11 was written and labelled after the second stance round and scored once at
    # 1b83053, not tuned on: the honest estimate after the round (README.md)
    "holdout11": {"quote_precision": 0.69, "quote_recall": 0.45, "statement_precision": 0.87,
                  "statement_recall": 0.45, "question_recall": 0.59, "question_precision": 0.98,
                  "stance_found_rate": 0.36, "stance_label_rate": 0.25},
}


def test_heldout_floors() -> None:
    for split, floors in FLOORS.items():
        s = score.score(split)
        print(f"\n{split}: {s.line()}")
        for miss in s.misses:
            print("  ", miss)
        for name, floor in floors.items():
            assert getattr(s, name) >= floor, (split, name, getattr(s, name), s.misses)
