"""Downstream consumers of `deals.events.v1`: the README's example, run as it is written, and the other client
libraries the README says work against the broker the tests run on (the shared `read_stack`, seeds ingested)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from dealwire.shared.schemas import DealEvent
from dealwire.stack import ServiceProcesses
from tests.conftest import REPO

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
GIVE_UP_S = 120  # a bound on a failing run, not a measured duration
# seed-000: Novatim licenses KQ-2003 to ERIGEN LLC
SEED_DEAL = ("licensing", "KQ-2003", {("NOVATIM", "licensor"), ("ERIGEN", "licensee")})


def readme_example(name: str) -> str:
    """The code between `<!-- example: NAME -->` and `<!-- /example -->` in README.md, fences removed."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    found = re.search(rf"<!-- example: {name} -->\n```python\n(.*?)```\n<!-- /example -->", readme, re.DOTALL)
    assert found, f"README.md has no example {name!r}"
    return found.group(1)


def is_seed_deal(event: DealEvent) -> bool:
    kind, asset, parties = SEED_DEAL
    return (event.type == kind and asset in event.assets
            and parties <= {(party.name.split()[0].upper(), party.role) for party in event.parties})


@pytest.fixture
def example_output(read_stack: ServiceProcesses, tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    script = tmp_path / "deals_consumer.py"
    script.write_text(readme_example("deals-consumer"), encoding="utf-8")
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "DEALWIRE_TOPIC_DEALS": read_stack.config.topic_deals,
           "DEALWIRE_KAFKA_BOOTSTRAP_SERVERS": read_stack.config.bootstrap_servers}
    process = subprocess.Popen([sys.executable, str(script)], cwd=tmp_path, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    watchdog = threading.Timer(GIVE_UP_S, process.kill)  # ends a consumer that never prints the deal
    watchdog.start()
    try:
        yield process
    finally:
        watchdog.cancel()
        process.kill()
        process.wait()


def test_the_readme_consumer_prints_the_events_of_a_seed_article(example_output: subprocess.Popen[str]) -> None:
    assert example_output.stdout is not None
    seen = []
    for line in example_output.stdout:
        seen.append(line.rstrip())
        if re.match(r"evt_[0-9a-f]{24} licensing Novatim \(licensor\), ERIGEN LLC \(licensee\) KQ-2003$", seen[-1]):
            return
    pytest.fail("the README's consumer ended without printing the seed deal:\n" + "\n".join(seen[-20:]))


@pytest.mark.filterwarnings("ignore:(read|open)_text is deprecated:DeprecationWarning")  # kafka-python's own
def test_kafka_python_reads_and_decodes_the_deal_events(read_stack: ServiceProcesses) -> None:
    from kafka import KafkaConsumer

    consumer = KafkaConsumer(read_stack.config.topic_deals, bootstrap_servers=read_stack.config.bootstrap_servers,
                             group_id=f"kafka-python-{uuid.uuid4().hex[:8]}", auto_offset_reset="earliest",
                             session_timeout_ms=6000, heartbeat_interval_ms=1000, consumer_timeout_ms=GIVE_UP_S * 1000)
    try:
        events = (DealEvent.model_validate_json(record.value) for record in consumer)
        assert any(is_seed_deal(event) for event in events), "kafka-python read no seed deal"
    finally:
        consumer.close()


def test_confluent_kafka_reads_and_decodes_the_deal_events(read_stack: ServiceProcesses) -> None:
    from confluent_kafka import Consumer

    consumer = Consumer({"bootstrap.servers": read_stack.config.bootstrap_servers, "auto.offset.reset": "earliest",
                         "group.id": f"confluent-{uuid.uuid4().hex[:8]}", "session.timeout.ms": 6000,
                         "heartbeat.interval.ms": 1000})
    consumer.subscribe([read_stack.config.topic_deals])
    give_up = time.monotonic() + GIVE_UP_S
    try:
        while time.monotonic() < give_up:
            record = consumer.poll(1.0)
            if record is None:
                continue
            assert record.error() is None, record.error()
            if is_seed_deal(DealEvent.model_validate_json(record.value())):
                return
        pytest.fail("confluent-kafka read no seed deal")
    finally:
        consumer.close()
