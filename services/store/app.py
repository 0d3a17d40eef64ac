"""store service: articles.raw.v1 + deals.events.v1 -> PostgreSQL read models.

Order per partition batch: decode every record -> dead-letter the undecodable ones (acknowledged)
-> one DB transaction (read-model rows + the batch's last position) -> return, and only then is the
Kafka offset committed. A crash in between replays the batch; the projection sees its positions
already applied and changes nothing. PostgreSQL unreachable: the batch waits and is retried.
"""

from __future__ import annotations

import structlog
from aiokafka import ConsumerRecord, TopicPartition
from faststream import FastStream
from pydantic import BaseModel

from services.store.db import make_sessions, migrate
from services.store.projection import Applied, Batch, Sessions, apply_batch
from shared.kafka import (
    DeadLetter,
    DeadLetters,
    PartitionBatchConsumer,
    decode_batch,
    ensure_topics,
    make_broker,
)
from shared.logging import Throughput, configure_logging
from shared.resilience import until_available
from shared.schemas import DealEvent, RawArticle
from shared.settings import Settings

SERVICE = "store"
PARTITIONS_AT_ONCE = 4  # batches of different partitions applied concurrently (each its own transaction)
log = structlog.get_logger()


class Projector:
    """Applies a partition's batch; isolates a record that makes the transaction fail and dead-letters it."""

    def __init__(self, settings: Settings, sessions: Sessions, dead_letters: DeadLetters) -> None:
        self._settings = settings
        self._sessions = sessions
        self._dead_letters = dead_letters
        self._consumer = settings.group_for(SERVICE)
        self._throughput = Throughput("store_progress")

    async def project(self, partition: TopicPartition, records: list[ConsumerRecord]) -> None:
        model: type[BaseModel] = RawArticle if partition.topic == self._settings.topic_articles else DealEvent
        decoded, poison = decode_batch(model, records, self._settings.max_record_bytes)
        # Dead letters first: once the batch's position is recorded, these records are never read again.
        await self._dead_letters.send(poison)
        applied = await self._apply(partition, decoded, records[-1].offset)
        self._throughput.add(records=len(records), articles=applied.articles, events=applied.events,
                             dead_lettered=len(poison))
        log.debug("batch_projected", topic=partition.topic, partition=partition.partition,
                  first_offset=records[0].offset, last_offset=records[-1].offset, articles=applied.articles,
                  events=applied.events, deals=applied.deals, skipped=applied.skipped)

    async def _apply(self, partition: TopicPartition, decoded: list[tuple[ConsumerRecord, BaseModel]],
                     last_offset: int) -> Applied:
        batch = self._batch(partition, decoded, last_offset)
        try:
            return await until_available("postgresql", lambda: apply_batch(self._sessions, batch),
                                         topic=partition.topic, partition=partition.partition)
        except Exception as error:  # not an outage: some record of the batch fails the transaction
            if not decoded:
                raise  # nothing left to blame: the consumer rewinds and tries the batch again
            if len(decoded) > 1:
                middle = len(decoded) // 2
                first = await self._apply(partition, decoded[:middle], decoded[middle - 1][0].offset)
                second = await self._apply(partition, decoded[middle:], last_offset)
                return Applied(first.articles + second.articles, first.events + second.events,
                               first.deals + second.deals, first.skipped + second.skipped)
            await self._dead_letters.send([DeadLetter(record, error) for record, _ in decoded])
            return await self._apply(partition, [], last_offset)

    def _batch(self, partition: TopicPartition, decoded: list[tuple[ConsumerRecord, BaseModel]],
               last_offset: int) -> Batch:
        positioned = [(record.offset, message) for record, message in decoded]
        if partition.topic == self._settings.topic_articles:
            return Batch(self._consumer, partition.topic, partition.partition, last_offset, articles=positioned)
        return Batch(self._consumer, partition.topic, partition.partition, last_offset, events=positioned)


def build_app(settings: Settings) -> FastStream:
    broker = make_broker(settings, client_id=f"dealwire-{SERVICE}")
    sessions = make_sessions(settings.database_url)
    projector = Projector(settings, sessions, DeadLetters(broker, SERVICE, settings.max_record_bytes))
    consumer = PartitionBatchConsumer(settings, SERVICE, [settings.topic_articles, settings.topic_deals],
                                      projector.project, concurrency=PARTITIONS_AT_ONCE)
    app = FastStream(broker)

    @app.on_startup
    async def prepare() -> None:
        await until_available("postgresql", lambda: migrate(settings.database_url))
        await ensure_topics(settings)

    @app.after_startup
    async def start_consuming() -> None:
        await consumer.start()

    @app.on_shutdown
    async def stop_consuming() -> None:
        await consumer.stop()
        await sessions.kw["bind"].dispose()

    return app


async def main() -> None:
    settings = Settings()
    configure_logging(SERVICE, settings.log_level)
    await build_app(settings).run()
