"""The three services as separate OS processes, wired to one broker and one database.

Used by `dealwire dev` and by the end-to-end tests; each service can be stopped, killed and
started again on its own, exactly as in production.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from dealwire.embedded import free_port
from dealwire.services.ingest.auth import hash_key

SERVICES = ("ingest", "extract", "store")  # the pipeline; "store-api" (the read API and web page) is optional
MODULES = {"ingest": "dealwire.services.ingest", "extract": "dealwire.services.extract", "store": "dealwire.services.store",
           "store-api": "dealwire.services.store.api"}
CRASH_WINDOW_S = 60.0
MAX_CRASHES_IN_WINDOW = 5  # more than this and the service is crash-looping: restarting will not help


@dataclass(frozen=True)
class Restart:
    service: str
    exit_code: int
    restarts: int  # of this service so far


@dataclass(frozen=True)
class StackConfig:
    bootstrap_servers: str
    database_url: str
    log_dir: Path
    enable_idempotence: bool = False  # the embedded Tansu broker rejects InitProducerId
    api_key: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    http_port: int = field(default_factory=free_port)
    api_port: int = field(default_factory=free_port)
    # /metrics of the consumers (ingest and the read API serve theirs on their HTTP port)
    metrics_ports: dict[str, int] = field(default_factory=lambda: {"extract": free_port(), "store": free_port()})
    name: str = "dealwire"  # prefixes consumer groups, so several stacks can share one broker
    topic_articles: str | None = None  # the extractions topic follows: <prefix>.articles.extracted.v1
    topic_deals: str | None = None
    log_level: str = "INFO"
    # Tansu takes about half the session timeout to form a group, so the embedded stack uses a short one;
    # Apache Kafka refuses less than 6 s (group.min.session.timeout.ms). None: the services' default.
    kafka_session_timeout_ms: int | None = None
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def ingest_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    def metrics_url(self, service: str) -> str:
        base = {"ingest": self.ingest_url, "store-api": self.api_url}.get(service)
        return f"{base or f'http://127.0.0.1:{self.metrics_ports[service]}'}/metrics"

    def env_for(self, service: str) -> dict[str, str]:
        env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "DEALWIRE_KAFKA_BOOTSTRAP_SERVERS": self.bootstrap_servers,
            "DEALWIRE_KAFKA_ENABLE_IDEMPOTENCE": str(self.enable_idempotence).lower(),
            "DEALWIRE_DATABASE_URL": self.database_url,
            "DEALWIRE_API_KEY_HASHES": hash_key(self.api_key),  # the services never see the key itself
            "DEALWIRE_HTTP_HOST": "127.0.0.1",
            "DEALWIRE_HTTP_PORT": str(self.api_port if service == "store-api" else self.http_port),
            "DEALWIRE_CONSUMER_GROUP": f"{self.name}-{service}",
            "DEALWIRE_LOG_LEVEL": self.log_level,
        }
        if service in self.metrics_ports:
            env["DEALWIRE_METRICS_PORT"] = str(self.metrics_ports[service])
        if self.kafka_session_timeout_ms:
            env["DEALWIRE_KAFKA_SESSION_TIMEOUT_MS"] = str(self.kafka_session_timeout_ms)
            env["DEALWIRE_KAFKA_HEARTBEAT_INTERVAL_MS"] = str(max(100, self.kafka_session_timeout_ms // 5))
        env.update(self.extra_env)
        if self.topic_articles:
            env["DEALWIRE_TOPIC_ARTICLES"] = self.topic_articles
        if self.topic_deals:
            env["DEALWIRE_TOPIC_DEALS"] = self.topic_deals
        return env


class ServiceProcesses:
    """Starts, stops and kills the service processes of one stack; never leaves one behind."""

    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self._running: dict[str, subprocess.Popen] = {}
        self._crashes: dict[str, list[float]] = {}
        self._restarts: dict[str, int] = {}
        config.log_dir.mkdir(parents=True, exist_ok=True)

    def log_path(self, service: str) -> Path:
        return self.config.log_dir / f"{service}.log"

    def start(self, service: str) -> None:
        if service in self._running and self._running[service].poll() is None:
            raise RuntimeError(f"{service} is already running")
        with open(self.log_path(service), "ab") as log:
            self._running[service] = subprocess.Popen(
                [sys.executable, "-m", MODULES[service]], env=self.config.env_for(service),
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            )
        if service == "ingest":
            self.wait_for_http(service, self.config.ingest_url)
        elif service == "store-api":
            self.wait_for_http(service, self.config.api_url)

    def start_all(self) -> None:
        for service in ("store", "extract", "ingest"):
            self.start(service)

    def pid(self, service: str) -> int:
        return self._running[service].pid

    def kill(self, service: str) -> None:
        """SIGKILL: no graceful shutdown, no last commit; what a crash looks like."""
        process = self._running.pop(service)
        process.kill()
        process.wait()

    def stop(self, service: str, timeout_s: float = 20.0) -> None:
        process = self._running.pop(service)
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def stop_all(self) -> None:
        for service in ("ingest", "store-api", "extract", "store"):
            if service in self._running:
                self.stop(service)

    def check_alive(self) -> None:
        for service, process in self._running.items():
            if process.poll() is not None:
                tail = self.log_path(service).read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{service} exited with code {process.returncode}; log tail:\n{tail}")

    def restart_crashed(self) -> list[Restart]:
        """Start again every service that exited without being stopped; give up on a crash loop."""
        restarted = []
        for service, process in list(self._running.items()):
            if process.poll() is None:
                continue
            now = time.monotonic()
            recent = [t for t in self._crashes.get(service, []) if now - t < CRASH_WINDOW_S] + [now]
            self._crashes[service] = recent
            if len(recent) > MAX_CRASHES_IN_WINDOW:
                tail = self.log_path(service).read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{service} exited {len(recent)} times within {CRASH_WINDOW_S:.0f}s "
                                   f"(last code {process.returncode}); not restarting it again; log tail:\n{tail}")
            del self._running[service]
            self.start(service)
            self._restarts[service] = self._restarts.get(service, 0) + 1
            restarted.append(Restart(service, process.returncode, self._restarts[service]))
        return restarted

    def wait_for_http(self, service: str, base_url: str, timeout_s: float = 60.0) -> None:
        deadline = time.monotonic() + timeout_s
        process = self._running[service]
        while time.monotonic() < deadline:
            if process.poll() is not None:
                tail = self.log_path(service).read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{service} exited with code {process.returncode}; log tail:\n{tail}")
            try:
                if httpx.get(f"{base_url}/healthz", timeout=1.0).is_success:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"{service} did not answer on {base_url} within {timeout_s:.0f}s")

    def __enter__(self) -> ServiceProcesses:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop_all()
