"""ingest service: HTTP gateway that validates, normalises, dedupes and publishes raw articles.

Every check that needs no body (API key, media type, declared length) runs before the body is read,
and a refusal closes the connection, so an unauthenticated or oversized upload costs nothing. A 201
means the broker acknowledged the record (acks=all) on `articles.raw.v1`, keyed by its article_id;
a broker that does not acknowledge in time gives 503 with Retry-After.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

import structlog
import uvicorn
from fastapi import Depends, FastAPI, HTTPException, Request, Security, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import APIKeyHeader
from pydantic import BaseModel
from starlette.requests import ClientDisconnect

from dealwire.services.ingest.articles import (
    ArticleAccepted,
    ArticleIn,
    empty_article_error,
    parse_article,
    to_raw_article,
)
from dealwire.services.ingest.auth import ApiKeys
from dealwire.services.ingest.normalise import EmptyArticle
from dealwire.services.ingest.publisher import ArticlePublisher, BrokerUnavailable, RecordTooLarge
from dealwire.shared.kafka import ensure_topics, make_broker, max_record_bytes
from dealwire.shared.logging import configure_logging
from dealwire.shared.metrics import INGEST_ARTICLES, HttpMetrics, metrics_response
from dealwire.shared.schemas import RawArticle
from dealwire.shared.settings import IngestSettings
from dealwire.shared.tracing import incoming_trace_id

SERVICE = "ingest"
JSON_TYPES = ("application/json",)
NDJSON_TYPES = ("application/x-ndjson", "application/jsonl", "application/ndjson")
CLOSE = {"Connection": "close"}  # refused before the body was read: do not read it to keep the connection
log = structlog.get_logger()

API_KEY_HEADER = APIKeyHeader(name="X-API-Key", auto_error=False,
                              description="one of the keys whose hash is in DEALWIRE_API_KEY_HASHES")

LineStatus = Literal["published", "duplicate", "invalid", "too_large", "unavailable"]


class FieldError(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class LineResult(BaseModel):
    line: int
    status: LineStatus
    article_id: str | None = None
    errors: list[FieldError] | None = None


class BatchResult(BaseModel):
    counts: dict[str, int]
    results: list[LineResult]


class Readiness(BaseModel):
    status: Literal["ready", "not ready"]
    reason: str


class TooLarge(HTTPException):
    def __init__(self, detail: str) -> None:
        super().__init__(status.HTTP_413_CONTENT_TOO_LARGE, detail, headers=CLOSE)


def body_check(media_types: tuple[str, ...], limit: int) -> Callable[[Request], None]:
    """Media type and declared length, from the headers alone."""

    def check(request: Request) -> None:
        media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if media_type not in media_types:
            raise HTTPException(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
                                f"send Content-Type {' or '.join(media_types)}", headers=CLOSE)
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise TooLarge(f"the body is {int(declared)} bytes; the limit is {limit}")

    return check


async def read_body(request: Request, limit: int) -> bytes:
    """The body, refused as soon as it passes `limit` (a chunked upload declares no length)."""
    body = bytearray()
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                raise TooLarge(f"the body is more than {limit} bytes")
    except ClientDisconnect as error:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "the client went away", headers=CLOSE) from error
    return bytes(body)


def request_log_context(request: Request) -> dict[str, str]:
    """What the request's log lines carry: the trace id it brings, and a caller's X-Request-ID that is not one."""
    context: dict[str, str] = {}
    if trace_id := incoming_trace_id(request.headers):
        context["trace_id"] = trace_id
    elif request_id := request.headers.get("x-request-id"):
        context["request_id"] = request_id[:200]
    return context


def request_body(media_type: str, schema: dict[str, Any]) -> dict[str, Any]:
    """OpenAPI for a body the handler reads itself (so that the checks above run first)."""
    return {"requestBody": {"required": True, "content": {media_type: {"schema": schema}}}}


def build_app(settings: IngestSettings) -> FastAPI:
    try:
        keys = ApiKeys(settings.api_key_hashes)
    except ValueError as error:
        raise SystemExit(f"ingest: {error}") from error
    broker = make_broker(settings, client_id=f"dealwire-{SERVICE}",
                         request_timeout_ms=int(settings.publish_timeout_s * 1000))
    publisher = ArticlePublisher(broker, settings.topic_articles, max_record_bytes=max_record_bytes(settings),
                                 timeout_s=settings.publish_timeout_s, retry_after_s=settings.retry_after_s)
    retry_after = {"Retry-After": str(settings.retry_after_s)}

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await ensure_topics(settings)
        await broker.start()
        log.info("ingest_ready", host=settings.http_host, port=settings.http_port)
        yield
        await broker.stop()

    def require_api_key(key: Annotated[str | None, Security(API_KEY_HEADER)]) -> None:
        if not keys.accepts(key):
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing or wrong X-API-Key header",
                                headers={"WWW-Authenticate": "ApiKey", **CLOSE})

    app = FastAPI(title="dealwire ingest", version="1", lifespan=lifespan,
                  description="Push biopharma news articles into the dealwire pipeline.")
    app.state.broker = broker
    app.add_middleware(HttpMetrics)

    @app.exception_handler(BrokerUnavailable)
    async def broker_unavailable(_: Request, error: BrokerUnavailable) -> JSONResponse:
        return JSONResponse({"detail": f"broker unavailable: {error}; try again"},
                            status.HTTP_503_SERVICE_UNAVAILABLE, headers=retry_after)

    @app.get("/healthz", tags=["operations"])
    async def healthz() -> dict[str, str]:
        """The process is alive (says nothing of the broker: see /readyz)."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["operations"], responses={503: {"model": Readiness}})
    async def readyz() -> JSONResponse:
        """The broker answers and the articles topic exists."""
        readiness = await publisher.readiness([settings.topic_articles])
        body = Readiness(status="ready" if readiness.ready else "not ready", reason=readiness.reason)
        code, headers = (200, None) if readiness.ready else (503, retry_after)
        return JSONResponse(body.model_dump(), code, headers=headers)

    @app.get("/metrics", tags=["operations"], response_class=Response,
             responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text format"}})
    async def metrics() -> Response:
        """Prometheus metrics: requests by route and status, articles by outcome, records published."""
        return metrics_response()

    errors = {401: {"description": "missing or wrong API key"}, 413: {"description": "body too large"},
              415: {"description": "wrong Content-Type"}, 503: {"description": "broker unavailable; Retry-After"}}

    @app.post(
        "/v1/articles", status_code=status.HTTP_201_CREATED, tags=["articles"], responses=errors,
        dependencies=[Security(require_api_key), Depends(body_check(JSON_TYPES, settings.max_article_bytes))],
        openapi_extra=request_body("application/json", ArticleIn.model_json_schema()),
    )
    async def post_article(request: Request) -> ArticleAccepted:
        """One article as JSON; 201 once the broker acknowledged it (or it is a known duplicate)."""
        context = request_log_context(request)
        with structlog.contextvars.bound_contextvars(**context):
            body = await read_body(request, settings.max_article_bytes)
            try:
                raw, value = article_record(body)
                [outcome] = await publisher.publish([(raw, value)], trace_id=context.get("trace_id"))
            except RequestValidationError:
                INGEST_ARTICLES.labels(outcome="invalid").inc()
                raise
            except TooLarge:
                INGEST_ARTICLES.labels(outcome="too_large").inc()
                raise
            except BrokerUnavailable:
                INGEST_ARTICLES.labels(outcome="unavailable").inc()
                raise
            INGEST_ARTICLES.labels(outcome=outcome).inc()
            if outcome == "duplicate":
                log.info("article_duplicate", article_id=raw.article_id)
        return ArticleAccepted(article_id=raw.article_id, status=outcome)  # type: ignore[arg-type]

    def article_record(body: bytes) -> tuple[RawArticle, bytes]:
        parsed = parse_article(body)
        if isinstance(parsed, list):
            raise RequestValidationError(parsed)
        try:
            raw = to_raw_article(parsed, received_at=datetime.now(UTC))
            return raw, publisher.encode(raw)
        except EmptyArticle as error:
            raise RequestValidationError(empty_article_error(parsed, error)) from error
        except RecordTooLarge as error:
            raise TooLarge(str(error)) from error

    @app.post(
        "/v1/articles:batch", tags=["articles"], response_model=BatchResult,
        responses={**errors, 503: {"model": BatchResult, "description": "some lines not acknowledged"}},
        dependencies=[Security(require_api_key), Depends(body_check(NDJSON_TYPES, settings.max_batch_bytes))],
        openapi_extra=request_body("application/x-ndjson", {"type": "string", "description": (
            f"one ArticleIn JSON object per line, at most {settings.max_batch_lines} lines")}),
    )
    async def post_batch(request: Request) -> JSONResponse:
        """Up to `max_batch_lines` articles as NDJSON, published together; a result per line."""
        lines = [(number, line.rstrip(b"\r"))
                 for number, line in enumerate((await read_body(request, settings.max_batch_bytes)).split(b"\n"), 1)
                 if line.strip()]
        if not lines:
            raise RequestValidationError([{"loc": ["body"], "msg": "no articles in the body", "type": "missing"}])
        if len(lines) > settings.max_batch_lines:
            raise TooLarge(f"{len(lines)} articles; at most {settings.max_batch_lines} per batch")
        context = request_log_context(request)
        results = {number: prepare_line(number, line) for number, line in lines}
        ready = [(number, result) for number, result in results.items() if isinstance(result, tuple)]
        with structlog.contextvars.bound_contextvars(**context):
            try:
                outcomes = await publisher.publish([article for _, article in ready], trace_id=context.get("trace_id"))
            except BrokerUnavailable:
                outcomes = ["unavailable"] * len(ready)
        for (number, (raw, _)), outcome in zip(ready, outcomes, strict=True):
            results[number] = LineResult(line=number, status=outcome, article_id=raw.article_id)
        line_results = [result for result in results.values() if isinstance(result, LineResult)]
        body = BatchResult(counts=dict(Counter(result.status for result in line_results)), results=line_results)
        for outcome, count in body.counts.items():
            INGEST_ARTICLES.labels(outcome=outcome).inc(count)
        unavailable = body.counts.get("unavailable", 0) > 0
        return JSONResponse(body.model_dump(mode="json", exclude_none=True), 503 if unavailable else 200,
                            headers=retry_after if unavailable else None)

    def prepare_line(number: int, line: bytes) -> LineResult | tuple[RawArticle, bytes]:
        if len(line) > settings.max_article_bytes:
            return LineResult(line=number, status="too_large", errors=[FieldError(
                loc=["body", number], msg=f"{len(line)} bytes; the limit is {settings.max_article_bytes}",
                type="too_large")])
        parsed = parse_article(line, prefix=("body", number))
        if isinstance(parsed, list):
            return LineResult(line=number, status="invalid", errors=[FieldError(**error) for error in parsed])
        try:
            raw = to_raw_article(parsed, received_at=datetime.now(UTC))
            return raw, publisher.encode(raw)
        except EmptyArticle as error:
            return LineResult(line=number, status="invalid", errors=[
                FieldError(**error) for error in empty_article_error(parsed, error, ("body", number))])
        except RecordTooLarge as error:
            return LineResult(line=number, status="too_large", errors=[
                FieldError(loc=["body", number], msg=str(error), type="too_large")])

    return app


def main() -> None:
    settings = IngestSettings()
    configure_logging(SERVICE, settings.log_level)
    app = build_app(settings)
    uvicorn.run(app, host=settings.http_host, port=settings.http_port, log_config=None, access_log=False)
