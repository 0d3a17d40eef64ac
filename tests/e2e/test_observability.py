"""What an operator sees of the running pipeline: each service's /metrics, and one trace id per article
in the JSON log lines of ingest, extract and store.

One stack for the module: the four seed articles flow once (one of them posted with a W3C `traceparent`
header of the caller's), then the tests only read metrics and logs.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from dealwire.services.ingest.client import collect
from dealwire.stack import ServiceProcesses, StackConfig
from tests.conftest import REPO
from tests.support.infra import Infra, create_database, unique_name
from tests.support.pipeline import ingest, query, wait_for_extractions, wait_for_projection

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
SEEDS = sorted((REPO / "seeds").glob("*.txt"))
CALLER_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_TRACEPARENT = f"00-{CALLER_TRACE_ID}-00f067aa0ba902b7-01"


@dataclass(frozen=True)
class SeedsRun:
    services: ServiceProcesses
    article_ids: set[str]
    traced_article_id: str  # the seed posted with the caller's traceparent
    events_stored: int


def scrape(url: str) -> dict[tuple[str, frozenset], float]:
    """Every sample of a /metrics page, by (name, labels)."""
    response = httpx.get(url, timeout=5.0)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return {(sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(response.text) for sample in family.samples}


def value(samples: dict[tuple[str, frozenset], float], name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def total(samples: dict[tuple[str, frozenset], float], name: str, **labels: str) -> float:
    """The sum over every series of `name` whose labels include `labels`."""
    return sum(v for (n, series), v in samples.items() if n == name and set(labels.items()) <= series)


def log_lines(services: ServiceProcesses, service: str) -> list[dict]:
    """The service's log as JSON objects; a line that is not one fails the test."""
    lines = services.log_path(service).read_text().splitlines()
    parsed = []
    for line in lines:
        try:
            parsed.append(json.loads(line))
        except json.JSONDecodeError:
            pytest.fail(f"{service} logged a line that is not JSON: {line[:300]!r}")
    return parsed


def wait_for_store_metrics(services: ServiceProcesses, articles: int, events: int, timeout_s: float = 60.0) -> None:
    """The store counts a batch right after its transaction: wait until it counted what the database holds."""
    deadline = time.monotonic() + timeout_s
    while True:
        samples = scrape(services.config.metrics_url("store"))
        counted = (value(samples, "dealwire_store_records_applied_total", kind="article"),
                   value(samples, "dealwire_store_records_applied_total", kind="event"))
        if counted[0] >= articles and counted[1] >= events:
            return
        assert time.monotonic() < deadline, f"the store counted {counted}; its tables hold {(articles, events)}"
        time.sleep(0.3)


@pytest.fixture(scope="module")
def seeds_run(infra: Infra, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeedsRun]:
    name = unique_name("obs")
    database_url = asyncio.run(create_database(infra.database_url, name))
    config = StackConfig(infra.bootstrap_servers, database_url, log_dir=tmp_path_factory.mktemp("obs-logs"),
                         name=name, enable_idempotence=infra.enable_idempotence,
                         kafka_session_timeout_ms=infra.session_timeout_ms,
                         topic_articles=f"{name}.articles.raw.v1", topic_deals=f"{name}.deals.events.v1")
    with ServiceProcesses(config) as services:
        services.start_all()
        services.start("store-api")
        outcomes = ingest(services, SEEDS[1:])
        [traced] = collect(SEEDS[:1])
        response = httpx.post(f"{config.ingest_url}/v1/articles", json=traced.body, timeout=30.0,
                              headers={"X-API-Key": config.api_key, "traceparent": CALLER_TRACEPARENT})
        assert response.status_code == 201, response.text
        traced_id = response.json()["article_id"]
        ids = {o.article_id for o in outcomes if o.article_id} | {traced_id}
        asyncio.run(wait_for_projection(services, ids))
        asyncio.run(wait_for_extractions(services, ids))
        [(events,)] = asyncio.run(query(database_url, "SELECT count(*) FROM deal_events"))
        wait_for_store_metrics(services, len(ids), events)
        yield SeedsRun(services, ids, traced_id, events)


