"""extract service: articles.raw.v1 -> extraction engine -> deals.events.v1 + articles.extracted.v1.

Order per batch: decode every record -> dead-letter the undecodable ones -> extract (in the engine's
worker process, `engine_runs.py`, a chunk of articles at a time, while this process sends the previous
chunk's records) -> publish every event, then the article's `ArticleExtracted` record, batched by the
producer (linger, compression) -> wait until the broker acknowledged all of them -> dead-letter what could
not be extracted or published -> one log line for the batch -> return, and only then are the batch's offsets
committed. A crash in between means the batch is extracted again; event ids are deterministic, so downstream
sees the same events.

The records go straight to an aiokafka producer (`dealwire.shared.kafka.Producer`), not through faststream's
`broker.publish`, whose per-record publish command, correlation id and Prometheus middleware object were most
of this process's CPU per article beyond the engine; dead letters (rare) still go through the broker.
"""

from __future__ import annotations

import asyncio
import collections
import importlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import structlog
from aiokafka import ConsumerRecord, TopicPartition

from dealwire.services.extract.engine_runs import EngineRuns
from dealwire.services.extract.engine_worker import EngineFailed, EngineInput, EngineOutput
from dealwire.shared.kafka import (
    BatchConsumer,
    DeadLetters,
    Outgoing,
    Producer,
    Publisher,
    Undeliverable,
    decode_batch,
    ensure_topics,
    make_broker,
    max_record_bytes,
    publish_acknowledged,
    send,
)
from dealwire.shared.logging import Throughput, configure_logging, route_library_loggers_to_root
from dealwire.shared.metrics import serve_metrics
from dealwire.shared.runtime import tune_garbage_collector
from dealwire.shared.schemas import RawArticle
from dealwire.shared.settings import ExtractSettings
from dealwire.shared.tracing import trace_headers, trace_id_of

if TYPE_CHECKING:  # imported in `build_app`: `main` joins the consumer group before faststream is loaded
    from faststream import FastStream

SERVICE = "extract"
# Articles per hop to the engine's worker: their records are sent while the next chunk is extracted. 64, not 16:
# a chunk's records go out as about one produce request, one record batch per partition touched, so a larger
# chunk means fuller batches (fewer requests, lz4 frames and acks per article) for this process, the broker
# and the store's fetches (6,000-article replays, BENCHMARKS.md). A batch smaller than a chunk is one chunk.
CHUNK = 64
log = structlog.get_logger()


@dataclass(frozen=True)
class Extracted:
    record: ConsumerRecord
    messages: list[Outgoing]
    error: Exception | None = None
    event_ids: tuple[str, ...] = ()
    article_id: str = ""
    trace_id: str | None = None


def to_messages(articles: Sequence[tuple[ConsumerRecord, RawArticle]], outputs: Sequence[EngineOutput],
                topics: tuple[str, str]) -> list[Extracted]:
    """Each article's records as messages: its events on `topics[0]`, then the record that the article was
    extracted on `topics[1]`, each with the article's trace header."""
    return [_messages(record, article.article_id, output, topics, trace_id_of(record.headers))
            for (record, article), output in zip(articles, outputs, strict=True)]


def _messages(record: ConsumerRecord, article_id: str, output: EngineOutput, topics: tuple[str, str],
              trace_id: str | None) -> Extracted:
    if output.error is not None or output.done is None:
        return Extracted(record, [], EngineFailed(output.error or "no output"), article_id=article_id,
                         trace_id=trace_id)
    topic_deals, topic_extractions = topics
    trace = trace_headers(trace_id)
    return Extracted(record, [
        *(Outgoing(topic_deals, key, value, {"event_id": event_id, "article_id": article_id, **trace}, source=record)
          for key, value, event_id in output.events),
        Outgoing(topic_extractions, output.done[0], output.done[1], {"article_id": article_id, **trace},
                 source=record),
    ], event_ids=tuple(event_id for _, _, event_id in output.events), article_id=article_id, trace_id=trace_id)


