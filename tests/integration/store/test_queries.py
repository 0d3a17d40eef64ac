"""What `dealwire deals` and `dealwire dev` read: deals as people see them, and table sizes."""

from __future__ import annotations

import pytest
from store_helpers import novatim_event, seed_article

from dealwire.services.store.projection import Position, Sessions, apply_article, apply_deal_event
from dealwire.services.store.queries import articles_with_events, list_deals, table_counts
from dealwire.shared.schemas import Money, Party, Territory

pytestmark = pytest.mark.integration


def at(offset: int) -> Position:
    return Position("dealwire-store", "deals.events.v1", 0, offset)


async def test_list_deals_shows_what_was_applied(sessions: Sessions) -> None:
    event = novatim_event()
    await apply_deal_event(sessions, event, at(0))
    await apply_deal_event(sessions, novatim_event(article_id="art_copy"), at(1))

    [deal] = await list_deals(sessions)

    assert deal.deal_key == event.deal_key
    assert (deal.type, deal.primary) == ("licensing", True)
    assert deal.parties == [
        ("Novatim lmmune Therapeutics (Zhejiang) Co., Ltd.", "licensor"), ("ERIGEN LLC", "licensee")
    ]
    assert deal.assets == ["KQ-2003"]
    assert deal.upfront == Money(amount=15_000_000, currency="USD", amount_usd=15_000_000)
    assert deal.milestones is not None and deal.milestones.amount == 1_320_000_000
    assert deal.territory == Territory(
        include=["worldwide"], exclude=["Greater China", "India", "Turkey", "Russia"]
    )
    assert deal.royalties is not None and deal.royalties.tiered
    assert (deal.stage, deal.deal_date) == ("Phase Ib", "2025-07-22")
    assert deal.article_ids == ["art_copy", event.article_id]


async def test_primary_deals_come_first_then_the_newest(sessions: Sessions) -> None:
    events = {
        "old": novatim_event(date="2024-01-10"),
        "new": novatim_event(date="2025-09", assets=["SHR-A1811"], article_id="art_new"),
        "undated": novatim_event(date=None, assets=["KN026"], article_id="art_undated"),
        "secondary": novatim_event(
            primary=False, date="2026-01-01", type="financing", article_id="art_round",
            parties=[Party(name="ERIGEN LLC", role="issuer")], assets=[],
        ),
    }
    for offset, event in enumerate(events.values()):
        await apply_deal_event(sessions, event, at(offset))

    order = [deal.deal_key for deal in await list_deals(sessions)]
    primary_only = [deal.deal_key for deal in await list_deals(sessions, primary_only=True, limit=2)]

    keys = {name: event.deal_key for name, event in events.items()}
    assert order == [keys["new"], keys["old"], keys["undated"], keys["secondary"]]
    assert primary_only == [keys["new"], keys["old"]]


async def test_table_counts_cover_every_table(sessions: Sessions) -> None:
    await apply_deal_event(sessions, novatim_event(), at(0))
    await apply_article(sessions, seed_article(), Position("dealwire-store", "articles.raw.v1", 0, 0))

    assert await table_counts(sessions) == {
        "articles": 1, "deal_events": 1, "deals": 1, "companies": 2, "deal_parties": 2, "assets": 1,
        "deal_assets": 1, "projection_positions": 2, "article_extractions": 1,
    }


async def test_articles_with_events_need_both_the_article_and_a_deal_event(sessions: Sessions) -> None:
    await apply_deal_event(sessions, novatim_event(), at(0))
    dealless = seed_article(article_id="art_no_deal")
    await apply_article(sessions, dealless, Position("c", "articles.raw.v1", 0, 0))
    wanted = {"art_novatim_erigen", "art_no_deal", "art_unknown"}

    assert await articles_with_events(sessions, wanted) == set()  # the event's article has not arrived yet

    await apply_article(sessions, seed_article(), Position("c", "articles.raw.v1", 0, 1))
    assert await articles_with_events(sessions, wanted) == {"art_novatim_erigen"}
