"""Conversion of engine payloads to the scorer's prediction format."""

from __future__ import annotations

from dealwire.services.extract.gold_format import to_gold
from dealwire.shared.schemas import DealPayload, Money, Party, Royalties, Territory


def _payload(**fields) -> DealPayload:
    return DealPayload(primary=True, type="licensing", **fields)


def test_parties_money_and_territory() -> None:
    gold = to_gold(_payload(
        parties=[Party(name="Orvane Pharma", role="licensor", aliases=["Orvane"])],
        upfront=Money(amount=15_000_000.0, currency="USD", amount_usd=15_000_000.0),
        territory=Territory(include=["worldwide"], exclude=["Greater China"]),
    ))
    assert gold["parties"] == [{"name": "Orvane Pharma", "role": "licensor"}]
    assert gold["upfront"] == {"amount": 15000000, "currency": "USD"}
    assert gold["territory"] == {"include": ["worldwide"], "exclude": ["Greater China"]}
    assert gold["milestones"] is None and gold["royalties"] is None


def test_royalties_cap_then_tiered_then_true() -> None:
    cap = Money(amount=800_000_000.0, currency="USD")
    assert to_gold(_payload(royalties=Royalties(tiered=True, cap=cap)))["royalties"] == {
        "amount": 800000000, "currency": "USD"}
    assert to_gold(_payload(royalties=Royalties(tiered=True)))["royalties"] == "tiered"
    assert to_gold(_payload(royalties=Royalties()))["royalties"] is True
