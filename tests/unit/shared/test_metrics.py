"""The metrics a scrape shows: HTTP requests by route template, dead letters by reason, the ports."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from aiokafka import ConsumerRecord
from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from dealwire.services.ingest.app import build_app
from dealwire.services.ingest.auth import hash_key
from dealwire.shared.kafka import DeadLetters, PoisonMessage, Undeliverable
from dealwire.shared.metrics import HttpMetrics, metrics_port_for
from dealwire.shared.settings import Settings


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_requests_are_counted_by_route_template_and_status() -> None:
    app = FastAPI()
    app.add_middleware(HttpMetrics)

    @app.get("/things/{thing_id}")
    async def thing(thing_id: str) -> dict[str, str]:
        if thing_id == "missing":
            raise HTTPException(404)
        return {"id": thing_id}

    labels = {"method": "GET", "route": "/things/{thing_id}"}
    before = {status: sample("dealwire_http_requests_total", **labels, status=status) for status in ("200", "404")}
    unmatched = sample("dealwire_http_requests_total", method="GET", route="unmatched", status="404")
    timed = sample("dealwire_http_request_duration_seconds_count", **labels)
    client = TestClient(app)

    for path in ("/things/1", "/things/2", "/things/missing", "/nowhere"):
        client.get(path)

    assert sample("dealwire_http_requests_total", **labels, status="200") - before["200"] == 2
    assert sample("dealwire_http_requests_total", **labels, status="404") - before["404"] == 1
    assert sample("dealwire_http_requests_total", method="GET", route="unmatched", status="404") - unmatched == 1
    assert sample("dealwire_http_request_duration_seconds_count", **labels) - timed == 3


def test_ingest_serves_its_metrics_in_prometheus_text_format() -> None:
    client = TestClient(build_app(Settings(api_key_hashes=[hash_key("k")])))
    refused = sample("dealwire_http_requests_total", method="POST", route="/v1/articles", status="422")
    invalid = sample("dealwire_ingest_articles_total", outcome="invalid")
    client.post("/v1/articles", content=b"{}", headers={"X-API-Key": "k", "Content-Type": "application/json"})

    response = client.get("/metrics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    names = {family.name for family in text_string_to_metric_families(response.text)}
    assert {"dealwire_http_requests", "dealwire_ingest_articles", "dealwire_messages_published"} <= names
    assert sample("dealwire_http_requests_total", method="POST", route="/v1/articles", status="422") - refused == 1
    assert sample("dealwire_ingest_articles_total", outcome="invalid") - invalid == 1


class AcknowledgingBroker:
    async def publish(self, *_: object, **__: object) -> asyncio.Future:
        ack: asyncio.Future = asyncio.get_running_loop().create_future()
        ack.set_result(None)
        return ack


async def test_dead_letters_are_counted_by_source_topic_and_reason_class() -> None:
    topic = f"metrics-test-{datetime.now(UTC).timestamp()}"
    record = ConsumerRecord(topic, 0, 1, 0, 0, None, b"{", None, 0, 1, ())

    await DeadLetters(AcknowledgingBroker(), "extract", max_record_bytes=1024).send(  # type: ignore[arg-type]
        [Undeliverable(record, PoisonMessage("not JSON")), Undeliverable(record, PoisonMessage("again")),
         Undeliverable(record, ValueError("engine failed"))])

    assert sample("dealwire_messages_dead_lettered_total", topic=topic, reason="PoisonMessage") == 2
    assert sample("dealwire_messages_dead_lettered_total", topic=topic, reason="ValueError") == 1
    assert sample("dealwire_messages_published_total", topic=f"{topic}.dlq") == 3


@pytest.mark.parametrize(("service", "configured", "port"), [
    ("extract", None, 9101), ("store", None, 9102), ("extract", 9200, 9200), ("store", 0, None),
    ("ingest", None, None),  # serves /metrics on its HTTP port
])
def test_each_consumer_has_its_own_default_metrics_port(service: str, configured: int | None,
                                                        port: int | None) -> None:
    assert metrics_port_for(service, configured) == port
