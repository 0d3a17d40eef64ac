"""Kafka plumbing every service shares: the broker, topic creation, and the delivery guard.

Delivery contract of a consuming service (at-least-once, nothing lost, the stream never stalls):
- the subscriber uses `AckPolicy.NACK_ON_ERROR`: the offset is committed only after the handler
  returned, i.e. after everything it published was acknowledged by the broker (acks=all);
- a handler that raises is retried from the same offset (seek back), up to
  `max_delivery_attempts`; a message that is bad by construction (`PoisonMessage`) or keeps
  failing is published to `<topic>.dlq` with its origin in headers, and only then acknowledged.
"""

from __future__ import annotations

import asyncio
import traceback
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import structlog
from aiokafka import ConsumerRecord
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from pydantic import BaseModel, ValidationError

from shared import topics
from shared.settings import Settings

log = structlog.get_logger()
ModelT = TypeVar("ModelT", bound=BaseModel)
RecordHandler = Callable[[ConsumerRecord], Awaitable[None]]

KEEP_FOREVER = {"retention.ms": "-1"}  # replay and re-extraction need the whole history
RECORD_OVERHEAD_BYTES = 64 * 1024  # a record's envelope (ids, title, url), headers and batch framing


def max_record_bytes(settings: Settings) -> int:
    """The one size limit of a record: the producers' `max_request_size` and the topics' `max.message.bytes`.

    An article at ingest's body cap plus its envelope fits; ingest refuses anything larger (413) before
    publishing, so the broker never sees a record it cannot take.
    """
    return settings.max_article_bytes + RECORD_OVERHEAD_BYTES


def topic_configs(settings: Settings) -> dict[str, str]:
    return KEEP_FOREVER | {"max.message.bytes": str(max_record_bytes(settings))}


class PoisonMessage(Exception):
    """The message can never be processed as it is (undecodable, invalid): dead-letter it at once."""


def decode(model: type[ModelT], record: ConsumerRecord) -> ModelT:
    try:
        return model.model_validate_json(record.value or b"")
    except ValidationError as error:
        raise PoisonMessage(f"not a {model.__name__} v1: {error.error_count()} validation errors") from error


def subscribe_guarded(broker: KafkaBroker, settings: Settings, service: str, topics: list[str],
                      handle: RecordHandler) -> None:
    """Subscribe `handle` to `topics` under the delivery contract in this module's docstring."""
    guard = DeliveryGuard(broker, service, settings.max_delivery_attempts)

    @broker.subscriber(*topics, group_id=settings.group_for(service), auto_offset_reset="earliest",
                       ack_policy=AckPolicy.NACK_ON_ERROR)
    async def on_record(message: KafkaMessage) -> None:
        await guard.run(message, handle)


def make_broker(settings: Settings, client_id: str, **producer_options: Any) -> KafkaBroker:
    return KafkaBroker(
        settings.kafka_bootstrap_servers,
        client_id=client_id,
        acks="all",
        enable_idempotence=settings.kafka_enable_idempotence,
        max_request_size=max_record_bytes(settings),
        graceful_timeout=15.0,
        logger=structlog.get_logger("faststream"),
        **producer_options,
    )


async def ensure_topics(settings: Settings) -> None:
    """Create the project's topics (and their dead-letter topics) if they do not exist yet."""
    names = [settings.topic_articles, settings.topic_deals]
    configs = topic_configs(settings)
    wanted = [
        NewTopic(name, settings.topic_partitions, settings.topic_replication_factor, topic_configs=configs)
        for name in names
    ] + [
        NewTopic(topics.dead_letter(name), 1, settings.topic_replication_factor, topic_configs=configs)
        for name in names
    ]
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in wanted if t.name not in existing]
        if missing:
            response = await admin.create_topics(missing)
            for name, code, message in response.topic_errors:
                if code not in (0, TopicAlreadyExistsError.errno):
                    raise RuntimeError(f"could not create topic {name}: error {code} {message}")
            log.info("topics_created", topics=[t.name for t in missing])
    finally:
        await admin.close()


def dead_letter_headers(record: ConsumerRecord, error: BaseException, service: str, attempts: int) -> dict:
    return {
        "dlq.source.topic": record.topic,
        "dlq.source.partition": str(record.partition),
        "dlq.source.offset": str(record.offset),
        "dlq.error.type": type(error).__name__,
        "dlq.error.message": str(error)[:1000],
        "dlq.error.trace": "".join(traceback.format_exception(error))[-4000:],
        "dlq.attempts": str(attempts),
        "dlq.service": service,
        "dlq.time": datetime.now(UTC).isoformat(),
    }


class DeliveryGuard:
    """Runs a handler on one record; retries transient failures, dead-letters what cannot succeed."""

    def __init__(self, broker: KafkaBroker, service: str, max_attempts: int) -> None:
        self._broker = broker
        self._service = service
        self._max_attempts = max_attempts
        self._attempts: dict[tuple[str, int, int], int] = {}

    async def run(self, message: KafkaMessage, handle: RecordHandler) -> None:
        record: ConsumerRecord = message.raw_message  # type: ignore[assignment]
        position = (record.topic, record.partition, record.offset)
        try:
            await handle(record)
        except PoisonMessage as error:
            await self._dead_letter(record, error, attempts=1)
        except Exception as error:
            attempts = self._attempts.get(position, 0) + 1
            if attempts >= self._max_attempts:
                await self._dead_letter(record, error, attempts)
            else:
                self._attempts[position] = attempts
                log.warning("delivery_retry", topic=record.topic, partition=record.partition,
                            offset=record.offset, attempt=attempts, error=repr(error)[:300])
                await asyncio.sleep(min(0.2 * 2**attempts, 5.0))
                raise  # NACK_ON_ERROR seeks back to this record
        self._attempts.pop(position, None)

    async def _dead_letter(self, record: ConsumerRecord, error: BaseException, attempts: int) -> None:
        # Publish to the DLQ first; the caller's ack follows only if this was acknowledged.
        await self._broker.publish(
            record.value or b"",
            topic=topics.dead_letter(record.topic),
            key=record.key,
            headers=dead_letter_headers(record, error, self._service, attempts),
        )
        self._attempts.pop((record.topic, record.partition, record.offset), None)
        log.error("dead_lettered", topic=record.topic, partition=record.partition, offset=record.offset,
                  error_type=type(error).__name__, error=str(error)[:300], attempts=attempts)
