"""What the benchmarks share: topics filled before a service starts, completion checks, memory peaks.

Everything runs against a real broker and a real PostgreSQL server (the embedded ones for `make bench`,
the test session's for the smoke test), each run on its own topics, consumer groups and database.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from sqlalchemy.engine import make_url

from dealwire.shared.ids import key_for
from dealwire.shared.kafka import end_offsets as kafka_end_offsets
from dealwire.shared.kafka import ensure_topics
from dealwire.shared.schemas import DealEvent, RawArticle
from dealwire.shared.settings import Settings
from dealwire.stack import ServiceProcesses, StackConfig


@dataclass(frozen=True)
class Infra:
    bootstrap_servers: str
    server_url: str  # SQLAlchemy URL of the PostgreSQL server's maintenance database
    session_timeout_ms: int | None = None


@dataclass(frozen=True)
class Run:
    """One benchmark's own topics, consumer groups and database."""

    infra: Infra
    name: str
    database_url: str
    log_dir: Path

    @property
    def topic_articles(self) -> str:
        return f"{self.name}.articles.raw.v1"

    @property
    def topic_deals(self) -> str:
        return f"{self.name}.deals.events.v1"

    def settings(self) -> Settings:
        return Settings(kafka_bootstrap_servers=self.infra.bootstrap_servers, kafka_enable_idempotence=False,
                        topic_articles=self.topic_articles, topic_deals=self.topic_deals,
                        database_url=self.database_url)

    def stack(self, **changes: object) -> StackConfig:
        fields: dict = {"name": self.name, "topic_articles": self.topic_articles, "topic_deals": self.topic_deals,
                        "kafka_session_timeout_ms": self.infra.session_timeout_ms} | changes
        return StackConfig(self.infra.bootstrap_servers, self.database_url, log_dir=self.log_dir, **fields)


async def new_run(infra: Infra, label: str, work_dir: Path) -> Run:
    name = f"bench_{label}_{uuid.uuid4().hex[:8]}"
    connection = await asyncpg.connect(asyncpg_dsn(infra.server_url))
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    url = make_url(infra.server_url).set(database=name).render_as_string(hide_password=False)
    run = Run(infra, name, url, work_dir / name)
    await ensure_topics(run.settings())
    return run


def asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def preload(bootstrap_servers: str, topic: str, messages: Sequence[RawArticle | DealEvent]) -> dict[int, int]:
    """Publish the messages as the services would (keyed by id); returns the end offset per partition."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap_servers, acks="all", linger_ms=20,
                                compression_type="lz4", max_request_size=32 * 1024 * 1024)
    await producer.start()
    try:
        futures = [await producer.send(topic, m.model_dump_json().encode(), key=key_for(m)) for m in messages]
        ends: dict[int, int] = {}
        for metadata in await asyncio.gather(*futures):
            ends[metadata.partition] = max(ends.get(metadata.partition, 0), metadata.offset + 1)
        return ends
    finally:
        await producer.stop()


async def end_offsets(bootstrap_servers: str, topic: str) -> dict[int, int]:
    """Each partition's end offset (read the Tansu-safe way, `dealwire.shared.kafka.end_offsets`)."""
    return {tp.partition: end for tp, end in (await kafka_end_offsets(bootstrap_servers, [topic])).items()}


class Watch:
    """The checks a benchmark makes while the services run, over one database connection and one Kafka
    client: opening them per check would cost PostgreSQL a backend start and the broker a group lookup
    every time, and so slow down what is measured."""

    def __init__(self, run: Run, group: str | None = None) -> None:
        self._run = run
        self._group = group
        self._db: asyncpg.Connection | None = None
        self._kafka: AIOKafkaConsumer | None = None

    async def __aenter__(self) -> Watch:
        self._db = await asyncpg.connect(asyncpg_dsn(self._run.database_url))
        if self._group:
            self._kafka = AIOKafkaConsumer(bootstrap_servers=self._run.infra.bootstrap_servers,
                                           group_id=self._group, enable_auto_commit=False)
            await self._kafka.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._kafka is not None:
            await self._kafka.stop()
        if self._db is not None:
            await self._db.close()

    async def count(self, table: str) -> int:
        assert self._db is not None
        try:
            return await self._db.fetchval(f"SELECT count(*) FROM {table}")
        except asyncpg.UndefinedTableError:
            return 0

    async def applied(self, consumer: str, topic: str) -> dict[int, int]:
        """The store's recorded position per partition of `topic`, as an end offset (last applied + 1)."""
        assert self._db is not None
        try:
            rows = await self._db.fetch("SELECT partition, last_offset FROM projection_positions "
                                        "WHERE consumer = $1 AND topic = $2", consumer, topic)
        except asyncpg.UndefinedTableError:
            return {}
        return {row["partition"]: row["last_offset"] + 1 for row in rows}

    async def committed(self, topic: str, partitions: Sequence[int]) -> dict[int, int]:
        assert self._kafka is not None
        return {p: await self._kafka.committed(TopicPartition(topic, p)) or 0 for p in partitions}


def reached(current: dict[int, int], wanted: dict[int, int]) -> bool:
    return all(current.get(p, 0) >= end for p, end in wanted.items() if end > 0)


async def wait_for(condition: Callable[[], Awaitable[bool]], timeout_s: float, what: str,
                   services: ServiceProcesses | None = None, interval_s: float = 0.2) -> float:
    """Poll until `condition()` holds; returns the monotonic time it was first seen to hold."""
    deadline = time.monotonic() + timeout_s
    while True:
        if services is not None:
            services.check_alive()
        if await condition():
            return time.monotonic()
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not reached within {timeout_s:.0f}s")
        await asyncio.sleep(interval_s)


def peak_rss_mb(pid: int) -> float:
    """The peak resident set size so far (VmHWM) of the process and its children (the extract service's
    engine workers), in MB: the sum of each one's peak, an upper bound of their peak together."""
    return sum(_status_mb(process, "VmHWM") for process in (pid, *_children(pid)))


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by the process and its live children."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for process in (pid, *_children(pid)):
        fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def _children(pid: int) -> list[int]:
    """Every descendant of the process (the children of each of its threads, and theirs)."""
    children = [int(child) for task in Path(f"/proc/{pid}/task").iterdir()
                for child in (task / "children").read_text().split()]
    return children + [grandchild for child in children for grandchild in _children(child)]


def _status_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} for process {pid}")


def rss_mb(pid: int) -> float:
    return _status_mb(pid, "VmRSS")


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"
