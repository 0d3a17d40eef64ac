"""`dealwire status` against the running services: lag per group and partition, and each service's health."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dealwire.shared import topics
from dealwire.stack import ServiceProcesses, StackConfig
from tests.conftest import REPO
from tests.support.infra import Infra, create_database, unique_name
from tests.support.lag import wait_for_no_lag
from tests.support.pipeline import ingest

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture
def stack(infra: Infra, tmp_path: Path) -> Iterator[ServiceProcesses]:
    name = unique_name("status")
    database_url = asyncio.run(create_database(infra.database_url, name))
    config = StackConfig(
        infra.bootstrap_servers, database_url, log_dir=tmp_path / "logs", name=name,
        enable_idempotence=infra.enable_idempotence,
        topic_articles=f"{name}.articles.raw.v1", topic_deals=f"{name}.deals.events.v1",
    )
    with ServiceProcesses(config) as services:
        services.start("store")
        services.start("ingest")
        yield services


def status(config: StackConfig) -> tuple[int, dict]:
    env = {**os.environ, "DEALWIRE_KAFKA_BOOTSTRAP_SERVERS": config.bootstrap_servers,
           "DEALWIRE_TOPIC_ARTICLES": config.topic_articles or "", "DEALWIRE_TOPIC_DEALS": config.topic_deals or ""}
    result = subprocess.run(
        [sys.executable, "-m", "dealwire", "status", "--json", "--group-prefix", config.name,
         "--ingest-url", config.ingest_url, "--database-url", config.database_url],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.stdout, result.stderr
    return result.returncode, json.loads(result.stdout)


def lag_by_group(report: dict, topic: str) -> dict[str, int]:
    totals: dict[str, int] = {}
    for row in report["partitions"]:
        if row["topic"] == topic:
            totals[row["group"]] = totals.get(row["group"], 0) + row["lag"]
    return totals


def test_an_absent_extract_shows_as_down_with_its_backlog_then_catches_up(stack: ServiceProcesses) -> None:
    """Extract is not running (on Tansu a stopped first-generation member never leaves its group, see
    shared/offsets.py, so "not started yet" is the absence both brokers report the same way)."""
    config = stack.config
    seeds = sorted((REPO / "seeds").glob("*.txt"))
    ingest(stack, seeds)
    asyncio.run(wait_for_no_lag(config.bootstrap_servers, f"{config.name}-store", [config.topic_articles or ""]))

    code, report = status(config)

    assert code == 1, report
    health = {(s["service"], s["name"]): s["ok"] for s in report["services"]}
    assert health == {("ingest", "ingest"): True, ("extract", f"{config.name}-extract"): False,
                      ("store", f"{config.name}-store"): True, ("store", "database"): True}
    assert lag_by_group(report, config.topic_articles or "") == {f"{config.name}-extract": len(seeds),
                                                                 f"{config.name}-store": 0}
    assert sum(row["end"] for row in report["partitions"]
               if row["topic"] == config.topic_articles and row["group"].endswith("-store")) == len(seeds)

    stack.start("extract")
    extractions = topics.extractions_for(config.topic_articles or "")
    asyncio.run(wait_for_no_lag(config.bootstrap_servers, f"{config.name}-extract", [config.topic_articles or ""]))
    asyncio.run(wait_for_no_lag(config.bootstrap_servers, f"{config.name}-store",
                                [config.topic_deals or "", extractions]))
    code, report = status(config)

    assert code == 0, report
    assert all(row["lag"] == 0 for row in report["partitions"])
    assert report["dead_letters"] == {f"{config.topic_articles}.dlq": 0, f"{config.topic_deals}.dlq": 0,
                                      f"{extractions}.dlq": 0}


def test_status_says_which_broker_it_cannot_reach() -> None:
    result = subprocess.run([sys.executable, "-m", "dealwire", "status", "--bootstrap-servers", "127.0.0.1:9"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "error: broker 127.0.0.1:9" in result.stderr
    assert "Traceback" not in result.stderr
