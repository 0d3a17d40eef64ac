"""Company names, the aliases an article introduces, and roles from verbs and payment direction."""

from __future__ import annotations

import datetime as dt
import functools

import pytest

from dealwire.services.extract.engine import extract
from dealwire.shared.schemas import DealPayload
from tests.support.engine import primary_event

_primary = functools.partial(primary_event, published=dt.date(2025, 6, 1))


def _roles(event: DealPayload) -> dict[str, str]:
    return {p.name: p.role for p in event.parties}


def test_hereinafter_alias_and_legal_suffix() -> None:
    text = ('On May 2, 2025, Lumora Biotech (Suzhou) Co., Ltd. (hereinafter referred to as "Lumora") announced '
            "that it has entered into an exclusive license agreement with US-based KELVARA LLC for LM-301. "
            "Kelvara gains global rights excluding Greater China. Lumora will receive an upfront payment of "
            "USD 10 million.")
    event = _primary(text, "Lumora and Kelvara sign licensing agreement for LM-301")
    licensor = next(p for p in event.parties if p.role == "licensor")
    assert licensor.name.startswith("Lumora Biotech")
    assert "Lumora" in licensor.aliases
    licensee = next(p for p in event.parties if p.role == "licensee")
    assert licensee.name == "KELVARA LLC"


def test_a_filings_defined_company_and_capitalised_heading_name_the_partners_as_written() -> None:
    text = ("QUILLON PHARMA HOLDINGS LIMITED\n\nVOLUNTARY ANNOUNCEMENT\nCOLLABORATION WITH BRENTA THERAPEUTICS\n\n"
            'This announcement is made by Quillon Pharma Holdings Limited (the "Company", together with its '
            'subsidiaries, the "Group"). On 3 May 2025, the Company entered into a co-development agreement with '
            'Brenta Therapeutics, Inc. ("Brenta") to jointly develop QP-77. Brenta will pay the Company an upfront '
            "payment of US$10 million.")
    event = _primary(text, "QUILLON PHARMA HOLDINGS LIMITED")
    assert event.type == "collaboration"
    assert _roles(event) == {"Quillon Pharma Holdings Limited": "partner", "Brenta Therapeutics, Inc.": "partner"}


def test_a_datelines_second_city_in_capitals_is_no_party() -> None:
    text = ("COPENHAGEN, Denmark and PRINCETON, N.J., May 19, 2026 -- Harnell A/S and Quorra Therapeutics, Inc. today "
            "announced a global co-development and co-commercialization agreement for HN-117. Quorra will pay "
            "Harnell $120 million upfront.")
    event = _primary(text, "Harnell and Quorra enter co-development agreement for HN-117")
    assert _roles(event) == {"Harnell A/S": "partner", "Quorra Therapeutics, Inc.": "partner"}


def test_north_american_rights_in_a_headline_name_no_company() -> None:
    text = ("Harnell Pharma Inc. today announced that it has agreed to acquire the rights to HN-101 in the United "
            "States and Canada from Quorra Labs Ltd. for up to $310 million. HN-101 generated net sales of $94 million "
            "in North America in 2025.")
    events = extract(text, title="Harnell Pharma to acquire North American rights to HN-101 from Quorra Labs",
                     published=dt.date(2026, 2, 11))
    assert all("North" not in p.name for e in events for p in e.parties)


def test_grant_and_payment_direction_give_licensor_and_licensee() -> None:
    text = ("Orvane Pharma has granted Talon Therapeutics exclusive rights to develop and commercialize OR-118 "
            "worldwide. Talon Therapeutics will pay Orvane Pharma an upfront payment of $50 million.")
    assert _roles(_primary(text)) == {"Orvane Pharma": "licensor", "Talon Therapeutics": "licensee"}


def test_licensing_from_makes_the_subject_the_licensee() -> None:
    text = ("Grenfield Biosciences licenses cardiovascular drug GB-12 from Ostra Pharma. Ostra Pharma will "
            "receive an upfront payment of $30 million and is eligible for milestones.")
    assert _roles(_primary(text, "Grenfield Biosciences licenses GB-12 from Ostra Pharma")) == {
        "Grenfield Biosciences": "licensee",
        "Ostra Pharma": "licensor",
    }


def test_acquirer_and_acquired() -> None:
    text = "Halvorsen Pharma announced that it will acquire Quill Therapeutics for $1.2 billion in cash."
    event = _primary(text, "Halvorsen Pharma to acquire Quill Therapeutics")
    assert event.type == "acquisition"
    assert _roles(event) == {"Halvorsen Pharma": "acquirer", "Quill Therapeutics": "acquired"}
    assert event.total_value is not None and event.total_value.amount == 1_200_000_000


