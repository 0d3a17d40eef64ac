"""Licensed territory with inclusions and carve-outs."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dealwire.services.extract.engine import extract, territory


def _territory(sentence: str) -> tuple[list[str], list[str]] | None:
    text = f"Alder Pharma has granted Birch Therapeutics exclusive rights to AP-12. {sentence}"
    event = next(e for e in extract(text, title="Alder Pharma licenses AP-12 to Birch Therapeutics") if e.primary)
    return (event.territory.include, event.territory.exclude) if event.territory else None


@pytest.mark.parametrize(
    ("sentence", "include", "exclude"),
    [
        ("Birch Therapeutics gains global rights excluding Greater China/India/Turkey and Russia to develop "
         "AP-12.", ["worldwide"], ["Greater China", "India", "Turkey", "Russia"]),
        ("Birch Therapeutics receives exclusive worldwide rights (ex-China, Hong Kong, Macau and Taiwan) to "
         "develop AP-12.", ["worldwide"], ["China", "Hong Kong", "Macau", "Taiwan"]),
        ("Birch Therapeutics will develop and commercialize AP-12 worldwide, excluding the Greater China "
         "region.", ["worldwide"], ["Greater China"]),
        ("Birch Therapeutics will develop and commercialize AP-12 in mainland China.", ["mainland China"], []),
        ("Birch Therapeutics gains rights to commercialize AP-12 outside Greater China.", [], ["Greater China"]),
        ("Birch Therapeutics gains the rights to develop AP-12 in Australia and Canada.", ["Australia", "Canada"],
         []),
    ],
)
def test_inclusions_and_carve_outs(sentence: str, include: list[str], exclude: list[str]) -> None:
    assert _territory(sentence) == (include, exclude)


@pytest.mark.parametrize(
    ("later", "include", "exclude"),
    [
        ("Birch Therapeutics will pay tiered royalties on net sales outside Greater China.",
         ["worldwide"], ["mainland China", "Hong Kong", "Macau", "Taiwan"]),
        ("Birch Therapeutics will lead commercialization in the United States.",
         ["worldwide"], ["mainland China", "Hong Kong", "Macau", "Taiwan"]),
    ],
)
def test_worldwide_rights_with_their_carve_outs_are_not_widened_by_later_regions(
        later: str, include: list[str], exclude: list[str]) -> None:
    sentence = ("Birch Therapeutics gains the rights to develop and commercialize AP-12 worldwide, excluding mainland "
                f"China, Hong Kong, Macau and Taiwan. {later}")
    assert _territory(sentence) == (include, exclude)


def test_worldwide_rights_take_a_later_carve_out() -> None:
    sentence = ("Birch Therapeutics gains worldwide rights to develop and commercialize AP-12. Alder Pharma keeps "
                "no rights; the license covers all markets except Japan, where Birch Therapeutics will sell AP-12 "
                "with a local partner.")
    assert _territory(sentence) == (["worldwide"], ["Japan"])


def test_global_as_an_adjective_is_not_a_territory() -> None:
    assert _territory("Birch Therapeutics is a global leader in cardiology with a global reach.") is None


def test_carve_outs_after_except_in_and_for_an_option() -> None:
    text = ("Acme Pharma and Birch Bio will jointly develop and commercialize AB-101 worldwide, except in Japan where "
            "Acme Pharma keeps exclusive rights. Acme Pharma also granted Birch Bio an exclusive option for AB-202 "
            "in Asia (excluding India and Japan).")
    events = extract(text, title="Acme Pharma and Birch Bio sign AB-101 deal")
    territories = [(e.assets, e.territory.include, e.territory.exclude) for e in events if e.territory]
    assert territories == [(["AB-101"], ["worldwide"], ["Japan"]), (["AB-202"], ["Asia"], ["India", "Japan"])]


# The plain form of the list glue, which backtracks exponentially over a long run of glue words.
_GLUE_PLAIN = re.compile(r"^(?:\s*(?:,|/|and|or|&|as well as|the|its|region|regions|\(|\))\s*)*$", re.IGNORECASE)
_GLUE_PARTS = (" ", "  ", "\n", ",", "/", "and", "AND", "or", "&", "as well as", "as", "the", "its", "region",
               "regions", "s", "(", ")", "x", "China")


@given(st.lists(st.sampled_from(_GLUE_PARTS), max_size=8).map("".join))
def test_the_list_glue_accepts_what_its_plain_form_accepts(between: str) -> None:
    assert bool(territory._LIST_GLUE.match(between, between.lower())) == bool(_GLUE_PLAIN.match(between))


def test_a_long_run_of_glue_words_before_a_region_is_read_at_once() -> None:
    """30 glue words and then something else: the plain form would take about 3^30 steps to refuse it."""
    carve_out = "Birch Therapeutics gains global rights excluding China" + " the " * 30 + "x Japan to develop AP-12."
    assert _territory(carve_out) is not None


def test_the_regions_the_licensor_keeps_are_not_licensed() -> None:
    assert _territory("Birch Therapeutics gains the rights in Europe. Alder Pharma keeps the rights in Greater China "
                      "and the rest of the world, and is in talks with partners for the United States.") == (
        ["Europe"], [])


def test_the_regions_after_licensed_drug_and_licensee_are_the_territory() -> None:
    assert _territory("Alder Pharma has licensed AP-12, an oral antiviral, to Birch Therapeutics for Canada, "
                      "Mexico and Brazil.") == (["Canada", "Mexico", "Brazil"], [])


def test_asia_pacific_is_its_own_region_as_written() -> None:
    assert _territory("Birch Therapeutics will commercialize AP-12 in the Asia-Pacific region excluding "
                      "Australia.") == (["Asia-Pacific"], ["Australia"])


@pytest.mark.parametrize("place", ["from U.S. biotech Alder Pharma", "from the US’ Alder Pharma"])
def test_a_region_placing_the_licensor_licenses_nothing(place: str) -> None:
    text = f"Birch Therapeutics has obtained exclusive rights to develop AP-12 in Japan {place}."
    event = next(e for e in extract(text, title="Birch Therapeutics licenses AP-12") if e.primary)
    assert event.territory is not None
    assert (event.territory.include, event.territory.exclude) == (["Japan"], [])


def test_a_headline_summary_gives_way_to_the_regions_the_text_grants() -> None:
    text = ("Alder Pharma has granted Birch Therapeutics exclusive rights to AP-12 in Canada and Brazil for "
            "$15 million upfront.")
    event = next(e for e in extract(text, title="Alder Pharma licenses ex-US rights to AP-12") if e.primary)
    assert event.territory is not None
    assert (event.territory.include, event.territory.exclude) == (["Canada", "Brazil"], [])


@pytest.mark.parametrize(
    ("sentence", "include", "exclude"),
    [
        ("Birch Therapeutics gains Japanese rights to AP-12.", ["Japan"], []),
        ("Birch Therapeutics gains U.S. commercialization rights to AP-12.", ["United States"], []),
        ("Birch Therapeutics gains global rights excluding Korean rights to AP-12.", ["worldwide"],
         ["South Korea"]),
        ("Birch Therapeutics gains rights to AP-12 in EMEA.", ["EMEA"], []),
        ("Birch Therapeutics gains rights to AP-12 in the ASEAN region.", ["ASEAN"], []),
        # a region whose name holds a demonym is that region only: no "American rights" inside it
        ("Birch Therapeutics gains North American rights to AP-12.", ["North America"], []),
        # regions named as the labels name them, whatever the short form written
        ("Birch Therapeutics gains rights to AP-12 in the MENA region.", ["Middle East and North Africa"], []),
        ("Birch Therapeutics gains rights to AP-12 in the Americas.", ["the Americas"], []),
    ],
)
def test_rights_named_by_a_region_before_them(sentence: str, include: list[str], exclude: list[str]) -> None:
    assert _territory(sentence) == (include, exclude)


def test_a_nationality_placing_the_licensee_grants_nothing() -> None:
    assert _territory("Birch Therapeutics, a Japanese drugmaker, gains rights to AP-12 in Canada.") == (["Canada"], [])


@pytest.mark.parametrize("sentence", [
    "Birch Therapeutics will commercialize AP-12 in all territories outside Greater China.",
    "Birch Therapeutics receives the rights to AP-12 in all other countries except Greater China.",
    "Birch Therapeutics will hold exclusive rights to AP-12 in all regions excluding Greater China.",
])
def test_all_territories_but_a_carve_out_are_worldwide_without_it(sentence: str) -> None:
    assert _territory(sentence) == (["worldwide"], ["Greater China"])


@pytest.mark.parametrize(
    ("text", "include"),
    [
        ("Kestrel Pharma has acquired the rights to KP-9 in the United States and Canada from Lumen Labs under an "
         "asset purchase agreement.", ["United States", "Canada"]),
        ("Kestrel Pharma has acquired global rights to KP-9 from Lumen Labs under an asset purchase agreement. "
         "Kestrel will pay £45 million upfront.", ["worldwide"]),
    ],
)
def test_rights_bought_in_an_asset_purchase_have_their_territory(text: str, include: list[str]) -> None:
    event = next(e for e in extract(text, title="Kestrel Pharma buys KP-9 rights from Lumen Labs") if e.primary)
    assert event.type == "acquisition"
    assert event.territory is not None
    assert (event.territory.include, event.territory.exclude) == (include, [])


def test_a_company_bought_outright_has_no_territory() -> None:
    text = ("Kestrel Pharma will acquire Lumen Labs, a company developing KP-9 in the United States, for $1.2 "
            "billion. Lumen Labs holds worldwide rights to KP-9.")
    event = next(e for e in extract(text, title="Kestrel Pharma to buy Lumen Labs for $1.2 billion") if e.primary)
    assert event.type == "acquisition"
    assert event.territory is None


def test_regions_an_option_may_add_later_are_not_the_territory() -> None:
    assert _territory("Birch Therapeutics gains commercial rights to AP-12 in Japan and Australia. Birch "
                      "Therapeutics also holds an option to add Singapore and Malaysia to the licensed territory "
                      "for a fee.") == (["Japan", "Australia"], [])


def test_where_a_partner_leads_inside_a_worldwide_territory_adds_no_region() -> None:
    text = ("Alder Pharma and Birch Therapeutics will co-commercialise AP-12 worldwide, with Alder Pharma leading in "
            "the PRC and Birch Therapeutics leading in all other territories.")
    event = next(e for e in extract(text, title="Alder Pharma and Birch Therapeutics partner on AP-12") if e.primary)
    assert event.territory is not None
    assert (event.territory.include, event.territory.exclude) == (["worldwide"], [])


def test_plus_ends_a_carve_out_and_adds_to_the_regions_granted() -> None:
    assert _territory("Birch Therapeutics gains an option to license AP-12 in Asia excluding Japan, plus Australia "
                      "and New Zealand.") == (["Asia", "Australia", "New Zealand"], ["Japan"])


def test_regions_in_a_quote_are_not_the_territory_the_text_grants() -> None:
    assert _territory("Birch Therapeutics gains the rights to develop AP-12 in Japan. “This deal gives Birch "
                      "Therapeutics the rights to bring AP-12 to patients in Europe and China,” said the chief "
                      "executive of Alder Pharma.") == (["Japan"], [])


@pytest.mark.parametrize(
    ("sentence", "include"),
    [
        # a region placing a company or its trials is no grant
        ("Alder Pharma, based in South Korea, gives Birch Therapeutics rights to AP-12 in Japan.", ["Japan"]),
        ("Birch Therapeutics, which will run trials in Australia, obtains rights to AP-12 in Japan.", ["Japan"]),
        # the market a demonym names, and rights to sell in a region
        ("Birch Therapeutics obtains rights to AP-12 for the Japanese market.", ["Japan"]),
        ("Birch Therapeutics will sell AP-12 in Canada.", ["Canada"]),
    ],
)
def test_regions_of_the_grant_and_regions_that_place_a_company(sentence: str, include: list[str]) -> None:
    assert _territory(sentence) == (include, [])


@pytest.mark.parametrize(
    ("sentence", "include"),
    [
        ("Birch Therapeutics will commercialize AP-12 in three markets \u2013 the United States, the European Union "
         "and Japan.", ["United States", "European Union", "Japan"]),
        ("Birch Therapeutics will commercialize AP-12 in India and five neighbouring markets \u2013 Nepal, "
         "Bangladesh, Sri Lanka, Bhutan and the Maldives.",
         ["India", "Nepal", "Bangladesh", "Sri Lanka", "Bhutan", "Maldives"]),
    ],
)
def test_a_counted_list_after_a_dash_names_the_regions(sentence: str, include: list[str]) -> None:
    assert _territory(sentence) == (include, [])


def test_the_parts_of_a_region_after_including_are_not_more_regions() -> None:
    sentence = ("Birch Therapeutics holds the rights to AP-12 for Greater China, including mainland China, Hong Kong, "
                "Macau and Taiwan.")
    assert _territory(sentence) == (["Greater China"], [])


def test_a_business_development_title_grants_no_territory() -> None:
    text = ("Alder Pharma has licensed AP-12 to Birch Therapeutics for Japan. Dana Lee, head of business development "
            "at Alder Pharma, said the company was in talks with partners for the U.S. and Europe.")
    event = next(e for e in extract(text, title="Alder Pharma licenses AP-12 to Birch Therapeutics") if e.primary)
    assert event.territory is not None and event.territory.include == ["Japan"]


def test_what_proceeds_pay_for_is_no_territory() -> None:
    body = (
        "The board of Ruihe Biopharma Co., Ltd. (the \"Company\") announces that on 16 November 2026 the Company "
        "entered into a licence agreement with Hangzhou Lanting Pharmaceutical Co., Ltd. (\"Lanting\"), pursuant to "
        "which the Company grants Lanting an exclusive licence to develop and commercialise RH-21 in mainland China "
        "(the \"Territory\").\n\n"
        "Lanting shall pay the Company an upfront payment of RMB100 million.\n\n"
        "On 16 November 2026, Ruihe Biopharma and Victoria Peak Securities Limited entered into a placing agreement "
        "for up to 30,000,000 new H Shares at HK$10.20 per H Share.\n\n"
        "Ruihe Biopharma intends to use approximately 70% of the net proceeds for the global development of RH-21 "
        "outside the Territory.\n"
    )
    events = extract(body, title="(1) Licence agreement in respect of RH-21 and (2) placing of new H shares",
                     published=dt.date(2026, 11, 16))
    licence = next(e for e in events if e.type == "licensing")
    assert licence.territory is not None
    assert licence.territory.include == ["mainland China"]


def test_where_a_drug_is_in_development_is_no_territory() -> None:
    text = ("Alder Pharma has granted Birch Therapeutics exclusive rights to AP-12 in Japan. AP-12 is in Phase 2 "
            "development in the United States and Europe for myasthenia gravis.")
    event = next(e for e in extract(text, title="Alder Pharma licenses AP-12 to Birch Therapeutics") if e.primary)
    assert event.territory is not None
    assert (event.territory.include, event.territory.exclude) == (["Japan"], [])
