"""The feed poller's pure parts: feed entries, main text and metadata, the memory of what was sent."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from dealwire.services.ingest.feed import MAX_ATTEMPTS, SeenItems, main_text, parse_feed
from tests.support.feed_site import FURNITURE, FeedSite, Story, page_html

STORY = Story("s", "Acme licenses ABX-1 to Beta", "2025-03-04", (
    "Acme Pharma today announced an exclusive license agreement granting Beta Bio rights to ABX-1 in Japan.",
    "Beta Bio will pay USD 10 million upfront and up to USD 90 million in milestones.",
))


def test_main_text_keeps_the_article_and_drops_the_furniture_without_any_network(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*_: object) -> None:
        raise AssertionError("the extractor tried to open a connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    body = main_text(page_html(STORY).encode(), "https://news.example/s")

    assert body is not None
    assert all(paragraph in body["text"] for paragraph in STORY.paragraphs)
    assert not [furniture for furniture in FURNITURE if furniture in body["text"]]
    assert (body["title"], body["published"], body["url"]) == (STORY.headline, "2025-03-04", "https://news.example/s")


def test_a_page_without_an_article_gives_nothing() -> None:
    assert main_text(b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "https://x.example/") is None


def test_feed_entries_come_oldest_first_with_their_ids() -> None:
    site = FeedSite(base_url="https://news.example", stories=[STORY, Story("t", "Later", "2025-03-09", ("x",))])
    items = parse_feed(site.rss().encode())
    assert [(item.key, item.link) for item in items] == [
        ("urn:example:s", "https://news.example/news/s"), ("urn:example:t", "https://news.example/news/t")]
    assert items[0].published.isoformat() == "2025-03-05"


def test_what_was_sent_is_remembered_across_restarts_and_failures_are_retried_a_few_times(tmp_path: Path) -> None:
    seen = SeenItems(tmp_path / "state.sqlite")
    seen.accepted("feed", "a", "art_1", "published")
    seen.failed("feed", "b")
    seen.close()

    reopened = SeenItems(tmp_path / "state.sqlite")
    assert reopened.done("feed", "a") and not reopened.done("other-feed", "a")
    assert not reopened.done("feed", "b")  # one failure: tried again
    for _ in range(MAX_ATTEMPTS - 1):
        reopened.failed("feed", "b")
    assert reopened.done("feed", "b")  # given up after MAX_ATTEMPTS
