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

SERVICES = ("ingest", "extract", "store")


@dataclass(frozen=True)
class StackConfig:
    bootstrap_servers: str
    database_url: str
    log_dir: Path
    enable_idempotence: bool = False  # the embedded Tansu broker rejects InitProducerId
    api_key: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    http_port: int = field(default_factory=free_port)
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

    def env_for(self, service: str) -> dict[str, str]:
        env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "DEALWIRE_KAFKA_BOOTSTRAP_SERVERS": self.bootstrap_servers,
            "DEALWIRE_KAFKA_ENABLE_IDEMPOTENCE": str(self.enable_idempotence).lower(),
            "DEALWIRE_DATABASE_URL": self.database_url,
            "DEALWIRE_API_KEY": self.api_key,
            "DEALWIRE_HTTP_HOST": "127.0.0.1",
            "DEALWIRE_HTTP_PORT": str(self.http_port),
            "DEALWIRE_CONSUMER_GROUP": f"{self.name}-{service}",
            "DEALWIRE_LOG_LEVEL": self.log_level,
        }
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
        config.log_dir.mkdir(parents=True, exist_ok=True)

    def log_path(self, service: str) -> Path:
        return self.config.log_dir / f"{service}.log"

    def start(self, service: str) -> None:
        if service in self._running and self._running[service].poll() is None:
            raise RuntimeError(f"{service} is already running")
        with open(self.log_path(service), "ab") as log:
            self._running[service] = subprocess.Popen(
                [sys.executable, "-m", f"services.{service}"], env=self.config.env_for(service),
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            )
        if service == "ingest":
            self.wait_for_ingest()

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
        for service in ("ingest", "extract", "store"):
            if service in self._running:
                self.stop(service)

    def check_alive(self) -> None:
        for service, process in self._running.items():
            if process.poll() is not None:
                tail = self.log_path(service).read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{service} exited with code {process.returncode}; log tail:\n{tail}")

    def wait_for_ingest(self, timeout_s: float = 60.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                if httpx.get(f"{self.config.ingest_url}/healthz", timeout=1.0).is_success:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"ingest did not answer on {self.config.ingest_url} within {timeout_s:.0f}s")

    def __enter__(self) -> ServiceProcesses:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop_all()
