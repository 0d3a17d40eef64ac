"""Branch ib: territory and money of deals told in forms the other tests do not cover.

A bracket defining a carved-out region names its parts, not more regions; "the Benelux countries" is a region;
a takeover "valuing Acme at $X" states the deal's total value. Invented names and text only.
"""

from __future__ import annotations

from dealwire.services.extract.engine import extract


def _primary(text: str, title: str):  # type: ignore[no-untyped-def]
    return next(e for e in extract(text, title=title) if e.primary)


def _territory(text: str, title: str) -> tuple[list[str], list[str]] | None:
    event = _primary(text, title)
    return (event.territory.include, event.territory.exclude) if event.territory else None


def test_a_bracket_defining_the_carved_out_region_adds_no_region() -> None:
    title = "Qorvane Bio licenses QV-17 to Tellmark Therapeutics"
    text = ("Qorvane Bio announced that it granted Tellmark Therapeutics an exclusive license to develop and "
            "commercialize QV-17 worldwide except Greater China (which, for the purpose of the agreement, comprises "
            "Mainland China, the Hong Kong Special Administrative Region, the Macau Special Administrative Region "
            "and Taiwan). Tellmark will pay Qorvane US$30 million upfront.")
    assert _territory(text, title) == (["worldwide"], ["Greater China"])


def test_a_bracket_that_only_names_more_regions_still_counts() -> None:
    title = "Qorvane Bio licenses QV-17 to Tellmark Therapeutics"
    text = ("Qorvane Bio granted Tellmark Therapeutics exclusive rights to commercialize QV-17 in Japan "
            "(and in South Korea). Tellmark will pay Qorvane $8 million upfront.")
    assert _territory(text, title) == (["Japan", "South Korea"], [])


def test_the_benelux_countries_are_a_region() -> None:
    title = "Hadley Pharma takes European rights to Orvex's OX-5"
    text = ("Hadley Pharma plc has acquired exclusive rights to commercialize Orvex Therapeutics' OX-5 in Germany, "
            "Austria, the Benelux countries and Ireland. Orvex will receive $9 million upfront.")
    assert _territory(text, title) == (["Germany", "Austria", "Benelux", "Ireland"], [])


def test_valuing_the_bought_company_is_the_total_value_of_a_takeover() -> None:
    title = "Brannock Pharma to buy Tesmer Bio for $14 a share"
    text = ("Brannock Pharma said on Monday it agreed to buy Tesmer Bio for $14.00 per share in cash, valuing the "
            "kidney drugmaker at about $720 million. Tesmer had a market value of $410 million before the news.")
    event = _primary(text, title)
    assert event.type == "acquisition"
    assert event.total_value is not None and event.total_value.amount == 720_000_000


def test_a_deal_that_values_the_target_at_a_figure() -> None:
    title = "Brannock Pharma agrees to acquire Tesmer Bio"
    text = ("Brannock Pharma agreed to acquire Tesmer Bio in an all-cash deal that values Tesmer at roughly "
            "$720 million.")
    event = _primary(text, title)
    assert event.total_value is not None and event.total_value.amount == 720_000_000


def test_a_round_that_values_the_company_is_no_financing_total() -> None:
    title = "Tesmer Bio raises $60 million"
    text = ("Tesmer Bio raised $60 million in a Series B round led by Quillfeather Capital. "
            "The round values Tesmer at $310 million.")
    event = _primary(text, title)
    assert event.type == "financing"
    assert event.total_value is not None and event.total_value.amount == 60_000_000


def test_another_deal_in_the_valuing_sentence_keeps_its_own_price() -> None:
    title = "Brannock Pharma to buy Tesmer Bio for up to $720 million"
    text = ("Brannock Pharma will buy Tesmer Bio for up to $720 million in cash. The deal, which values Tesmer at "
            "up to $720 million, is Brannock's largest since it bought Pelham Labs for $1.1 billion in 2021.")
    events = extract(text, title=title)
    assert next(e for e in events if e.primary).total_value.amount == 720_000_000  # type: ignore[union-attr]
    others = [e for e in events if not e.primary and e.type == "acquisition"]
    assert all(e.total_value is None or e.total_value.amount == 1_100_000_000 for e in others)


