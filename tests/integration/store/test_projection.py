"""The projection as a user of the database sees it: rows in tables, and nothing else moving."""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import text
from store_helpers import novatim_event, rows, seed_article, snapshot

from dealwire.services.store.projection import (
    _INSERT_EVENTS_LOCK_DEALS,
    Batch,
    Position,
    Sessions,
    applied_positions,
    apply_article,
    apply_batch,
    apply_deal_event,
)
from dealwire.shared.schemas import DealEvent, Money, Party

pytestmark = pytest.mark.integration

DEALS = "deals.events.v1"
ARTICLES = "articles.raw.v1"


def at(offset: int, topic: str = DEALS, partition: int = 0, consumer: str = "dealwire-store") -> Position:
    return Position(consumer, topic, partition, offset)


def read_model(tables: dict[str, list[str]]) -> dict[str, list[str]]:
    return {name: table for name, table in tables.items() if name != "projection_positions"}


async def apply_in_order(sessions: Sessions, events: list[DealEvent]) -> None:
    for offset, event in enumerate(events):
        await apply_deal_event(sessions, event, at(offset))


class TestAnEvent:
    async def test_becomes_a_deal_with_its_parties_companies_and_asset(self, sessions: Sessions) -> None:
        event = novatim_event()

        assert await apply_deal_event(sessions, event, at(0))

        assert await rows(
            sessions,
            "SELECT type, is_primary, lead_asset, upfront_amount, upfront_currency, milestones_usd, "
            "territory->'exclude', stage, deal_date, article_count, source_event_id FROM deals",
        ) == [(
            "licensing", True, "KQ-2003", 15_000_000, "USD", 1_320_000_000,
            ["Greater China", "India", "Turkey", "Russia"], "Phase Ib", "2025-07-22", 1, event.event_id,
        )]
        assert await rows(
            sessions,
            "SELECT c.name, p.role FROM deal_parties p JOIN companies c USING (company_id) ORDER BY role",
        ) == [("ERIGEN LLC", "licensee"), ("Novatim lmmune Therapeutics (Zhejiang) Co., Ltd.", "licensor")]
        assert await rows(sessions, "SELECT a.name FROM deal_assets JOIN assets a USING (asset_id)") == [
            ("KQ-2003",)
        ]
        assert await rows(sessions, "SELECT event_id, payload->'royalties'->>'tiered' FROM deal_events") == [
            (event.event_id, "true")
        ]

    async def test_records_the_position_it_was_read_at(self, sessions: Sessions) -> None:
        await apply_deal_event(sessions, novatim_event(), at(7, partition=2))
        await apply_article(sessions, seed_article(), at(3, topic=ARTICLES, partition=1))

        assert await applied_positions(sessions, "dealwire-store") == {(DEALS, 2): 7, (ARTICLES, 1): 3}
        assert await applied_positions(sessions, "another-consumer") == {}


class TestIdempotency:
    async def test_the_same_event_at_the_same_offset_changes_no_row(self, sessions: Sessions) -> None:
        await apply_deal_event(sessions, novatim_event(), at(0))
        before = await snapshot(sessions)

        assert not await apply_deal_event(sessions, novatim_event(), at(0))

        assert await snapshot(sessions) == before

    async def test_the_same_event_at_a_new_offset_moves_only_the_position(self, sessions: Sessions) -> None:
        await apply_deal_event(sessions, novatim_event(), at(0))
        before = await snapshot(sessions)

        assert not await apply_deal_event(sessions, novatim_event(), at(5))

        after = await snapshot(sessions)
        assert read_model(after) == read_model(before)
        assert await applied_positions(sessions, "dealwire-store") == {(DEALS, 0): 5}

    async def test_a_second_article_on_the_same_deal_leaves_companies_and_assets_untouched(
        self, sessions: Sessions
    ) -> None:
        await apply_deal_event(sessions, novatim_event(), at(0))
        before = await snapshot(sessions)

        await apply_deal_event(sessions, novatim_event(article_id="art_second", position=1), at(1))

        after = await snapshot(sessions)
        for table in ("companies", "assets", "deal_parties", "deal_assets"):
            assert after[table] == before[table], table

    async def test_an_article_sent_again_keeps_the_row_first_received(self, sessions: Sessions) -> None:
        assert await apply_article(sessions, seed_article(), at(0, topic=ARTICLES))
        before = await snapshot(sessions)

        resent = seed_article(source="another-feed", received_at=seed_article().received_at.replace(hour=18))
        assert not await apply_article(sessions, resent, at(9, topic=ARTICLES))

        assert read_model(await snapshot(sessions)) == read_model(before)
        assert await rows(sessions, "SELECT source, text_chars FROM articles") == [
            ("novatim.com", len(seed_article().text))
        ]


