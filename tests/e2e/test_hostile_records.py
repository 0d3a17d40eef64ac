"""500 hostile records written straight to the topics, among valid articles: none stalls a partition.

Every hostile record ends in its topic's dead-letter topic with a reason (articles ones twice: extract
and store both read that topic), every valid article is in the read models, the consumers' lag returns
to 0, and their memory stays bounded.
"""

from __future__ import annotations

import asyncio
import json
import random
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from bench.articles import generate_articles
from bench.harness import peak_rss_mb
from dealwire.services.extract.engine_worker import deal_events_for
from dealwire.shared.ids import article_id_for, event_id_for
from dealwire.shared.kafka import end_offsets
from dealwire.shared.schemas import Money
from dealwire.stack import ServiceProcesses
from tests.e2e.conftest import StackFactory
from tests.support.pipeline import ingest, read_topic, wait_for_projection

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

MAX_ARTICLE_BYTES = 1024 * 1024
MAX_RECORD_BYTES = MAX_ARTICLE_BYTES + 64 * 1024  # dealwire.shared.kafka.max_record_bytes
HOSTILE = 500
Hostile = tuple[str, bytes | None, bytes | None, str]  # (topic kind, key, value, what it is)


def article_json(text: str = "A licensing deal.", **changes: object) -> dict:
    return {"article_id": article_id_for(text), "text": text, "received_at": "2026-01-01T00:00:00Z"} | changes


def as_bytes(body: dict | list | str) -> bytes:
    return (body if isinstance(body, str) else json.dumps(body)).encode()


