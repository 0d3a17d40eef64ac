"""The store's pure rules: which event speaks for a deal, how names and money are shown."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from dealwire.services.store.projection import asset_key, best_event, canonical_name, version_key
from dealwire.services.store.queries import DealView
from dealwire.shared.schemas import DealEvent, Money, Royalties, Territory
from dealwire.store_commands import format_amount, format_terms, format_territory


def event(event_id: str, **fields: Any) -> DealEvent:
    defaults: dict[str, Any] = {
        "primary": True, "type": "licensing", "deal_key": "deal_x", "article_id": "art_x", "position": 0,
        "extractor": "rules", "extractor_version": "1.0.0", "extracted_at": datetime(2025, 1, 1, tzinfo=UTC),
    }
    return DealEvent(event_id=event_id, **(defaults | fields))


class TestBestEvent:
    def test_the_newest_extractor_version_wins_even_with_fewer_fields(self) -> None:
        old = event("evt_a", extractor_version="1.9.0", stage="Phase I", regulator="FDA")
        new = event("evt_b", extractor_version="1.10.0")
        assert best_event([old, new]) == new

    def test_then_primary_beats_secondary(self) -> None:
        secondary = event("evt_a", primary=False, stage="Phase I")
        primary = event("evt_b")
        assert best_event([secondary, primary]) == primary

    def test_then_more_filled_fields_win(self) -> None:
        sparse = event("evt_a")
        rich = event("evt_b", upfront=Money(amount=1, currency="USD"))
        assert best_event([sparse, rich]) == rich

    def test_then_the_smallest_event_id_whatever_the_order(self) -> None:
        a, b, c = event("evt_a"), event("evt_b"), event("evt_c")
        assert best_event([c, b, a]) == best_event([a, c, b]) == a


@pytest.mark.parametrize(("older", "newer"), [("0.9", "0.10"), ("1.2.0", "1.2.1"), ("rules-1", "rules-2")])
def test_versions_compare_by_number(older: str, newer: str) -> None:
    assert version_key(older) < version_key(newer)


def test_asset_spellings_share_a_key() -> None:
    assert asset_key("KQ-2003") == asset_key("kq 2003") == asset_key("KQ–2003") == "kq-2003"


def test_the_longest_name_is_canonical() -> None:
    assert canonical_name({"Erigen", "ERIGEN LLC", "ERIGEN"}) == "ERIGEN LLC"


@pytest.mark.parametrize(
    ("amount", "shown"),
    [(15_000_000, "15.0M"), (1_320_000_000, "1.32B"), (1_093_000_000, "1.093B"), (500, "500.0")],
)
def test_amounts_are_short(amount: float, shown: str) -> None:
    assert format_amount(Money(amount=amount, currency="USD")) == shown


def test_territory_reads_as_a_phrase() -> None:
    assert format_territory(Territory(include=["worldwide"], exclude=["Greater China"])) == (
        "worldwide excl. Greater China"
    )
    assert format_territory(Territory(include=["US", "EU"])) == "US, EU"


def deal_view(**fields: Any) -> DealView:
    empty: dict[str, Any] = {
        "deal_key": "deal_x", "type": "licensing", "primary": True, "parties": [], "assets": [], "modality": [],
        "targets": [], "indications": [], "upfront": None, "milestones": None, "total_value": None, "equity": None,
        "royalties": None, "territory": None, "stage": None, "regulator": None, "regulatory_action": None,
        "deal_date": None, "article_ids": [], "extractor_version": "1.0.0",
    }
    return DealView(**(empty | fields))


def test_terms_name_a_shared_currency_once_and_show_the_royalty_cap() -> None:
    deal = deal_view(
        upfront=Money(amount=15_000_000, currency="USD"), milestones=Money(amount=1_320_000_000, currency="USD"),
        royalties=Royalties(tiered=True, cap=Money(amount=800_000_000, currency="USD")),
    )
    assert format_terms(deal) == "USD 15.0M upfront / 1.32B milestones / tiered royalties up to USD 800.0M"


def test_terms_of_a_regulatory_event_name_the_regulator_and_action() -> None:
    deal = deal_view(type="regulatory", regulator="NMPA", regulatory_action="nda_accepted")
    assert format_terms(deal) == "NMPA nda accepted"
