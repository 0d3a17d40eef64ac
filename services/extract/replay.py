"""Re-extract every raw article with the engine installed here, and publish what it finds.

Reads `articles.raw.v1` from offset 0 to where it ended when the replay began (partitions assigned, no
consumer group, so the live extract service is not disturbed) and hands each batch to the extract
service's own `Extractor`: the events of the current engine version, then each article's
`ArticleExtracted` record, all acknowledged by the broker. The store then keeps only the newest
version's events of each article and retracts what it no longer finds.

Records that cannot be decoded or extracted are counted, not dead-lettered again: the live extract
service sent them to the dead-letter topic when it met them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer

from dealwire.services.extract import engine
from dealwire.services.extract.app import Extractor
from dealwire.shared.kafka import CountedDeadLetters, Producer, end_offsets, ensure_topics, max_record_bytes
from dealwire.shared.resilience import until_available
from dealwire.shared.settings import Settings

Progress = Callable[[int, int], None]  # (records read, records on the topic at the start)


@dataclass(frozen=True)
class ReextractReport:
    extractor_version: str
    articles: int
    not_extracted: int
    seconds: float


async def reextract(settings: Settings, *, progress: Progress | None = None) -> ReextractReport:
    started = time.monotonic()
    await ensure_topics(settings)
    ends = {tp: end for tp, end in (await end_offsets(settings.kafka_bootstrap_servers,
                                                      [settings.topic_articles])).items() if end}
    total = sum(ends.values())
    producer = Producer(settings, client_id="dealwire-replay-extract")
    dead_letters = CountedDeadLetters()
    extractor = Extractor(settings, producer, dead_letters)  # type: ignore[arg-type]
    consumer = AIOKafkaConsumer(bootstrap_servers=settings.kafka_bootstrap_servers, group_id=None,
                                enable_auto_commit=False, fetch_max_wait_ms=settings.kafka_fetch_max_wait_ms,
                                fetch_max_bytes=max_record_bytes(settings))
    read = 0
    await producer.start()
    await until_available("broker", consumer.start)
    await extractor.start()
    try:
        consumer.assign(list(ends))
        await consumer.seek_to_beginning(*ends)
        pending = dict(ends)
        while pending:
            fetched = await consumer.getmany(*pending, timeout_ms=500, max_records=settings.batch_max_records)
            batch = {}
            for partition, records in fetched.items():
                records = [r for r in records if r.offset < ends[partition]]  # what came later is live work
                if records:
                    batch[partition] = records
                if not records or records[-1].offset + 1 >= ends[partition]:
                    pending.pop(partition, None)
            if batch:
                await extractor.extract(batch)
                read += sum(map(len, batch.values()))
                if progress:
                    progress(read, total)
    finally:
        extractor.stop()
        await consumer.stop()
        await producer.stop()
    return ReextractReport(engine.EXTRACTOR_VERSION, read - len(dead_letters.letters), len(dead_letters.letters),
                           round(time.monotonic() - started, 2))
