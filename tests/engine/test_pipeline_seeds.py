"""The whole pipeline over the seed articles: noise gone, offsets right, known facts found."""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import frontmatter
import pytest
from pydantic import BaseModel

from briefing.actors import ActorRegistry
from briefing.models import ArticleInput, Attribution, ProcessedArticle, StatementKind
from briefing.pipeline import process_article

ROOT = Path(__file__).resolve().parent.parent.parent
SEEDS = sorted((ROOT / "seeds").glob("[0-9]*.txt"))
MY_MODULES = ("clean", "sentences", "actors", "mentions", "quotes", "stance", "topics",
              "pipeline")


def _published(value: Any) -> datetime | None:
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    return None


@cache
def processed(name: str) -> ProcessedArticle:
    path = next(p for p in SEEDS if p.name.startswith(name))
    post = frontmatter.load(path)
    doc = ArticleInput(text=post.content, title=post.get("title"), outlet=post.get("outlet"),
                       author=post.get("author"), published=_published(post.get("published")),
                       path=str(path))
    return process_article(doc, registry=ActorRegistry())


@pytest.mark.parametrize("name", [p.name[:3] for p in SEEDS])
def test_offsets_and_noise(name: str) -> None:
    pa = processed(name)
    text = pa.article.text
    for s in pa.sentences:
        assert text[s.start:s.end] == s.text
    for m in pa.mentions:
        assert text[m.start:m.end] == m.text
        assert pa.sentences[m.sentence].start <= m.start < pa.sentences[m.sentence].end
    for noise in ("![](", "0Shares", "Read also", "Leave a Reply", "Add a comment",
                  "Your email address", "About the author", "- News"):
        assert noise not in text
    known = {a.id for a in pa.actors}
    assert {m.actor_id for m in pa.mentions} <= known
    for st in pa.statements:
        assert st.text == pa.sentences[st.sentence].text


def test_about_the_author_is_metadata() -> None:
    pa = processed("001")
    assert pa.article.about_author and "Portnikov" in pa.article.about_author


def test_trump_is_president_elect_in_november_2024() -> None:
    pa = processed("002")
    assert pa.statements[0].kind is StatementKind.MEDIA_REPORT
    assert pa.statements[0].speaker == "washington-post"
    assert "The Washington Post" in (pa.statements[0].speaker_label or "")


def test_slutsky_and_viser_are_discovered_or_known() -> None:
    ids = {a.id for a in processed("003").actors} | {a.id for a in processed("004").actors}
    assert "slutsky" in ids
    assert "matt-viser" in ids


def test_kremlin_readout_speaks_for_putin() -> None:
    st = next(s for s in processed("004").statements if "official Kremlin readout" in s.text)
    assert st.speaker == "kremlin" and st.holder == "putin"
    assert st.attribution is Attribution.ON_RECORD


def test_engine_modules_import_no_outer_layers() -> None:
    for name in MY_MODULES:
        tree = ast.parse((ROOT / "briefing" / f"{name}.py").read_text(encoding="utf-8"))
        doc = ast.get_docstring(tree)
        assert doc and "\n" not in doc.strip(), name
        for node in ast.walk(tree):
            mods = ([a.name for a in node.names] if isinstance(node, ast.Import)
                    else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for mod in mods:
                assert not mod.startswith(("slack", "sqlalchemy", "sqlmodel", "apscheduler",
                                           "storage", "bot")), (name, mod)


def _same_record(built: BaseModel, validated: BaseModel) -> bool:
    """Equal values of the same types, and the same fields set."""
    return (built == validated
            and [type(v) for v in built.__dict__.values()]
            == [type(v) for v in validated.__dict__.values()]
            and built.model_fields_set == validated.model_fields_set)


@pytest.mark.parametrize("name", [p.name[:3] for p in SEEDS])
def test_records_built_without_validation_are_what_validation_gives(name: str) -> None:
    # sentences, mentions and statements are built without pydantic's validation for speed
    out = processed(name)
    records: list[BaseModel] = [*out.sentences, *out.mentions, *out.statements]
    for st in out.statements:
        records.extend(st.topics)
    for record in records:
        fields = {k: getattr(record, k) for k in record.model_fields_set}
        assert _same_record(record, type(record)(**fields)), record
