"""`dealwire replay store` and `dealwire replay extract` on a live pipeline, as ops would run them."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from datetime import UTC, datetime

import asyncpg
import pytest
from typer.testing import CliRunner

from bench.articles import generate_articles
from dealwire.cli import app
from dealwire.services.extract import engine
from dealwire.services.extract.engine_worker import deal_events_for
from dealwire.stack import ServiceProcesses
from tests.conftest import REPO
from tests.support.infra import asyncpg_dsn
from tests.support.pipeline import (
    current_checksum,
    ingest,
    published_articles,
    query,
    wait_for_extractions,
    wait_for_projection,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def ingest_generated(services: ServiceProcesses, count: int, start: int) -> set[str]:
    bodies = [a.as_post() for a in generate_articles(count, seed=31, start=start)]
    ids = {o.article_id for o in ingest(services, bodies=bodies) if o.article_id}
    asyncio.run(wait_for_extractions(services, ids))
    asyncio.run(wait_for_projection(services, ids))
    return ids


def run_cli(services: ServiceProcesses, *args: str, env: dict[str, str] | None = None) -> dict:
    result = CliRunner().invoke(app, [*args, "--json"], env=services.config.env_for("store") | (env or {}))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout.strip().splitlines()[-1])


COUNTS = ("SELECT (SELECT count(*) FROM deals), (SELECT count(*) FROM deal_events), "
          "(SELECT count(*) FROM deal_parties), (SELECT count(*) FROM articles)")


class Reader(threading.Thread):
    """Reads the live tables without pause while ops work (one connection, as a reader's session would
    be), and remembers every count it saw."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url, self.seen, self.errors, self.stop = url, [], [], threading.Event()

    def run(self) -> None:
        asyncio.run(self._read())

    async def _read(self) -> None:
        connection = await asyncpg.connect(asyncpg_dsn(self.url))
        try:
            while not self.stop.is_set():
                try:
                    self.seen.append(tuple(await connection.fetchrow(COUNTS)))
                except Exception as error:
                    self.errors.append(repr(error))
                await asyncio.sleep(0.005)
        finally:
            await connection.close()


def test_replay_store_rebuilds_while_readers_read_and_the_store_goes_on(pipeline: ServiceProcesses) -> None:
    ids = ingest_generated(pipeline, 60, start=0) | set(o.article_id for o in ingest(pipeline, [REPO / "seeds"]))
    asyncio.run(wait_for_projection(pipeline, ids))
    url = pipeline.config.database_url
    before = current_checksum(url)
    [full] = asyncio.run(query(url, COUNTS))
    reader = Reader(url)
    reader.start()

    report = run_cli(pipeline, "replay", "store")

    reader.stop.set()
    reader.join()
    assert current_checksum(url) == before
    assert report["records"] >= len(ids) and report["not_applied"] == 0
    assert reader.errors == []
    assert len(reader.seen) > 10 and set(reader.seen) == {full}  # never empty, never half-built
    assert asyncio.run(query(url, "SELECT count(*) FROM information_schema.schemata "
                                  "WHERE schema_name LIKE 'rebuild_%' OR schema_name LIKE 'replaced_%'")) == [(0,)]

    later = ingest_generated(pipeline, 5, start=500)  # the running store goes on, into the rebuilt tables
    assert {r[0] for r in asyncio.run(query(url, "SELECT article_id FROM articles"))} >= ids | later


def test_replay_extract_leaves_exactly_the_new_versions_events(
    pipeline: ServiceProcesses, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = ingest_generated(pipeline, 40, start=1000)
    url = pipeline.config.database_url
    articles = asyncio.run(published_articles(pipeline.config.bootstrap_servers, pipeline.config.topic_articles,
                                              ids))
    old_events = {e.event_id for a in articles for e in deal_events_for(a)}
    assert {r[0] for r in asyncio.run(query(url, "SELECT event_id FROM deal_events"))} == old_events

    # The next engine: a new version that finds no deal in every third article, and only the main one elsewhere.
    current = engine.extract
    retracted = {a.article_id for a in articles[::3]}
    texts_without_deals = {a.text for a in articles if a.article_id in retracted}

    def next_engine(text: str, **kwargs: object) -> list:
        return [] if text in texts_without_deals else current(text, **kwargs)[:1]

    monkeypatch.setattr(engine, "extract", next_engine)
    monkeypatch.setattr(engine, "EXTRACTOR_VERSION", "99.0.0")
    new_events = {e.event_id: e for a in articles for e in deal_events_for(a, now=datetime.now(UTC))}
    assert new_events and retracted

    # The engine in this process (not a worker process), so that the replay uses the next engine patched in here.
    report = run_cli(pipeline, "replay", "extract", env={"DEALWIRE_ENGINE_PROCESSES": "0"})

    assert report == {**report, "extractor_version": "99.0.0", "articles": len(articles), "not_extracted": 0}
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        stored = {r[0] for r in asyncio.run(query(url, "SELECT event_id FROM deal_events"))}
        versions = dict(asyncio.run(query(url, "SELECT article_id, extractor_version FROM article_extractions")))
        if stored == set(new_events) and set(versions.values()) == {"99.0.0"}:
            break
        time.sleep(0.3)
    assert stored == set(new_events)
    assert set(versions.values()) == {"99.0.0"} and set(versions) == ids
    deals = asyncio.run(query(url, "SELECT deal_key, extractor_version, source_event_id FROM deals"))
    assert {key for key, _, _ in deals} == {e.deal_key for e in new_events.values()}
    assert {version for _, version, _ in deals} == {"99.0.0"}
    assert asyncio.run(query(url, "SELECT count(*) FROM deal_events WHERE article_id = ANY(:ids)",
                             ids=list(retracted))) == [(0,)]