def test_each_service_counts_what_the_four_seeds_did(seeds_run: SeedsRun) -> None:
    config = seeds_run.services.config
    articles, deals = config.topic_articles, config.topic_deals
    extractions = articles.replace("articles.raw.v1", "articles.extracted.v1")
    events = seeds_run.events_stored
    assert len(seeds_run.article_ids) == 4 and events > 4

    ingest = scrape(config.metrics_url("ingest"))
    assert value(ingest, "dealwire_http_requests_total", method="POST", route="/v1/articles", status="201") == 4
    assert value(ingest, "dealwire_ingest_articles_total", outcome="published") == 4
    assert value(ingest, "dealwire_messages_published_total", topic=articles) == 4
    assert value(ingest, "dealwire_http_request_duration_seconds_count", method="POST", route="/v1/articles") == 4

    extract = scrape(config.metrics_url("extract"))
    assert value(extract, "dealwire_messages_consumed_total", topic=articles) == 4
    assert value(extract, "dealwire_messages_published_total", topic=deals) == events
    assert value(extract, "dealwire_messages_published_total", topic=extractions) == 4
    assert total(extract, "dealwire_messages_dead_lettered_total") == 0
    assert total(extract, "dealwire_messages_failed_total") == 0
    assert value(extract, "dealwire_batch_duration_seconds_count") >= 1
    assert total(extract, "faststream_published_messages_total", destination=deals) == events
    lags = {labels: v for (name, labels), v in extract.items() if name == "dealwire_consumer_lag"}
    assert lags and set(lags.values()) == {0.0}, lags

    store = scrape(config.metrics_url("store"))
    assert value(store, "dealwire_messages_consumed_total", topic=articles) == 4
    assert value(store, "dealwire_messages_consumed_total", topic=deals) == events
    assert value(store, "dealwire_messages_consumed_total", topic=extractions) == 4
    assert value(store, "dealwire_store_records_applied_total", kind="article") == 4
    assert value(store, "dealwire_store_records_applied_total", kind="event") == events
    assert total(store, "dealwire_messages_dead_lettered_total") == 0

    assert httpx.get(f"{config.api_url}/v1/deals", timeout=10.0).status_code == 200
    api = scrape(config.metrics_url("store-api"))
    assert value(api, "dealwire_http_requests_total", method="GET", route="/v1/deals", status="200") == 1


def test_one_trace_id_follows_each_article_from_ingest_to_the_store(seeds_run: SeedsRun) -> None:
    services = seeds_run.services
    published = {line["article_id"]: line for line in log_lines(services, "ingest")
                 if line["event"] == "article_published"}
    extracted = {article["article_id"]: article for line in log_lines(services, "extract")  # one line per batch
                 if line["event"] == "batch_extracted" for article in line["extracted"]}
    stored = {line["article_id"]: line for line in log_lines(services, "store")
              if line["event"] == "extraction_applied"}

    assert set(published) == set(extracted) == set(stored) == seeds_run.article_ids
    for article_id in seeds_run.article_ids:
        trace_id = published[article_id]["trace_id"]
        assert len(trace_id) == 32
        assert extracted[article_id]["trace_id"] == trace_id
        assert stored[article_id]["trace_id"] == trace_id
        assert stored[article_id]["events"] == len(extracted[article_id]["event_ids"])
    assert len({line["trace_id"] for line in published.values()}) == 4  # a new trace per article
    assert published[seeds_run.traced_article_id]["trace_id"] == CALLER_TRACE_ID  # the caller's, kept


@pytest.mark.parametrize("service", ["ingest", "extract", "store", "store-api"])
def test_every_log_line_is_a_json_object_with_level_and_time(seeds_run: SeedsRun, service: str) -> None:
    lines = log_lines(seeds_run.services, service)

    assert lines
    assert all({"event", "level", "timestamp", "service"} <= set(line) for line in lines), [
        line for line in lines if not {"event", "level", "timestamp", "service"} <= set(line)][:3]
    if service in ("extract", "store"):  # faststream's and aiokafka's own lines are among them
        assert any(line.get("logger") == "faststream" for line in lines)
        assert any(line.get("logger", "").startswith("aiokafka") for line in lines)
