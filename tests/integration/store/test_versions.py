"""Re-extraction: the newest extractor version speaks for an article, including about what it no longer finds."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from store_helpers import SEED_ARTICLE_ID, novatim_event, rows, snapshot

from dealwire.services.store.projection import Batch, Position, Sessions, apply_batch
from dealwire.shared.schemas import ArticleExtracted, DealEvent, Money, Party

pytestmark = pytest.mark.integration

DEALS, EXTRACTIONS = "deals.events.v1", "articles.extracted.v1"


def extracted(version: str, *events: DealEvent, article_id: str = SEED_ARTICLE_ID) -> ArticleExtracted:
    return ArticleExtracted(article_id=article_id, extractor="rules", extractor_version=version,
                            event_ids=[e.event_id for e in events], extracted_at=datetime(2026, 1, 1, tzinfo=UTC))


def v(version: str, **changes: object) -> DealEvent:
    return novatim_event(extractor_version=version, **changes)


_next_offsets: dict[int, dict[str, int]] = {}


async def apply(sessions: Sessions, records: list[DealEvent | ArticleExtracted]) -> None:
    """Each record on its topic, at the next offset of that database's stream."""
    offsets = _next_offsets.setdefault(id(sessions), {DEALS: 0, EXTRACTIONS: 0})
    for record in records:
        topic = DEALS if isinstance(record, DealEvent) else EXTRACTIONS
        await apply_batch(sessions, Batch.of(Position("dealwire-store", topic, 0, offsets[topic]), record))
        offsets[topic] += 1


async def event_ids(sessions: Sessions) -> set[str]:
    return {r[0] for r in await rows(sessions, "SELECT event_id FROM deal_events")}


async def test_a_newer_version_replaces_the_older_versions_events_of_the_article(sessions: Sessions) -> None:
    old_main, old_extra = v("0.2.0"), v("0.2.0", position=1, type="financing", assets=[],
                                        equity=Money(amount=5e7, currency="USD"))
    new_main = v("0.3.0", stage="Phase II")
    await apply(sessions, [old_main, old_extra, extracted("0.2.0", old_main, old_extra)])

    await apply(sessions, [new_main, extracted("0.3.0", new_main)])

    assert await event_ids(sessions) == {new_main.event_id}
    assert await rows(sessions, "SELECT stage, source_event_id, extractor_version FROM deals") == [
        ("Phase II", new_main.event_id, "0.3.0")]
    assert await rows(sessions, "SELECT article_id, extractor_version, event_ids FROM article_extractions") == [
        (SEED_ARTICLE_ID, "0.3.0", [new_main.event_id])]


async def test_a_newer_version_that_finds_nothing_retracts_the_article_and_its_deal(sessions: Sessions) -> None:
    old = v("0.2.0")
    await apply(sessions, [old, extracted("0.2.0", old)])

    await apply(sessions, [extracted("0.3.0")])

    for table in ("deal_events", "deals", "deal_parties", "deal_assets"):
        assert await rows(sessions, f"SELECT count(*) FROM {table}") == [(0,)], table
    assert await rows(sessions, "SELECT extractor_version, event_ids FROM article_extractions") == [("0.3.0", [])]


async def test_a_deal_another_article_still_reports_stays_with_that_article(sessions: Sessions) -> None:
    first = v("0.2.0")
    second = v("0.2.0", article_id="art_" + "b" * 24)
    await apply(sessions, [first, second])

    await apply(sessions, [extracted("0.3.0")])  # the first article re-extracted: no deal any more

    assert await event_ids(sessions) == {second.event_id}
    assert await rows(sessions, "SELECT article_count, source_event_id FROM deals") == [(1, second.event_id)]


async def test_an_older_versions_event_arriving_late_is_not_stored(sessions: Sessions) -> None:
    new = v("0.10.0")
    await apply(sessions, [new, extracted("0.10.0", new)])
    before = await snapshot(sessions)

    await apply(sessions, [v("0.9.0", stage="Phase I"), extracted("0.9.0", v("0.9.0"))])

    after = await snapshot(sessions)
    for table in ("deal_events", "deals", "deal_parties", "deal_assets", "article_extractions"):
        assert after[table] == before[table], table


