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
    norm = " ".join(text.split()).lower()  # the same as collapsing \s+, several times faster
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


# Lines that are page furniture, not article text (matched on the whole stripped line).
_NOISE_LINE = re.compile(
    r"^(?:\d+\s*(?:shares?|comments?|views?)|share(?: this(?: article)?)?|tweet|email|print|"
    r"advertisement|sponsored|subscribe(?: now)?|sign up.*newsletter.*|follow us on .{0,40}|"
    r"click here.{0,60}|share on (?:facebook|twitter|x|whatsapp|telegram)|"
    r"your email address will not be published\.?.*|required fields are marked.*|"
    r"save my name, email,.*|(?:photo|image|video)(?: credit)?:.{0,120}|getty images|"
    r"(?:contributing|additional reporting|reporting by|editing by|writing by)\b.{0,160}|"
    r"[-\u2022*\u00b7]\s*[\w&'\u2019]+(?:\s+[\w&'\u2019]+){0,2})$",
    re.IGNORECASE)
# A line that opens the comments section: nothing after it is article text.
_TAIL_START = re.compile(
    r"^(?:leave a (?:reply|comment)|add a comment|post a comment|comments?(?: \(\d+\))?|"
    r"\d+ comments?|join the (?:conversation|discussion)|related (?:articles|stories|posts)|"
    r"more from .{1,40}|you may also like|recommended(?: for you)?)\s*:?$",
    re.IGNORECASE)
# "Read also:" and its kin: the line itself and the related headline(s) right after it.
_RELATED = re.compile(r"^(?:read|see) (?:also|more)|^also read|^related\s*:|^more\s*:",
                      re.IGNORECASE)
_ABOUT_AUTHOR = re.compile(
    r"^(?:about the author\b|the editorial (?:staff|board|team) does not (?:always )?share|"
    r"the (?:views|opinions) expressed (?:in this|here|by)|"
    r"this (?:article|column) (?:reflects|represents) the (?:views|opinion))",
    re.IGNORECASE)
_BYLINE = re.compile(r"^[Bb]y\s+([A-Z][\w.'\u2019-]+(?:\s+[A-Z][\w.'\u2019-]+){1,3})\s*$")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|<img\b[^>]*>|\[!\[[^\]]*\]\([^)]*\)\]\([^)]*\)",
                    re.IGNORECASE)
_HTML_TAG = re.compile(r"</?(?:p|div|span|br|figure|figcaption|a|em|strong|b|i)\b[^>]*>",
                       re.IGNORECASE)
# A byline sits above the text, after at most a headline and a standfirst.
BYLINE_MAX_LINE = 2
# Page furniture (share bars, comment prompts, about-the-author lines, credits) is shorter than
# this; a longer line that ends a sentence is article prose and skips those checks.
PROSE_MIN_CHARS = 300
_SPACE_RUN = re.compile(r"[ \t\u00a0]{2,}|[\t\u00a0]")
# A headline: short and without a closing full stop. 20 words covers news headlines
# (typically 6-14 words) while leaving out short opening sentences that end in a stop.
HEADLINE_MAX_WORDS = 20
# A related-link line after "Read also" is a headline, not a paragraph of prose.
RELATED_MAX_CHARS = 160


_CLOSING_MARKS = ".!:;,\u2026"
_SENTENCE_END = re.compile(r"[.!?][\"\u201d\u2019]?$")


def looks_like_headline(line: str) -> bool:
    line = line.strip()
    # the cheap tests first: most lines of prose end in a closing mark
    return (line[-1:] not in _CLOSING_MARKS and line[:1].isupper()
            and not line.endswith(("\u201d", '"'))
            and 0 < len(line.split()) <= HEADLINE_MAX_WORDS)


def _is_related_link(line: str) -> bool:
    return len(line) <= RELATED_MAX_CHARS and not _SENTENCE_END.search(line)


def _clean_lines(text: str) -> tuple[list[str], list[str], str | None]:
    """Kept paragraphs, about-the-author lines, and a byline name if one was found."""
    kept: list[str] = []
    about: list[str] = []
    byline: str | None = None
    skipping_related = False
    for raw in text.splitlines():
        line = _HTML_TAG.sub("", _IMAGE.sub("", raw)) if ("![" in raw or "<" in raw) else raw
        if "  " in line or "\t" in line or "\u00a0" in line:  # what _SPACE_RUN can match
            line = _SPACE_RUN.sub(" ", line)
        line = line.strip()
        if not line:
            skipping_related = False  # a blank line ends a related-links list
            continue
        if len(line) > PROSE_MIN_CHARS and line[-1] in ".!?\"\u201d\u2019":
            kept.append(line)  # a paragraph of prose: none of the furniture below is this long
            skipping_related = False
            continue
        if skipping_related and _is_related_link(line):
            continue
        skipping_related = False
        if _TAIL_START.match(line):
            break
        if _RELATED.match(line):
            skipping_related = True
            continue
        if _ABOUT_AUTHOR.match(line):
            about.append(re.sub(r"^about the author[.:]?\s*", "", line, flags=re.IGNORECASE))
            continue
        if _NOISE_LINE.match(line):
            continue
        m = _BYLINE.match(line)
        if m and len(kept) <= BYLINE_MAX_LINE and byline is None:
            byline = m.group(1)
            continue
        kept.append(line)
    return kept, about, byline


def clean_article(doc: ArticleInput) -> CleanArticle:
    """The article with page noise removed and one paragraph per line, blank-line separated.

    A first paragraph that is the title, or that looks like a headline when no title was given,
    becomes the title and leaves the text: a headline is not a statement anyone made.
    """
    paragraphs, about, byline = _clean_lines(doc.text)
    title = doc.title.strip() if doc.title else None
    if paragraphs:
        first = paragraphs[0]
        if title and _same_words(first, title):
            paragraphs = paragraphs[1:]
        elif title is None and len(paragraphs) > 1 and looks_like_headline(first):
            title = first
            paragraphs = paragraphs[1:]
    text = "\n\n".join(paragraphs)
    return CleanArticle(
        text=text, title=title, url=canonical_url(doc.url), path=doc.path,
        outlet=doc.outlet, author=doc.author or byline, published=doc.published,
        published_inferred=doc.published_inferred, content_hash=content_hash(text),
        about_author=" ".join(about) or None,
    )


def _same_words(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return re.sub(r"[^\w]+", " ", s.lower().replace("\u2019", "'")).strip()
    return norm(a) == norm(b)
