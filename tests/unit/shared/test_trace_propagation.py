"""The trace id travels with an article: ingest sets it, extract copies it onto all it publishes for the
article, dead letters keep it (the store's side is in tests/e2e/test_observability.py)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from aiokafka import ConsumerRecord
from fastapi.testclient import TestClient
from faststream.kafka import KafkaMessage, TestKafkaBroker

from dealwire.services.extract.app import Extracted, to_messages
from dealwire.services.extract.engine_worker import EngineInput, run_engine
from dealwire.services.ingest.app import build_app
from dealwire.services.ingest.auth import hash_key
from dealwire.shared.ids import article_id_for
from dealwire.shared.kafka import DeadLetters, PoisonMessage, Undeliverable
from dealwire.shared.schemas import RawArticle
from dealwire.shared.settings import Settings
from dealwire.shared.tracing import trace_id_from_traceparent, trace_id_of

KEY = "key-of-feed-a"
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{TRACE_ID}-00f067aa0ba902b7-01"
DEAL = ("Novatim Therapeutics entered into an exclusive license agreement with Erigen Bio for KQ-2003, "
        "receiving $15 million upfront.")


@pytest.fixture
async def gateway() -> AsyncIterator[tuple[TestClient, list[dict[str, Any]]]]:
    """Ingest over faststream's in-memory broker; yields the client and the headers of each record published."""
    app = build_app(Settings(api_key_hashes=[hash_key(KEY)]))
    headers: list[dict[str, Any]] = []

    @app.state.broker.subscriber("articles.raw.v1")
    async def capture(_: dict, message: KafkaMessage) -> None:
        headers.append(dict(message.headers))

    async with TestKafkaBroker(app.state.broker):
        yield TestClient(app), headers


def post(client: TestClient, text: str, **headers: str) -> int:
    return client.post("/v1/articles", json={"text": text}, headers={"X-API-Key": KEY, **headers}).status_code


def traced(headers: dict[str, Any]) -> str | None:
    return trace_id_from_traceparent(headers.get("traceparent"))


async def test_ingest_keeps_the_callers_trace_id(gateway: tuple[TestClient, list[dict[str, Any]]]) -> None:
    client, published = gateway

    assert post(client, "First story about a deal.", traceparent=TRACEPARENT) == 201
    assert post(client, "Second story about a deal.", **{"X-Request-ID": "4bf92f35-77b3-4da6-a3ce-929d0e0e4736"}) == 201

    assert [traced(headers) for headers in published] == [TRACE_ID, TRACE_ID]
    assert published[0]["traceparent"] != TRACEPARENT  # same trace, ingest's own span


async def test_without_a_header_each_article_gets_a_trace_id_of_its_own(
        gateway: tuple[TestClient, list[dict[str, Any]]]) -> None:
    client, published = gateway
    lines = "\n".join(json.dumps({"text": f"Story number {n} about a deal."}) for n in range(3))

    assert post(client, "A story about a deal.") == 201
    response = client.post("/v1/articles:batch", content=lines.encode(),
                           headers={"X-API-Key": KEY, "Content-Type": "application/x-ndjson"})

    assert response.status_code == 200
    trace_ids = [traced(headers) for headers in published]
    assert len(trace_ids) == 4 and None not in trace_ids and len(set(trace_ids)) == 4


async def test_a_batch_with_the_callers_traceparent_puts_every_article_in_that_trace(
        gateway: tuple[TestClient, list[dict[str, Any]]]) -> None:
    client, published = gateway
    lines = "\n".join(json.dumps({"text": f"Story number {n} about a deal."}) for n in range(3))

    client.post("/v1/articles:batch", content=lines.encode(),
                headers={"X-API-Key": KEY, "Content-Type": "application/x-ndjson", "traceparent": TRACEPARENT})

    assert [traced(headers) for headers in published] == [TRACE_ID] * 3


def raw_record(text: str, headers: list[tuple[str, bytes]]) -> tuple[ConsumerRecord, RawArticle]:
    article = RawArticle(article_id=article_id_for(text), source=None, url=None, title="Deal", published=None,
                         text=text, received_at=datetime(2026, 1, 5, tzinfo=UTC))
    value = article.model_dump_json().encode()
    record = ConsumerRecord("articles.raw.v1", 0, 3, 0, 0, article.article_id.encode(), value, None, 0, len(value),
                            headers)
    return record, article


def extract_records(records: list[tuple[ConsumerRecord, RawArticle]], topics: tuple[str, str]) -> list[Extracted]:
    """What extract publishes for each record, the engine run in this process."""
    return to_messages(records, run_engine([EngineInput.of(article) for _, article in records]), topics)


def test_extract_copies_the_trace_id_onto_every_record_it_publishes_for_the_article() -> None:
    [result] = extract_records([raw_record(DEAL, [("traceparent", TRACEPARENT.encode())])],
                               ("deals.events.v1", "articles.extracted.v1"))

    assert result.error is None
    assert {m.topic for m in result.messages} == {"deals.events.v1", "articles.extracted.v1"}
    assert len(result.messages) >= 2  # at least one event, and the extraction record
    assert {trace_id_from_traceparent(m.headers["traceparent"]) for m in result.messages} == {TRACE_ID}


def test_an_article_without_a_trace_gives_records_without_one() -> None:
    [result] = extract_records([raw_record(DEAL, [])], ("deals.events.v1", "articles.extracted.v1"))

    assert result.messages and all("traceparent" not in m.headers for m in result.messages)


class RecordingBroker:
    def __init__(self) -> None:
        self.headers: list[dict[str, str]] = []

    async def publish(self, _: bytes, *, topic: str, key: bytes | None, headers: dict[str, str],
                      no_confirm: bool) -> asyncio.Future:
        self.headers.append(headers)
        ack: asyncio.Future = asyncio.get_running_loop().create_future()
        ack.set_result(None)
        return ack


async def test_a_dead_letter_stays_in_its_articles_trace() -> None:
    broker = RecordingBroker()
    record, _ = raw_record(DEAL, [("traceparent", TRACEPARENT.encode())])

    await DeadLetters(broker, "extract", max_record_bytes=1 << 20).send(  # type: ignore[arg-type]
        [Undeliverable(record, PoisonMessage("not a RawArticle v1"))])

    [headers] = broker.headers
    assert trace_id_of([(k, v.encode()) for k, v in headers.items()]) == TRACE_ID
