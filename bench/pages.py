"""News article pages as outlets serve them, made from generated articles (bench/corpus.py).

The web benchmark compares end-to-end ingestion with trafilatura's extraction alone; on a bare
4 KB page extraction costs ~3 ms and the comparison says little. A real article page carries the
article (~5 KB of text) inside 60-150 KB of page: metadata and structured data in the head,
navigation menus, a header, share buttons, a "Read also" list, newsletter and comment blocks,
related stories, a long footer, scripts and styles. Those are what extraction works through, and
the engine must never see. Every word here is written for the purpose.
"""

from __future__ import annotations

import json
import random
from html import escape

from briefing.models import ArticleInput

SECTIONS = ("World", "Europe", "Ukraine war", "Diplomacy", "Politics", "Business", "Energy",
            "Defence", "Opinion", "Analysis", "Video", "Podcasts", "Newsletters", "Weather",
            "Sport", "Culture", "Science", "Climate", "Technology", "Travel")
TEASERS = ("Markets steady as investors weigh new energy figures",
           "Rail strike called off after overnight talks",
           "Five things to know before the summit opens",
           "Storm warning issued for the northern coast",
           "Museum reopens its restored east wing to visitors",
           "Central bank holds rates, signals caution",
           "Opinion: the long road from ceasefire to settlement",
           "Explainer: how sanctions packages are agreed",
           "Farmers protest over grain import rules",
           "Photos: a week on the front line in pictures",
           "Podcast: what the talks mean for the region",
           "Live: reactions from capitals as the meeting ends")
COMMENTERS = ("harbourwatcher", "m.kowalski", "northern_light", "e.varga", "quietreader",
              "old_diplomat", "tram_22", "j.lindgren")
COMMENTS = ("Another round of talks and nothing will change on the ground.",
            "Good summary, thanks. Would like more on the energy side of this.",
            "The headline oversells it; the article itself is more careful.",
            "Who is actually paying for all of this in the end?",
            "I remember the same promises last spring. We will see.")


# The page's size in KB, from the lightest to the heaviest chrome (test_pages.py holds it), and
# the weights of the chrome that give it: a weight of 1 makes a page of about 56 KB.
PAGE_KB = (60, 150)
WEIGHTS = (1.12, 2.95)


def _links(rng: random.Random, count: int, prefix: str) -> str:
    return "\n".join(
        f'<li class="nav-item"><a href="/{prefix}/{rng.randrange(10**6)}" '
        f'data-track="{prefix}-{i}">{escape(rng.choice(SECTIONS + TEASERS))}</a></li>'
        for i in range(count))


def _script(rng: random.Random) -> str:
    config = {"site": "bench", "ads": [{"slot": f"slot-{i}", "sizes": [[300, 250], [728, 90]],
                                        "targeting": {"section": rng.choice(SECTIONS)}}
                                       for i in range(12)],
              "consent": {"vendors": list(range(120))}}
    return f"<script>window.__CONFIG__ = {json.dumps(config)};</script>"


def article_page(doc: ArticleInput, *, seed: int = 0) -> bytes:
    """An HTML page holding `doc` the way an outlet's article page does: the page's chrome
    (menus, styles, comments, related stories, footer) grows with a weight drawn from `seed`,
    so pages spread over PAGE_KB rather than all weighing the same."""
    rng = random.Random(seed)
    weight = rng.uniform(*WEIGHTS)

    def some(count: int) -> int:
        return round(count * weight)
    published = doc.published.isoformat() if doc.published else ""
    title = escape(doc.title or "")
    paragraphs = [p for p in doc.text.split("\n") if p.strip()]
    body: list[str] = []
    for i, para in enumerate(paragraphs):
        body.append(f"<p>{escape(para)}</p>")
        if i == 2:
            body.append('<aside class="read-also"><h4>Read also</h4><ul>'
                        + _links(rng, 3, "story") + "</ul></aside>")
        if i == 5:
            body.append('<figure class="inline-ad"><div class="ad" data-slot="mid"></div>'
                        '<figcaption>Advertisement</figcaption></figure>')
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                     "headline": doc.title, "datePublished": published,
                     "author": {"@type": "Person", "name": doc.author or "Staff"},
                     "publisher": {"@type": "Organization", "name": doc.outlet or "Bench"}})
    comments = "\n".join(
        f'<li class="comment"><span class="who">{rng.choice(COMMENTERS)}</span>'
        f'<p>{escape(rng.choice(COMMENTS))}</p><button>Reply</button> '
        f'<button>{rng.randrange(40)} likes</button></li>' for _ in range(some(8)))
    styles = "\n".join(f".c{i}{{margin:{i % 7}px;padding:{i % 5}px;color:#{i:06x}}}"
                       for i in range(some(600)))
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | {escape(doc.outlet or "Bench")}</title>
<meta name="description" content="{title}">
<meta property="og:title" content="{title}"><meta property="og:type" content="article">
<meta property="article:published_time" content="{published}">
<meta name="author" content="{escape(doc.author or "Staff")}">
<link rel="canonical" href="{escape(doc.url or "")}">
<script type="application/ld+json">{ld}</script>
<style>{styles}</style>
{_script(rng)}
</head><body>
<header class="site-header"><a class="logo" href="/">{escape(doc.outlet or "Bench")}</a>
<nav class="main-nav"><ul>{_links(rng, some(60), "section")}</ul></nav>
<form class="search"><input name="q" placeholder="Search"><button>Go</button></form>
<div class="ticker"><ul>{_links(rng, some(12), "live")}</ul></div></header>
<main><article class="story">
<div class="breadcrumbs"><a href="/">Home</a> / <a href="/world">World</a></div>
<h1>{title}</h1>
<div class="byline">By <span class="author">{escape(doc.author or "Staff")}</span>
<time datetime="{published}">{published[:10]}</time></div>
<div class="share"><a href="#">Share</a> <a href="#">Post</a> <a href="#">Email</a>
<span class="count">{rng.randrange(5000)} shares</span></div>
<div class="story-body">
{"".join(body)}
</div>
<div class="newsletter"><h3>Get the morning briefing</h3><p>Sign up for our daily email with
the stories that matter.</p><form><input type="email"><button>Subscribe</button></form></div>
<section class="comments"><h3>Comments ({rng.randrange(300)})</h3><ul>{comments}</ul>
<p>Leave a reply. Your email address will not be published.</p></section>
</article>
<aside class="related"><h3>More from World</h3><ul>{_links(rng, some(24), "related")}</ul></aside>
<aside class="most-read"><h3>Most read</h3><ol>{_links(rng, some(10), "popular")}</ol></aside>
</main>
<footer><nav><ul>{_links(rng, some(80), "footer")}</ul></nav>
<p>Copyright. All rights reserved. Terms, privacy and cookie settings.</p></footer>
{_script(rng)}
</body></html>"""
    return page.encode("utf-8")
