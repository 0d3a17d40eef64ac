"""Where a topic ends and where a consumer group stands: the numbers behind lag, `status` and `dlq`.

Read the same way on Apache Kafka and on the embedded Tansu broker, whose gaps are worked around:
- Tansu answers ListOffsets(latest) with the *base* offset of the partition's last record batch
  plus one, so a batch of 100 records reads as end offset 1. A Fetch response carries the right
  high watermark, so `end_offsets` fetches once from the reported end - 1 and takes the larger.
  On Apache Kafka the reported end is already right and the fetch changes nothing.
- Tansu drops the connection on OffsetFetch for "all partitions of the group" (a null topic list);
  `committed_offsets` always names the partitions, which every broker answers.
- Tansu keeps a SIGKILLed member in its group until another member joins, and it numbers a group's
  first generation 0, for which aiokafka sends no LeaveGroup on a clean stop: a group's member count
  is a liveness signal on Apache Kafka only (there `session.timeout.ms` removes dead members and
  generations start at 1).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

SMALL_FETCH_BYTES = 64 * 1024  # one batch is enough to learn the high watermark


@dataclass(frozen=True)
class PartitionLag:
    group: str
    topic: str
    partition: int
    committed: int | None  # None: the group has committed nothing on this partition
    end: int

    @property
    def lag(self) -> int:
        """Records the group has not processed yet; all of them if it never committed."""
        return max(self.end - (self.committed or 0), 0)


@dataclass(frozen=True)
class GroupState:
    group: str
    state: str  # Empty, Stable, PreparingRebalance, CompletingRebalance, Dead
    members: int


class OffsetReader:
    """One admin client and one group-less consumer on a broker, for as many questions as needed."""

    def __init__(self, bootstrap_servers: str, **client_kwargs: Any) -> None:
        self._bootstrap_servers = bootstrap_servers
        self._client_kwargs = client_kwargs

    async def __aenter__(self) -> OffsetReader:
        self._admin = AIOKafkaAdminClient(bootstrap_servers=self._bootstrap_servers, **self._client_kwargs)
        await self._admin.start()
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=self._bootstrap_servers, group_id=None, enable_auto_commit=False,
            auto_offset_reset="latest", max_partition_fetch_bytes=SMALL_FETCH_BYTES, **self._client_kwargs,
        )
        try:
            await self._consumer.start()
        except BaseException:
            await self._consumer.stop()
            await self._admin.close()
            raise
        return self

    async def __aexit__(self, *_: object) -> None:
        await self._consumer.stop()
        await self._admin.close()

    @property
    def consumer(self) -> AIOKafkaConsumer:
        return self._consumer

    async def existing_topics(self) -> set[str]:
        return set(await self._admin.list_topics())

    async def partitions(self, topics: Iterable[str]) -> list[TopicPartition]:
        """Every partition of the named topics that exist, in topic then partition order."""
        wanted = sorted(set(topics) & await self.existing_topics())
        if not wanted:
            return []
        described = await self._admin.describe_topics(wanted)
        return sorted(TopicPartition(t["topic"], p["partition"]) for t in described for p in t["partitions"])

    async def end_offsets(self, partitions: list[TopicPartition], timeout_s: float = 10.0) -> dict[TopicPartition, int]:
        """The offset the next record of each partition will get (the high watermark)."""
        if not partitions:
            return {}
        reported: dict[TopicPartition, int] = await self._consumer.end_offsets(partitions)
        ends = dict(reported)
        nonempty = [tp for tp in partitions if reported[tp] > 0]
        if not nonempty:
            return ends
        self._consumer.assign(nonempty)
        for tp in nonempty:
            self._consumer.seek(tp, reported[tp] - 1)
        pending = set(nonempty)
        deadline = time.monotonic() + timeout_s
        while pending and time.monotonic() < deadline:
            await self._consumer.getmany(*pending, timeout_ms=200)
            for tp in list(pending):
                highwater = self._consumer.highwater(tp)
                if highwater is not None:
                    ends[tp] = max(reported[tp], highwater)
                    pending.discard(tp)
        self._consumer.unsubscribe()
        if pending:
            raise TimeoutError(f"no fetch answer within {timeout_s:.0f}s for {sorted(map(str, pending))}")
        return ends

    async def committed_offsets(self, group: str, partitions: list[TopicPartition]) -> dict[TopicPartition, int | None]:
        """The group's committed offset per partition (the next offset it will read), None if none."""
        if not partitions:
            return {}
        answer = await self._admin.list_consumer_group_offsets(group, partitions=partitions)
        committed: dict[TopicPartition, int | None] = dict.fromkeys(partitions)
        for tp, meta in answer.items():
            if tp in committed and meta.offset >= 0:
                committed[tp] = meta.offset
        return committed

    async def lag(self, group: str, topics: Iterable[str]) -> list[PartitionLag]:
        partitions = await self.partitions(topics)
        ends, committed = await asyncio.gather(self.end_offsets(partitions),
                                               self.committed_offsets(group, partitions))
        return [PartitionLag(group, tp.topic, tp.partition, committed[tp], ends[tp]) for tp in partitions]

    async def group_state(self, group: str) -> GroupState:
        [response] = await self._admin.describe_consumer_groups([group])
        _error, _name, state, _protocol_type, _protocol, members, *_ = response.groups[0]
        return GroupState(group, state or "Dead", len(members))
