"""The batch consumer against the real broker: per-partition batches, commits after the handler."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from dealwire.shared.kafka import BatchConsumer
from dealwire.shared.settings import Settings
from tests.support.infra import Infra, unique_name

pytestmark = pytest.mark.integration
PARTITIONS = 3


async def consumer_settings(infra: Infra, prefix: str, batch_max_records: int) -> Settings:
    """Settings of a consumer of a new topic of PARTITIONS partitions, in a group of its own."""
    topic = unique_name(prefix)
    admin = AIOKafkaAdminClient(bootstrap_servers=infra.bootstrap_servers)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, PARTITIONS, 1)])
    finally:
        await admin.close()
    return Settings(kafka_bootstrap_servers=infra.bootstrap_servers, topic_articles=topic,
                    consumer_group=unique_name("group"), batch_max_records=batch_max_records,
                    kafka_session_timeout_ms=infra.session_timeout_ms or 10_000,
                    kafka_heartbeat_interval_ms=(infra.session_timeout_ms or 10_000) // 5)


@pytest.fixture
async def settings(infra: Infra) -> AsyncIterator[Settings]:
    yield await consumer_settings(infra, "batches", batch_max_records=50)


async def produce(settings: Settings, count: int, start: int = 0) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap_servers, acks="all")
    await producer.start()
    try:
        for i in range(start, start + count):
            await producer.send(settings.topic_articles, f"r{i}".encode(), partition=i % PARTITIONS)
        await producer.flush()
    finally:
        await producer.stop()


async def committed(settings: Settings) -> dict[int, int | None]:
    consumer = AIOKafkaConsumer(bootstrap_servers=settings.kafka_bootstrap_servers,
                                group_id=settings.consumer_group, enable_auto_commit=False)
    await consumer.start()
    try:
        return {p: await consumer.committed(TopicPartition(settings.topic_articles, p)) for p in range(PARTITIONS)}
    finally:
        await consumer.stop()


async def consume_until(settings: Settings, count: int, handle=None) -> list[list[ConsumerRecord]]:
    batches: list[list[ConsumerRecord]] = []
    sizes: list[int] = []
    done = asyncio.Event()

    async def record_batch(batch: dict[TopicPartition, list[ConsumerRecord]]) -> None:
        if handle is not None:
            await handle(batch)
        batches.extend(batch.values())
        sizes.append(sum(map(len, batch.values())))
        if sum(map(len, batches)) >= count:
            done.set()

    consumer = BatchConsumer(settings, "test", [settings.topic_articles], record_batch)
    await consumer.start()
    try:
        await asyncio.wait_for(done.wait(), 60)
    finally:
        await consumer.stop()
    assert max(sizes) <= settings.batch_max_records
    return batches


async def test_batches_keep_each_partition_in_order_and_are_committed_after_the_handler(settings: Settings) -> None:
    await produce(settings, 150)

    batches = await consume_until(settings, 150)

    assert all(len({r.partition for r in records}) == 1 for records in batches)
    assert all([r.offset for r in records] == sorted(r.offset for r in records) for records in batches)
    assert sorted(r.value for batch in batches for r in batch) == sorted(f"r{i}".encode() for i in range(150))
    assert await committed(settings) == {0: 50, 1: 50, 2: 50}


async def test_a_batch_whose_handler_raises_is_delivered_again(settings: Settings) -> None:
    await produce(settings, 30)
    failed: list[int] = []

    async def fail_once(batch: dict[TopicPartition, list[ConsumerRecord]]) -> None:
        if not failed:
            failed.append(sum(map(len, batch.values())))
            raise RuntimeError("a bug in the handler")

    batches = await consume_until(settings, 30, fail_once)

    values = [r.value for batch in batches for r in batch]
    assert sorted(values) == sorted(f"r{i}".encode() for i in range(30))  # none skipped, none twice
    assert failed and failed[0] > 0


async def test_a_restarted_consumer_goes_on_after_what_was_committed(settings: Settings) -> None:
    await produce(settings, 30)
    await consume_until(settings, 30)
    await produce(settings, 9, start=30)

    batches = await consume_until(settings, 9)

    assert sorted(r.value for batch in batches for r in batch) == sorted(f"r{i}".encode() for i in range(30, 39))
