"""Kafka plumbing every service shares: broker, topics, record decoding, dead letters, batch consumer.

Delivery contract of a consuming service (at-least-once, nothing lost, the stream never stalls):
- records are consumed in batches (`BatchConsumer`), in offset order per partition; the offsets of a
  batch are committed only after the handler returned, i.e. after every record of it was applied or
  dead-lettered and everything the handler published was acknowledged by the broker (acks=all);
- a record that can never be processed (too large, not UTF-8, too deep, not the schema, ids that do
  not derive from its content, or failing on its own) is published to `<topic>.dlq` with its origin
  and the reason in headers (`DeadLetters`), and then counts as done;
- infrastructure that is down is waited for, never blamed on a record (`dealwire.shared.resilience`).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import time
import traceback
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import CommitFailedError, IllegalStateError, KafkaError, TopicAlreadyExistsError
from prometheus_client import REGISTRY
from pydantic import BaseModel, ValidationError

from dealwire.shared import topics
from dealwire.shared.ids import identity_problem, key_for
from dealwire.shared.kafka_security import client_kwargs
from dealwire.shared.metrics import (
    BATCH_SECONDS,
    CONSUMER_LAG,
    MESSAGES_CONSUMED,
    MESSAGES_DEAD_LETTERED,
    MESSAGES_FAILED,
    MESSAGES_PUBLISHED,
    count_by_topic,
)
from dealwire.shared.resilience import is_transient, until_available
from dealwire.shared.schemas import Contract
from dealwire.shared.settings import BrokerSettings, ConsumerSettings
from dealwire.shared.tracing import trace_headers, trace_id_of

if TYPE_CHECKING:  # faststream is imported where a broker or a producer is made, not with this module: a
    # consumer joins its group (`BatchConsumer.join`) before its service has imported faststream (extract)
    from faststream.kafka import KafkaBroker

log = structlog.get_logger()
ModelT = TypeVar("ModelT", bound=BaseModel)
BatchHandler = Callable[[dict[TopicPartition, list[ConsumerRecord]]], Awaitable[None]]
AssignHandler = Callable[[AIOKafkaConsumer, set[TopicPartition]], Awaitable[None]]

KEEP_FOREVER = {"retention.ms": "-1"}  # replay and re-extraction need the whole history
RECORD_OVERHEAD_BYTES = 64 * 1024  # a record's envelope (ids, title, url), headers and batch framing
PRODUCER_BATCH_BYTES = 1024 * 1024  # per partition; a send waits only when this much is not yet sent


def max_record_bytes(settings: BrokerSettings) -> int:
    """The one size limit of a record: the producers' `max_request_size`, the topics' `max.message.bytes`,
    and what consumers decode (a larger record is poison).

    An article at ingest's body cap plus its envelope fits; ingest refuses anything larger (413) before
    publishing, so the broker never sees a record it cannot take.
    """
    return settings.max_article_bytes + RECORD_OVERHEAD_BYTES


def topic_configs(settings: BrokerSettings) -> dict[str, str]:
    return KEEP_FOREVER | {"max.message.bytes": str(max_record_bytes(settings))}


class PoisonMessage(Exception):
    """The message can never be processed as it is (undecodable, invalid): dead-letter it at once."""


def decode(model: type[ModelT], record: ConsumerRecord, max_bytes: int = 2 * 1024 * 1024 + RECORD_OVERHEAD_BYTES,
           ) -> ModelT:
    """The record's value as a `model`, or `PoisonMessage` saying why it cannot be one.

    Everything a hostile producer can send ends here as PoisonMessage: a tombstone, an oversized
    value, invalid UTF-8, lone surrogates, nesting deeper than the JSON parser's limit, NUL
    characters (PostgreSQL text cannot hold them), the wrong schema or version, forged ids.
    """
    value = record.value
    if value is None:
        raise PoisonMessage("tombstone: the record has no value")
    if len(value) > max_bytes:
        raise PoisonMessage(f"record of {len(value):,} bytes is larger than the limit of {max_bytes:,}")
    try:
        message = model.model_validate_json(value)
    except ValidationError as error:
        first = error.errors(include_url=False, include_input=False)[:1]
        detail = f"{first[0]['type']} at {'.'.join(map(str, first[0]['loc'])) or '(root)'}" if first else ""
        raise PoisonMessage(f"not a {_contract_name(model)} v1: {error.error_count()} validation error(s); "
                            f"first: {detail}") from error
    except (RecursionError, ValueError, UnicodeError) as error:
        raise PoisonMessage(f"not a {_contract_name(model)} v1: {type(error).__name__}") from error
    if b"\\u0000" in value and _holds_nul(message.model_dump()):
        raise PoisonMessage("a text field holds a NUL character")
    if problem := identity_problem(message):  # type: ignore[arg-type]
        raise PoisonMessage(f"forged id: {problem}")
    if record.key is not None and record.key != key_for(message):  # type: ignore[arg-type]
        raise PoisonMessage("the record's key is not the message's id")
    return message


def decode_batch(model: type[ModelT], records: Iterable[ConsumerRecord], max_bytes: int,
                 ) -> tuple[list[tuple[ConsumerRecord, ModelT]], list[Undeliverable]]:
    """Each record decoded, or a dead letter saying why it cannot be."""
    decoded: list[tuple[ConsumerRecord, ModelT]] = []
    poison: list[Undeliverable] = []
    for record in records:
        try:
            decoded.append((record, decode(model, record, max_bytes)))
        except PoisonMessage as error:
            poison.append(Undeliverable(record, error))
    return decoded, poison


def _contract_name(model: type[BaseModel]) -> str:
    """The contract a model decodes (a consumer's own subclass of one, e.g. the store's, says its contract's name)."""
    return next((c.__name__ for c in model.__mro__ if c.__module__ == Contract.__module__), model.__name__)


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(_holds_nul(item) for item in value)
    return False


def make_broker(settings: BrokerSettings, client_id: str, **producer_options: Any) -> KafkaBroker:
    from faststream.kafka import KafkaBroker
    from faststream.kafka.prometheus import KafkaPrometheusMiddleware

    options: dict[str, Any] = {
        "linger_ms": settings.kafka_linger_ms, "compression_type": settings.kafka_compression,
        "max_batch_size": PRODUCER_BATCH_BYTES,
    } | producer_options
    return KafkaBroker(
        settings.kafka_bootstrap_servers,
        client_id=client_id,
        acks="all",
        enable_idempotence=settings.kafka_enable_idempotence,
        max_request_size=max_record_bytes(settings),
        graceful_timeout=15.0,
        logger=structlog.get_logger("faststream"),
        # faststream_published_messages_* for every broker.publish (handed to the producer; what the broker
        # acknowledged is dealwire_messages_published_total, counted in publish_acknowledged)
        middlewares=[KafkaPrometheusMiddleware(registry=REGISTRY, app_name=client_id)],
        **options,
    )


def topic_names(settings: BrokerSettings) -> list[str]:
    return [settings.topic_articles, settings.topic_deals, settings.topic_extractions or ""]


async def ensure_topics(settings: BrokerSettings) -> None:
    """Create the project's topics (and their dead-letter topics) if they do not exist yet."""
    configs = topic_configs(settings)
    wanted = [
        NewTopic(name, settings.topic_partitions, settings.topic_replication_factor, topic_configs=configs)
        for name in topic_names(settings)
    ] + [
        NewTopic(topics.dead_letter(name), 1, settings.topic_replication_factor, topic_configs=configs)
        for name in topic_names(settings)
    ]
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers, **client_kwargs(settings))
    await until_available("broker", admin.start)
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