def test_collaboration_partners() -> None:
    text = ("Verdant Biosciences AG announced a new five-year research collaboration with Mirel Pharma AG to "
            "co-develop treatments for endometriosis.")
    event = _primary(text)
    assert event.type == "collaboration"
    assert _roles(event) == {"Verdant Biosciences AG": "partner", "Mirel Pharma AG": "partner"}


def test_financing_issuer_and_investors() -> None:
    text = ("Corvane Therapeutics has raised $80 million in a Series B financing. Investors in the round include "
            "Northgate Capital and Bellweather Ventures.")
    event = _primary(text)
    assert event.type == "financing"
    roles = _roles(event)
    assert roles["Corvane Therapeutics"] == "issuer"
    assert roles["Northgate Capital"] == "investor"
    assert roles["Bellweather Ventures"] == "investor"


@pytest.mark.parametrize("spelling", ["ERIGEN", "Erigen"])
def test_case_variants_are_one_company(spelling: str) -> None:
    text = (f"Novara Therapeutics has granted ERIGEN LLC exclusive rights to NV-7. {spelling} will pay "
            "Novara Therapeutics an upfront payment of USD 5 million.")
    event = _primary(text)
    assert sorted(p.role for p in event.parties) == ["licensee", "licensor"]


_LEAD = "Acme Bio and Birch Therapeutics announced a license agreement for AB-101. "
_TITLE = "Acme Bio and Birch Therapeutics Enter License Agreement for AB-101"


@pytest.mark.parametrize(
    "sentence",
    [
        "Birch Therapeutics stands to receive up to $500 million in milestone payments.",
        "Acme Bio will make an upfront payment of $10 million to Birch Therapeutics.",
        "The upfront payment to Birch Therapeutics is $10 million.",
        "Royalties payable to Birch Therapeutics are tiered.",
        "Acme Bio licensed Birch Therapeutics' drug AB-101 for $10 million upfront.",
        "Acme Bio licensed Birch Therapeutics’s AB-101 for $10 million upfront.",
        "Acme Bio has exercised its option to license AB-101.",
        "Birch Therapeutics will retain rights to AB-101 outside China.",
        "Acme Bio will be responsible for development and commercialization of AB-101 in China.",
        "Acme Bio receives exclusive rights to AB-101 in Greater China.",
        "Acme Bio will receive exclusive development and commercialization rights to AB-101 in Greater China.",
        "AB-101 was developed by Birch Therapeutics. The deal includes $10 million upfront.",
        "Birch Therapeutics' AB-101 is a KRAS inhibitor. The deal includes $10 million upfront.",
        "Acme Bio (NASDAQ: ACME) gains exclusive rights to AB-101 in Greater China.",
        "Acme Bio (NASDAQ: ACME) has signed a license agreement with Birch Therapeutics (TYO: 4321) to acquire "
        "exclusive rights to AB-101 from the Japanese firm.",
    ],
)
def test_licensing_role_cues_beyond_the_first_named_default(sentence: str) -> None:
    """Each cue alone decides who licenses out; the first-named party (Acme Bio) would be the wrong guess."""
    assert _roles(_primary(_LEAD + sentence, _TITLE)) == {"Acme Bio": "licensee", "Birch Therapeutics": "licensor"}


def test_licensing_a_drug_whose_name_is_possessive_is_not_a_licensee_cue() -> None:
    text = ("Birch Therapeutics licensed AB-101’s rights in mainland China to Acme Bio. Acme Bio brings "
            "commercial capabilities.")
    assert _roles(_primary(text, "Birch Therapeutics licenses AB-101 to Acme Bio")) == {
        "Birch Therapeutics": "licensor", "Acme Bio": "licensee"}


def _all_names(text: str, title: str | None = None) -> set[str]:
    return {n for e in extract(text, title=title, published=dt.date(2025, 6, 1)) for p in e.parties
            for n in (p.name, *p.aliases)}


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Acme Pharma to Buy Birch Bio for $2 Billion", "Acme Pharma agreed to buy Birch Bio for $2 billion in cash."),
        ("Acme Pharma Completes Birch Bio Buyout", "Acme Pharma said it completed its acquisition of Birch Bio."),
        ("Acme Pharma Signs Licence for Birch Bio's BB-12",
         "Birch Bio has granted Acme Pharma exclusive rights to BB-12 for $20 million upfront."),
    ],
)
def test_headline_verbs_are_not_glued_onto_names(title: str, text: str) -> None:
    assert _all_names(text, title) == {"Acme Pharma", "Birch Bio"}


