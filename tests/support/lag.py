"""Waiting on consumer groups through the same offsets `dealwire status` reads."""

from __future__ import annotations

import asyncio
import time

from dealwire.shared.offsets import OffsetReader, PartitionLag


async def wait_for_no_lag(bootstrap_servers: str, group: str, topics: list[str],
                          timeout_s: float = 120.0) -> list[PartitionLag]:
    """Until `group` has committed the end of every partition of `topics`."""
    deadline = time.monotonic() + timeout_s
    async with OffsetReader(bootstrap_servers) as reader:
        while True:
            rows = await reader.lag(group, topics)
            if rows and all(row.lag == 0 for row in rows):
                return rows
            if time.monotonic() > deadline:
                raise TimeoutError(f"{group} still lags: {[r for r in rows if r.lag]}")
            await asyncio.sleep(0.3)
