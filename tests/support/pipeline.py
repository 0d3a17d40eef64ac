"""Helpers for tests that drive the running pipeline from outside, as a user would."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

from aiokafka import AIOKafkaConsumer, ConsumerRecord
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.ext.asyncio import create_async_engine

from dealwire.services.ingest.client import Outcome, collect, send_all
from dealwire.shared.schemas import RawArticle
from dealwire.stack import ServiceProcesses

BOOKKEEPING_TABLES = {"alembic_version", "projection_positions"}


def ingest(services: ServiceProcesses, paths: list[Path] | None = None, *,
           bodies: list[dict] | None = None) -> list[Outcome]:
    from dealwire.services.ingest.client import Item

    items = collect(paths or []) + [Item(f"body[{i}]", body) for i, body in enumerate(bodies or [])]
    outcomes = asyncio.run(send_all(items, services.config.ingest_url, services.config.api_key))
    assert all(o.error is None for o in outcomes), [o.error for o in outcomes if o.error]
    return outcomes


async def snapshot(database_url: str) -> dict[str, list[tuple]]:
    """Every row of every read-model table, in a stable order."""
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            names = (await connection.execute(text(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            ))).scalars().all()
            tables = {}
            for name in sorted(set(names) - BOOKKEEPING_TABLES):
                rows = (await connection.execute(text(f'SELECT * FROM "{name}"'))).all()
                tables[name] = sorted((tuple(row) for row in rows), key=repr)
            return tables
    finally:
        await engine.dispose()


async def query(database_url: str, sql: str, **params: object) -> list[tuple]:
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            return [tuple(row) for row in (await connection.execute(text(sql), params)).all()]
    finally:
        await engine.dispose()


async def read_topic(bootstrap_servers: str, topic: str, done: Callable[[list[ConsumerRecord]], bool],
                     timeout_s: float = 120.0) -> list[ConsumerRecord]:
    """Records of `topic` from the beginning (no consumer group) until `done(records)` holds."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap_servers, group_id=None,
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    records: list[ConsumerRecord] = []
    deadline = time.monotonic() + timeout_s
    try:
        while not done(records):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{topic}: condition not met after {len(records)} records")
            batch = await consumer.getmany(timeout_ms=500)
            for partition_records in batch.values():
                records.extend(partition_records)
        return records
    finally:
        await consumer.stop()


async def wait_until_applied(database_url: str, consumer: str, records: list[ConsumerRecord],
                             timeout_s: float = 120.0) -> None:
    """Until the store has recorded, for each record's partition, a position at or past it."""
    wanted: dict[tuple[str, int], int] = {}
    for record in records:
        key = (record.topic, record.partition)
        wanted[key] = max(wanted.get(key, -1), record.offset)
    deadline = time.monotonic() + timeout_s
    while True:
        rows = await query(database_url, 'SELECT topic, partition, last_offset FROM projection_positions '
                                         "WHERE consumer = :consumer", consumer=consumer)
        applied = {(topic, partition): offset for topic, partition, offset in rows}
        if all(applied.get(key, -1) >= offset for key, offset in wanted.items()):
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"store applied {applied}, expected at least {wanted}")
        await asyncio.sleep(0.3)


async def expected_event_ids(bootstrap_servers: str, topic_articles: str, article_ids: set[str]) -> set[str]:
    """The event ids extract will emit for these articles: the engine is a pure function of the article."""
    from dealwire.services.extract.engine_worker import deal_events_for

    records = await read_topic(bootstrap_servers, topic_articles,
                               lambda rs: {r.key.decode() for r in rs} >= article_ids)
    articles = {r.key.decode(): RawArticle.model_validate_json(r.value)
                for r in records if r.key.decode() in article_ids}
    return {event.event_id for article_id in article_ids for event in deal_events_for(articles[article_id])}