def test_countries_currencies_and_biomarker_adjectives_are_not_parties() -> None:
    text = ("Korea's Acme Pharma has granted Birch Bio exclusive rights in China to AC-77, a KRAS-mutant-selective "
            "inhibitor, for USD 30 million upfront. Birch Bio will pay Acme Pharma RMB200 million in milestones. "
            "Korea and China are large markets for CD38-directed drugs.")
    assert _all_names(text) == {"Acme Pharma", "Birch Bio"}


def test_people_and_news_outlets_are_not_parties() -> None:
    text = ("Acme Pharma will acquire Birch Bio for $1 billion, according to Harbour Wire. The deal was led by "
            "Frenchman Pierre Morel, Acme Pharma's chief executive, who told Harbour Wire it closes in May.")
    assert _all_names(text, "Acme Pharma to acquire Birch Bio") == {"Acme Pharma", "Birch Bio"}


def test_a_parent_named_as_the_parent_is_not_a_party() -> None:
    text = ("Cedar Holdings' Birch Bio unit has granted Acme Pharma exclusive rights to BB-12. Acme Pharma will pay "
            "Birch Bio $15 million upfront.")
    event = _primary(text, "Acme Pharma licenses BB-12 from Birch Bio")
    assert _roles(event) == {"Birch Bio": "licensor", "Acme Pharma": "licensee"}


def test_a_ticker_or_an_appositive_makes_a_company_without_a_legal_suffix() -> None:
    text = ("Velmora (NASDAQ: VLMR) said it will acquire Quorra, a Boston-based developer of gene therapies, for "
            "$400 million.")
    event = _primary(text)
    assert _roles(event) == {"Velmora": "acquirer", "Quorra": "acquired"}


def test_a_description_of_a_company_stands_for_it() -> None:
    text = ("Korea's Acme Pharma signed an agreement to transfer its AC-9 technology to Czech-based Birch Bio. "
            "Under the agreement, the Korean biotech will receive up to $500 million, while the Czech company "
            "will pay $20 million upfront.")
    event = _primary(text, "Acme Pharma licenses AC-9 to Birch Bio")
    assert event.type == "licensing"
    assert _roles(event) == {"Acme Pharma": "licensor", "Birch Bio": "licensee"}
    assert event.upfront is not None and event.upfront.amount == 20_000_000


def test_the_passive_voice_names_the_buyer_after_by() -> None:
    text = ("Halvard Therapeutics said it will be acquired by Brennan Health for $2.4 billion in cash. The deal has "
            "been approved by both companies' boards.")
    events = extract(text, title="Halvard Therapeutics to be acquired by Brennan Health", published=dt.date(2025, 6, 1))
    assert [(e.type, _roles(e)) for e in events] == [
        ("acquisition", {"Brennan Health": "acquirer", "Halvard Therapeutics": "acquired"})]  # no board "approval"


def test_initials_stand_for_a_company_named_in_full_before() -> None:
    text = ("Orlen Bio has partners including Harwick Morrow Sciences. HMS has two assets that are partnered with "
            "Orlen Bio.")
    names = {p.name for e in extract(text, published=dt.date(2025, 6, 1)) for p in e.parties}
    assert names == {"Harwick Morrow Sciences", "Orlen Bio"}


def test_every_investor_a_list_introduces_is_a_party_without_a_legal_form() -> None:
    text = ("Corvo Bio raised $40 million in a share sale. Alder led the share sale. Institutional investors who "
            "participated in the share sale included Kestrel Nord Vale, Lumen, Birchwood and Quill Harbor Trust.")
    event = _primary(text, "Corvo Bio raises $40 million")
    assert _roles(event) == {"Corvo Bio": "issuer", "Alder": "investor", "Kestrel Nord Vale": "investor",
                             "Lumen": "investor", "Birchwood": "investor", "Quill Harbor Trust": "investor"}


@pytest.mark.parametrize("legal_form", ["plc", "PLC", "AG", "Ltd."])
def test_a_legal_form_in_lower_case_is_part_of_the_name(legal_form: str) -> None:
    text = (f"Corvex {legal_form} (NASDAQ: CRVX), a global biotechnology company, today announced that the FDA "
            "has approved its drug corvelimab for lung cancer.")
    assert _roles(_primary(text)) == {f"Corvex {legal_form}": "sponsor"}