class Extractor:
    """Extracts a batch of articles and publishes the results (`log_articles`: one info line per batch
    naming each article published, with its trace id and event ids, the live service's; a replay of the
    whole history logs a debug line per batch)."""

    def __init__(self, settings: ExtractSettings, producer: Publisher, dead_letters: DeadLetters, *,
                 log_articles: bool = False, engine: EngineRuns | None = None) -> None:
        self._settings = settings
        self._log_articles = log_articles
        self._producer = producer
        self._dead_letters = dead_letters
        self._throughput = Throughput("extract_progress")
        self._engine = engine or EngineRuns(settings.engine_processes, settings.engine_timeout_s)

    async def start(self) -> None:
        """Start the engine's workers (their start-up is not paid by the first batch)."""
        await self._engine.start()

    def stop(self) -> None:
        self._engine.stop()

    async def extract(self, batch: dict[TopicPartition, list[ConsumerRecord]]) -> None:
        records = [record for partition_records in batch.values() for record in partition_records]
        articles, poison = decode_batch(RawArticle, records, max_record_bytes(self._settings))
        letters = list(poison)
        messages: list[Outgoing] = []
        sent: list[asyncio.Future | Exception] = []
        published: list[Extracted] = []
        chunks = [articles[start:start + CHUNK] for start in range(0, len(articles), CHUNK)]
        upcoming = iter(chunks)
        in_engine: collections.deque[asyncio.Task[list[EngineOutput]]] = collections.deque()
        try:
            self._hand_over(upcoming, in_engine)
            for chunk in chunks:
                outputs = await in_engine.popleft()
                self._hand_over(upcoming, in_engine)  # the engine goes on while this chunk's records are sent
                results = to_messages(chunk, outputs, self._topics)
                for result in results:
                    if result.error is not None:
                        letters.append(Undeliverable(result.record, result.error))
                        continue
                    published.append(result)
                    for message in result.messages:
                        messages.append(message)
                        sent.append(await send(self._producer, message))
        finally:
            for task in in_engine:
                task.cancel()
        refused = _by_source(await publish_acknowledged(self._producer, messages, sent))
        letters.extend(Undeliverable(record, error) for record, error in refused)
        await self._dead_letters.send(letters)
        self._throughput.add(articles=len(articles), messages=len(messages), dead_lettered=len(letters))
        counts = {"records": len(records), "articles": len(articles), "messages": len(messages),
                  "dead_lettered": len(letters)}
        if self._log_articles:  # one line per batch, not per article: each article still greps by its trace id
            refused_at = {(record.partition, record.offset) for record, _ in refused}
            log.info("batch_extracted", **counts, extracted=[
                {"article_id": r.article_id, "trace_id": r.trace_id, "event_ids": list(r.event_ids)}
                for r in published if (r.record.partition, r.record.offset) not in refused_at])
        else:
            log.debug("batch_extracted", **counts)

    @property
    def _topics(self) -> tuple[str, str]:
        return self._settings.topic_deals, self._settings.topic_extractions or ""

    def _hand_over(self, upcoming: Iterator[list[tuple[ConsumerRecord, RawArticle]]],
                   in_engine: collections.deque[asyncio.Task[list[EngineOutput]]]) -> None:
        """Keep `processes` + 1 chunks with the engine, so that no worker waits for its next chunk (in a thread:
        one chunk ahead of the one being sent)."""
        while len(in_engine) < self._engine.processes + 1 and (chunk := next(upcoming, None)) is not None:
            in_engine.append(asyncio.create_task(self._engine.run([EngineInput.of(article) for _, article in chunk])))


def _by_source(refused: list[tuple[Outgoing, Exception]]) -> list[tuple[ConsumerRecord, Exception]]:
    """One dead letter per article whose events the broker refused."""
    first: dict[tuple[int, int], tuple[ConsumerRecord, Exception]] = {}
    for message, error in refused:
        if message.source is not None:
            first.setdefault((message.source.partition, message.source.offset), (message.source, error))
    return list(first.values())


def build_app(settings: ExtractSettings, engine: EngineRuns | None = None,
              joining: tuple[BatchConsumer, asyncio.Task[None]] | None = None) -> FastStream:
    """The service; `engine`: its engine's workers, if they were started already (`EngineRuns.begin`);
    `joining`: its consumer, already joining its group (`main`), and that join."""
    from faststream import FastStream

    broker = make_broker(settings, client_id=f"dealwire-{SERVICE}")  # the app's lifecycle and the dead letters
    producer = Producer(settings, client_id=f"dealwire-{SERVICE}")  # the events and extraction records
    extractor = Extractor(settings, producer, DeadLetters(broker, SERVICE, max_record_bytes(settings)),
                          log_articles=True, engine=engine)
    if joining is None:
        consumer, join = BatchConsumer(settings, SERVICE, [settings.topic_articles], extractor.extract), None
    else:
        consumer, join = joining
        consumer.handle = extractor.extract
    app = FastStream(broker, logger=structlog.get_logger("faststream"))

    @app.on_startup
    async def create_topics() -> None:
        if join is None:
            await ensure_topics(settings)
        await producer.start()

    @app.after_startup
    async def start_consuming() -> None:
        # the workers start while the group forms; batches are handed over once both are ready
        await asyncio.gather(extractor.start(), join if join is not None else consumer.join())
        consumer.consume()

    @app.on_shutdown
    async def stop_consuming() -> None:
        if join is not None and not join.done():
            join.cancel()
        await consumer.stop()
        extractor.stop()
        await producer.stop()

    return app


async def main(settings: ExtractSettings | None = None, engine: EngineRuns | None = None) -> None:
    """Start-up in the order that is quickest to the first batch: the topics, then the consumer's join (on
    Tansu about a second of waiting for the broker, `dealwire.embedded`), and only while it waits faststream's
    import (a third of a second of CPU, in a thread so that the event loop goes on with the join's requests),
    the app, the producer and the engine's workers (started by `__main__` before any of this)."""
    settings = settings or ExtractSettings()
    configure_logging(SERVICE, settings.log_level)
    serve_metrics(SERVICE, settings.http_host, settings.metrics_port)
    # before the join: a consumer that joins before its topic exists gets none of its partitions until its
    # metadata is next refreshed (minutes)
    await ensure_topics(settings)
    consumer = BatchConsumer(settings, SERVICE, [settings.topic_articles], None)  # its handler: set by `build_app`
    join = asyncio.create_task(consumer.join(), name=f"{SERVICE}-join")
    try:
        await asyncio.to_thread(importlib.import_module, "faststream.kafka")
        route_library_loggers_to_root()  # faststream's import gave its logger a handler of its own
        app = build_app(settings, engine, joining=(consumer, join))
    except BaseException:
        join.cancel()
        raise
    tune_garbage_collector()
    await app.run()

