"""A faulty process_article for the batch tests; its own module, so that worker processes can
import it by name (tests run in pytest's importlib mode, which puts no test folder on the path)."""

from __future__ import annotations

from briefing.actors import ActorRegistry
from briefing.models import ArticleInput, ProcessedArticle
from briefing.pipeline import process_article


def explode_on_sanctions(doc: ArticleInput, *, registry: ActorRegistry) -> ProcessedArticle:
    """process_article, except that it raises on the sanctions article."""
    if (doc.url or "").endswith("/sanctions-package.html"):
        raise RuntimeError("a bug on this one article")
    return process_article(doc, registry=registry)