def test_a_two_word_name_that_said_it_would_buy_is_a_company_and_one_that_said_so_a_person() -> None:
    text = ("Orvane Pharma acquired Talon Therapeutics for $1 billion. On Monday, Niror Treva said it would buy "
            "Zudug Fizoz Therapeutics in a $4.3 billion deal. Jane Doe said the deals show a busy market.")
    events = extract(text, title="Orvane Pharma acquires Talon Therapeutics", published=dt.date(2025, 6, 1))
    assert [_roles(e) for e in events] == [{"Orvane Pharma": "acquirer", "Talon Therapeutics": "acquired"},
                                           {"Niror Treva": "acquirer", "Zudug Fizoz Therapeutics": "acquired"}]


def test_a_dateline_city_is_no_party() -> None:
    text = ("OSLO and TORONTO, May 4, 2025 /PRNewswire/ -- Fjordlys Therapeutics AS and Quillon Biopharma Inc. "
            "today announced a research collaboration to discover antibodies for fibrosis. The companies will jointly "
            "conduct research, and Quillon will pay Fjordlys $20 million upfront.")
    names = set(_roles(_primary(text, "Fjordlys and Quillon enter research collaboration")))
    assert names == {"Fjordlys Therapeutics AS", "Quillon Biopharma Inc."}


def test_a_city_alone_is_no_company() -> None:
    text = ("Brevant Oncology said it had acquired Calder Bio for $90 million. In 2021 Brevant had licensed "
            "a drug from a Hamburg company, and in 2023 it sold a plant to a Frankfurt group.")
    event = _primary(text, "Brevant Oncology acquires Calder Bio")
    assert _roles(event) == {"Brevant Oncology": "acquirer", "Calder Bio": "acquired"}
    assert not any(p.name in ("Hamburg", "Frankfurt") for e in extract(text) for p in e.parties)


@pytest.mark.parametrize("opening", ["When", "While", "Although", "Once", "Despite"])
def test_a_subordinating_word_that_opens_a_sentence_is_no_part_of_a_name(opening: str) -> None:
    text = (f"{opening} Tessaly Biosciences listed in 2021, it had five drugs. Tessaly Biosciences has agreed to "
            "acquire Morrow Bio for $60 million.")
    names = {p.name for e in extract(text, published=dt.date(2025, 6, 1)) for p in e.parties}
    assert names == {"Tessaly Biosciences", "Morrow Bio"}


def test_the_owner_after_rights_from_is_the_licensor_even_after_the_upfront() -> None:
    text = ("Halvern Pharma agreed to pay $120 million upfront for exclusive global rights to TX-330 from Tessaly "
            "Immunology.")
    assert _roles(_primary(text)) == {"Halvern Pharma": "licensee", "Tessaly Immunology": "licensor"}


def test_money_received_from_a_company_still_makes_it_the_licensee() -> None:
    text = "Orvane Bio will receive $50 million upfront from Birch Pharma for exclusive rights to OV-1."
    assert _roles(_primary(text)) == {"Orvane Bio": "licensor", "Birch Pharma": "licensee"}


def test_a_company_named_after_what_it_makes_is_a_party() -> None:
    text = "Calvere Group said it bought the Spanish generics maker Farnoso Lopera for €900 million."
    assert _roles(_primary(text, "Calvere Group buys generics maker")) == {
        "Calvere Group": "acquirer", "Farnoso Lopera": "acquired"}


def test_two_parties_voted_licensor_are_told_apart_by_who_pays() -> None:
    title = "Deals of the week: Harlow Pharma pays $300M upfront for Brenton's lupus antibody; Pyxo raises $20M"
    text = ("Harlow Pharma licenses Brenton antibody\nHarlow Pharma AG agreed to pay $300 million upfront for "
            "exclusive global rights to BR-30, Brenton Immunology's anti-CD40 monoclonal antibody for lupus. Brenton, "
            "based in Boston, is eligible for up to $1.5 billion in milestones.\n\nPyxo closes round\nPyxo Medicines "
            "closed a $20 million Series A led by Greyline Ventures.")
    licence = next(e for e in extract(text, title=title, published=dt.date(2025, 10, 9)) if e.type == "licensing")
    assert _roles(licence) == {"Harlow Pharma AG": "licensee", "Brenton Immunology": "licensor"}


def test_a_trial_name_is_not_the_sponsor_of_the_readout() -> None:
    text = ("Fenwick Therapeutics, Inc. today announced positive topline results from MERIDIAN-1, the first of two "
            "pivotal Phase 3 trials evaluating fenlimab in asthma. MERIDIAN-1 met its primary endpoint.")
    [event] = extract(text, title="Fenwick Announces Positive Results from Phase 3 MERIDIAN-1 Trial of fenlimab",
                      published=dt.date(2026, 6, 2))
    assert event.type == "clinical"
    assert [(p.name, p.role) for p in event.parties] == [("Fenwick Therapeutics, Inc.", "sponsor")]


