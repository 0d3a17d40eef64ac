"""extract service: articles.raw.v1 -> extraction engine -> deals.events.v1 + articles.extracted.v1.

Order per batch: decode every record -> dead-letter the undecodable ones -> extract (in a
worker thread, a chunk of articles at a time, so the event loop keeps heartbeats and sends going)
-> publish every event, then the article's `ArticleExtracted` record, batched by the producer
(linger, compression) -> wait until the broker acknowledged all of them -> return, and only then
are the batch's offsets committed. A crash in
between means the batch is extracted again; event ids are deterministic, so downstream sees the
same events.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import structlog
from aiokafka import ConsumerRecord, TopicPartition
from faststream import FastStream
from faststream.kafka import KafkaBroker

from dealwire.services.extract import engine
from dealwire.shared.ids import deal_key_for, event_id_for, key_for
from dealwire.shared.kafka import (
    BatchConsumer,
    DeadLetters,
    Outgoing,
    Undeliverable,
    decode_batch,
    ensure_topics,
    make_broker,
    max_record_bytes,
    publish_acknowledged,
    send,
)
from dealwire.shared.logging import Throughput, configure_logging
from dealwire.shared.metrics import serve_metrics
from dealwire.shared.runtime import tune_garbage_collector
from dealwire.shared.schemas import ArticleExtracted, DealEvent, DealPayload, RawArticle
from dealwire.shared.settings import ExtractSettings
from dealwire.shared.tracing import trace_headers, trace_id_of

SERVICE = "extract"
CHUNK = 16  # articles per hop to the worker thread: their events are sent while the next chunk is extracted
log = structlog.get_logger()


def deal_events_for(article: RawArticle, now: datetime | None = None) -> list[DealEvent]:
    payloads = engine.extract(article.text, title=article.title, published=article.published)
    extracted_at = now or datetime.now(UTC)
    return [to_event(article, payload, position, extracted_at) for position, payload in enumerate(payloads)]


def to_event(article: RawArticle, payload: DealPayload, position: int, extracted_at: datetime) -> DealEvent:
    # The engine's payload is already validated and the envelope is computed here: nothing to re-validate.
    return DealEvent.model_construct(
        **{name: getattr(payload, name) for name in DealPayload.model_fields},
        schema_version=1,
        event_id=event_id_for(article.article_id, engine.EXTRACTOR_VERSION, position),
        deal_key=deal_key_for(payload),
        article_id=article.article_id,
        position=position,
        extractor=engine.EXTRACTOR_NAME,
        extractor_version=engine.EXTRACTOR_VERSION,
        extracted_at=extracted_at,
    )


@dataclass(frozen=True)
class Extracted:
    record: ConsumerRecord
    messages: list[Outgoing]
    error: Exception | None = None
    event_ids: tuple[str, ...] = ()


def extract_records(articles: Sequence[tuple[ConsumerRecord, RawArticle]], topics: tuple[str, str],
                    log_each_article: bool = False) -> list[Extracted]:
    """What to publish for each article, serialised: its events on `topics[0]`, then the record that the
    article was extracted on `topics[1]`, each with the article's trace header. Runs in a worker thread.
    An article the engine fails on is reported, not raised: the engine is a pure function, so trying it
    again gives the same result."""
    results = []
    for record, article in articles:
        trace_id = trace_id_of(record.headers)
        with structlog.contextvars.bound_contextvars(trace_id=trace_id, article_id=article.article_id):
            results.append(extracted := _extract_one(record, article, topics, trace_headers(trace_id)))
            if log_each_article and extracted.error is None:
                log.info("article_extracted", events=len(extracted.event_ids), event_ids=list(extracted.event_ids))
    return results


def _extract_one(record: ConsumerRecord, article: RawArticle, topics: tuple[str, str], trace: dict[str, str]
                 ) -> Extracted:
    topic_deals, topic_extractions = topics
    extracted_at = datetime.now(UTC)
    try:
        events = deal_events_for(article, now=extracted_at)
    except Exception as error:
        return Extracted(record, [], error)
    done = ArticleExtracted(article_id=article.article_id, extractor=engine.EXTRACTOR_NAME,
                            extractor_version=engine.EXTRACTOR_VERSION,
                            event_ids=[event.event_id for event in events], extracted_at=extracted_at)
    return Extracted(record, [
        *(Outgoing(topic_deals, key_for(event), event.model_dump_json().encode(),
                   {"event_id": event.event_id, "article_id": event.article_id, **trace}, source=record)
          for event in events),
        Outgoing(topic_extractions, key_for(done), done.model_dump_json().encode(),
                 {"article_id": done.article_id, **trace}, source=record),
    ], event_ids=tuple(done.event_ids))


class Extractor:
    """Extracts a batch of articles and publishes the results (`log_each_article`: one info line per
    article, the live service's; a replay of the whole history logs none)."""

    def __init__(self, settings: ExtractSettings, broker: KafkaBroker, dead_letters: DeadLetters, *,
                 log_each_article: bool = False) -> None:
        self._settings = settings
        self._log_each_article = log_each_article
        self._broker = broker
        self._dead_letters = dead_letters
        self._throughput = Throughput("extract_progress")

    async def extract(self, batch: dict[TopicPartition, list[ConsumerRecord]]) -> None:
        records = [record for partition_records in batch.values() for record in partition_records]
        articles, poison = decode_batch(RawArticle, records, max_record_bytes(self._settings))
        letters = list(poison)
        messages: list[Outgoing] = []
        sent: list[asyncio.Future | Exception] = []
        chunks = [articles[start:start + CHUNK] for start in range(0, len(articles), CHUNK)]
        next_chunk = self._extract_in_thread(chunks[0]) if chunks else None
        for index in range(len(chunks)):
            results = await next_chunk
            # The engine extracts the next chunk while this one's events are handed to the producer.
            next_chunk = self._extract_in_thread(chunks[index + 1]) if index + 1 < len(chunks) else None
            letters.extend(Undeliverable(r.record, r.error) for r in results if r.error is not None)
            for message in (m for r in results for m in r.messages):
                messages.append(message)
                sent.append(await send(self._broker, message))
        refused = await publish_acknowledged(self._broker, messages, sent)
        letters.extend(Undeliverable(record, error) for record, error in _by_source(refused))
        await self._dead_letters.send(letters)
        self._throughput.add(articles=len(articles), messages=len(messages), dead_lettered=len(letters))
        log.debug("batch_extracted", records=len(records), articles=len(articles), messages=len(messages))


    def _extract_in_thread(self, chunk: list[tuple[ConsumerRecord, RawArticle]]) -> asyncio.Task[list[Extracted]]:
        topics = (self._settings.topic_deals, self._settings.topic_extractions or "")
        return asyncio.create_task(asyncio.to_thread(extract_records, chunk, topics, self._log_each_article))


def _by_source(refused: list[tuple[Outgoing, Exception]]) -> list[tuple[ConsumerRecord, Exception]]:
    """One dead letter per article whose events the broker refused."""
    first: dict[tuple[int, int], tuple[ConsumerRecord, Exception]] = {}
    for message, error in refused:
        if message.source is not None:
            first.setdefault((message.source.partition, message.source.offset), (message.source, error))
    return list(first.values())


def build_app(settings: ExtractSettings) -> FastStream:
    broker = make_broker(settings, client_id=f"dealwire-{SERVICE}")
    extractor = Extractor(settings, broker, DeadLetters(broker, SERVICE, max_record_bytes(settings)),
                          log_each_article=True)
    consumer = BatchConsumer(settings, SERVICE, [settings.topic_articles], extractor.extract)
    app = FastStream(broker, logger=structlog.get_logger("faststream"))

    @app.on_startup
    async def create_topics() -> None:
        await ensure_topics(settings)

    @app.after_startup
    async def start_consuming() -> None:
        await consumer.start()

    @app.on_shutdown
    async def stop_consuming() -> None:
        await consumer.stop()

    return app


async def main() -> None:
    settings = ExtractSettings()
    configure_logging(SERVICE, settings.log_level)
    serve_metrics(SERVICE, settings.http_host, settings.metrics_port)
    app = build_app(settings)
    tune_garbage_collector()
    await app.run()
