"""Builds the HTML and feed fixtures in tests/web/fixtures from the story texts; run by hand."""

from __future__ import annotations

import html
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path

HERE = Path(__file__).parent / "fixtures"
STORIES = HERE / "stories"
OUTLET = "The Meridian Post"
BASE = "{base}"  # replaced by the test server with http://host:port

NAV = """<header class="site-header">
  <a class="logo" href="/">The Meridian Post</a>
  <nav><ul>
    <li><a href="/world">World</a></li><li><a href="/europe">Europe</a></li>
    <li><a href="/business">Business</a></li><li><a href="/opinion">Opinion</a></li>
    <li><a href="/subscribe">Subscribe</a></li><li><a href="/login">Sign in</a></li>
  </ul></nav>
</header>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept all</button>
  <button>Manage preferences</button></div>"""

FOOTER = """<aside class="related"><h2>Read also</h2><ul>
  <li><a href="/world/2025/03/09/winter-grid">How the grid survived the winter</a></li>
  <li><a href="/europe/2025/03/08/summit-preview">What to expect from the EU summit</a></li>
  <li><a href="/world/2025/03/07/front-line-map">Front line map, updated daily</a></li>
</ul></aside>
<div class="share">Share: <a href="#">Facebook</a> <a href="#">X</a> <a href="#">Email</a>
  <span class="count">1.2k shares</span></div>
<section class="comments-prompt"><p>Join the conversation: 87 comments</p></section>
<footer class="site-footer"><p>&copy; 2025 The Meridian Post. All rights reserved.</p>
  <p><a href="/about">About us</a> | <a href="/privacy">Privacy</a> | <a href="/terms">Terms</a>
  | <a href="/contact">Contact</a></p></footer>"""


def load(slug: str) -> dict[str, str]:
    head, body = (STORIES / f"{slug}.txt").read_text().split("\n\n", 1)
    meta = dict(line.split(": ", 1) for line in head.splitlines())
    meta["paragraphs"] = body.strip()
    return meta


def paragraphs_html(story: dict[str, str]) -> str:
    return "\n".join(f"<p>{html.escape(p)}</p>" for p in story["paragraphs"].split("\n\n"))


def article_page(story: dict[str, str], *, hide_date: bool, feed_link: bool) -> str:
    title = html.escape(story["title"])
    meta = [f'<meta property="og:title" content="{title}">',
            '<meta property="og:type" content="article">',
            f'<meta property="og:site_name" content="{OUTLET}">',
            f'<meta name="author" content="{story["author"]}">']
    byline = f'By <a rel="author" href="/staff">{story["author"]}</a>'
    if hide_date:
        # No date in the markup: only the dateline sentence carries it.
        day = datetime.fromisoformat(story["published"])
        dateline = f'<p class="place">Brussels, {day.day} {day:%B %Y}</p>'
    else:
        meta.append(f'<meta property="article:published_time" content="{story["published"]}">')
        dateline = (f'<p class="byline-time"><time datetime="{story["published"]}">'
                    f'{story["published"][:10]}</time></p>')
    if feed_link:
        meta.append(f'<link rel="alternate" type="application/rss+xml" title="{OUTLET}" '
                    f'href="{BASE}/feeds/summary.xml">')
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} | {OUTLET}</title>
{chr(10).join(meta)}
<script>window.analytics = {{page: "article"}};</script>
</head>
<body>
{NAV}
<main>
<article>
<h1>{title}</h1>
<p class="byline">{byline}</p>
{dateline}
<figure><img src="/img/{story["slug"]}.jpg" alt=""><figcaption>Photo: Reuters</figcaption></figure>
<div class="article-body">
{paragraphs_html(story)}
</div>
</article>
</main>
{FOOTER}
</body>
</html>
"""


def site_page(stories: list[dict[str, str]]) -> str:
    teasers = "\n".join(
        f'<li><a href="{BASE}/articles/{s["slug"]}.html">{html.escape(s["title"])}</a></li>'
        for s in stories)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{OUTLET}: news from Europe and the world</title>
<meta property="og:type" content="website">
<meta property="og:site_name" content="{OUTLET}">
<link rel="alternate" type="application/rss+xml" title="{OUTLET} comments"
      href="{BASE}/comments/feed.xml">
<link rel="alternate" type="application/rss+xml" title="{OUTLET}" href="/feeds/summary.xml">
</head>
<body>
{NAV}
<main><h1>Latest</h1><ul class="teasers">
{teasers}
</ul></main>
{FOOTER}
</body>
</html>
"""


def rfc822(value: str) -> str:
    return format_datetime(datetime.fromisoformat(value))


def summary_of(story: dict[str, str]) -> str:
    return story["paragraphs"].split("\n\n", 1)[0].split(". ")[0] + "."