def test_an_article_and_adjective_of_a_capitals_heading_name_no_licensor() -> None:
    text = ("TARVELL BIOSCIENCES HOLDINGS LIMITED\n\nVOLUNTARY ANNOUNCEMENT\n"
            "ENTRY INTO AN EXCLUSIVE LICENSE AGREEMENT WITH OSWIN THERAPEUTICS FOR TB-12\n\n"
            "On 3 June 2026, Tarvell Biosciences Holdings Limited entered into an exclusive license agreement with "
            "Oswin Therapeutics, Inc. (\"Oswin\"), pursuant to which the Company granted Oswin an exclusive license "
            "to develop TB-12 worldwide. Oswin will pay an upfront payment of US$12 million.")
    event = _primary(text, "VOLUNTARY ANNOUNCEMENT ENTRY INTO AN EXCLUSIVE LICENSE AGREEMENT WITH OSWIN THERAPEUTICS")
    assert all("EXCLUSIVE" not in p.name.upper() for p in event.parties)


def test_a_filings_defined_product_and_cvrs_are_no_parties() -> None:
    text = ('On 2 July 2026, the Company entered into an exclusive license agreement with Ketterby Bio, Inc. '
            '("Ketterby"), pursuant to which the Company granted Ketterby an exclusive license to develop KB-40 (the '
            '"Product") outside of Greater China.\n\nThe Product is currently in a Phase II clinical trial in China.'
            "\n\nKetterby shall pay the Company an upfront payment of US$20 million and tiered royalties on net sales "
            "of the Product.\n\nThe Company retains all rights to the Product in Greater China. The CVRs pay out on "
            "approval of the Product in the United States.")
    events = extract(text, title="Ketterby Bio licenses KB-40", published=dt.date(2026, 7, 3))
    names = {p.name for e in events for p in e.parties}
    assert not names & {"Product", "CVRs"}


def test_a_trial_named_once_as_a_trial_is_no_sponsor_where_it_is_named_alone() -> None:
    text = ("Quarrow Bio, Inc. today announced positive topline results from TIDEWAY-3, its Phase 2b trial of "
            "qarolimab in gout. Full results from TIDEWAY-3 will be presented at an upcoming medical meeting.")
    [event] = extract(text, title="Quarrow Bio Reports Positive Topline Results for qarolimab in Gout",
                      published=dt.date(2026, 6, 2))
    assert event.type == "clinical"
    assert [(p.name, p.role) for p in event.parties] == [("Quarrow Bio, Inc.", "sponsor")]


def test_a_company_described_by_its_city_is_the_story_s_own_company() -> None:
    text = ("Corvane Therapeutics' oral drug CVT-19 lowered uric acid by 52% in a Phase 2 study of patients with gout, "
            "according to topline data the company released on May 12. Corvane plans to start a Phase 3 program in "
            "2026. The lead investigator, Dr. Ana Ruiz of Birchfield Hospital, called the results striking. The Denver "
            "company licensed CVT-19 from Osaka-based Hinode Pharma in March 2022, paying $8 million upfront.")
    events = extract(text, title="Corvane's gout pill cuts uric acid by 52% in Phase 2", published=dt.date(2025, 5, 13))
    licence = next(e for e in events if e.type == "licensing")
    assert _roles(licence) == {"Corvane Therapeutics": "licensee", "Hinode Pharma": "licensor"}


def test_south_asian_legal_forms_end_a_name_and_not_a_sentence() -> None:
    text = ("Pune-based Corvel Lifesciences Pvt. Ltd. has signed an exclusive licence agreement with Marlin "
            "Biotech Pte. Ltd. to commercialise MB-12 in India. Corvel will pay Marlin an upfront fee of $4 million.")
    event = _primary(text, "Corvel Lifesciences in-licenses MB-12 from Marlin Biotech")
    assert _roles(event) == {"Corvel Lifesciences Pvt. Ltd.": "licensee", "Marlin Biotech Pte. Ltd.": "licensor"}


def test_a_headquartered_city_is_not_part_of_the_name() -> None:
    text = ("Hyderabad-headquartered Corvel Lifesciences Limited has agreed to acquire Marlin Therapeutics for "
            "$120 million in cash.")
    event = _primary(text, "Corvel Lifesciences to acquire Marlin Therapeutics")
    assert _roles(event) == {"Corvel Lifesciences Limited": "acquirer", "Marlin Therapeutics": "acquired"}


