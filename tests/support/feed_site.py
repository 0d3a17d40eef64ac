"""A small news site on 127.0.0.1 for the feed tests: an RSS file and article pages with page furniture."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FURNITURE = [
    "Accept all cookies", "Subscribe to our newsletter", "Related articles", "Gamma Bio raises money again",
    "All rights reserved", "Share on LinkedIn", "Home", "Careers at Example News",
]


@dataclass(frozen=True)
class Story:
    slug: str
    headline: str  # the page's og:title; the feed's <title> says something else
    published: str  # the page's article:published_time date; the feed's pubDate is a day later
    paragraphs: tuple[str, ...]


def page_html(story: Story) -> str:
    body = "".join(f"<p>{paragraph}</p>" for paragraph in story.paragraphs)
    return f"""<!doctype html><html><head><meta charset="utf-8">
<title>{story.headline} | Example News</title>
<meta property="og:title" content="{story.headline}">
<meta property="article:published_time" content="{story.published}T08:00:00Z">
</head><body>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept all cookies</button></div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/deals">Deals</a></li>
<li><a href="/jobs">Careers at Example News</a></li></ul></nav></header>
<main><article><h1>{story.headline}</h1><div class="share">Share on LinkedIn · Share on X</div>{body}</article></main>
<aside class="related"><h3>Related articles</h3><ul><li><a href="/x">Gamma Bio raises money again</a></li>
<li><a href="/y">Delta Therapeutics appoints a new CFO</a></li></ul></aside>
<div class="newsletter">Subscribe to our newsletter for weekly biotech deal news.</div>
<footer>© 2025 Example News Ltd. All rights reserved. <a href="/privacy">Privacy</a></footer>
</body></html>"""


@dataclass
class FeedSite:
    base_url: str
    stories: list[Story] = field(default_factory=list)
    extra_items: list[tuple[str, str]] = field(default_factory=list)  # (path, title) of pages that fail
    requests: list[str] = field(default_factory=list)

    def rss(self) -> str:
        items = []
        for story in reversed(self.stories):  # newest first, as feeds list them
            day = datetime.fromisoformat(story.published).replace(hour=12, tzinfo=UTC)
            later = format_datetime(day + timedelta(days=1))
            items.append(f"<item><title>Feed headline: {story.slug}</title><link>{self.base_url}/news/{story.slug}"
                         f"</link><guid>urn:example:{story.slug}</guid><pubDate>{later}</pubDate></item>")
        for path, title in self.extra_items:
            items.append(f"<item><title>{title}</title><link>{self.base_url}{path}</link></item>")
        return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Example News</title>'
                f"<link>{self.base_url}</link><description>deals</description>{''.join(items)}</channel></rss>")


@contextmanager
def feed_site(stories: list[Story]) -> Iterator[FeedSite]:
    site = FeedSite(base_url="", stories=list(stories))

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_: object) -> None:
            pass

        def do_GET(self) -> None:
            site.requests.append(self.path)
            if self.path == "/feed.xml":
                self._send(200, "application/rss+xml", site.rss().encode())
            elif self.path.startswith("/news/"):
                story = next((s for s in site.stories if s.slug == self.path.removeprefix("/news/")), None)
                if story is None:
                    self._send(404, "text/plain", b"not found")
                else:
                    self._send(200, "text/html; charset=utf-8", page_html(story).encode())
            elif self.path == "/loop":  # redirects to itself, forever
                self.send_response(302)
                self.send_header("Location", "/loop")
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif self.path == "/huge":  # announces more than the page cap
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(50 * 1024 * 1024))
                self.end_headers()
            else:
                self._send(404, "text/plain", b"not found")

        def _send(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