async def end_offsets(bootstrap_servers: str, topic_list: Iterable[str], **client_options: Any
                      ) -> dict[TopicPartition, int]:
    """Each partition's end offset, read from a fetch response's high watermark.

    Tansu's ListOffsets answers the last batch's base offset + 1 (1 for a partition whose 100 records
    came in one batch), so `end_offsets()` alone cannot be trusted there; a fetch from that offset
    returns the last batch, and its high watermark is right on both brokers.
    """
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers, group_id=None, enable_auto_commit=False,
                                **client_options)
    await until_available("broker", consumer.start)
    try:
        await consumer.topics()  # loads the metadata of every topic
        partitions = [TopicPartition(topic, p) for topic in topic_list
                      for p in sorted(consumer.partitions_for_topic(topic) or ())]
        reported = await consumer.end_offsets(partitions)
        consumer.assign(partitions)
        ends: dict[TopicPartition, int] = {}
        for tp in partitions:
            if reported[tp] == 0:
                ends[tp] = 0
                continue
            consumer.seek(tp, max(reported[tp] - 1, 0))
            deadline = time.monotonic() + 10
            while consumer.highwater(tp) is None and time.monotonic() < deadline:
                await consumer.getmany(tp, timeout_ms=200)
            ends[tp] = consumer.highwater(tp) or reported[tp]
        return ends
    finally:
        await consumer.stop()