def test_a_city_alone_without_a_ticker_is_no_company() -> None:
    text = ("Marlin Therapeutics closed a $60 million Series B financing led by Northgate Ventures. Privately held "
            "Marlin, based in Cambridge, England, raised $85 million in a Series A round in 2024.")
    events = extract(text, title="Marlin Therapeutics closes $60 million Series B", published=dt.date(2025, 6, 1))
    assert all("Cambridge" not in p.name for e in events for p in e.parties)


def test_a_rupee_abbreviation_before_a_figure_is_no_company() -> None:
    text = ("Corvel Lifesciences has in-licensed MB-12 from Marlin Biotech for India. Under the deal, Corvel will pay "
            "Marlin an upfront fee of Rs 42 crore and milestones of up to Rs 180 crore.")
    event = _primary(text, "Corvel Lifesciences in-licenses MB-12 from Marlin Biotech")
    assert "Rs" not in _roles(event)


def test_a_defined_agreement_name_is_no_company() -> None:
    text = ('On May 2, 2025, Ridgeline Pharmaceuticals, Inc. entered into an Asset Purchase Agreement with Lumen '
            'Therapeutics, Inc. ("Lumen") to acquire Lumen\'s rights to LT-330 (the "Acquired Assets") for '
            "$95 million in cash.")
    event = _primary(text, "Ridgeline Pharmaceuticals acquires LT-330 from Lumen Therapeutics")
    assert all("Asset" not in name for name in _roles(event))


def test_the_company_an_acquisition_is_by_is_the_acquirer() -> None:
    text = ("RECOMMENDED CASH ACQUISITION\nof\nPOLLARD BIO PLC\nby\nHALWICK THERAPEUTICS, INC.\n\nThe boards of "
            'Halwick Therapeutics, Inc. ("Halwick") and Pollard Bio plc ("Pollard") announce a recommended cash '
            "acquisition by Halwick of the entire issued share capital of Pollard for £412 million.")
    event = _primary(text, "Recommended cash acquisition of Pollard Bio plc by Halwick Therapeutics, Inc.")
    assert _roles(event) == {"Halwick Therapeutics, Inc.": "acquirer", "Pollard Bio plc": "acquired"}


def test_a_filing_s_share_subscription_is_a_financing_and_its_placing_agent_no_party() -> None:
    text = ('The board of Jarrow Biologics Co., Ltd. (the "Company") announces that on 14 August 2025 the Company '
            "entered into subscription agreements with three subscribers \u2013 Harbin Peak Capital, Lakeside "
            "Healthcare Fund and Meridian Rock Partners \u2013 to subscribe for 52,000,000 new H Shares at HK$18.60 "
            "per H Share. The aggregate gross proceeds from the Subscription will be approximately HK$967.2 million. "
            "Zenwick Securities Limited acted as the sole placing agent in connection with the Subscription.")
    event = _primary(text, "Jarrow Biologics Co., Ltd.: subscription of new H shares under general mandate")
    assert event.type == "financing"
    assert _roles(event) == {"Jarrow Biologics Co., Ltd.": "issuer", "Harbin Peak Capital": "investor",
                             "Lakeside Healthcare Fund": "investor", "Meridian Rock Partners": "investor"}


def test_a_round_up_s_financing_keeps_the_investors_of_its_round() -> None:
    title = ("Deals of the week: Almora pays $200M upfront for Brisk's lupus antibody; Cendra and Dovel pair up; "
             "Pexa raises $90M")
    text = (f"{title}\nOctober 9, 2025\n\nOur weekly digest of the deals that mattered.\n\n"
            "Almora licenses Brisk antibody\nAlmora AG agreed to pay $200 million upfront for exclusive global "
            "rights to BR-210, Brisk Immunology's monoclonal antibody for lupus. The deal was signed on October 6."
            "\n\nCendra and Dovel to co-develop bispecific\nCendra Bio AB and Dovel Biotherapeutics will jointly "
            "develop CD-88 for lung cancer, sharing costs and profits equally.\n\nPexa closes Series C\nPexa "
            "Medicines closed a $90 million Series C financing led by Greyfield Ventures, with participation from "
            "Saltbrook Capital. Pexa will use the funds to advance its oral PCSK9 inhibitor PX-12 through Phase 2.\n")
    events = extract(text, title=title, published=dt.date(2025, 10, 9))
    financing = next(e for e in events if e.type == "financing")
    assert _roles(financing) == {"Pexa Medicines": "issuer", "Greyfield Ventures": "investor",
                                 "Saltbrook Capital": "investor"}


