"""End offsets, committed offsets and lag read off the real broker, batches and all."""

from __future__ import annotations

import asyncio

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.structs import OffsetAndMetadata

from dealwire.shared.offsets import OffsetReader
from tests.support.infra import Infra, unique_name


async def produce_in_batches(bootstrap: str, topic: str, counts: dict[int, int]) -> None:
    """`counts[partition]` records per partition, sent together so the producer packs them in batches."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=50)
    await producer.start()
    try:
        sent = [await producer.send(topic, b"x" * 100, partition=p) for p, n in counts.items() for _ in range(n)]
        await asyncio.gather(*sent)
    finally:
        await producer.stop()


async def new_topic(bootstrap: str, partitions: int) -> str:
    name = unique_name("offsets")
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(name, partitions, 1)])
    finally:
        await admin.close()
    return name


async def test_end_offsets_count_every_record_even_when_sent_in_one_batch(infra: Infra) -> None:
    topic = await new_topic(infra.bootstrap_servers, 3)
    await produce_in_batches(infra.bootstrap_servers, topic, {0: 100, 1: 7})

    async with OffsetReader(infra.bootstrap_servers) as reader:
        ends = await reader.end_offsets(await reader.partitions([topic]))

    assert ends == {TopicPartition(topic, 0): 100, TopicPartition(topic, 1): 7, TopicPartition(topic, 2): 0}


async def test_lag_is_end_minus_what_the_group_committed(infra: Infra) -> None:
    topic = await new_topic(infra.bootstrap_servers, 2)
    await produce_in_batches(infra.bootstrap_servers, topic, {0: 40, 1: 10})
    group = unique_name("group")
    consumer = AIOKafkaConsumer(bootstrap_servers=infra.bootstrap_servers, group_id=group, enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign([TopicPartition(topic, 0)])
        await consumer.commit({TopicPartition(topic, 0): OffsetAndMetadata(25, "")})
    finally:
        await consumer.stop()

    async with OffsetReader(infra.bootstrap_servers) as reader:
        rows = await reader.lag(group, [topic, "no-such-topic"])

    assert [(r.partition, r.committed, r.end, r.lag) for r in rows] == [(0, 25, 40, 15), (1, None, 10, 10)]
