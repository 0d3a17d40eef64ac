"""The read models' checksum: equal for equal content, however and whenever it was written."""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest
from sqlalchemy import text
from store_helpers import rows
from test_batches import apply_in_batches, apply_one_at_a_time, realistic_records

from dealwire.services.store.checksum import checksum
from dealwire.services.store.projection import Sessions
from dealwire.shared.schemas import DealEvent, RawArticle

pytestmark = pytest.mark.integration


def processed_later(records: list, hours: int) -> list:
    """The same records as a later run would produce them: other processing times, nothing else."""
    later = []
    for record in records:
        if isinstance(record, RawArticle):
            record = record.model_copy(update={"received_at": record.received_at + timedelta(hours=hours)})
        elif isinstance(record, DealEvent):
            record = record.model_copy(update={"extracted_at": record.extracted_at + timedelta(hours=hours)})
        later.append(record)
    return later


async def test_same_content_written_another_way_and_time_has_the_same_checksum(
    sessions_factory: Callable[[], Awaitable[Sessions]],
) -> None:
    records = realistic_records(40, seed=2)
    first, second = await sessions_factory(), await sessions_factory()

    await apply_one_at_a_time(first, records)
    await apply_in_batches(second, processed_later(random.Random(3).sample(records, len(records)), 5),
                           partitions=3, size=10)

    one, other = await checksum(first), await checksum(second)
    assert one == other
    assert one.tables["deal_events"].rows > 40 and one.tables["companies"].rows > 0
    times = "SELECT min(received_at), min(extracted_at) FROM articles, deal_events"
    assert await rows(first, times) != await rows(second, times)  # written at other times all the same


@pytest.mark.parametrize("change", [
    "UPDATE companies SET name = name || ' Inc' WHERE company_id = (SELECT min(company_id) FROM companies)",
    "DELETE FROM deal_parties WHERE ctid = (SELECT min(ctid) FROM deal_parties)",
    "UPDATE deals SET stage = NULL WHERE stage IS NOT NULL",
    "UPDATE article_extractions SET event_ids = NULL WHERE article_id = (SELECT min(article_id) FROM articles)",
])
async def test_any_change_of_content_changes_the_checksum(sessions: Sessions, change: str) -> None:
    await apply_in_batches(sessions, realistic_records(20, seed=8), partitions=2, size=50)
    before = await checksum(sessions)

    async with sessions.begin() as session:
        await session.execute(text(change))

    after = await checksum(sessions)
    assert after.digest != before.digest
    assert [n for n in after.tables if after.tables[n] != before.tables[n]] != []