async def test_any_order_of_versions_events_and_extractions_gives_the_same_tables(
    sessions_factory: Callable[[], Awaitable[Sessions]],
) -> None:
    other_article = "art_" + "c" * 24
    old = [v("0.2.0"), v("0.2.0", position=1, type="financing", assets=[], parties=[
        Party(name="ERIGEN LLC", role="issuer")], equity=Money(amount=5e7, currency="USD"))]
    new = [v("0.3.0", stage="Phase II", parties=[Party(name="Erigen Inc", role="licensee"), *v("0.3.0").parties])]
    elsewhere = [v("0.2.0", article_id=other_article)]
    records: list[DealEvent | ArticleExtracted] = [
        *old, extracted("0.2.0", *old), *new, extracted("0.3.0", *new), *elsewhere,
        extracted("0.2.0", *elsewhere, article_id=other_article),
    ]
    orders = [records, records[::-1], *(random.Random(seed).sample(records, len(records)) for seed in range(3))]

    tables = []
    for order in orders:
        sessions = await sessions_factory()
        await apply(sessions, order)
        tables.append(await snapshot(sessions, row_versions=False))

    expected = {name: rows for name, rows in tables[0].items() if name != "projection_positions"}
    assert {e.split('"event_id": "')[1][:28] for e in expected["deal_events"]} == {
        new[0].event_id, elsewhere[0].event_id}
    for other in tables[1:]:
        assert {name: rows for name, rows in other.items() if name != "projection_positions"} == expected


class HeldAtCommit:
    """Sessions whose main transaction (a batch's second) stops before its commit until released:
    another batch runs while this one's locks are held."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions
        self._begun = 0
        self.holding = asyncio.Event()
        self.release = asyncio.Event()

    @contextlib.asynccontextmanager
    async def begin(self) -> AsyncIterator[AsyncSession]:
        self._begun += 1
        main = self._begun == 2
        async with self._sessions.begin() as session:
            yield session
            if main:
                self.holding.set()
                await self.release.wait()


async def _while_held(sessions: Sessions, held_event: DealEvent, other: DealEvent
                      ) -> tuple[asyncio.Task[object], asyncio.Task[object], HeldAtCommit]:
    """Applies `held_event` on partition 0 up to its commit, then starts `other` on partition 1."""
    held = HeldAtCommit(sessions)
    first = asyncio.create_task(apply_batch(held, Batch.of(Position("dealwire-store", DEALS, 0, 0), held_event)))  # type: ignore[arg-type]
    await asyncio.wait_for(held.holding.wait(), 30)
    second = asyncio.create_task(apply_batch(sessions, Batch.of(Position("dealwire-store", DEALS, 1, 0), other)))
    return first, second, held


async def test_batches_sharing_an_article_and_its_companies_do_not_wait_for_each_others_commit(
    sessions: Sessions,
) -> None:
    licence = v("0.3.0")
    financing = v("0.3.0", position=1, type="financing", assets=[], equity=Money(amount=5e7, currency="USD"))
    assert licence.deal_key != financing.deal_key  # two partitions, two transactions, one article

    first, second, held = await _while_held(sessions, licence, financing)
    # The second commits while the first still holds its transaction open (it would wait forever if it had to).
    await asyncio.wait_for(second, 30)
    held.release.set()
    await first

    assert await event_ids(sessions) == {licence.event_id, financing.event_id}


async def test_a_newer_version_waits_for_an_open_transaction_of_the_older_one_then_retracts_its_events(
    sessions: Sessions,
) -> None:
    old = v("0.2.0")
    new = v("0.3.0", position=1, type="financing", assets=[], equity=Money(amount=5e7, currency="USD"))

    first, second, held = await _while_held(sessions, old, new)
    await asyncio.sleep(0.5)
    assert not second.done()  # the version change waits for the older version's transaction
    held.release.set()
    await asyncio.wait_for(asyncio.gather(first, second), 30)

    assert await event_ids(sessions) == {new.event_id}
    assert await rows(sessions, "SELECT article_id, extractor_version FROM article_extractions") == [
        (SEED_ARTICLE_ID, "0.3.0")]
