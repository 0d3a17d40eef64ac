"""`dealwire ingest feed`: a local site serves an RSS file and article pages with furniture; the poller,
run as a new process each time, sends each item's main text once, across restarts."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dealwire.stack import ServiceProcesses
from tests.support.feed_site import FURNITURE, Story, feed_site
from tests.support.pipeline import read_topic

pytestmark = pytest.mark.integration

STORIES = [
    Story("acme-beta", "Acme Pharma licenses ABX-101 to Beta Bio in Greater China", "2025-03-04", (
        "Acme Pharma today announced an exclusive license agreement granting Beta Bio the rights to develop and "
        "commercialise ABX-101, an anti-HER2 antibody-drug conjugate, in Greater China.",
        "Under the terms of the agreement, Beta Bio will pay Acme Pharma USD 25 million upfront and up to USD 400 "
        "million in development and commercial milestones, plus tiered royalties on net sales.",
    )),
    Story("gamma-delta", "Gamma Therapeutics to acquire Delta Oncology for $1.2 billion", "2025-04-10", (
        "Gamma Therapeutics has agreed to acquire Delta Oncology in an all-cash transaction valued at USD 1.2 "
        "billion, adding the Phase II bispecific antibody DLT-7 to its pipeline.",
        "The acquisition is expected to close in the third quarter of 2025, subject to customary conditions.",
    )),
]
LATER = Story("epsilon-fda", "FDA approves Epsilon Bio's EPS-3 for gastric cancer", "2025-05-20", (
    "The U.S. Food and Drug Administration has approved EPS-3, Epsilon Bio's HER2-targeted therapy, for adults "
    "with previously treated HER2-positive gastric cancer.",
    "The approval was based on data from the Phase III EPIC-3 trial, which met its primary endpoint.",
))


def poll(services: ServiceProcesses, feed_url: str, state: Path) -> subprocess.CompletedProcess:
    """One poll in a new process: each call is a restart of the poller."""
    return subprocess.run(
        [sys.executable, "-m", "dealwire", "ingest", "feed", feed_url, "--state", str(state),
         "--url", services.config.ingest_url, "--api-key", services.config.api_key],
        capture_output=True, text=True, timeout=120, env={**os.environ, "COLUMNS": "200"},
    )


def articles_on_topic(services: ServiceProcesses, expected: int) -> list[dict]:
    """Every record of this module's topic (only this test writes to it), checking none comes after `expected`."""
    config = services.config
    records = asyncio.run(read_topic(config.bootstrap_servers, config.topic_articles, lambda rs: len(rs) >= expected))
    with pytest.raises(TimeoutError):
        asyncio.run(read_topic(config.bootstrap_servers, config.topic_articles, lambda rs: len(rs) > expected,
                               timeout_s=3))
    return [json.loads(record.value) for record in records]


def test_each_item_is_ingested_once_with_its_main_text_only(ingest_service: ServiceProcesses, tmp_path: Path) -> None:
    state = tmp_path / "feeds.sqlite"
    with feed_site(STORIES) as site:
        site.extra_items += [("/loop", "A page that redirects forever"), ("/huge", "A page too large")]
        feed_url = f"{site.base_url}/feed.xml"

        first = poll(ingest_service, feed_url, state)
        second = poll(ingest_service, feed_url, state)  # a restart: nothing new
        site.stories.append(LATER)
        third = poll(ingest_service, feed_url, state)
        page_requests = [path for path in site.requests if path.startswith("/news/")]

    assert first.returncode == 0, first.stderr
    assert "4 new, 2 published, 0 duplicate, 2 failed" in first.stderr
    assert "too many redirects" in first.stderr and "more than the" in first.stderr
    assert "2 new, 0 published, 0 duplicate, 2 failed" in second.stderr  # only the two bad pages are retried
    assert "3 new, 1 published, 0 duplicate, 2 failed" in third.stderr
    assert sorted(page_requests) == sorted(["/news/acme-beta", "/news/gamma-delta", "/news/epsilon-fda"])

    published = articles_on_topic(ingest_service, 3)
    assert sorted(a["url"].rsplit("/", 1)[1] for a in published) == ["acme-beta", "epsilon-fda", "gamma-delta"]
    for story in [*STORIES, LATER]:
        [article] = [a for a in published if a["url"].endswith(story.slug)]
        assert article["title"] == story.headline  # from the page's metadata, not the feed's title
        assert article["published"] == story.published  # likewise, not the feed's pubDate
        for paragraph in story.paragraphs:
            assert paragraph in article["text"]
        for furniture in FURNITURE:
            assert furniture not in article["text"], furniture
