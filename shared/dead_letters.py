"""Dead letters as ops see them: what was dead-lettered, by which service, why, from where; and replay.

Read from `<topic>.dlq` with the headers the delivery guard writes (`dealwire.shared.kafka.dead_letter_headers`).
Every consuming service dead-letters on its own: extract and store both read `articles.raw.v1`, so a
poison article is in `articles.raw.v1.dlq` twice, once per service (`DeadLetter.service`).

Replay sends a dead letter's key and value back to its source topic, where every consumer of that
topic reads it again at a new offset; the store is idempotent (article id, event id), so a record
that reached the read models once never reaches them twice. What was replayed is remembered per
service as a committed offset of the consumer group `<prefix>-dlq-replay-<service>` on the DLQ topic,
so a second replay sends only what was dead-lettered since.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.structs import OffsetAndMetadata

from dealwire.shared import topics
from dealwire.shared.offsets import OffsetReader

PREVIEW_BYTES = 200
REPLAYED_FROM = "dlq.replayed.from"  # header on a replayed record: <dlq topic>:<partition>:<offset>


@dataclass(frozen=True)
class DeadLetter:
    dlq_topic: str
    dlq_partition: int
    dlq_offset: int
    key: bytes | None
    size: int  # bytes of the value
    source_topic: str
    source_partition: int | None
    source_offset: int | None
    service: str
    error_type: str
    error_message: str
    attempts: int | None
    dead_lettered_at: str
    trace: str = field(repr=False)
    value: bytes | None = field(repr=False)  # None once dropped to save memory

    @property
    def source(self) -> str:
        return f"{self.source_topic}:{self.source_partition}:{self.source_offset}"

    @property
    def source_position(self) -> tuple[str, int | None, int | None]:
        return (self.source_topic, self.source_partition, self.source_offset)

    @property
    def key_text(self) -> str | None:
        return self.key.decode("utf-8", errors="backslashreplace") if self.key is not None else None

    @property
    def preview(self) -> str:
        """The first bytes of the value, readable whatever they are."""
        head = (self.value or b"")[:PREVIEW_BYTES]
        return head.decode("utf-8", errors="backslashreplace") + ("…" if self.size > PREVIEW_BYTES else "")

    def without_value(self) -> DeadLetter:
        return replace(self, value=None)

    def summary(self) -> dict[str, Any]:
        """A JSON-ready view without the value and the trace."""
        return {
            "dlq_topic": self.dlq_topic, "dlq_partition": self.dlq_partition, "dlq_offset": self.dlq_offset,
            "service": self.service, "source_topic": self.source_topic,
            "source_partition": self.source_partition, "source_offset": self.source_offset,
            "error_type": self.error_type, "error_message": self.error_message, "attempts": self.attempts,
            "dead_lettered_at": self.dead_lettered_at, "key": self.key_text, "size": self.size,
        }

    @classmethod
    def from_record(cls, record: ConsumerRecord) -> DeadLetter:
        headers = {name: value.decode("utf-8", errors="replace") for name, value in record.headers or ()}
        value = record.value or b""
        return cls(
            dlq_topic=record.topic, dlq_partition=record.partition, dlq_offset=record.offset,
            key=record.key,
            size=len(value),
            source_topic=headers.get("dlq.source.topic") or _source_of(record.topic),
            source_partition=_int_or_none(headers.get("dlq.source.partition")),
            source_offset=_int_or_none(headers.get("dlq.source.offset")),
            service=headers.get("dlq.service", "unknown"),
            error_type=headers.get("dlq.error.type", ""),
            error_message=headers.get("dlq.error.message", ""),
            attempts=_int_or_none(headers.get("dlq.attempts")),
            dead_lettered_at=headers.get("dlq.time") or _record_time(record),
            trace=headers.get("dlq.error.trace", ""),
            value=value,
        )


def dlq_topics_for(names: Iterable[str]) -> list[str]:
    """`articles.raw.v1` or `articles.raw.v1.dlq` both name the dead-letter topic `articles.raw.v1.dlq`."""
    return sorted({name if name.endswith(".dlq") else topics.dead_letter(name) for name in names})


def replay_group(prefix: str, service: str) -> str:
    return f"{prefix}-dlq-replay-{service}"


async def read_dead_letters(reader: OffsetReader, dlq_topics: list[str], bootstrap_servers: str,
                            on_progress: Callable[[int, int], None] | None = None,
                            **client_kwargs: Any) -> AsyncIterator[DeadLetter]:
    """Every dead letter on the topics, oldest first per partition, up to the end seen at the start.

    `on_progress(done, total)` is called after each fetched batch.
    """
    partitions = await reader.partitions(dlq_topics)
    ends = await reader.end_offsets(partitions)
    starts = await reader.consumer.beginning_offsets(partitions) if partitions else {}
    pending = {tp for tp in partitions if ends[tp] > starts[tp]}
    total = sum(ends[tp] - starts[tp] for tp in partitions)
    if on_progress:
        on_progress(0, total)
    if not pending:
        return
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers, group_id=None, enable_auto_commit=False,
                                auto_offset_reset="earliest", **client_kwargs)
    await consumer.start()
    done = 0
    try:
        consumer.assign(sorted(pending))
        for tp in pending:
            consumer.seek(tp, starts[tp])
        while pending:
            batch = await consumer.getmany(*pending, timeout_ms=1000)
            for tp, records in batch.items():
                for record in records:
                    if record.offset < ends[tp]:
                        done += 1
                        yield DeadLetter.from_record(record)
            for tp in list(pending):
                if await consumer.position(tp) >= ends[tp]:
                    pending.discard(tp)
            if on_progress:
                on_progress(done, total)
    finally:
        await consumer.stop()


async def replay_marks(reader: OffsetReader, prefix: str, services: Iterable[str],
                       partitions: list[TopicPartition]) -> dict[tuple[str, TopicPartition], int]:
    """Per (service, DLQ partition): the DLQ offset below which that service's dead letters were replayed."""
    marks: dict[tuple[str, TopicPartition], int] = {}
    for service in sorted(set(services)):
        committed = await reader.committed_offsets(replay_group(prefix, service), partitions)
        for tp, offset in committed.items():
            marks[(service, tp)] = offset or 0
    return marks


