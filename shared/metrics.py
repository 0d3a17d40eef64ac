"""Prometheus metrics of every service (prometheus-client, the process's default registry).

The consumers (`dealwire.shared.kafka.BatchConsumer`) and the HTTP apps are instrumented here once for all
services; faststream's own Prometheus middleware (on the broker, `dealwire.shared.kafka.make_broker`) adds its
`faststream_published_messages_*` series for what goes through `broker.publish`, and
`dealwire.shared.kafka.Producer` (extract's records) adds to `faststream_published_messages_total` once per
batch. Ingest and the read API serve `/metrics` on their HTTP port; extract and store, which have no HTTP
server, serve it with prometheus-client's own server on `metrics_port` (see `serve_metrics`).
"""

from __future__ import annotations

import time
from collections import Counter as Tally
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import structlog
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Gauge, Histogram, generate_latest
from prometheus_client import start_http_server as _start_http_server

if TYPE_CHECKING:  # starlette comes with the HTTP services' extras only; extract has none
    from starlette.responses import Response
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = structlog.get_logger()

# Where extract and store serve /metrics when `metrics_port` is not set: one port each, so that
# `dealwire dev` runs them side by side on one machine. Ingest and the read API use their HTTP port.
DEFAULT_METRICS_PORTS = {"extract": 9101, "store": 9102}
BATCH_SECONDS_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

MESSAGES_CONSUMED = Counter("dealwire_messages_consumed", "Records fetched by the service's consumer", ["topic"])
MESSAGES_PUBLISHED = Counter("dealwire_messages_published",
                             "Records the broker acknowledged (acks=all), dead letters included", ["topic"])
MESSAGES_FAILED = Counter("dealwire_messages_failed",
                          "Records of batches whose handling raised; they are rewound and read again", ["topic"])
MESSAGES_DEAD_LETTERED = Counter("dealwire_messages_dead_lettered",
                                 "Records published to <topic>.dlq, by source topic and reason class "
                                 "(PoisonMessage: undecodable or invalid)", ["topic", "reason"])
BATCH_SECONDS = Histogram("dealwire_batch_duration_seconds",
                          "Time to handle one consumed batch, from hand-over to return (before the commit)",
                          buckets=BATCH_SECONDS_BUCKETS)
CONSUMER_LAG = Gauge("dealwire_consumer_lag",
                     "Records on the broker not yet fetched: high watermark minus position, per assigned partition, "
                     "as of the last batch", ["topic", "partition"])

HTTP_REQUESTS = Counter("dealwire_http_requests", "HTTP requests answered", ["method", "route", "status"])
HTTP_SECONDS = Histogram("dealwire_http_request_duration_seconds", "Time to answer an HTTP request",
                         ["method", "route"])

INGEST_ARTICLES = Counter("dealwire_ingest_articles",
                          "Articles posted to ingest, by outcome: published (acknowledged), duplicate (accepted, "
                          "already published), invalid, too_large (rejected), unavailable (broker down)",
                          ["outcome"])
STORE_APPLIED = Counter("dealwire_store_records_applied",
                        "Read-model rows the store inserted: kind article or event (a replayed record adds none)",
                        ["kind"])
STORE_SKIPPED = Counter("dealwire_store_records_skipped", "Records the store had applied already (replays)")


def count_by_topic(counter: Counter, topics: Iterable[str]) -> None:
    """One increment per series, not per record."""
    for topic, count in Tally(topics).items():
        counter.labels(topic=topic).inc(count)


def metrics_response(_: Any = None) -> Response:
    """The registry in Prometheus' text format: the body of GET /metrics."""
    from starlette.responses import Response

    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)


def metrics_port_for(service: str, configured: int | None) -> int | None:
    """The port the service serves /metrics on with its own server, or None (0 turns it off)."""
    port = DEFAULT_METRICS_PORTS.get(service) if configured is None else configured
    return port or None


def serve_metrics(service: str, host: str, configured_port: int | None) -> int | None:
    """Start prometheus-client's HTTP server (a daemon thread) for a service without an HTTP app.

    A port already taken (a second replica on one machine) is logged, not fatal: the pipeline matters
    more than its metrics."""
    port = metrics_port_for(service, configured_port)
    if port is None:
        return None
    try:
        _start_http_server(port, addr=host)
    except OSError as error:
        log.error("metrics_server_failed", host=host, port=port, error=repr(error)[:200])
        return None
    log.info("metrics_serving", url=f"http://{host}:{port}/metrics")
    return port


class HttpMetrics:
    """ASGI middleware: count and time every HTTP request by method, route template and status."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets if the app raises before it answered

        async def send_and_note_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note_status)
        finally:
            # The route's template (/v1/deals/{deal_key}), never the raw path: one series per route.
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            HTTP_REQUESTS.labels(method=scope["method"], route=route, status=str(status)).inc()
            HTTP_SECONDS.labels(method=scope["method"], route=route).observe(time.perf_counter() - started)