@dataclass(frozen=True)
class Undeliverable:
    """A record to dead-letter, and why (what ops read back is `dealwire.shared.dead_letters.DeadLetter`)."""

    record: ConsumerRecord
    reason: BaseException
    attempts: int = 1


def dead_letter_headers(record: ConsumerRecord, error: BaseException, service: str, attempts: int = 1
                        ) -> dict[str, str]:
    """Where a dead letter came from and why, as read back by `dealwire.shared.dead_letters.Undeliverable`."""
    headers = {
        "dlq.source.topic": record.topic,
        "dlq.source.partition": str(record.partition),
        "dlq.source.offset": str(record.offset),
        "dlq.error.type": type(error).__name__,
        "dlq.error.message": str(error)[:1000],
        "dlq.attempts": str(attempts),
        "dlq.service": service,
        "dlq.time": datetime.now(UTC).isoformat(),
    }
    if not isinstance(error, PoisonMessage):
        headers["dlq.error.trace"] = "".join(traceback.format_exception(error))[-4000:]
    return headers


@dataclass(frozen=True)
class Outgoing:
    """A message to publish, and the record it was made from (what is dead-lettered if it cannot be sent)."""

    topic: str
    key: bytes | None
    value: bytes
    headers: dict[str, str]
    source: ConsumerRecord | None = None


class Producer:
    """Hands records straight to an aiokafka producer with `make_broker`'s options (acks=all, linger,
    compression, batch and record size limits, the consumers' security settings), for a service's hot
    path: a `broker.publish` builds a publish command, a correlation id and a Prometheus middleware
    object for every record, about two thirds of what extract spent publishing.

    Its records carry only the headers given (no faststream `content-type` or `correlation_id`). What
    it hands over is counted once per batch (`publish_acknowledged`) in faststream's own series,
    `faststream_published_messages_total` (labels app_name = `client_id`, broker, destination,
    status), so that series still counts every record a service published.
    """

    def __init__(self, settings: BrokerSettings, client_id: str, **producer_options: Any) -> None:
        from faststream.prometheus.container import MetricsContainer

        self.client_id = client_id
        options: dict[str, Any] = {
            "linger_ms": settings.kafka_linger_ms, "compression_type": settings.kafka_compression,
            "max_batch_size": PRODUCER_BATCH_BYTES,
        } | producer_options
        self._producer = AIOKafkaProducer(
            bootstrap_servers=settings.kafka_bootstrap_servers, client_id=client_id, acks="all",
            enable_idempotence=settings.kafka_enable_idempotence, max_request_size=max_record_bytes(settings),
            **client_kwargs(settings), **options,
        )
        self._published = MetricsContainer(REGISTRY, custom_label_names=()).published_messages_total

    async def start(self) -> None:
        await until_available("broker", self._producer.start)

    async def stop(self) -> None:
        """Send what is still pending, then close."""
        await self._producer.stop()

    async def send(self, message: Outgoing) -> asyncio.Future:
        return await self._producer.send(message.topic, message.value, key=message.key,
                                         headers=[(name, value.encode()) for name, value in message.headers.items()])

    def count_handed_over(self, counts: collections.Counter[tuple[str, bool]]) -> None:
        """faststream_published_messages_total, once per (topic, outcome) of a batch."""
        for (topic, handed_over), count in counts.items():
            self._published.labels(app_name=self.client_id, broker="kafka", destination=topic,
                                   status="success" if handed_over else "error").inc(count)


Publisher: TypeAlias = "KafkaBroker | Producer"