def rss2(stories: list[dict[str, str]], *, full: bool, dated: set[str] | None = None,
         links: dict[str, str] | None = None) -> str:
    items = []
    for s in stories:
        link = (links or {}).get(s["slug"], f"{BASE}/articles/{s['slug']}.html")
        pub = ""
        if dated is None or s["slug"] in dated:
            pub = f"<pubDate>{rfc822(s['published'])}</pubDate>"
        content = ""
        if full:
            content = f"<content:encoded><![CDATA[{paragraphs_html(s)}]]></content:encoded>"
        items.append(f"""  <item>
    <title>{html.escape(s["title"])}</title>
    <link>{link}</link>
    <guid isPermaLink="false">meridian-{s["slug"]}</guid>
    <dc:creator>{s["author"]}</dc:creator>
    {pub}
    <description>{html.escape(summary_of(s))}</description>
    {content}
  </item>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>{OUTLET}</title>
  <link>{BASE}/</link>
  <description>News from Europe and the world</description>
  <language>en</language>
{chr(10).join(items)}
</channel>
</rss>
"""


def atom(stories: list[dict[str, str]], *, full_slugs: set[str]) -> str:
    entries = []
    for s in stories:
        body = (f'<content type="html">{html.escape(paragraphs_html(s))}</content>'
                if s["slug"] in full_slugs else
                f"<summary>{html.escape(summary_of(s))}</summary>")
        entries.append(f"""  <entry>
    <title>{html.escape(s["title"])}</title>
    <link rel="alternate" href="{BASE}/articles/{s["slug"]}.html"/>
    <id>tag:meridian.example,2025:{s["slug"]}</id>
    <published>{s["published"]}</published>
    <updated>{s["published"]}</updated>
    <author><name>{s["author"]}</name></author>
    {body}
  </entry>""")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>{OUTLET}: Europe</title>
  <link rel="self" href="{BASE}/feeds/atom.xml"/>
  <link rel="alternate" href="{BASE}/europe"/>
  <id>tag:meridian.example,2025:europe</id>
  <updated>2025-03-14T06:15:00Z</updated>
{chr(10).join(entries)}
</feed>
"""


def rss1(stories: list[dict[str, str]]) -> str:
    seq = "\n".join(f'      <rdf:li rdf:resource="{BASE}/articles/{s["slug"]}.html"/>'
                    for s in stories)
    items = "\n".join(f"""<item rdf:about="{BASE}/articles/{s["slug"]}.html">
  <title>{html.escape(s["title"])}</title>
  <link>{BASE}/articles/{s["slug"]}.html</link>
  <description>{html.escape(summary_of(s))}</description>
  <dc:date>{s["published"]}</dc:date>
  <dc:creator>{s["author"]}</dc:creator>
</item>""" for s in stories)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="{BASE}/feeds/rss1.rdf">
  <title>{OUTLET} (RSS 1.0)</title>
  <link>{BASE}/</link>
  <description>News from Europe and the world</description>
  <items><rdf:Seq>
{seq}
  </rdf:Seq></items>
</channel>
{items}
</rdf:RDF>
"""


def main() -> None:
    slugs = ["geneva-talks", "power-strikes", "prisoner-exchange", "sanctions-package"]
    stories = {slug: load(slug) for slug in slugs}
    out = {
        "articles/geneva-talks.html": article_page(stories["geneva-talks"], hide_date=False,
                                                   feed_link=True),
        "articles/power-strikes.html": article_page(stories["power-strikes"], hide_date=False,
                                                    feed_link=False),
        "articles/prisoner-exchange.html": article_page(stories["prisoner-exchange"],
                                                        hide_date=False, feed_link=False),
        "articles/sanctions-package.html": article_page(stories["sanctions-package"],
                                                        hide_date=True, feed_link=False),
        "site.html": site_page(list(stories.values())),
        "feeds/full.xml": rss2([stories[s] for s in slugs[:3]], full=True),
        "feeds/summary.xml": rss2(list(stories.values()), full=False,
                                  dated={"geneva-talks", "power-strikes", "prisoner-exchange"}),
        "feeds/atom.xml": atom([stories[s] for s in slugs[:3]],
                               full_slugs={"geneva-talks", "power-strikes"}),
        "feeds/rss1.rdf": rss1([stories[s] for s in slugs[1:]]),
        "feeds/to-loopback.xml": rss2(
            [stories["geneva-talks"], stories["power-strikes"]], full=False,
            links={"geneva-talks": f"{BASE}/go/loopback"}),
    }
    for name, text in out.items():
        path = HERE / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        print("wrote", path.relative_to(HERE))


if __name__ == "__main__":
    main()
