"""Rebuild every read model from offset 0 of the topics while the live tables keep serving, then swap.

1. A fresh schema `rebuild_<time>` gets the migrations and is filled by the store service's own
   `Projector`, from offset 0 of the articles, deals and extractions topics (partitions assigned, no
   consumer group), under the live store's consumer name, so the positions it records are the ones
   the live store goes on from.
2. Once it has read everything that was on the topics at the start and is at or past the live
   store's positions, one transaction locks the live tables (ACCESS EXCLUSIVE: readers and the live
   store's next batch wait), brings the rebuild up to the live positions as they now stand (nothing
   more can be applied meanwhile), moves the live tables to `replaced_<time>` and the rebuilt ones into
   the live schema, and commits. Readers see the old tables or the new ones, never a half-built one;
   the live store's statements find the new tables by name when they resume.
3. The replaced tables are dropped, unless kept.

Records that cannot be decoded or applied are counted, not dead-lettered again: the live store sent
them to the dead-letter topics when it met them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import structlog
from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from dealwire.services.store.app import SERVICE, Projector
from dealwire.services.store.db import READER_ROLE, create_engine, make_sessions, migrate
from dealwire.services.store.models import Base
from dealwire.services.store.projection import Sessions, applied_positions
from dealwire.shared.kafka import CountedDeadLetters, end_offsets, max_record_bytes
from dealwire.shared.resilience import until_available
from dealwire.shared.settings import Settings

log = structlog.get_logger()
Progress = Callable[[int, int], None]  # (records read, records on the topics at the start)
LOCK_TIMEOUT = "5s"
CATCH_UP_UNDER_LOCK_S = 60.0


@dataclass(frozen=True)
class RebuildReport:
    schema: str
    records: int
    not_applied: int
    seconds: float
    positions: dict[str, int]
    replaced_kept_in: str | None


async def rebuild(settings: Settings, *, progress: Progress | None = None, keep_replaced: bool = False,
                  swap_attempts: int = 5) -> RebuildReport:
    started = time.monotonic()
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    rebuild_schema, replaced_schema = f"rebuild_{stamp}", f"replaced_{stamp}"
    live_engine = create_engine(settings.database_url)
    live_sessions = make_sessions(settings.database_url)
    sessions = make_sessions(settings.database_url, schema=rebuild_schema)
    consumer_name = settings.group_for(SERVICE)
    topics = [settings.topic_articles, settings.topic_deals, settings.topic_extractions or ""]
    dead_letters = CountedDeadLetters()
    projector = Projector(settings, sessions, dead_letters)  # type: ignore[arg-type]
    reader = Reader(settings, topics)
    try:
        async with live_engine.begin() as connection:
            live_schema = (await connection.execute(text("SELECT current_schema()"))).scalar_one()
            await connection.execute(text(f'CREATE SCHEMA "{rebuild_schema}"'))
        await migrate(settings.database_url, schema=rebuild_schema)
        await reader.start()
        total = sum(reader.ends.values())
        while True:
            await reader.apply_next(projector)
            if progress:
                progress(reader.read, total)
            if await reader.at_start_ends() and _reached(await applied_positions(sessions, consumer_name),
                                                   await applied_positions(live_sessions, consumer_name)):
                break
        for attempt in range(1, swap_attempts + 1):
            try:
                async with live_engine.begin() as connection:
                    await _swap(connection, reader, projector, sessions, consumer_name, live_schema,
                                rebuild_schema, replaced_schema)
                break
            except Exception as error:  # the lock not granted in time: readers or the store held it
                if attempt == swap_attempts or "lock" not in str(error).lower():
                    raise
                log.warning("swap_retry", attempt=attempt, error=repr(error)[:200])
        async with live_engine.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA "{rebuild_schema}" CASCADE'))
            if not keep_replaced:
                await connection.execute(text(f'DROP SCHEMA "{replaced_schema}" CASCADE'))
        positions = await applied_positions(live_sessions, consumer_name)
        return RebuildReport(
            schema=live_schema, records=reader.read, not_applied=len(dead_letters.letters),
            seconds=round(time.monotonic() - started, 2),
            positions={f"{topic}:{partition}": offset for (topic, partition), offset in sorted(positions.items())},
            replaced_kept_in=replaced_schema if keep_replaced else None,
        )
    finally:
        await reader.stop()
        for engine in (live_engine, live_sessions.kw["bind"], sessions.kw["bind"]):
            await engine.dispose()


async def _swap(connection: AsyncConnection, reader: Reader, projector: Projector, sessions: Sessions,
                consumer_name: str, live_schema: str, rebuild_schema: str, replaced_schema: str) -> None:
    tables = _tables()
    await connection.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))
    # projection_positions first: every store transaction takes it first, so the store waits, never deadlocks.
    await connection.execute(text(
        f"LOCK TABLE {', '.join(f'{_q(live_schema)}.{_q(t)}' for t in tables)} IN ACCESS EXCLUSIVE MODE"))
    live = await _positions(connection, live_schema, consumer_name)
    deadline = time.monotonic() + CATCH_UP_UNDER_LOCK_S
    while not _reached(await applied_positions(sessions, consumer_name), live):
        if time.monotonic() > deadline:
            raise TimeoutError("the rebuild did not reach the live positions while the tables were locked")
        await reader.apply_next(projector)
    await connection.execute(text(f"CREATE SCHEMA {_q(replaced_schema)}"))
    for table in tables:
        await connection.execute(text(f"ALTER TABLE {_q(live_schema)}.{_q(table)} SET SCHEMA {_q(replaced_schema)}"))
    for table in tables:
        await connection.execute(text(f"ALTER TABLE {_q(rebuild_schema)}.{_q(table)} SET SCHEMA {_q(live_schema)}"))
    # Privileges belong to tables: the read-only role reads the rebuilt ones as it read the replaced ones.
    await connection.execute(text(
        f"DO $$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{READER_ROLE}') THEN "
        f"GRANT SELECT ON {', '.join(f'{_q(live_schema)}.{_q(t)}' for t in tables)} TO {READER_ROLE}; "
        f"END IF; END $$"))
    log.info("read_models_swapped", schema=live_schema, replaced=replaced_schema, positions=len(live))


class Reader:
    """Every partition of the topics, from offset 0, with the offsets they ended at when reading began."""

    def __init__(self, settings: Settings, topics: list[str]) -> None:
        self._settings = settings
        self._topics = topics
        self._consumer: AIOKafkaConsumer | None = None
        self.ends: dict[TopicPartition, int] = {}
        self.read = 0

    async def start(self) -> None:
        settings = self._settings
        self.ends = await end_offsets(settings.kafka_bootstrap_servers, self._topics)
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=settings.kafka_bootstrap_servers, group_id=None, enable_auto_commit=False,
            fetch_max_wait_ms=settings.kafka_fetch_max_wait_ms,
            fetch_max_bytes=max_record_bytes(settings),
        )
        await until_available("broker", self._consumer.start)
        self._consumer.assign(list(self.ends))
        await self._consumer.seek_to_beginning(*self.ends)

    async def apply_next(self, projector: Projector) -> None:
        assert self._consumer is not None
        batch = await self._consumer.getmany(timeout_ms=200, max_records=self._settings.batch_max_records)
        if batch:
            self.read += sum(map(len, batch.values()))
            await projector.project(batch)
        else:
            await asyncio.sleep(0.05)

    async def at_start_ends(self) -> bool:
        assert self._consumer is not None
        return all([await self._consumer.position(tp) >= end for tp, end in self.ends.items() if end])

    async def stop(self) -> None:
        if self._consumer is not None:
            await self._consumer.stop()


def _tables() -> list[str]:
    names = [table.name for table in Base.metadata.sorted_tables if table.name != "projection_positions"]
    return ["projection_positions", *sorted(names)]


async def _positions(connection: AsyncConnection, schema: str, consumer: str) -> dict[tuple[str, int], int]:
    rows = await connection.execute(
        text(f"SELECT topic, partition, last_offset FROM {_q(schema)}.projection_positions WHERE consumer = :c"),
        {"c": consumer})
    return {(topic, partition): offset for topic, partition, offset in rows}


def _reached(rebuilt: dict[tuple[str, int], int], live: dict[tuple[str, int], int]) -> bool:
    return all(rebuilt.get(key, -1) >= offset for key, offset in live.items())


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