async def send(publisher: Publisher, message: Outgoing) -> asyncio.Future | Exception:
    """Hand a message to the producer (which batches it); the future resolves on the broker's ack."""
    try:
        if isinstance(publisher, Producer):
            return await publisher.send(message)
        return await publisher.publish(message.value, topic=message.topic, key=message.key,
                                       headers=message.headers, no_confirm=True)
    except Exception as error:  # e.g. no metadata while the broker is away
        return error


async def publish_acknowledged(publisher: Publisher, messages: Sequence[Outgoing],
                               sent: Sequence[asyncio.Future | Exception] | None = None,
                               ) -> list[tuple[Outgoing, Exception]]:
    """Wait until the broker acknowledged every message (sending those in `messages` not already `sent`);
    an outage is waited out and the unacknowledged messages sent again. Returns the messages the broker
    refused for good (e.g. too large), with the reason."""
    refused: list[tuple[Outgoing, Exception]] = []
    pending = list(zip(messages, sent, strict=True)) if sent is not None else []
    if sent is None:
        pending = [(m, await send(publisher, m)) for m in messages]
    handed_over = collections.Counter((m.topic, not isinstance(s, Exception)) for m, s in pending)

    async def settle() -> None:
        nonlocal pending
        outcomes = await asyncio.gather(*(s for _, s in pending if isinstance(s, asyncio.Future)),
                                        return_exceptions=True)
        acks = iter(outcomes)
        failed = [(m, s if isinstance(s, Exception) else next(acks)) for m, s in pending]
        failed = [(m, error) for m, error in failed if isinstance(error, Exception)]
        refused.extend((m, error) for m, error in failed if not is_transient(error))
        retry = [m for m, error in failed if is_transient(error)]
        if retry:
            pending = [(m, await send(publisher, m)) for m in retry]
            handed_over.update((m.topic, not isinstance(s, Exception)) for m, s in pending)
            raise next(error for _, error in failed if is_transient(error))

    if pending:
        await until_available("broker", settle)
    if isinstance(publisher, Producer):
        publisher.count_handed_over(handed_over)
    refused_ids = {id(message) for message, _ in refused}
    count_by_topic(MESSAGES_PUBLISHED, (m.topic for m in messages if id(m) not in refused_ids))
    return refused


class DeadLetters:
    """Publishes records that cannot be processed to `<topic>.dlq`, and waits for the broker's ack."""

    def __init__(self, broker: KafkaBroker, service: str, max_record_bytes: int) -> None:
        self._broker = broker
        self._service = service
        self._max_record_bytes = max_record_bytes

    async def send(self, letters: Sequence[Undeliverable]) -> None:
        if not letters:
            return
        messages = [self._message(letter) for letter in letters]
        if refused := await publish_acknowledged(self._broker, messages):
            raise refused[0][1]  # the dead-letter topic itself refuses: nothing can be settled
        for letter in letters:
            record = letter.record
            MESSAGES_DEAD_LETTERED.labels(topic=record.topic, reason=type(letter.reason).__name__).inc()
            log.error("dead_lettered", topic=record.topic, partition=record.partition, offset=record.offset,
                      error_type=type(letter.reason).__name__, error=str(letter.reason)[:300],
                      attempts=letter.attempts, trace_id=trace_id_of(record.headers),
                      article_id=_header(record, "article_id"), event_id=_header(record, "event_id"))

    def _message(self, letter: Undeliverable) -> Outgoing:
        record = letter.record
        headers = dead_letter_headers(record, letter.reason, self._service, letter.attempts)
        headers |= trace_headers(trace_id_of(record.headers))  # the dead letter stays in its article's trace
        value = record.value or b""
        if len(value) > self._max_record_bytes:  # keep the DLQ bounded: origin and reason only
            headers["dlq.value.dropped"] = f"{len(value)} bytes"
            value = b""
        return Outgoing(topics.dead_letter(record.topic), record.key, value, headers, record)


class CountedDeadLetters:
    """Where a replay puts what it cannot process: counted, not published (the live services sent these
    records to the dead-letter topics already)."""

    def __init__(self) -> None:
        self.letters: list[Undeliverable] = []

    async def send(self, letters: Sequence[Undeliverable]) -> None:
        self.letters.extend(letters)


