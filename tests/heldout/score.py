"""Scores the engine on the held-out articles: quotes with speakers, stance evidence, questions."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from briefing import clean, mentions, sentences
from briefing.actors import ActorRegistry
from briefing.models import ArticleInput, ProcessedArticle
from briefing.pipeline import process_article
from briefing.quotes import find_quote_spans, find_quotes

HERE = Path(__file__).resolve().parent
ARTICLES = HERE / "articles"
LABELS = HERE / "labels.yaml"


def _norm(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").split()).lower()


def _published(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    return None


@dataclass
class Score:
    """Counts over one split: quotes at the quote stage and as statements, and questions."""

    gold_quotes: int = 0
    quote_hits: int = 0  # gold (quote, speaker) pairs found by find_quotes
    quote_claims: int = 0  # find_quotes results with a named speaker
    quote_right: int = 0  # ... whose speaker is right
    st_hits: int = 0  # gold pairs found among the statements
    st_claims: int = 0
    st_right: int = 0
    gold_questions: int = 0
    question_hits: int = 0
    raised: int = 0  # sentences the engine raised a question in
    raised_right: int = 0
    gold_stances: int = 0  # an actor's clear positions on a topic, labelled by hand
    stance_found: int = 0  # ... with a statement from that sentence held by the actor on the topic
    stance_right: int = 0  # ... whose stance on the topic is the expected label
    misses: list[str] = field(default_factory=list)

    def ratio(self, a: int, b: int) -> float:
        return a / b if b else 1.0

    @property
    def quote_recall(self) -> float:
        return self.ratio(self.quote_hits, self.gold_quotes)

    @property
    def quote_precision(self) -> float:
        return self.ratio(self.quote_right, self.quote_claims)

    @property
    def statement_recall(self) -> float:
        return self.ratio(self.st_hits, self.gold_quotes)

    @property
    def statement_precision(self) -> float:
        return self.ratio(self.st_right, self.st_claims)

    @property
    def question_recall(self) -> float:
        return self.ratio(self.question_hits, self.gold_questions)

    @property
    def question_precision(self) -> float:
        return self.ratio(self.raised_right, self.raised)

    @property
    def stance_found_rate(self) -> float:
        return self.ratio(self.stance_found, self.gold_stances)

    @property
    def stance_label_rate(self) -> float:
        """Right labels over all clear positions (a position not found counts as wrong)."""
        return self.ratio(self.stance_right, self.gold_stances)

    def line(self) -> str:
        return (f"quotes P {self.quote_precision:.2f} R {self.quote_recall:.2f} "
                f"({self.quote_right}/{self.quote_claims}, {self.quote_hits}/{self.gold_quotes}); "
                f"statements P {self.statement_precision:.2f} R {self.statement_recall:.2f}; "
                f"questions R {self.question_recall:.2f} ({self.question_hits}/"
                f"{self.gold_questions}) P {self.question_precision:.2f} "
                f"({self.raised_right}/{self.raised}); "
                f"stances found {self.stance_found_rate:.2f} labelled "
                f"{self.stance_label_rate:.2f} ({self.stance_found}, {self.stance_right} "
                f"of {self.gold_stances})")


def _passages(text: str, gold: list[dict[str, Any]], found: list[str]) -> list[str]:
    """The whole quoted passage around each gold snippet (a statement cuts it by sentence)."""
    spans = [_norm(text[s:e]) for s, e in find_quote_spans(text)] + [_norm(t) for t in found]
    return [next((p for p in spans if _norm(g["quote"]) in p), _norm(g["quote"])) for g in gold]


def _judge(found: list[tuple[str, str | None]], gold: list[dict[str, Any]], ignore: list[str],
           where: str, misses: list[str], tag: str, passages: list[str]) -> tuple[int, int, int]:
    """(gold pairs found, results with a named speaker, of those right)."""
    hits = 0
    for g in gold:
        if g["speaker"] is None:
            continue
        speakers = [s for t, s in found if _norm(g["quote"]) in _norm(t)]
        if speakers and speakers[0] == g["speaker"]:
            hits += 1
        else:
            misses.append(f"{where} [{tag} miss] {g['quote']!r}: want {g['speaker']}, "
                          f"got {speakers}")
    claims = right = 0
    for text, speaker in found:
        if speaker is None:
            continue
        inside = [g for g, p in zip(gold, passages, strict=True)
                  if _norm(g["quote"]) in _norm(text) or _norm(text) in p]
        if not inside and any(_norm(i) in _norm(text) for i in ignore):
            continue
        claims += 1
        if any(g["speaker"] == speaker for g in inside):
            right += 1
        else:
            misses.append(f"{where} [{tag} wrong] {text[:60]!r} -> {speaker}")
    return hits, claims, right


def _judge_stances(pa: ProcessedArticle, gold: list[dict[str, str]], registry: ActorRegistry,
                   where: str, out: Score) -> None:
    """Each clear position: found when a statement from the sentence holding the snippet has the
    actor (or one who speaks for it) as holder and the topic; right when its label matches."""
    for g in gold:
        ids = registry.expand(g["actor"]) if registry.get(g["actor"]) else {g["actor"]}
        stances = [ts.stance.value for st in pa.statements
                   if _norm(g["evidence"]) in _norm(st.text) and st.holder in ids
                   for ts in st.topics if ts.topic == g["topic"]]
        out.gold_stances += 1
        out.stance_found += bool(stances)
        out.stance_right += g["label"] in stances[:1]
        if stances[:1] != [g["label"]]:
            got = [(st.holder, [(t.topic, t.stance.value) for t in st.topics]) for st in
                   pa.statements if _norm(g["evidence"]) in _norm(st.text)]
            out.misses.append(
                f"{where} [stance {'wrong' if stances else 'miss'}] {g['actor']}/{g['topic']} "
                f"want {g['label']}: {g['evidence'][:50]!r}; got {got}")


def score(split: str) -> Score:
    labels: dict[str, dict[str, Any]] = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    registry = ActorRegistry()
    out = Score()
    for name, lab in sorted(labels.items()):
        if lab.get("split", "tuned") != split:
            continue
        post = frontmatter.load(ARTICLES / name)
        doc = ArticleInput(text=post.content, title=post.get("title"),
                           outlet=post.get("outlet"), published=_published(post.get("published")),
                           path=name)
        pa = process_article(doc, registry=registry)
        # the quote stage on its own, as the pipeline runs it
        art = clean.clean_article(doc)
        sents = sentences.split_sentences(art.text)
        found_m = mentions.find_mentions(art, sents, registry=registry)
        quotes = find_quotes(art.text, sents, found_m.mentions, registry=found_m.registry)
        gold = lab.get("quotes") or []
        ignore = lab.get("ignore") or []
        passages = _passages(art.text, gold, [q.text for q in quotes])
        out.gold_quotes += sum(1 for g in gold if g["speaker"] is not None)
        h, c, r = _judge([(q.text, q.speaker) for q in quotes], gold, ignore, name, out.misses,
                         "quote", passages)
        out.quote_hits, out.quote_claims, out.quote_right = (
            out.quote_hits + h, out.quote_claims + c, out.quote_right + r)
        h, c, r = _judge([(st.quote, st.speaker) for st in pa.statements if st.quote], gold,
                         ignore, name, out.misses, "statement", passages)
        out.st_hits, out.st_claims, out.st_right = (
            out.st_hits + h, out.st_claims + c, out.st_right + r)
        wanted = lab.get("questions") or []
        optional = lab.get("optional_questions") or []
        raised_texts = list(dict.fromkeys(q.text for q in pa.questions))
        out.gold_questions += len(wanted)
        for w in wanted:
            if any(_norm(w) in _norm(t) for t in raised_texts):
                out.question_hits += 1
            else:
                out.misses.append(f"{name} [question miss] {w!r}")
        for t in raised_texts:
            out.raised += 1
            if any(_norm(w) in _norm(t) for w in (*wanted, *optional)):
                out.raised_right += 1
            else:
                out.misses.append(f"{name} [question extra] {t[:90]!r}")
        _judge_stances(pa, lab.get("stances") or [], found_m.registry, name, out)
    return out


if __name__ == "__main__":
    for which in sys.argv[1:] or ["tuned"]:
        s = score(which)
        print(which, s.line())
        for miss in s.misses:
            print("  ", miss)