def test_the_investors_named_right_after_an_aside_s_placement_are_its_investors() -> None:
    text = ("Corvane Biosciences said on May 2 it would acquire Dresmoor Biopharma Ltd. for $300 million in cash. The "
            "deal is expected to close in October. Corvane said its cash, together with the proceeds of a $40 million "
            "private placement it announced alongside the deal, would fund operations into 2028. Investors in the "
            "placement include Wexcombe Capital and Bramwell Street Partners.")
    events = extract(text, title="Corvane Biosciences to acquire Dresmoor Biopharma for $300 million",
                     published=dt.date(2025, 5, 2))
    financing = next(e for e in events if e.type == "financing")
    assert _roles(financing) == {"Corvane Biosciences": "issuer", "Wexcombe Capital": "investor",
                                 "Bramwell Street Partners": "investor"}


def test_it_as_the_subject_of_an_earlier_deal_stands_for_the_company_before() -> None:
    text = ("LONDON, June 9, 2026 -- Harwick Pharma Plc agreed to acquire Solenne Therapeutics AG for $1.2 billion in "
            "cash.\n\nIt is Harwick's second acquisition in two years. In 2024, it bought Danish eye-care company "
            "Brightwater Ophthalmics for $600 million.\n")
    events = extract(text, title="Harwick Pharma to buy Solenne Therapeutics", published=dt.date(2026, 6, 9))
    earlier = [e for e in events if not e.primary]
    assert [(e.type, sorted((p.role, p.name) for p in e.parties)) for e in earlier] == [
        ("acquisition", [("acquired", "Brightwater Ophthalmics"), ("acquirer", "Harwick Pharma Plc")])], events


def test_an_institution_named_across_and_for_of_is_one_investor() -> None:
    text = ("Quorvane Bio raised $60 million in a Series B round led by Tessaly Capital, with participation from "
            "the Ambrose Foundation for Lung Health and Aging and the Kidney Research and Treatment Institute of "
            "Norland. The money funds QV-12 in a Phase 2 trial.")
    event = _primary(text, "Quorvane Bio raises $60 million")
    roles = _roles(event)
    assert roles.get("Ambrose Foundation for Lung Health and Aging") == "investor"
    assert roles.get("Kidney Research and Treatment Institute of Norland") == "investor"
    assert "Aging" not in roles and "Kidney Research" not in roles


def test_a_company_before_and_stays_apart_from_an_institute() -> None:
    text = ("Velmora Pharma and Harlow Institute said on May 2, 2025 they entered into a research collaboration "
            "to jointly discover antibodies against VX-9.")
    event = _primary(text, "Velmora Pharma and Harlow Institute partner")
    names = {p.name for p in event.parties}
    assert "Velmora Pharma" in names
    assert not any("and" in n.split() for n in names)


def test_an_institutes_topic_goes_on_through_and_and_a_possessive() -> None:
    text = ("Quorvane Bio raised $40 million in a Series A round led by Tessaly Capital, with participation from "
            "the Harmon Foundation for Parkinson's Research and the Lisle Institute of Neurology and Ageing. The "
            "money funds QV-12 in a Phase 1 trial.")
    roles = _roles(_primary(text, "Quorvane Bio raises $40 million"))
    assert roles.get("Harmon Foundation for Parkinson's Research") == "investor"
    assert roles.get("Lisle Institute of Neurology and Ageing") == "investor"


def test_a_loan_and_security_agreements_words_are_no_lenders() -> None:
    text = ('On May 2, 2025, Orrin Pharmaceuticals, Inc. entered into a Loan and Security Agreement (the "Loan '
            'Agreement") with Harrow Credit Fund, L.P. and Pellmark Bank, providing for term loans of up to $90 '
            "million.")
    event = _primary(text, "Orrin Pharmaceuticals enters term loan facility")
    roles = _roles(event)
    assert event.type == "financing"
    assert roles.get("Orrin Pharmaceuticals, Inc.") == "issuer"
    assert roles.get("Harrow Credit Fund, L.P.") == "investor"
    assert "Loan" not in roles and "Security" not in roles


def test_a_datelines_city_named_again_in_the_body_is_no_party() -> None:
    text = ("HALVERTON, Norland, May 2, 2025 /PRNewswire/ -- Quelby Bio, Inc. today announced that it has been awarded "
            "a $9 million research grant by the Harlow Foundation for Kidney Research. Quelby moved its headquarters "
            "to Halverton last year.")
    names = {p.name for p in _primary(text, "Quelby Bio awarded $9 million grant").parties}
    assert "Quelby Bio, Inc." in names
    assert not any(n.lower() == "halverton" for n in names)


