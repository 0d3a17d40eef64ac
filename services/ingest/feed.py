"""`dealwire ingest feed URL`: poll an RSS/Atom feed, fetch each new item's page, keep its main text only,
and send it through the ingest gateway (which validates, dedupes and publishes).

- feed: feedparser on bytes fetched with httpx (conditional GET with ETag / Last-Modified);
- pages: httpx with timeouts, a size cap and a bounded number of redirects; HTML only;
- main text: trafilatura, on the HTML string (it fetches nothing): navigation, cookie banners,
  related-article lists and footers never reach the engine; title and date come from the page's
  metadata (og:title, article:published_time, ...), the feed entry's only when the page has none;
- memory: a SQLite file of the items already accepted per feed, written after the gateway accepted
  them, so a restart sends nothing twice. An item that fails is tried again on the next poll, up to
  `MAX_ATTEMPTS` times, then remembered as failed.
"""

from __future__ import annotations

import asyncio
import calendar
import json
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import feedparser
import httpx
import structlog
import trafilatura

log = structlog.get_logger()
MAX_ATTEMPTS = 3
MIN_TEXT_CHARS = 120  # less is a navigation stub or an error page, not an article
HTML_TYPES = ("text/html", "application/xhtml+xml")
USER_AGENT = "dealwire-feed/1 (+https://github.com/dealwire)"


class FetchError(Exception):
    """A page or feed that could not be fetched as asked (status, size, type, network)."""


@dataclass(frozen=True)
class FeedItem:
    key: str  # the entry's id, else its link
    link: str
    title: str | None
    published: date | None


@dataclass(frozen=True)
class Fetched:
    status_code: int
    url: str
    headers: httpx.Headers
    content: bytes = b""


@dataclass
class PollReport:
    new: int = 0
    published: int = 0
    duplicate: int = 0
    failed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Limits:
    timeout_s: float = 10.0
    max_page_bytes: int = 5 * 1024 * 1024
    max_feed_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5


class SeenItems:
    """What each feed has already delivered, in a SQLite file that survives restarts."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        self._db.executescript("""
            CREATE TABLE IF NOT EXISTS items (
                feed TEXT NOT NULL, item TEXT NOT NULL, article_id TEXT, status TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0, updated_at TEXT NOT NULL, PRIMARY KEY (feed, item));
            CREATE TABLE IF NOT EXISTS feeds (feed TEXT PRIMARY KEY, etag TEXT, modified TEXT);
        """)

    def done(self, feed: str, item: str) -> bool:
        row = self._db.execute("SELECT status FROM items WHERE feed = ? AND item = ?", (feed, item)).fetchone()
        return row is not None and row[0] != "retry"

    def accepted(self, feed: str, item: str, article_id: str, status: str) -> None:
        self._upsert(feed, item, article_id, status, attempts_delta=0)

    def failed(self, feed: str, item: str) -> None:
        attempts = self._db.execute("SELECT attempts FROM items WHERE feed = ? AND item = ?", (feed, item)).fetchone()
        status = "failed" if (attempts[0] if attempts else 0) + 1 >= MAX_ATTEMPTS else "retry"
        self._upsert(feed, item, None, status, attempts_delta=1)

    def validators(self, feed: str) -> tuple[str | None, str | None]:
        row = self._db.execute("SELECT etag, modified FROM feeds WHERE feed = ?", (feed,)).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def remember_validators(self, feed: str, etag: str | None, modified: str | None) -> None:
        with self._db:
            self._db.execute("INSERT INTO feeds VALUES (?, ?, ?) ON CONFLICT (feed) DO UPDATE SET "
                             "etag = excluded.etag, modified = excluded.modified", (feed, etag, modified))

    def _upsert(self, feed: str, item: str, article_id: str | None, status: str, attempts_delta: int) -> None:
        with self._db:
            self._db.execute(
                "INSERT INTO items VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (feed, item) DO UPDATE SET "
                "article_id = coalesce(excluded.article_id, article_id), status = excluded.status, "
                "attempts = attempts + ?, updated_at = excluded.updated_at",
                (feed, item, article_id, status, attempts_delta, datetime.now(UTC).isoformat(), attempts_delta))

    def close(self) -> None:
        self._db.close()


def parse_feed(content: bytes) -> list[FeedItem]:
    """The feed's entries, oldest first (feeds list the newest first)."""
    parsed = feedparser.parse(content)
    items = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = datetime.fromtimestamp(calendar.timegm(stamp), UTC).date() if stamp else None
        items.append(FeedItem(key=entry.get("id") or link, link=link, title=entry.get("title"), published=published))
    return list(reversed(items))


def main_text(html: bytes | str, url: str) -> dict[str, Any] | None:
    """The article part of a page and its metadata, as a body for POST /v1/articles; None if none is found."""
    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, favor_precision=True, include_comments=False, include_tables=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if document is None or len((document.text or "").strip()) < MIN_TEXT_CHARS:
        return None
    published = None
    if document.date:
        try:
            published = date.fromisoformat(document.date[:10]).isoformat()
        except ValueError:
            published = None
    return {"text": document.text, "title": document.title, "url": url, "published": published,
            "source": document.sitename}