def hostile_articles(rng: random.Random) -> Iterator[Hostile]:
    while True:
        text = f"Hostile article {rng.random()} about a licensing deal."
        good = article_json(text)
        key = good["article_id"].encode()
        yield "articles", key, b"[" * 5000 + b"]" * 5000, "deep array nesting"
        yield "articles", key, b'{"a":' * 5000 + b"1" + b"}" * 5000, "deep object nesting"
        yield "articles", key, b"x" * (MAX_RECORD_BYTES + 10), "huge, not JSON"
        huge_text = "licensing " * (MAX_RECORD_BYTES // 9)
        yield "articles", key, as_bytes(article_json(huge_text)), "huge article with its own id"
        yield "articles", key, b'{"article_id": "\xff\xfe", "text": "\xc3\x28"}', "invalid UTF-8"
        yield "articles", key, as_bytes(json.dumps(article_json(text)).replace(text[:7], "\\ud800")), "lone surrogate"
        nul_text = text + "\u0000"
        yield "articles", article_id_for(nul_text).encode(), as_bytes(article_json(nul_text)), "NUL, true id"
        yield "articles", key, as_bytes(good | {"text": 123}), "wrong type"
        yield "articles", key, as_bytes(good | {"schema_version": 2}), "wrong schema version"
        yield "articles", key, as_bytes(good | {"article_id": "art_" + secrets.token_hex(12)}), "forged article id"
        yield "articles", b"art_" + secrets.token_hex(12).encode(), as_bytes(good), "key is not the id"
        yield "articles", key, None, "tombstone"
        yield "articles", key, b"", "empty value"
        yield "articles", key, b"[]", "a JSON array"
        yield "articles", key, as_bytes(good | {"admin": True}), "an extra field"
        yield "articles", key, as_bytes({k: v for k, v in good.items() if k != "text"}), "no text"
        yield "articles", key, bytes(rng.randrange(256) for _ in range(200)), "random bytes"


def hostile_events(rng: random.Random) -> Iterator[Hostile]:
    received = datetime(2026, 1, 1, tzinfo=UTC)
    while True:
        article = generate_articles(1, seed=77, start=rng.randrange(10_000))[0].as_raw(received)
        article = article.model_copy(update={"article_id": "art_" + secrets.token_hex(12)})
        [event, *_] = deal_events_for(article)
        key = event.deal_key.encode()
        yield "deals", key, as_bytes(event.model_dump_json()).replace(event.event_id.encode(),
                                                                     b"evt_" + secrets.token_hex(12).encode()), \
            "forged event id"
        yield "deals", key, event.model_dump_json().replace(event.deal_key, "deal_" + secrets.token_hex(12)).encode(), \
            "forged deal key"
        yield "deals", key, event.model_dump_json().replace('"type":"' + event.type, '"type":"merger').encode(), \
            "unknown deal type"
        yield "deals", key, None, "tombstone"
        overflow = event.model_copy(update={"upfront": Money(amount=10**30, currency="USD")})
        yield "deals", key, overflow.model_dump_json().encode(), "amount the database cannot hold"
        yield "extractions", article.article_id.encode(), as_bytes({
            "article_id": article.article_id, "extractor": "rules", "extractor_version": "1.0.0",
            "event_ids": ["evt_" + secrets.token_hex(12)], "extracted_at": "2026-01-01T00:00:00Z"}), \
            "forged event ids"
        yield "extractions", article.article_id.encode(), as_bytes({
            "article_id": article.article_id, "extractor_version": event_id_for(article.article_id, "1", 0)}), \
            "not an extraction"


def hostile_records(count: int, seed: int) -> list[Hostile]:
    rng = random.Random(seed)
    articles, events = hostile_articles(rng), hostile_events(rng)
    return [next(events) if index % 5 == 4 else next(articles) for index in range(count)]


async def write(services: ServiceProcesses, records: list[Hostile]) -> dict[str, set[int]]:
    """Writes the records as a hostile producer would; returns the offsets they landed at, by topic."""
    config = services.config
    topics = {"articles": config.topic_articles, "deals": config.topic_deals,
              "extractions": config.topic_articles.replace("articles.raw.v1", "articles.extracted.v1")}
    producer = AIOKafkaProducer(bootstrap_servers=config.bootstrap_servers, acks="all",
                                max_request_size=4 * MAX_RECORD_BYTES)
    await producer.start()
    landed: dict[str, set[tuple[int, int]]] = {topic: set() for topic in topics.values()}
    try:
        for kind, key, value, _ in records:
            metadata = await producer.send_and_wait(topics[kind], value, key=key)
            landed[topics[kind]].add((metadata.partition, metadata.offset))
    finally:
        await producer.stop()
    return landed  # type: ignore[return-value]


async def dead_letters(bootstrap_servers: str, topic: str, expected: int) -> list[dict[str, str]]:
    """The dead letters of `topic` once `expected` distinct (service, origin) pairs are there: dead-lettering is
    at least once, so a batch read again after a rebalance may dead-letter a record a second time."""
    def origins(records: list) -> set[tuple[str, str, str]]:
        headers = [dict(record.headers) for record in records]
        return {(h["dlq.service"], h["dlq.source.partition"], h["dlq.source.offset"]) for h in headers}

    records = await read_topic(bootstrap_servers, f"{topic}.dlq", lambda rs: len(origins(rs)) >= expected,
                               timeout_s=180)
    return [{k: v.decode() for k, v in record.headers} for record in records]


async def lag_is_zero(services: ServiceProcesses, timeout_s: float = 120) -> None:
    config = services.config
    topics = {"extract": [config.topic_articles],
              "store": [config.topic_articles, config.topic_deals,
                        config.topic_articles.replace("articles.raw.v1", "articles.extracted.v1")]}
    deadline = asyncio.get_running_loop().time() + timeout_s
    for service, service_topics in topics.items():
        ends = await end_offsets(config.bootstrap_servers, service_topics)
        consumer = AIOKafkaConsumer(bootstrap_servers=config.bootstrap_servers, group_id=f"{config.name}-{service}",
                                    enable_auto_commit=False)
        await consumer.start()
        try:
            while True:
                committed = {tp: await consumer.committed(tp) or 0 for tp in ends}
                if all(committed[tp] >= end for tp, end in ends.items()):
                    break
                if asyncio.get_running_loop().time() > deadline:
                    behind = {f"{tp.topic}:{tp.partition}": (committed[tp], end) for tp, end in ends.items()
                              if committed[tp] < end}
                    raise AssertionError(f"{service} still behind: {behind}")
                await asyncio.sleep(0.5)
        finally:
            await consumer.stop()


def test_hostile_records_are_dead_lettered_and_the_valid_ones_projected(stack_config: StackFactory) -> None:
    config = stack_config(extra_env={"DEALWIRE_MAX_ARTICLE_BYTES": str(MAX_ARTICLE_BYTES)})
    records = hostile_records(HOSTILE, seed=8)
    with ServiceProcesses(config) as services:
        services.start_all()
        valid = [a.as_post() for a in generate_articles(60, seed=5)]
        before = ingest(services, bodies=valid[:30])
        landed = asyncio.run(write(services, records))
        after = ingest(services, bodies=valid[30:])
        valid_ids = {o.article_id for o in before + after if o.article_id}

        asyncio.run(wait_for_projection(services, valid_ids))
        asyncio.run(lag_is_zero(services))
        peaks = {service: peak_rss_mb(services.pid(service)) for service in ("extract", "store")}

    bootstrap = config.bootstrap_servers
    for topic, offsets in landed.items():
        readers = 2 if topic == config.topic_articles else 1  # extract and store both read the articles
        letters = asyncio.run(dead_letters(bootstrap, topic, readers * len(offsets)))
        by_service: dict[str, set[tuple[int, int]]] = {}
        for headers in letters:
            assert headers["dlq.source.topic"] == topic
            assert headers["dlq.error.message"], headers
            origin = (int(headers["dlq.source.partition"]), int(headers["dlq.source.offset"]))
            by_service.setdefault(headers["dlq.service"], set()).add(origin)
        expected = {"extract", "store"} if readers == 2 else {"store"}
        assert set(by_service) == expected, topic
        for service in expected:
            assert by_service[service] == offsets, (topic, service)
    assert sum(map(len, landed.values())) == HOSTILE
    assert all(mb < 300 for mb in peaks.values()), peaks
