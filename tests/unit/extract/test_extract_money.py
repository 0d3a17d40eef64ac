"""Money as news writes it: symbols, codes, words, scales, normalised to whole units and ISO codes."""

from __future__ import annotations

import pytest

from services.extract.engine.money import classify, find_money


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("eligible to receive up to US$1.093 billion in milestones", 1_093_000_000, "USD"),
        ("a milestone payment of USD 15 million", 15_000_000, "USD"),
        ("an upfront payment of $18.5M", 18_500_000, "USD"),
        ("a deal valued at RMB 1 billion", 1_000_000_000, "CNY"),
        ("will pay around RMB315 million upfront", 315_000_000, "CNY"),
        ("raised €50m in a series B", 50_000_000, "EUR"),
        ("a £3.9bn takeover", 3_900_000_000, "GBP"),
        ("a placing of HK$1.58 billion", 1_580_000_000, "HKD"),
        ("worth 1.2 billion yen", 1_200_000_000, "JPY"),
        ("an investment of 90 billion won", 90_000_000_000, "KRW"),
        ("a 1.2tn won acquisition", 1_200_000_000_000, "KRW"),
        ("6.5 million euros upfront", 6_500_000, "EUR"),
        ("CHF 250 million in milestones", 250_000_000, "CHF"),
        ("an upfront payment of USD80 million", 80_000_000, "USD"),
    ],
)
def test_money_wording_and_currencies(text: str, amount: float, currency: str) -> None:
    [mention] = find_money(text)
    assert (mention.amount, mention.currency) == (amount, currency)


def test_up_to_is_recorded() -> None:
    [mention] = find_money("eligible to receive up to USD 1.32 billion")
    assert mention.up_to


def test_conversion_in_brackets_is_not_a_second_amount() -> None:
    mentions = find_money("an upfront payment of $200 million (~€183 million) and more")
    assert [(m.amount, m.currency) for m in mentions] == [(200_000_000, "USD")]


def test_per_share_prices_are_not_deal_money() -> None:
    assert find_money("a price of $2.00 per ordinary share in cash") == []


def test_amount_usd_uses_the_dated_rate_table() -> None:
    [mention] = find_money("RMB 1 billion")
    assert mention.amount_usd is not None
    assert 100_000_000 < mention.amount_usd < 200_000_000


def _kinds(sentence: str) -> list[str | None]:
    kinds, previous = [], 0
    for mention in find_money(sentence):
        kinds.append(classify(sentence, mention, 0, previous))
        previous = mention.end
    return kinds


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Per the deal, GSK will give Hansoh $85 million upfront with the possibility of up to "
         "$1.485 billion in success-based milestones.", ["upfront", "milestones"]),
        ("Novatim will receive a near-term development milestone payment of USD 15 million, and will be "
         "eligible to receive up to USD 1.32 billion in development, regulatory, and commercial milestone "
         "payments.", ["upfront", "milestones"]),
        ("Novatim will be entitled to up to USD 800 million in tiered sales-based royalties.", ["royalties"]),
        ("The company acquires the biotech in a $525 million deal.", ["total_value"]),
        ("AstraZeneca made an equity investment of approximately $105 million.", ["equity"]),
        ("The upfront cash portion represents a transaction value of approximately $1.0bn.", ["upfront"]),
        ("Combined, the upfront and potential contingent value payments represent a transaction value of "
         "approximately $1.2bn.", ["total_value"]),
        ("Evotec will receive 6.5 million euros upfront payment and 10 million euros research payments.",
         ["upfront", None]),
    ],
)
def test_payment_kinds(sentence: str, expected: list[str | None]) -> None:
    assert _kinds(sentence) == expected