def is_replayed(letter: DeadLetter, marks: dict[tuple[str, TopicPartition], int]) -> bool:
    return letter.dlq_offset < marks.get((letter.service, TopicPartition(letter.dlq_topic, letter.dlq_partition)), 0)


@dataclass
class ReplayPlan:
    """What one replay sends, and how far it moves each service's replay mark afterwards."""

    to_send: list[DeadLetter]
    duplicates: int  # dead letters of a source record already in `to_send` (dead-lettered by two services)
    already_replayed: int
    new_marks: dict[tuple[str, TopicPartition], int]


def plan_replay(letters: Iterable[DeadLetter], marks: dict[tuple[str, TopicPartition], int],
                ends: dict[TopicPartition, int], *, include_replayed: bool,
                offsets: set[int] | None = None) -> ReplayPlan:
    """Choose what to send: each source record once, nothing replayed before unless asked.

    Marks move to the DLQ end only for a replay of everything not yet replayed (no `offsets` chosen),
    and only for the services whose dead letters were considered.
    """
    to_send: list[DeadLetter] = []
    seen: set[tuple[str, int | None, int | None]] = set()
    duplicates = already = 0
    services: set[str] = set()
    for letter in letters:
        if offsets is not None and letter.dlq_offset not in offsets:
            continue
        services.add(letter.service)
        if not include_replayed and offsets is None and is_replayed(letter, marks):
            already += 1
            continue
        if letter.source_position in seen:
            duplicates += 1
            continue
        seen.add(letter.source_position)
        to_send.append(letter)
    new_marks = {} if offsets is not None else {
        (service, tp): end for service in services for tp, end in ends.items()
    }
    return ReplayPlan(to_send, duplicates, already, new_marks)


async def send_back(letters: list[DeadLetter], bootstrap_servers: str, enable_idempotence: bool,
                    on_sent: Callable[[DeadLetter], None] | None = None, **client_kwargs: Any) -> None:
    """Publish each dead letter's key and value to its source topic; returns once all were acknowledged."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap_servers, acks="all",
                                enable_idempotence=enable_idempotence, max_request_size=16 * 1024 * 1024,
                                **client_kwargs)
    await producer.start()
    try:
        for letter in letters:
            await producer.send_and_wait(
                letter.source_topic, letter.value or b"",
                key=letter.key,
                headers=[(REPLAYED_FROM, f"{letter.dlq_topic}:{letter.dlq_partition}:{letter.dlq_offset}".encode())],
            )
            if on_sent:
                on_sent(letter)
    finally:
        await producer.stop()


async def commit_marks(bootstrap_servers: str, prefix: str, marks: dict[tuple[str, TopicPartition], int],
                       **client_kwargs: Any) -> None:
    by_service: dict[str, dict[TopicPartition, OffsetAndMetadata]] = {}
    for (service, tp), offset in marks.items():
        by_service.setdefault(service, {})[tp] = OffsetAndMetadata(offset, "")
    for service, offsets in by_service.items():
        consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers, group_id=replay_group(prefix, service),
                                    enable_auto_commit=False, **client_kwargs)
        await consumer.start()
        try:
            consumer.assign(list(offsets))
            await consumer.commit(offsets)
        finally:
            await consumer.stop()


def _source_of(dlq_topic: str) -> str:
    return dlq_topic.removesuffix(".dlq")


def _int_or_none(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def _record_time(record: ConsumerRecord) -> str:
    return datetime.fromtimestamp(record.timestamp / 1000, UTC).isoformat() if record.timestamp else ""