def _regulatory_territories(text: str, title: str) -> list[tuple[list[str], list[str]] | None]:
    return [(e.territory.include, e.territory.exclude) if e.territory else None
            for e in extract(text, title=title) if e.type == "regulatory"]


def test_where_an_approved_drug_was_launched_is_no_territory_of_its_approval() -> None:
    title = "Orsen Pharma wins FDA approval for OR-31 in chronic hives"
    text = ("Orsen Pharma said the FDA approved OR-31 for chronic spontaneous urticaria on March 3, 2026, and the "
            "company launched it in the United States later that month.")
    assert _regulatory_territories(text, title) and all(t is None for t in _regulatory_territories(text, title))


def test_sales_in_a_region_are_no_territory_of_an_approval() -> None:
    title = "Orsen Pharma wins FDA approval for OR-31 in chronic hives"
    text = ("Orsen Pharma's OR-31 won FDA approval for chronic spontaneous urticaria in March 2026 and brought in "
            "$44 million in U.S. sales last year.")
    assert _regulatory_territories(text, title) and all(t is None for t in _regulatory_territories(text, title))


def test_a_regulator_named_after_a_country_is_no_territory() -> None:
    title = "Orsen Pharma licenses OR-31 to Bellway Health"
    text = ("Orsen Pharma granted Bellway Health exclusive rights to OR-31 in Mexico for $5 million upfront. "
            "The FDA approved OR-31 for chronic spontaneous urticaria in 2023 and Health Canada in 2024.")
    assert _regulatory_territories(text, title) and all(t is None for t in _regulatory_territories(text, title))


def test_the_region_an_approval_is_granted_in_still_counts() -> None:
    title = "Orsen Pharma's OR-31 approved in Japan"
    text = "Orsen Pharma said OR-31 was approved for marketing in Japan in May 2026 for chronic spontaneous urticaria."
    assert (["Japan"], []) in _regulatory_territories(text, title)


def test_where_each_partner_leads_is_no_territory_of_a_global_co_commercialization() -> None:
    title = "Tarnow Bio and Quenby Pharma Enter Global Co-Development and Co-Commercialization Agreement for TQ-8"
    text = ("Tarnow Bio and Quenby Pharma today announced a global co-development and co-commercialization agreement "
            "for TQ-8, a monoclonal antibody in Phase 2 for lupus nephritis. The companies will share costs and "
            "profits equally. Quenby will lead commercialization in North America and Tarnow will lead in Europe "
            "and the rest of the world. Quenby will pay Tarnow $60 million upfront.")
    assert _territory(text, title) == (["worldwide"], [])


_LICENCE_TITLE = "Pellow Bio licenses PB-9 to Ransom Pharma"
_LICENCE = "Pellow Bio granted Ransom Pharma an exclusive license to develop and commercialize PB-9 in Europe. "


def _money(sentence: str) -> tuple[int | None, int | None, int | None]:
    event = _primary(_LICENCE + sentence, _LICENCE_TITLE)
    return tuple(m.amount if m is not None else None  # type: ignore[return-value]
                 for m in (event.upfront, event.milestones, event.total_value))


def test_an_initial_license_fee_is_the_upfront_and_payments_on_achieved_events_are_milestones() -> None:
    assert _money("Ransom will pay an initial license fee of $20 million and up to $300 million in additional "
                  "payments upon achievement of development, regulatory and commercial events.") == \
        (20_000_000, 300_000_000, None)


def test_a_license_fee_told_after_its_figure_and_event_based_payments() -> None:
    assert _money("Pellow will receive a $20 million license fee and up to $300 million in event-based payments.") == \
        (20_000_000, 300_000_000, None)


def test_as_much_as_a_figure_including_the_upfront_is_the_total() -> None:
    assert _money("Pellow could receive as much as $320 million, including $20 million upfront and $300 million in "
                  "milestones.") == (20_000_000, 300_000_000, 320_000_000)


def test_milestones_including_a_part_stay_milestones() -> None:
    assert _money("Pellow will receive $20 million upfront and up to $300 million in milestones, including $50 "
                  "million on approval.") == (20_000_000, 300_000_000, None)