class TestPositions:
    async def test_an_offset_at_or_below_the_applied_one_is_skipped(self, sessions: Sessions) -> None:
        await apply_deal_event(sessions, novatim_event(), at(5))
        before = await snapshot(sessions)

        late = novatim_event(article_id="art_other")
        assert not await apply_deal_event(sessions, late, at(3))
        assert not await apply_deal_event(sessions, late, at(5))

        assert await snapshot(sessions) == before
        assert await rows(sessions, "SELECT article_id FROM deal_events") == [("art_novatim_erigen",)]

    async def test_a_batch_read_again_records_only_its_records_above_the_applied_offset(
        self, sessions: Sessions
    ) -> None:
        await apply_deal_event(sessions, novatim_event(), at(5))
        stale = novatim_event(article_id="art_stale", parties=[Party(name="Stale Pharma Inc", role="licensor")])
        fresh = novatim_event(article_id="art_fresh")

        await apply_batch(sessions, Batch("dealwire-store", {(DEALS, 0): 6},
                                          events=[((DEALS, 0, 4), stale), ((DEALS, 0, 6), fresh)]))

        assert await rows(sessions, "SELECT article_id FROM article_extractions ORDER BY 1") == [
            ("art_fresh",), ("art_novatim_erigen",)]
        assert await rows(sessions, "SELECT article_id FROM deal_events ORDER BY 1") == [
            ("art_fresh",), ("art_novatim_erigen",)]
        assert await rows(sessions, "SELECT company_id FROM companies WHERE company_id = 'stale'") == []

    async def test_inserting_a_batchs_events_locks_their_deals_until_commit(self, sessions: Sessions) -> None:
        async with sessions.begin() as session:
            await session.execute(_INSERT_EVENTS_LOCK_DEALS, {
                "keys": ["deal_a", "deal_b"], **{column: [] for column in (
                    "event_id", "deal_key", "article_id", "position", "is_primary", "type", "extractor",
                    "extractor_version", "extracted_at", "payload")}})
            locks = await session.scalar(text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"))
        assert locks == 2

    async def test_partitions_and_consumers_are_tracked_apart(self, sessions: Sessions) -> None:
        await apply_deal_event(sessions, novatim_event(), at(5, partition=0))

        assert await apply_deal_event(sessions, novatim_event(article_id="art_b"), at(1, partition=1))
        assert await apply_deal_event(sessions, novatim_event(article_id="art_c"), at(1, consumer="rebuild"))


class TestDealsAcrossArticles:
    async def test_two_articles_reporting_one_deal_make_one_deal_with_two_articles(
        self, sessions: Sessions
    ) -> None:
        first = novatim_event()
        second = novatim_event(article_id="art_drugdu_copy", stage=None)
        assert second.deal_key == first.deal_key

        await apply_in_order(sessions, [first, second])

        assert await rows(sessions, "SELECT count(*), max(article_count) FROM deals") == [(1, 2)]
        assert await rows(sessions, "SELECT count(*) FROM deal_events") == [(2,)]

    async def test_company_spellings_merge_into_one_company_with_aliases(self, sessions: Sessions) -> None:
        await apply_in_order(sessions, [
            novatim_event(),
            novatim_event(article_id="art_b", parties=[Party(name="Erigen", role="licensee")]),
        ])

        assert await rows(sessions, "SELECT name, aliases FROM companies WHERE company_id = 'erigen'") == [
            ("ERIGEN LLC", ["Erigen"])
        ]

    @pytest.mark.parametrize("order", [[0, 1, 2], [2, 1, 0], [1, 2, 0]])
    async def test_spellings_of_one_length_merge_by_code_point_whatever_the_order(
        self, sessions: Sessions, order: list[int]
    ) -> None:
        """A dictionary order would put 'erigen llc' first and 'ERIGEN LLC' last; the rule is code point
        order (lower case after upper case), the same in every order the spellings arrive."""
        spellings = [("ERIGEN LLC", "KQ-2003"), ("erigen llc", "kq-2003"), ("Erigen LLC", "KQ–2003")]
        events = [novatim_event(article_id=f"art_{i}", parties=[Party(name=spellings[i][0], role="licensee")],
                                assets=[spellings[i][1]]) for i in order]

        await apply_in_order(sessions, events)

        assert await rows(sessions, "SELECT name, aliases FROM companies WHERE company_id = 'erigen'") == [
            ("erigen llc", ["ERIGEN LLC", "Erigen LLC"])
        ]
        assert await rows(sessions, "SELECT name FROM assets WHERE asset_id = 'kq-2003'") == [("kq-2003",)]

    async def test_a_newer_extractor_version_wins_the_deal_row(self, sessions: Sessions) -> None:
        old = novatim_event(extractor_version="0.9.0", stage="Phase I")
        new = novatim_event(
            extractor_version="0.10.0", stage="Phase Ib", upfront=Money(amount=15_000_000, currency="USD"),
            milestones=None,
        )

        await apply_deal_event(sessions, new, at(0))
        before = await snapshot(sessions)
        await apply_deal_event(sessions, old, at(1))

        assert (await snapshot(sessions))["deals"] == before["deals"]  # not even rewritten with equal values

        assert await rows(sessions, "SELECT extractor_version, stage, milestones_amount FROM deals") == [
            ("0.10.0", "Phase Ib", None)
        ]
        assert await rows(sessions, "SELECT source_event_id FROM deals") == [(new.event_id,)]

    async def test_a_newer_version_with_other_parties_replaces_the_links(self, sessions: Sessions) -> None:
        old = novatim_event()
        new = novatim_event(
            extractor_version="0.2.0", deal_key=old.deal_key, assets=["KQ-2003", "universal CAR-T"],
            parties=[*old.parties[:1], Party(name="ERIGEN LLC", role="partner")],
        )

        await apply_in_order(sessions, [old, new])

        assert await rows(sessions, "SELECT company_id, role FROM deal_parties ORDER BY 1") == [
            ("erigen", "partner"), ("novatim lmmune", "licensor")
        ]
        assert await rows(sessions, "SELECT asset_id FROM deal_assets ORDER BY 1") == [
            ("kq-2003",), ("universal-car-t",)
        ]

    async def test_at_equal_version_the_primary_event_wins(self, sessions: Sessions) -> None:
        primary = novatim_event(stage="Phase Ib")
        secondary = novatim_event(
            article_id="art_roundup", primary=False, stage="Phase II", deal_key=primary.deal_key
        )

        await apply_in_order(sessions, [secondary, primary])

        assert await rows(sessions, "SELECT is_primary, stage FROM deals") == [(True, "Phase Ib")]


class TestReplay:
    async def test_any_order_of_the_same_events_gives_the_same_tables(
        self, sessions_factory: Callable[[], Awaitable[Sessions]]
    ) -> None:
        base = novatim_event()
        events = [
            base,
            novatim_event(article_id="art_b", parties=[Party(name="Erigen", role="licensee")],
                          deal_key=base.deal_key),
            novatim_event(article_id="art_c", primary=False, stage="Phase II", deal_key=base.deal_key),
            novatim_event(extractor_version="0.2.0", deal_key=base.deal_key),
            novatim_event(article_id="art_d", type="financing", parties=[Party(name="ERIGEN", role="issuer")],
                          assets=[], equity=Money(amount=50_000_000, currency="USD")),
        ]
        forward, backward, shuffled = [await sessions_factory() for _ in range(3)]

        await apply_in_order(forward, events)
        await apply_in_order(backward, events[::-1])
        await apply_in_order(shuffled, random.Random(7).sample(events, len(events)))

        expected = await snapshot(forward, row_versions=False)
        assert await snapshot(backward, row_versions=False) == expected
        assert await snapshot(shuffled, row_versions=False) == expected
