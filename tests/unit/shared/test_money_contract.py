"""Money on the wire is exact: whole units as integers; events published with float amounts still decode."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from dealwire.shared.schemas import Money


def test_amounts_are_integers_on_the_wire() -> None:
    money = Money(amount=1_093_000_000, currency="USD", amount_usd=1_093_000_000)
    assert money.model_dump_json() == '{"amount":1093000000,"currency":"USD","amount_usd":1093000000}'


@pytest.mark.parametrize(
    ("published", "amount"),
    [("531299999.99999994", 531_300_000), ("15000000.0", 15_000_000), ("1093000000", 1_093_000_000),
     ("18500000.5", 18_500_001)],
)
def test_a_float_amount_already_on_the_topic_decodes_to_whole_units(published: str, amount: int) -> None:
    money = Money.model_validate_json(f'{{"amount": {published}, "currency": "HKD", "amount_usd": {published}}}')
    assert type(money.amount) is int and money.amount == amount
    assert type(money.amount_usd) is int and money.amount_usd == amount


def test_a_store_decimal_decodes_to_whole_units() -> None:
    assert Money(amount=Decimal("15000000.00"), currency="USD").amount == 15_000_000


@pytest.mark.parametrize("bad", [True, float("nan"), float("inf"), "fifteen million"])
def test_what_is_not_an_amount_is_refused(bad: object) -> None:
    with pytest.raises(ValidationError):
        Money(amount=bad, currency="USD")  # type: ignore[arg-type]