def test_a_grant_before_the_licensors_retained_regions_is_the_territory() -> None:
    title = "Pellow Bio licenses PB-9 to Ransom Pharma"
    text = ("Pellow Bio granted Ransom Pharma exclusive rights to PB-9 in Greater China, while Pellow retains rights "
            "in the rest of the world. Ransom will pay Pellow $20 million upfront.")
    assert _territory(text, title) == (["Greater China"], [])
    text = ("Pellow Bio granted Ransom Pharma exclusive rights to PB-9 in the United States; Pellow retains rights "
            "in Europe and Japan. Ransom will pay Pellow $20 million upfront.")
    assert _territory(text, title) == (["United States"], [])


def test_a_sentence_telling_only_the_retained_regions_grants_none() -> None:
    title = "Pellow Bio licenses PB-9 to Ransom Pharma for Canada"
    text = ("Pellow Bio granted Ransom Pharma exclusive rights to PB-9 in Canada. Pellow retains all rights to PB-9 "
            "in the United States and Europe. Ransom will pay Pellow $20 million upfront.")
    assert _territory(text, title) == (["Canada"], [])


def test_milestones_that_could_total_a_figure_are_the_milestones() -> None:
    assert _money("Ransom agreed to pay $20 million upfront. Milestone payments could total $300 million.") == \
        (20_000_000, 300_000_000, None)


def test_payments_of_several_kinds_that_total_a_figure_are_the_total() -> None:
    assert _money("Ransom will pay $20 million upfront. The upfront and milestone payments total $320 million.") == \
        (20_000_000, None, 320_000_000)


def test_a_bracketed_carve_out_ends_with_its_bracket() -> None:
    title = "Pellow Bio licenses PB-9 to Ransom Pharma"
    text = "Pellow Bio granted Ransom Pharma exclusive rights to PB-9 across Asia (excluding Japan) and Oceania."
    assert _territory(text, title) == (["Asia", "Oceania"], ["Japan"])
    text = ("Pellow Bio granted Ransom Pharma exclusive rights to PB-9 worldwide (excluding China, Hong Kong and "
            "Macau).")
    assert _territory(text, title) == (["worldwide"], ["China", "Hong Kong", "Macau"])


def test_reported_sales_in_a_region_grant_nothing() -> None:
    title = "Pellow Bio licenses PB-9 to Ransom Pharma"
    text = ("Pellow Bio granted Ransom Pharma exclusive rights to PB-9 in Japan. Sales of PB-9 in the United States "
            "reached $300 million last year. Ransom will pay Pellow $20 million upfront.")
    assert _territory(text, title) == (["Japan"], [])


def test_a_companys_operations_in_a_list_of_regions_grant_nothing() -> None:
    title = "Pellow Bio licenses PB-9 to Ransom Pharma"
    text = ("Pellow Bio granted Ransom Pharma exclusive rights to PB-9 in Japan. Ransom, headquartered in Tokyo, has "
            "sales operations in Korea and Taiwan. Ransom will pay Pellow $20 million upfront.")
    assert _territory(text, title) == (["Japan"], [])


def test_everywhere_except_a_region_is_worldwide_with_a_carve_out() -> None:
    title = "Pellow Bio licenses PB-9 to Ransom Pharma"
    text = ("Pellow Bio granted Ransom Pharma an exclusive license to PB-9 everywhere except the U.S. Ransom will pay "
            "Pellow $20 million upfront.")
    assert _territory(text, title) == (["worldwide"], ["United States"])


def test_more_currencies_and_a_hyphenated_scale() -> None:
    from dealwire.services.extract.engine.money import find_money
    found = {(m.amount, m.currency) for text in ("R$100 million", "PLN 100 million", "50 million ringgit",
                                                 "THB 1 billion", "IDR 1 trillion", "200 million shekels",
                                                 "MXN 300 million", "$1.2-billion", "US$20-million")
             for m in find_money(text)}
    assert found == {(100_000_000, "BRL"), (100_000_000, "PLN"), (50_000_000, "MYR"), (1_000_000_000, "THB"),
                     (1_000_000_000_000, "IDR"), (200_000_000, "ILS"), (300_000_000, "MXN"),
                     (1_200_000_000, "USD"), (20_000_000, "USD")}


def test_a_drug_code_is_no_money() -> None:
    from dealwire.services.extract.engine.money import find_money
    assert find_money("RM107 and NIS793 and Rp-12 entered Phase 2; a $2-3 billion market; a $10-month delay") == []