def test_an_honorific_and_a_placing_agent_are_no_parties() -> None:
    text = ("On 3 May 2025, Tanwen Gene Co., Ltd. and the Placing Agent entered into the placing agreement to place "
            "20,000,000 new shares at HK$8.00 each, raising gross proceeds of HK$160 million. Tanwen was founded in "
            "2019 by Professor Alan Marsh.")
    names = {p.name for p in _primary(text, "Tanwen Gene placing of new shares").parties}
    assert not any("Agent" in n or "Professor" in n for n in names)


def test_a_parent_that_joins_its_subsidiarys_round_is_an_investor_of_its_own() -> None:
    text = ("BOSTON, May 2, 2025 -- Tarrow Biologics Ltd., a subsidiary of Tarrow Holdings Inc., today announced a "
            "$30 million Series A financing. The round was led by Quenby Ventures, with participation from Tarrow "
            "Holdings.")
    roles = _roles(_primary(text, "Tarrow Biologics raises $30 million Series A"))
    assert roles.get("Tarrow Biologics Ltd.") == "issuer"
    assert roles.get("Tarrow Holdings Inc.") == "investor"


def test_one_firm_written_two_ways_beside_a_subsidiary_stays_one() -> None:
    text = ("Harlan Biopharmaceutical Ltd. said its subsidiary will license KX-5 from Orrin Bio for $5 million "
            "upfront. Harlan Biopharm will pay the fee on May 2, 2025.")
    names = [p.name for p in _primary(text, "Harlan Biopharmaceutical licenses KX-5").parties]
    assert len([n for n in names if n.startswith("Harlan")]) == 1, names


def test_an_innovation_fund_is_one_investor() -> None:
    text = ("Quorvane Bio raised £12 million in a seed round led by Tessaly Capital, with the Harbrook Innovation Fund "
            "also taking part, on May 2, 2025.")
    roles = _roles(_primary(text, "Quorvane Bio raises £12 million seed round"))
    assert roles.get("Harbrook Innovation Fund") == "investor"


def test_the_company_that_took_rights_is_the_licensee() -> None:
    text = ("Norvane Pharma and Keisho Pharmaceutical signed a licence agreement for NV-12 on 4 March 2026. "
            "Norvane took European rights to NV-12 in the deal.\n")
    events = extract(text, title="Keisho and Norvane sign NV-12 licence", published=dt.date(2026, 3, 5))
    licence = next(e for e in events if e.type == "licensing")
    assert _roles(licence) == {"Norvane Pharma": "licensee", "Keisho Pharmaceutical": "licensor"}


def test_the_company_whose_drug_is_in_licensed_is_the_licensee() -> None:
    text = ("Norvane's in-licensed cough drug NV-12 is the subject of a licence agreement Keisho Pharmaceutical and "
            "Norvane Pharma signed on 4 March 2026.\n")
    events = extract(text, title="Keisho and Norvane sign NV-12 licence", published=dt.date(2026, 3, 5))
    licence = next(e for e in events if e.type == "licensing")
    assert _roles(licence) == {"Norvane Pharma": "licensee", "Keisho Pharmaceutical": "licensor"}


def test_the_originator_named_in_an_apposition_after_from_is_the_licensor() -> None:
    text = ("BOSTON, Sep 8, 2026 -- Narwen Therapeutics, Inc. and Kaneda Pharmaceutical Co., Ltd. today announced an "
            "exclusive sublicense agreement under which Kaneda will develop and commercialize NW-5, a long-acting "
            "peptide, in Japan.\n\n"
            "Narwen holds exclusive rights to NW-5 across Asia under a 2025 license from the drug's originator, "
            "Feldmark Peptides Ltd.\n\n"
            "Under the terms of the sublicense, Kaneda will pay Narwen an upfront payment of ¥2.5 billion and up to "
            "¥12 billion in milestones. Narwen will share a portion of the payments with Feldmark.\n")
    events = extract(text, title="Narwen grants Kaneda an exclusive sublicense to NW-5 in Japan",
                     published=dt.date(2026, 9, 8))
    head = next(e for e in events if e.type == "licensing" and not e.primary)
    roles = _roles(head)
    assert roles.get("Narwen Therapeutics, Inc.") == "licensee"
    assert [role for name, role in roles.items() if name.startswith("Feldmark")] == ["licensor"]
