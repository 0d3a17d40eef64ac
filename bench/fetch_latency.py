"""Where the per-hop latency floor on the embedded broker comes from: produce one record, time until an
idle consumer has it, for several `fetch_max_wait_ms` and for one and for three assigned partitions.

    python -m bench.fetch_latency [--records 30]

Starts its own Tansu broker. Prints p50 and max per setting (see BENCHMARKS.md, "latency floor").
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from dealwire.embedded import tansu_broker


async def probe(bootstrap_servers: str, partitions: int, wait_ms: int, records: int) -> tuple[float, float]:
    topic = f"latency_{partitions}_{wait_ms}"
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, partitions, 1)])
    finally:
        await admin.close()
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap_servers, group_id=f"g_{topic}",
                                auto_offset_reset="earliest", fetch_max_wait_ms=wait_ms, enable_auto_commit=False)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap_servers, acks="all")
    await consumer.start()
    await producer.start()
    rng = random.Random(1)
    latencies = []
    try:
        for partition in range(partitions):
            await producer.send_and_wait(topic, b"warm-up", partition=partition)
            await consumer.getone()
        for index in range(records):
            await asyncio.sleep(rng.uniform(0.05, 0.6))  # arrive at any moment of the consumer's fetch
            sent = time.perf_counter()
            await producer.send_and_wait(topic, b"x", partition=index % partitions)
            await consumer.getone()
            latencies.append((time.perf_counter() - sent) * 1000)
    finally:
        await producer.stop()
        await consumer.stop()
    return statistics.median(latencies), max(latencies)


async def main(bootstrap_servers: str, records: int) -> None:
    print("| assigned partitions | fetch_max_wait_ms | p50 ms | max ms |\n|---:|---:|---:|---:|")
    for partitions in (1, 3):
        for wait_ms in (500, 250, 100, 50, 10):
            p50, worst = await probe(bootstrap_servers, partitions, wait_ms, records)
            print(f"| {partitions} | {wait_ms} | {p50:.0f} | {worst:.0f} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=30)
    args = parser.parse_args()
    with tansu_broker() as broker:
        asyncio.run(main(broker.bootstrap_servers, args.records))
