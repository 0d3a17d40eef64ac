"""Publishing raw articles: acknowledged by the broker (acks=all) or reported unavailable, never guessed.

A batch is handed to the producer whole (each record keyed by its article id) and then awaited, so
the producer packs many records into few requests. After a failed publish the gateway answers 503
at once for `retry_after_s`, instead of letting every client wait out the broker's timeout.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Literal

import structlog
from aiokafka.errors import KafkaError
from faststream.kafka import KafkaBroker

from dealwire.services.ingest.articles import RecentIds
from dealwire.shared.metrics import MESSAGES_PUBLISHED
from dealwire.shared.schemas import RawArticle
from dealwire.shared.tracing import new_trace_id, trace_headers

log = structlog.get_logger()
Status = Literal["published", "duplicate", "unavailable"]


class BrokerUnavailable(Exception):
    """The broker did not acknowledge in time, or failed recently; try again after `retry_after_s`."""


class RecordTooLarge(ValueError):
    """The normalised article, as a record, exceeds the limit the producer and the topic share."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"the article is {size} bytes as a record after normalisation; the limit is {limit}")


@dataclass(frozen=True)
class Readiness:
    ready: bool
    reason: str


class ArticlePublisher:
    def __init__(self, broker: KafkaBroker, topic: str, *, max_record_bytes: int, timeout_s: float,
                 retry_after_s: int) -> None:
        self._broker = broker
        self._topic = topic
        self._max_record_bytes = max_record_bytes
        self._timeout_s = timeout_s
        self.retry_after_s = retry_after_s
        self._seen = RecentIds()
        self._down_until = 0.0

    def encode(self, article: RawArticle) -> bytes:
        value = article.model_dump_json().encode()
        if len(value) > self._max_record_bytes:
            raise RecordTooLarge(len(value), self._max_record_bytes)
        return value

    def check_available(self) -> None:
        if time.monotonic() < self._down_until:
            raise BrokerUnavailable("the broker failed a moment ago")

    async def publish(self, articles: list[tuple[RawArticle, bytes]], trace_id: str | None = None) -> list[Status]:
        """Each article's status, in order. Raises `BrokerUnavailable` if none could be published.

        Each record carries `trace_id` (the request's) in its `traceparent` header, or a new one of its own."""
        self.check_available()
        statuses: list[Status | None] = [None] * len(articles)
        first_of: dict[str, int] = {}
        for index, (article, _) in enumerate(articles):
            if article.article_id in self._seen:
                statuses[index] = "duplicate"
            else:
                first_of.setdefault(article.article_id, index)
        outcomes = await self._send([articles[index] for index in first_of.values()], trace_id)
        for (article_id, index), outcome in zip(first_of.items(), outcomes, strict=True):
            statuses[index] = outcome
            if outcome == "published":
                self._seen.add(article_id)
        for index, (article, _) in enumerate(articles):  # repeats within the batch follow their first
            if statuses[index] is None:
                first = statuses[first_of[article.article_id]]
                statuses[index] = "duplicate" if first == "published" else first
        if outcomes and all(outcome == "unavailable" for outcome in outcomes):
            raise BrokerUnavailable("the broker acknowledged none of the articles")
        return statuses  # type: ignore[return-value]

    async def _send(self, articles: list[tuple[RawArticle, bytes]], trace_id: str | None) -> list[Status]:
        futures: list[asyncio.Future] = []
        trace_ids = [trace_id or new_trace_id() for _ in articles]
        try:
            async with asyncio.timeout(self._timeout_s):
                for (article, value), trace in zip(articles, trace_ids, strict=True):
                    futures.append(_as_future(await self._broker.publish(
                        value, topic=self._topic, key=article.article_id.encode(),
                        headers={"article_id": article.article_id, **trace_headers(trace)}, no_confirm=True,
                    )))
                results = await asyncio.gather(*futures, return_exceptions=True)
        except (TimeoutError, KafkaError, OSError) as error:
            self._mark_down(error)
            results = [_result_or(future, error) for future in futures]
            results += [error] * (len(articles) - len(futures))
        outcomes: list[Status] = []
        for (article, value), trace, result in zip(articles, trace_ids, results, strict=True):
            if isinstance(result, BaseException):
                self._mark_down(result)
                outcomes.append("unavailable")
            else:
                log.info("article_published", article_id=article.article_id, trace_id=trace, bytes=len(value),
                         source=article.source)
                outcomes.append("published")
        MESSAGES_PUBLISHED.labels(topic=self._topic).inc(outcomes.count("published"))
        return outcomes

    def _mark_down(self, error: BaseException) -> None:
        if time.monotonic() >= self._down_until:
            log.warning("broker_unavailable", error=repr(error)[:300], retry_after_s=self.retry_after_s)
        self._down_until = time.monotonic() + self.retry_after_s

    async def readiness(self, topics: list[str]) -> Readiness:
        """Broker reachable and the topics present, asked of the broker now (bounded by 2 s)."""
        try:
            async with asyncio.timeout(2.0):
                existing = set(await self._broker.config.admin_client.list_topics())
        except Exception as error:  # any failure to ask means: not ready
            return Readiness(False, f"broker unreachable: {type(error).__name__}")
        if missing := [topic for topic in topics if topic not in existing]:
            return Readiness(False, f"topics missing: {', '.join(missing)}")
        if time.monotonic() < self._down_until:
            return Readiness(False, "a publish failed a moment ago")
        return Readiness(True, "ok")


def _result_or(future: asyncio.Future, error: BaseException) -> object:
    if future.done() and not future.cancelled() and future.exception() is None:
        return future.result()
    return error


def _as_future(sent: object) -> asyncio.Future:
    """aiokafka hands back the delivery future; faststream's in-memory test broker, the result itself."""
    if asyncio.isfuture(sent):
        return sent
    future = asyncio.get_running_loop().create_future()
    future.set_result(sent)
    return future