class BatchConsumer:
    """One consumer of `topics`; what it fetched is handed to `handle` as a batch, per partition in offset order.

    A batch is bounded by count (`batch_max_records`) and time (`batch_linger_ms` after its first
    record). Up to `depth` batches are in hand at once, so the next is fetched and begun while the
    previous waits for I/O; each batch's offsets are committed after its `handle` returned, in fetch
    order. `handle` is expected to settle every record itself (applied or dead-lettered) and to wait out
    outages; if it raises anyway, its partitions (and those of later batches) are rewound to their
    first records and tried again.
    Faststream's batch subscriber is not used: it parses every body and header before any handler can
    guard it, hides the partitions, and commits everything consumed at once.
    """

    def __init__(self, settings: ConsumerSettings, service: str, topic_list: Iterable[str],
                 handle: BatchHandler | None, *, depth: int = 2, on_assigned: AssignHandler | None = None) -> None:
        self._settings = settings
        self._depth = depth
        self._service = service
        self._topics = list(topic_list)
        self.handle = handle  # may be set after `join` (extract joins before its handler exists), before `consume`
        self._on_assigned = on_assigned
        self._consumer: AIOKafkaConsumer | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    @property
    def group_id(self) -> str:
        return self._settings.group_for(self._service)

    async def start(self) -> None:
        await self.join()
        self.consume()

    async def join(self) -> None:
        """Join the group: done when the partitions are assigned (and `on_assigned` returned); nothing is
        fetched yet (`consume`). On Tansu a join takes a second of the broker's, which a service can spend
        on the rest of its start-up (extract: imports, its producer, the engine's workers)."""
        settings = self._settings
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=settings.kafka_bootstrap_servers,
            group_id=self.group_id,
            client_id=f"dealwire-{self._service}",
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=settings.kafka_fetch_max_wait_ms,
            max_partition_fetch_bytes=1024 * 1024,
            fetch_max_bytes=max_record_bytes(settings),
            session_timeout_ms=settings.kafka_session_timeout_ms,
            heartbeat_interval_ms=settings.kafka_heartbeat_interval_ms,
            **client_kwargs(settings),
        )
        self._consumer.subscribe(self._topics, listener=_Rebalance(self))
        await until_available("broker", self._consumer.start)

    def consume(self) -> None:
        """Start fetching and handing batches over (after `join`)."""
        assert self._consumer is not None, "join first"
        assert self.handle is not None, "set `handle` first"
        self._task = asyncio.create_task(self._run(self._consumer), name=f"{self._service}-consumer")
        log.info("consumer_started", topics=self._topics, group_id=self.group_id)

    async def stop(self, timeout_s: float = 15.0) -> None:
        """Let the batch in hand finish (up to `timeout_s`), then leave the group."""
        self._stopping.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                try:
                    await asyncio.wait_for(asyncio.shield(self._task), timeout_s)
                except TimeoutError:
                    self._task.cancel()
                    await self._task
        if self._consumer is not None:
            await self._consumer.stop()

    async def _run(self, consumer: AIOKafkaConsumer) -> None:
        # Up to `depth` batches are handled at once (the next one is fetched and started while the previous
        # one waits for its database or broker); their offsets are committed strictly in the order fetched.
        in_flight: collections.deque[tuple[dict[TopicPartition, list[ConsumerRecord]], asyncio.Task[None]]]
        in_flight = collections.deque()
        try:
            while not self._stopping.is_set():
                try:
                    batch = await self._next_batch(consumer)
                except KafkaError as error:
                    log.warning("fetch_failed", error=repr(error)[:300])
                    await asyncio.sleep(1.0)
                    continue
                if batch:
                    _count_records(MESSAGES_CONSUMED, batch)
                    await _note_lag(consumer, batch)
                    in_flight.append((batch, asyncio.create_task(self._timed_handle(batch))))
                while in_flight and (not batch or len(in_flight) >= self._depth or in_flight[0][1].done()):
                    await self._settle(consumer, in_flight)
        finally:
            while in_flight:
                await self._settle(consumer, in_flight)

    async def _timed_handle(self, batch: dict[TopicPartition, list[ConsumerRecord]]) -> None:
        with BATCH_SECONDS.time():
            await self.handle(batch)  # type: ignore[misc]  # `consume` checked that it is set

    async def _settle(self, consumer: AIOKafkaConsumer,
                      in_flight: collections.deque[tuple[dict[TopicPartition, list[ConsumerRecord]],
                                                         asyncio.Task[None]]]) -> None:
        """Wait for the oldest batch; commit it, or rewind it and every later one if its handler raised."""
        batch, task = in_flight[0]
        try:
            await task
        except Exception:
            log.exception("batch_failed_rewinding", partitions=_describe(batch))
            _count_records(MESSAGES_FAILED, batch)
            first: dict[TopicPartition, int] = {}
            for later, later_task in list(in_flight):
                with contextlib.suppress(Exception):
                    await later_task  # let it finish; its records are read again all the same (idempotent)
                for partition, records in later.items():
                    first[partition] = min(first.get(partition, records[0].offset), records[0].offset)
            in_flight.clear()
            for partition, offset in first.items():
                with contextlib.suppress(IllegalStateError):  # the partition was revoked meanwhile
                    consumer.seek(partition, offset)
            await asyncio.sleep(1.0)
            return
        in_flight.popleft()
        await self._commit(consumer, {partition: records[-1].offset + 1 for partition, records in batch.items()})

    async def _next_batch(self, consumer: AIOKafkaConsumer) -> dict[TopicPartition, list[ConsumerRecord]]:
        settings = self._settings
        batch = await consumer.getmany(timeout_ms=100, max_records=settings.batch_max_records)
        size = sum(map(len, batch.values()))
        deadline = time.monotonic() + settings.batch_linger_ms / 1000
        while batch and size < settings.batch_max_records and (left := deadline - time.monotonic()) > 0:
            more = await consumer.getmany(timeout_ms=int(left * 1000) or 1,
                                          max_records=settings.batch_max_records - size)
            for partition, records in more.items():
                batch.setdefault(partition, []).extend(records)
                size += len(records)
        return batch

    async def _commit(self, consumer: AIOKafkaConsumer, offsets: dict[TopicPartition, int]) -> None:
        try:
            await until_available("broker", lambda: consumer.commit(offsets))
        except (CommitFailedError, IllegalStateError) as error:
            # Revoked in a rebalance: the new owner reads these records again, and they are idempotent.
            log.info("commit_skipped", partitions=sorted(f"{tp.topic}:{tp.partition}" for tp in offsets),
                     error=repr(error)[:200])
        except KafkaError as error:  # not transient (those are waited out): the next commit covers it
            log.warning("commit_failed", error=repr(error)[:200])