async def fetch(client: httpx.AsyncClient, url: str, limit: int, headers: dict[str, str] | None = None,
                accept: tuple[str, ...] | None = None) -> Fetched:
    """GET with the client's timeouts and redirect bound; the body is read only up to `limit` bytes."""
    try:
        async with client.stream("GET", url, headers=headers) as response:
            if response.status_code == 304:
                return Fetched(304, str(response.url), response.headers)
            if response.status_code != 200:
                raise FetchError(f"{url}: HTTP {response.status_code}")
            media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if accept and media_type not in accept:
                raise FetchError(f"{url}: {media_type or 'no content type'}, not a web page")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise FetchError(f"{url}: {declared} bytes, more than the {limit} allowed")
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > limit:
                    raise FetchError(f"{url}: more than the {limit} bytes allowed")
            return Fetched(response.status_code, str(response.url), response.headers, bytes(body))
    except httpx.TooManyRedirects as error:
        raise FetchError(f"{url}: too many redirects") from error
    except httpx.HTTPError as error:
        raise FetchError(f"{url}: {type(error).__name__}: {error}") from error


class FeedPoller:
    def __init__(self, feed_url: str, ingest_url: str, api_key: str, seen: SeenItems, limits: Limits = Limits(),
                 on_item: Callable[[str, str], None] | None = None) -> None:
        self.feed_url = feed_url
        self._ingest_url = ingest_url.rstrip("/")
        self._api_key = api_key
        self._seen = seen
        self._limits = limits
        self._on_item = on_item or (lambda _label, _status: None)

    def _client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=self._limits.timeout_s, follow_redirects=True,
                                 max_redirects=self._limits.max_redirects, headers={"User-Agent": USER_AGENT})

    async def poll(self) -> PollReport:
        report = PollReport()
        async with self._client() as client:
            etag, modified = self._seen.validators(self.feed_url)
            conditional = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", modified)) if v}
            response = await fetch(client, self.feed_url, self._limits.max_feed_bytes, conditional)
            if response.status_code == 304:
                return report
            items = [item for item in parse_feed(response.content) if not self._seen.done(self.feed_url, item.key)]
            report.new = len(items)
            bodies = [(item, await self._article(client, item)) for item in items]
            await self._send(client, [(item, body) for item, body in bodies if body is not None], report)
            for item, body in bodies:
                if body is None:
                    self._seen.failed(self.feed_url, item.key)
                    report.failed.append(item.link)
            # Only once every item is settled: an item left to retry must not hide behind a 304 next time.
            if not report.failed:
                self._seen.remember_validators(self.feed_url, response.headers.get("etag"),
                                               response.headers.get("last-modified"))
        return report

    async def _article(self, client: httpx.AsyncClient, item: FeedItem) -> dict[str, Any] | None:
        try:
            page = await fetch(client, item.link, self._limits.max_page_bytes, accept=HTML_TYPES)
        except FetchError as error:
            log.warning("feed_item_unreachable", feed=self.feed_url, error=str(error)[:300])
            self._on_item(item.link, f"error: {error}")
            return None
        body = main_text(page.content, page.url)  # trafilatura finds the encoding in the bytes
        if body is None:
            log.warning("feed_item_without_text", feed=self.feed_url, url=item.link)
            self._on_item(item.link, "error: no article text found on the page")
            return None
        body["title"] = body["title"] or item.title
        body["published"] = body["published"] or (item.published.isoformat() if item.published else None)
        return {key: value for key, value in body.items() if value is not None}

    async def _send(self, client: httpx.AsyncClient, ready: list[tuple[FeedItem, dict[str, Any]]],
                    report: PollReport) -> None:
        if not ready:
            return
        content = "\n".join(json.dumps(body, ensure_ascii=False) for _, body in ready).encode()
        try:
            response = await client.post(
                f"{self._ingest_url}/v1/articles:batch", content=content,
                headers={"X-API-Key": self._api_key, "Content-Type": "application/x-ndjson"})
        except httpx.HTTPError as error:
            raise FetchError(f"cannot reach the ingest gateway at {self._ingest_url}: {error!r}") from error
        if response.status_code not in (200, 503):
            raise FetchError(f"the ingest gateway answered HTTP {response.status_code}: {response.text[:300]}")
        results = {result["line"]: result for result in response.json()["results"]}
        for line, (item, _) in enumerate(ready, start=1):
            result = results[line]
            if result["status"] in ("published", "duplicate"):
                self._seen.accepted(self.feed_url, item.key, result["article_id"], result["status"])
                report.published += result["status"] == "published"
                report.duplicate += result["status"] == "duplicate"
            elif result["status"] == "unavailable":  # the broker, not the item: next poll, no attempt spent
                report.failed.append(item.link)
            else:
                self._seen.failed(self.feed_url, item.key)
                report.failed.append(item.link)
            self._on_item(item.link, result["status"])


async def run(poller: FeedPoller, interval_s: float | None, on_report: Callable[[PollReport], None]) -> None:
    """Poll once (no interval), or every `interval_s` seconds until cancelled; a failed poll is retried."""
    while True:
        started = time.monotonic()
        try:
            on_report(await poller.poll())
        except FetchError as error:
            if interval_s is None:
                raise
            log.warning("feed_poll_failed", feed=poller.feed_url, error=str(error)[:300])
        if interval_s is None:
            return
        await asyncio.sleep(max(0.0, interval_s - (time.monotonic() - started)))
