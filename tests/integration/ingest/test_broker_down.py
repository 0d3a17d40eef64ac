"""The gateway with its broker really stopped: 503 with Retry-After, quickly, never a 500.

Uses a broker of its own (an embedded Tansu process it can stop), not the session's.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest

from dealwire.embedded import tansu_broker
from dealwire.stack import ServiceProcesses, StackConfig
from tests.support.infra import Infra, unique_name

pytestmark = pytest.mark.integration


def test_a_stopped_broker_gives_503_with_retry_after(infra: Infra, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                     ) -> None:
    monkeypatch.setenv("DEALWIRE_PUBLISH_TIMEOUT_S", "2")
    monkeypatch.setenv("DEALWIRE_RETRY_AFTER_S", "7")
    with tansu_broker(tmp_path / "tansu.log") as broker:
        config = StackConfig(broker.bootstrap_servers, infra.database_url, log_dir=tmp_path, name=unique_name("down"))
        with ServiceProcesses(config) as services:
            services.start("ingest")
            url, headers = config.ingest_url, {"X-API-Key": config.api_key}
            assert httpx.post(f"{url}/v1/articles", json={"text": "Before the outage."}, headers=headers,
                              timeout=30).status_code == 201

            broker.process.terminate()
            broker.process.wait(timeout=10)

            started = time.monotonic()
            first = httpx.post(f"{url}/v1/articles", json={"text": "During the outage."}, headers=headers, timeout=30)
            first_s = time.monotonic() - started
            second = httpx.post(f"{url}/v1/articles", json={"text": "Still down."}, headers=headers, timeout=30)
            batch = httpx.post(f"{url}/v1/articles:batch", headers={**headers, "Content-Type": "application/x-ndjson"},
                               content=b'{"text": "One."}\n{"text": 2}\n', timeout=30)
            ready = httpx.get(f"{url}/readyz", timeout=30)
            alive = httpx.get(f"{url}/healthz", timeout=30)

    assert (first.status_code, first.headers["retry-after"]) == (503, "7")
    assert "broker unavailable" in first.json()["detail"]
    assert first_s < 10  # bounded by the publish timeout, not aiokafka's 40 s default
    assert (second.status_code, second.headers["retry-after"]) == (503, "7")
    assert batch.status_code == 503
    assert [(r["line"], r["status"]) for r in batch.json()["results"]] == [(1, "unavailable"), (2, "invalid")]
    assert (ready.status_code, ready.json()["status"]) == (503, "not ready")
    assert alive.json() == {"status": "ok"}
    assert "Traceback" not in (tmp_path / "ingest.log").read_text()
    assert json.loads(first.content)  # a JSON answer, not a proxy's or server's error page