async def _note_lag(consumer: AIOKafkaConsumer, partitions: Iterable[TopicPartition]) -> None:
    """dealwire_consumer_lag of the partitions a fetch just returned records of (so their position is known
    and `position` returns at once): the high watermark that fetch reported minus the next offset to fetch."""
    for tp in partitions:
        highwater = consumer.highwater(tp)
        if highwater is None:
            continue
        try:
            position = await consumer.position(tp)
        except IllegalStateError:  # revoked meanwhile
            continue
        CONSUMER_LAG.labels(topic=tp.topic, partition=str(tp.partition)).set(max(highwater - position, 0))


def _count_records(counter: Any, batch: dict[TopicPartition, list[ConsumerRecord]]) -> None:
    for tp, records in batch.items():
        counter.labels(topic=tp.topic).inc(len(records))


def _header(record: ConsumerRecord, name: str) -> str | None:
    for key, value in record.headers or ():
        if key == name and value:
            return value.decode("utf-8", "replace")[:200]
    return None


def _describe(batch: dict[TopicPartition, list[ConsumerRecord]]) -> list[str]:
    return sorted(f"{tp.topic}:{tp.partition}@{records[0].offset}-{records[-1].offset}"
                  for tp, records in batch.items())


class _Rebalance(ConsumerRebalanceListener):
    def __init__(self, owner: BatchConsumer) -> None:
        self._owner = owner

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        if revoked:
            log.info("partitions_revoked", partitions=sorted(f"{tp.topic}:{tp.partition}" for tp in revoked))
        for tp in revoked:  # another member reports their lag now
            CONSUMER_LAG.remove(tp.topic, str(tp.partition))

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        log.info("partitions_assigned", partitions=sorted(f"{tp.topic}:{tp.partition}" for tp in assigned))
        consumer = self._owner._consumer
        if self._owner._on_assigned is not None and consumer is not None and assigned:
            await self._owner._on_assigned(consumer, assigned)
