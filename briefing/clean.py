"""Cleans article text of page noise and canonicalises its URL."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from briefing.models import ArticleInput, CleanArticle

# Query parameters that only track a click; stripping them makes one article one URL.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid", "igshid",
    "yclid", "_ga", "_gl", "ref", "ref_src", "ref_url", "cmpid", "ito", "smid", "spm",
    "utm_id", "share", "at_medium", "at_campaign", "ocid", "taid", "guccounter",
})


def canonical_url(url: str | None) -> str | None:
    """The URL without tracking parameters, fragment, default port or trailing slash noise."""
    if not url:
        return None
    url = url.strip()
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return url
    host = (parts.hostname or "").lower()
    if parts.port and not ((parts.scheme == "http" and parts.port == 80)
                           or (parts.scheme == "https" and parts.port == 443)):
        host = f"{host}:{parts.port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith("utm_") and k.lower() not in TRACKING_PARAMS]
    path = parts.path or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), host, path, urlencode(sorted(query)), ""))


def content_hash(text: str) -> str:
    """A hash of the text that ignores whitespace and case, so re-saved copies match."""
    norm = re.sub(r"\s+", " ", text).strip().lower()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def clean_article(doc: ArticleInput) -> CleanArticle:
    text = doc.text.strip()
    return CleanArticle(
        text=text, title=doc.title, url=canonical_url(doc.url), path=doc.path,
        outlet=doc.outlet, author=doc.author, published=doc.published,
        published_inferred=doc.published_inferred, content_hash=content_hash(text),
    )
