"""Quality gate for questions, events, contradictions and stories: hand labels over seeds/."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from briefing import contradictions, questions, stories
from briefing.actors import ActorRegistry
from briefing.files import read_article_file
from briefing.models import (
    ArticleInput,
    ArticleRef,
    Cited,
    ProcessedArticle,
    QuestionStatus,
    RaisedQuestion,
    StoredQuestion,
    StoredStatement,
)
from briefing.pipeline import process_article

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent

# Floors: raised on purpose when the engine improves, never lowered quietly.
QUESTIONS_FOUND_FLOOR = 0.95  # the target on the seeds was 0.8; measured 1.00
# detections that are a labelled (or optional) question; measured 0.96: one raise of the
# labelled "when did the contacts take place" in 001 ("Journalists had asked whether they
# occurred before ...") is not among the labelled sentences
QUESTIONS_PRECISION_FLOOR = 0.9
QUESTIONS_MERGED_FLOOR = 0.9  # labelled sentence pairs put together or kept apart rightly
QUESTIONS_SETTLED_FLOOR = 0.8  # final status (and the settling seed) right
# The follow-up story (own texts): 3 of 4 at first; the miss needs "Russian delegation" tied to
# Russia, which the mention stage does not do yet.
FOLLOWUP_SETTLED_FLOOR = 0.75
EVENTS_FOUND_FLOOR = 0.85  # labelled developments found with a date within APPROXIMATE_DAYS
EVENTS_EXACT_FLOOR = 1.0  # share of all labelled events with the exact day
EVENTS_REJECTED_FLOOR = 1.0  # sentences that must not become events
EVENTS_PRECISION_FLOOR = 0.8  # events found that are labelled developments
CONTRADICTIONS_FOUND_FLOOR = 1.0  # of the labelled pairs the statement stage makes reachable
CONTRADICTIONS_REJECTED_FLOOR = 1.0
STORIES_FLOOR = 1.0  # wire-copy and same-story labels right
# An undated lede is dated by the publication day; the seeds publish 1-4 days after the event.
APPROXIMATE_DAYS = 4

SCORES: dict[str, float] = {}


def _norm(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").split()).lower()


def _contains(haystack: str, needle: str) -> bool:
    return _norm(needle) in _norm(haystack)


def _load(path: Path) -> ArticleInput:
    """A seed as `briefbot ingest` reads it, front matter included."""
    doc = read_article_file(path)
    return doc.model_copy(update={"path": str(path.relative_to(ROOT))})


@cache
def _processed(rel: str) -> ProcessedArticle:
    return process_article(_load(ROOT / rel), registry=ActorRegistry())


@cache
def _seed_paths() -> dict[str, str]:
    return {p.name[:3]: str(p.relative_to(ROOT)) for p in sorted((ROOT / "seeds").glob("*.txt"))}


def _seed(seed: str) -> ProcessedArticle:
    return _processed(_seed_paths()[seed])


def _labels(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((GOLDEN / name).read_text(encoding="utf-8"))
    return loaded


def _report(name: str, value: float, floor: float) -> None:
    SCORES[name] = value
    print(f"GATE {name}: {value:.2f} (floor {floor:.2f})")


# --- the store, simulated with plain lists ------------------------------------------------------


@dataclass
class Store:
    """Runs the cross-article functions the way the ingest service does, in publication order."""

    questions: dict[int, StoredQuestion] = field(default_factory=dict)
    raised_ids: dict[tuple[str, int, str], int] = field(default_factory=dict)
    settled_by: dict[int, list[tuple[QuestionStatus, str]]] = field(default_factory=dict)
    statements: list[StoredStatement] = field(default_factory=list)
    seed_of_article: dict[int, str] = field(default_factory=dict)
    contradictions: list[contradictions.Contradiction] = field(default_factory=list)

    def ingest(self, seed: str, processed: ProcessedArticle) -> None:
        art = processed.article
        ref = ArticleRef(id=int(seed), outlet=art.outlet, title=art.title,
                         published=art.published, published_inferred=art.published_inferred)
        self.seed_of_article[ref.id] = seed
        stored = [StoredStatement(id=len(self.statements) + i + 1, statement=s, article=ref)
                  for i, s in enumerate(processed.statements)]
        known = list(self.questions.values())  # what the store held before this article
        mergeable = list(known)  # plus what this article has added so far
        for raised in processed.questions:
            match = next((k for k in mergeable if questions.same_question(raised, k)), None)
            if match is None:
                qid = len(self.questions) + 1
                self.questions[qid] = StoredQuestion(
                    id=qid, question=raised.question, key=raised.key, status=QuestionStatus.OPEN,
                    actors=raised.actors, topics=raised.topics,
                    raised_in=(Cited(text=raised.text, article=ref),),
                    first_seen=art.published, last_seen=art.published)
                mergeable.append(self.questions[qid])
            else:
                qid = match.id
                q = self.questions[qid]
                self.questions[qid] = q.model_copy(update={
                    "raised_in": (*q.raised_in, Cited(text=raised.text, article=ref)),
                    "last_seen": art.published})
            self.raised_ids[(seed, raised.sentence, raised.key)] = qid
        for q in known:
            current = self.questions[q.id]
            if current.status == QuestionStatus.ANSWERED:
                continue
            for st in stored:
                status = questions.settles(q, st)
                if status is None:
                    continue
                current = self.questions[q.id]
                rank = [QuestionStatus.OPEN, QuestionStatus.PARTLY_ANSWERED,
                        QuestionStatus.ANSWERED]
                if rank.index(status) >= rank.index(current.status):
                    self.questions[q.id] = current.model_copy(update={
                        "status": status,
                        "answered_by": (*current.answered_by,
                                        Cited(text=st.statement.text, article=ref))})
                    self.settled_by.setdefault(q.id, []).append((status, st.statement.text))
                if status == QuestionStatus.ANSWERED:
                    break
        self.contradictions.extend(contradictions.find_contradictions(stored, self.statements))
        self.statements.extend(stored)


@cache
def _store() -> Store:
    store = Store()
    order = sorted(_seed_paths(), key=lambda s: (_seed(s).article.published or datetime.min, s))
    for seed in order:
        store.ingest(seed, _seed(seed))
    return store


def _find_raised(seed: str, text: str, ask: str | None) -> RaisedQuestion | None:
    for q in _seed(seed).questions:
        if _contains(q.text, text) and (ask is None or _contains(q.question, ask)):
            return q
    return None


# --- questions ----------------------------------------------------------------------------------


def test_questions_found_on_seeds() -> None:
    groups = _labels("questions.yaml")["questions"]
    required = [(g["id"], r) for g in groups if not g.get("optional") for r in g["raised_in"]]
    missed = [f"{gid}: {r['seed']} {r['text']!r}" for gid, r in required
              if _find_raised(r["seed"], r["text"], r.get("ask")) is None]
    score = 1 - len(missed) / len(required)
    _report("questions found", score, QUESTIONS_FOUND_FLOOR)
    assert score >= QUESTIONS_FOUND_FLOOR, missed


def test_questions_detected_are_labelled() -> None:
    groups = _labels("questions.yaml")["questions"]
    labelled = [(r["seed"], r["text"]) for g in groups for r in g["raised_in"]]
    detected = [(seed, q) for seed in _seed_paths() for q in _seed(seed).questions]
    stray = [f"{seed}: {q.question} <- {q.text[:80]}" for seed, q in detected
             if not any(s == seed and _contains(q.text, t) for s, t in labelled)]
    score = 1 - len(stray) / max(1, len(detected))
    _report("questions precision", score, QUESTIONS_PRECISION_FLOOR)
    assert score >= QUESTIONS_PRECISION_FLOOR, stray


def test_questions_merge_across_articles() -> None:
    store = _store()
    entries = []
    for g in _labels("questions.yaml")["questions"]:
        for r in g["raised_in"]:
            raised = _find_raised(r["seed"], r["text"], r.get("ask"))
            if raised is not None:
                entries.append((g["id"], store.raised_ids[(r["seed"], raised.sentence,
                                                           raised.key)]))
    pairs = list(itertools.combinations(entries, 2))
    wrong = [(a, b) for a, b in pairs if (a[0] == b[0]) != (a[1] == b[1])]
    score = 1 - len(wrong) / max(1, len(pairs))
    _report("questions merged", score, QUESTIONS_MERGED_FLOOR)
    assert score >= QUESTIONS_MERGED_FLOOR, wrong


def test_questions_settled_by_later_articles() -> None:
    store = _store()
    checked, wrong = 0, []
    for g in _labels("questions.yaml")["questions"]:
        if "status" not in g:
            continue
        first = g["raised_in"][0]
        raised = _find_raised(first["seed"], first["text"], first.get("ask"))
        checked += 1
        if raised is None:
            wrong.append(f"{g['id']}: not raised")
            continue
        q = store.questions[store.raised_ids[(first["seed"], raised.sentence, raised.key)]]
        ok = q.status.value == g["status"]
        answer = g.get("answered_by")
        if ok and answer:
            ok = any(store.seed_of_article[c.article.id] == answer["seed"]
                     and ("text" not in answer or _contains(c.text, answer["text"]))
                     for c in q.answered_by)
        if not ok:
            wrong.append(f"{g['id']}: {q.status.value} by "
                         f"{[c.text[:60] for c in q.answered_by]}")
    score = 1 - len(wrong) / max(1, checked)
    _report("questions settled", score, QUESTIONS_SETTLED_FLOOR)
    assert score >= QUESTIONS_SETTLED_FLOOR, wrong


def test_a_follow_up_story_settles_its_questions() -> None:
    labels = _labels("questions.yaml")["followup"]
    store = Store()
    names = {}
    for i, rel in enumerate(labels["articles"]):
        name = Path(rel).stem
        names[name] = str(100 + i)
        store.ingest(names[name], _processed(rel))
    wrong = []
    for lab in labels["questions"]:
        seed = names[lab["raised"]["article"]]
        raised = next((q for q in _processed(labels["articles"][int(seed) - 100]).questions
                       if _contains(q.text, lab["raised"]["text"])
                       and _contains(q.question, lab["raised"].get("ask", ""))), None)
        if raised is None:
            wrong.append(f"not raised: {lab['raised']['text']}")
            continue
        q = store.questions[store.raised_ids[(seed, raised.sentence, raised.key)]]
        by = {store.seed_of_article[c.article.id] for c in q.answered_by}
        if q.status.value != lab["status"] or names[lab["answered_by"]] not in by:
            wrong.append(f"{q.question}: {q.status.value} by {sorted(by)}")
    score = 1 - len(wrong) / len(labels["questions"])
    _report("follow-up questions settled", score, FOLLOWUP_SETTLED_FLOOR)
    assert score >= FOLLOWUP_SETTLED_FLOOR, wrong


# --- events -------------------------------------------------------------------------------------


def test_events_found_with_dates() -> None:
    labels = _labels("events.yaml")["events"]
    found, exact, missed = 0, 0, []
    for lab in labels:
        events = [e for e in _seed(lab["seed"]).events if _contains(e.summary, lab["text"])]
        close = [e for e in events if abs((e.date - lab["date"]).days) <= APPROXIMATE_DAYS]
        if close:
            found += 1
            exact += any(e.date == lab["date"] for e in close)
        else:
            missed.append(f"{lab['seed']} {lab['text']!r}: {[str(e.date) for e in events]}")
    _report("events found", found / len(labels), EVENTS_FOUND_FLOOR)
    _report("events exact day", exact / len(labels), EVENTS_EXACT_FLOOR)
    assert found / len(labels) >= EVENTS_FOUND_FLOOR, missed
    assert exact / len(labels) >= EVENTS_EXACT_FLOOR


def test_events_found_are_labelled_developments() -> None:
    labels = _labels("events.yaml")["events"]
    found = [(seed, e) for seed in _seed_paths() for e in _seed(seed).events]
    stray = [f"{seed} {e.date}: {e.summary[:80]}" for seed, e in found
             if not any(lab["seed"] == seed and _contains(e.summary, lab["text"])
                        for lab in labels)]
    score = 1 - len(stray) / max(1, len(found))
    _report("events precision", score, EVENTS_PRECISION_FLOOR)
    assert score >= EVENTS_PRECISION_FLOOR, stray


def test_background_and_quoted_days_are_not_events() -> None:
    labels = _labels("events.yaml")["not_events"]
    wrong = [lab["text"] for lab in labels
             if any(_contains(e.summary, lab["text"]) for e in _seed(lab["seed"]).events)]
    score = 1 - len(wrong) / len(labels)
    _report("events rejected", score, EVENTS_REJECTED_FLOOR)
    assert score >= EVENTS_REJECTED_FLOOR, wrong


# --- contradictions -----------------------------------------------------------------------------


def _statement_ids(seed: str, text: str) -> set[int]:
    return {s.id for s in _store().statements
            if _store().seed_of_article[s.article.id] == seed and _contains(s.statement.text, text)}


def _flagged(a: set[int], b: set[int]) -> bool:
    return any({c.first, c.second} == {x, y} for c in _store().contradictions
               for x in a for y in b)


def test_contradictions_found() -> None:
    labels = _labels("contradictions.yaml")["contradictions"]
    reachable, found = 0, 0
    for lab in labels:
        a = _statement_ids(lab["a"]["seed"], lab["a"]["text"])
        b = _statement_ids(lab["b"]["seed"], lab["b"]["text"])
        if not a or not b:
            continue  # the statement stage did not make a statement of one of the sentences
        reachable += 1
        found += _flagged(a, b)
    print(f"GATE contradictions reachable (statements exist): {reachable}/{len(labels)}")
    score = found / reachable if reachable else 1.0
    _report("contradictions found", score, CONTRADICTIONS_FOUND_FLOOR)
    assert score >= CONTRADICTIONS_FOUND_FLOOR


def test_contradictions_not_flagged_wrongly() -> None:
    labels = _labels("contradictions.yaml")["not_contradictions"]
    wrong = [lab["why"] for lab in labels
             if _flagged(_statement_ids(lab["a"]["seed"], lab["a"]["text"]),
                         _statement_ids(lab["b"]["seed"], lab["b"]["text"]))]
    score = 1 - len(wrong) / len(labels)
    _report("contradictions rejected", score, CONTRADICTIONS_REJECTED_FLOOR)
    print(f"GATE contradictions flagged over the seeds: {len(_store().contradictions)}")
    assert score >= CONTRADICTIONS_REJECTED_FLOOR, wrong


# --- stories ------------------------------------------------------------------------------------


def test_wire_copies_and_same_story_pairs() -> None:
    labels = _labels("stories.yaml")["pairs"]
    right, wrong = 0, []
    for lab in labels:
        a, b = _processed(lab["a"]), _processed(lab["b"])
        wire = stories.similarity(a.fingerprint, b.fingerprint) >= stories.WIRE_COPY
        same = stories.same_story(a.fingerprint, b.fingerprint, a_events=a.events,
                                  b_events=b.events)
        if wire == lab["wire_copy"] and same == lab["same_story"]:
            right += 1
        else:
            wrong.append(f"{lab['a']} {lab['b']}: wire={wire} same={same}")
    score = right / len(labels)
    _report("stories", score, STORIES_FLOOR)
    assert score >= STORIES_FLOOR, wrong


def test_wire_copies_share_an_lsh_band_and_strangers_do_not() -> None:
    labels = _labels("stories.yaml")["pairs"]
    for lab in labels:
        a, b = _processed(lab["a"]), _processed(lab["b"])
        shared = set(stories.lsh_bands(a.fingerprint)) & set(stories.lsh_bands(b.fingerprint))
        if lab["wire_copy"]:
            assert shared, (lab["a"], lab["b"])
        elif not lab["same_story"]:
            assert not shared, (lab["a"], lab["b"])


@pytest.fixture(scope="session", autouse=True)
def _print_scores() -> Any:
    yield
    if SCORES:
        print("\nGATE SUMMARY " + ", ".join(f"{k}={v:.2f}" for k, v in SCORES.items()))
