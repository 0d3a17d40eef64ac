"""What the batch consumer counts against the real broker: records in, records of failed batches, batch
latency, and each partition's lag."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiokafka import ConsumerRecord, TopicPartition
from prometheus_client import REGISTRY

from dealwire.shared.kafka import BatchConsumer
from dealwire.shared.settings import Settings
from tests.integration.shared.test_batch_consumer import PARTITIONS, consumer_settings, produce
from tests.support.infra import Infra

pytestmark = pytest.mark.integration


@pytest.fixture
async def settings(infra: Infra) -> AsyncIterator[Settings]:
    yield await consumer_settings(infra, "metered", batch_max_records=10)


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_the_consumer_counts_records_failures_batches_and_lag(settings: Settings) -> None:
    topic = settings.topic_articles
    await produce(settings, 30)
    failed: list[int] = []
    handled: set[bytes] = set()
    done = asyncio.Event()

    async def fail_once_then_handle(batch: dict[TopicPartition, list[ConsumerRecord]]) -> None:
        if not failed:
            failed.append(sum(map(len, batch.values())))
            raise RuntimeError("a bug in the handler")
        handled.update(r.value for records in batch.values() for r in records)
        if len(handled) == 30:
            done.set()

    batches_before = sample("dealwire_batch_duration_seconds_count")
    consumer = BatchConsumer(settings, "test", [topic], fail_once_then_handle)
    await consumer.start()
    try:
        await asyncio.wait_for(done.wait(), 60)
        lags = [sample("dealwire_consumer_lag", topic=topic, partition=str(p)) for p in range(PARTITIONS)]
        consumed = sample("dealwire_messages_consumed_total", topic=topic)
    finally:
        await consumer.stop()

    assert sample("dealwire_messages_failed_total", topic=topic) == failed[0] > 0
    assert consumed >= 30 + failed[0]  # the failed batch was read again (and a batch in flight behind it)
    assert sample("dealwire_batch_duration_seconds_count") - batches_before >= 2
    assert lags == [0.0] * PARTITIONS
