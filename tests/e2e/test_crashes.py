"""Crashes lose and duplicate nothing: 2,000 articles streamed while extract and store are SIGKILLed."""

from __future__ import annotations

import asyncio
import random
import threading
import time

import pytest

from bench.articles import generate_articles
from dealwire.services.extract.engine_worker import deal_events_for
from dealwire.stack import ServiceProcesses
from tests.support.infra import Infra
from tests.support.pipeline import (
    current_checksum,
    ingest,
    published_articles,
    query,
    reference_checksum,
    wait_for_extractions,
    wait_for_projection,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
ARTICLES = 2000
KILLS_EACH = 6
SEED = 20261201


def test_2000_articles_with_extract_and_store_killed_at_random_moments(pipeline: ServiceProcesses,
                                                                        infra: Infra) -> None:
    rng = random.Random(SEED)
    bodies = [a.as_post() for a in generate_articles(ARTICLES, seed=SEED)]
    outcomes: list = []
    kills: list[tuple[float, str]] = []
    started = time.monotonic()

    def stream() -> None:
        for start in range(0, len(bodies), 100):
            outcomes.extend(ingest(pipeline, bodies=bodies[start:start + 100]))

    def crash() -> None:
        victims = ["extract"] * KILLS_EACH + ["store"] * KILLS_EACH
        rng.shuffle(victims)
        for victim in victims:
            time.sleep(rng.uniform(0.5, 3.0))
            pipeline.kill(victim)  # SIGKILL: no shutdown, no last commit
            kills.append((round(time.monotonic() - started, 1), victim))
            time.sleep(rng.uniform(0.1, 1.5))
            pipeline.start(victim)

    threads = [threading.Thread(target=stream), threading.Thread(target=crash)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ids = {o.article_id for o in outcomes if o.article_id}
    asyncio.run(wait_for_extractions(pipeline, ids, timeout_s=300))
    asyncio.run(wait_for_projection(pipeline, ids, timeout_s=300))

    assert len(ids) == ARTICLES
    assert [victim for _, victim in kills].count("extract") >= 5 and [v for _, v in kills].count("store") >= 5
    url = pipeline.config.database_url
    articles = asyncio.run(published_articles(pipeline.config.bootstrap_servers, pipeline.config.topic_articles,
                                              ids))
    assert current_checksum(url) == asyncio.run(reference_checksum(infra.database_url, articles)), kills
    expected_events = {e.event_id for a in articles for e in deal_events_for(a)}
    assert asyncio.run(query(url, "SELECT count(*), count(DISTINCT event_id) FROM deal_events")) == [
        (len(expected_events), len(expected_events))]
    assert asyncio.run(query(url, "SELECT count(*), count(DISTINCT deal_key) FROM deals")) == asyncio.run(query(
        url, "SELECT count(DISTINCT deal_key), count(DISTINCT deal_key) FROM deal_events"))
    assert asyncio.run(query(url, "SELECT count(*) FROM articles")) == [(ARTICLES,)]