async def wait_for_projection(services: ServiceProcesses, article_ids: set[str], timeout_s: float = 180.0) -> None:
    """Until the store holds these articles and every deal event extract emits for them."""
    url = services.config.database_url
    event_ids = await expected_event_ids(services.config.bootstrap_servers, services.config.topic_articles or "",
                                         article_ids)
    deadline = time.monotonic() + timeout_s
    while True:
        services.check_alive()
        try:
            stored_articles = {row[0] for row in await query(
                url, "SELECT article_id FROM articles WHERE article_id = ANY(:ids)", ids=list(article_ids))}
            stored_events = {row[0] for row in await query(
                url, "SELECT event_id FROM deal_events WHERE event_id = ANY(:ids)", ids=list(event_ids))}
        except ProgrammingError:  # the store has not created its tables yet
            stored_articles, stored_events = set(), set()
        if stored_articles == article_ids and stored_events == event_ids:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"store has {len(stored_articles)}/{len(article_ids)} articles and "
                               f"{len(stored_events)}/{len(event_ids)} events; logs in {services.config.log_dir}")
        await asyncio.sleep(0.3)


async def wait_for_extractions(services: ServiceProcesses, article_ids: set[str], timeout_s: float = 300.0) -> None:
    """Until the store knows that extraction is done for every one of these articles, deals or not."""
    url = services.config.database_url
    deadline = time.monotonic() + timeout_s
    while True:
        services.check_alive()
        try:
            done = {row[0] for row in await query(
                url, "SELECT article_id FROM article_extractions WHERE article_id = ANY(:ids) "
                     "AND event_ids IS NOT NULL", ids=list(article_ids))}
        except ProgrammingError:
            done = set()
        if done >= article_ids:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"extraction done for {len(done)}/{len(article_ids)} articles; "
                               f"logs in {services.config.log_dir}")
        await asyncio.sleep(0.3)


async def published_articles(bootstrap_servers: str, topic: str, article_ids: set[str]) -> list[RawArticle]:
    """The articles as ingest published them (normalised text, metadata), in topic order."""
    records = await read_topic(bootstrap_servers, topic, lambda rs: {r.key.decode() for r in rs} >= article_ids)
    seen: dict[str, RawArticle] = {}
    for record in records:
        if record.key.decode() in article_ids:
            seen.setdefault(record.key.decode(), RawArticle.model_validate_json(record.value))
    return list(seen.values())


async def reference_checksum(server_url: str, articles: list[RawArticle]) -> str:
    """The checksum of a clean run over these articles: each extracted in this process and projected
    straight into a fresh database, no broker, no crash, no retry."""
    from dealwire.services.extract import engine
    from dealwire.services.extract.engine_worker import deal_events_for
    from dealwire.services.store.checksum import checksum
    from dealwire.services.store.db import make_sessions, migrate
    from dealwire.services.store.projection import Batch, apply_batch
    from dealwire.shared.schemas import ArticleExtracted
    from tests.support.infra import create_database, unique_name

    url = await create_database(server_url, unique_name("reference"))
    await migrate(url)
    sessions = make_sessions(url)
    offsets = {"a": 0, "d": 0, "x": 0}

    def at(topic: str, records: list) -> list:
        placed = [((topic, 0, offsets[topic] + i), r) for i, r in enumerate(records)]
        offsets[topic] += len(records)
        return placed

    try:
        for start in range(0, len(articles), 200):
            chunk = articles[start:start + 200]
            events, done = [], []
            for article in chunk:
                found = deal_events_for(article)
                events += found
                done.append(ArticleExtracted(article_id=article.article_id, extractor=engine.EXTRACTOR_NAME,
                                             extractor_version=engine.EXTRACTOR_VERSION,
                                             event_ids=[e.event_id for e in found], extracted_at=article.received_at))
            placed = {"articles": at("a", chunk), "events": at("d", events), "extractions": at("x", done)}
            await apply_batch(sessions, Batch("reference", {(t, 0): n - 1 for t, n in offsets.items() if n}, **placed))
        return (await checksum(sessions)).digest
    finally:
        await sessions.kw["bind"].dispose()


def current_checksum(url: str) -> str:
    """The checksum of the read models in the database at `url` (`dealwire checksum`)."""
    from dealwire.services.store.checksum import checksum
    from dealwire.services.store.db import make_sessions

    async def digest() -> str:
        sessions = make_sessions(url)
        try:
            return (await checksum(sessions)).digest
        finally:
            await sessions.kw["bind"].dispose()

    return asyncio.run(digest())
