"""Which sentences state an event (`candidates.py`): background told in passing is none. Invented text."""

from __future__ import annotations

import datetime as dt

from dealwire.services.extract.engine import extract

_PUBLISHED = dt.date(2026, 4, 15)
_LICENCE = ("SEOUL, April 15, 2026 -- Taemin Bio said it has licensed global rights to its TYK2 inhibitor TM-301 to "
            "Orrick Therapeutics for $20 million upfront and up to $400 million in milestones.\n\n")


def _events(text: str, title: str) -> list[tuple[bool, str, set[str]]]:
    events = extract(text, title=title, published=_PUBLISHED)
    return [(e.primary, e.type, {p.name for p in e.parties}) for e in events]


def test_a_partys_owner_told_in_an_aside_is_no_acquisition() -> None:
    text = _LICENCE + "Taemin, which Hwaseong Group acquired in 2019, has been moving from generics to new drugs.\n"
    events = _events(text, "Taemin Bio licenses TM-301 to Orrick")
    assert [t for _, t, _ in events] == ["licensing"], events
    assert all("Hwaseong Group" not in names for _, _, names in events)


def test_a_drug_bought_by_the_party_in_an_aside_is_still_an_acquisition() -> None:
    text = _LICENCE + "Orrick, which acquired OR-12 from Pellham Bio in 2022, is testing it in psoriasis.\n"
    events = _events(text, "Taemin Bio licenses TM-301 to Orrick")
    assert "acquisition" in [t for _, t, _ in events], events


def test_a_vague_past_partnership_is_no_collaboration() -> None:
    text = _LICENCE + ("Taemin previously partnered with Ostrova Pharma on kidney biomarker research. The two "
                       "companies previously worked together on early chemistry.\n")
    events = _events(text, "Taemin Bio licenses TM-301 to Orrick")
    assert [t for _, t, _ in events] == ["licensing"], events


def test_a_past_deal_with_its_terms_is_still_an_event() -> None:
    text = _LICENCE + ("Taemin previously signed a licence agreement with Ostrova Pharma worth $50 million for its "
                       "fatty liver drug TM-110.\n")
    events = _events(text, "Taemin Bio licenses TM-301 to Orrick")
    assert len(events) == 2 and any("Ostrova Pharma" in names for _, _, names in events), events


def test_a_licensees_duty_to_obtain_approval_is_no_regulatory_event() -> None:
    text = ("HONG KONG, April 15, 2026 -- Lanfeng Biopharma Limited has entered into an exclusive licence agreement "
            "with Orvane Biosciences, Inc. for OV-115 in Greater China, paying US$20 million upfront.\n\n"
            "Lanfeng shall be responsible for obtaining regulatory approval of OV-115 from the NMPA in the "
            "Territory.\n")
    events = _events(text, "Lanfeng Biopharma in-licenses OV-115 from Orvane")
    assert [t for _, t, _ in events] == ["licensing"], events


def test_a_drug_approved_since_a_year_is_no_regulatory_event() -> None:
    text = _LICENCE + ("Taemin markets Renvora, approved in the United States since 2023 for IgA nephropathy. TM-88 "
                       "has been approved in Europe since 2024.\n")
    events = _events(text, "Taemin Bio licenses TM-301 to Orrick")
    assert [t for _, t, _ in events] == ["licensing"], events


def test_an_approval_on_a_date_is_still_a_regulatory_event() -> None:
    text = _LICENCE + "TM-88 was approved by the FDA on March 2, 2026 for IgA nephropathy.\n"
    events = _events(text, "Taemin Bio licenses TM-301 to Orrick")
    assert "regulatory" in [t for _, t, _ in events], events


def test_a_headline_telling_two_deals_by_their_verbs_keeps_them_apart() -> None:
    text = ("Sanghan Pharm said Wednesday it has licensed global rights to SH-301 to Tarrow Bio for $20 million "
            "upfront.\n\nSeparately, Sanghan said it signed a co-development agreement with Mizuno Pharmaceutical "
            "on April 10 for SH-415, a bispecific antibody.\n")
    events = extract(text, title="Sanghan Pharm out-licensing SH-301 to Tarrow and co-developing SH-415 with Mizuno",
                     published=_PUBLISHED)
    assert sorted(e.type for e in events) == ["collaboration", "licensing"], events


def test_money_raised_in_all_is_no_financing_round() -> None:
    text = _LICENCE + ("Founded in 2018, Orrick has raised more than $310 million and has five programs in "
                       "development. Taemin, backed by Hollis Ventures, had raised $150 million from investors.\n")
    events = _events(text, "Taemin Bio licenses TM-301 to Orrick")
    assert [t for _, t, _ in events] == ["licensing"], events


def test_money_raised_in_all_in_any_currency_the_money_module_knows_is_no_round() -> None:
    text = _LICENCE + "Founded in 2017, Orrick has raised about 95 billion won to date.\n"
    events = _events(text, "Taemin Bio licenses TM-301 to Orrick")
    assert [t for _, t, _ in events] == ["licensing"], events


def test_the_total_a_round_brings_funding_to_is_no_second_financing() -> None:
    text = ("BERLIN, April 15, 2026 -- Quarrel Bio GmbH said it had raised $85 million in a Series B round led by "
            "Amberfield Capital.\n\nThe money will fund QB-101, a CAR-T therapy against CD70. Quarrel expects data in "
            "2027.\n\nThe round brings total funding raised by Quarrel since its founding in 2022 to $140 million.\n")
    events = _events(text, "Quarrel Bio raises $85 million")
    assert [t for _, t, _ in events] == ["financing"], events


def test_a_round_told_with_has_raised_is_still_a_financing() -> None:
    text = ("BOSTON, April 15, 2026 -- Quarrel Bio has raised $132 million in a Series B round led by Amberfield "
            "Capital to take its CAR-T candidate into the clinic.\n")
    events = _events(text, "Quarrel Bio raises $132M Series B")
    assert [t for _, t, _ in events] == ["financing"], events


def test_an_ind_cleared_for_a_named_company_is_a_regulatory_event() -> None:
    text = _LICENCE + ("The FDA cleared Belmont Therapeutics' investigational new drug application for BLT-301, an "
                       "AAV gene therapy for Fabry disease, on April 3.\n")
    events = extract(text, title="Taemin Bio licenses TM-301 to Orrick", published=_PUBLISHED)
    assert ("regulatory", "ind_cleared") in [(e.type, e.regulatory_action) for e in events], events


def test_the_owner_of_a_biosimilars_reference_product_is_no_sponsor() -> None:
    text = ("The European Medicines Agency has accepted for review Korvane Biologics' application to sell KB-16, which "
            "references Denmark-based Holmgard Pharma's blockbuster drug Velquora.\n")
    events = _events(text, "Europe reviews Korvane biosimilar")
    assert [(t, names) for _, t, names in events] == [("regulatory", {"Korvane Biologics"})]


def test_a_trial_readout_followed_by_an_analysts_hope_is_still_a_clinical_event() -> None:
    text = ("Halden Bio's oral inhibitor HB-220 shrank tumours in 41% of patients with metastatic colorectal cancer in "
            "a Phase 1 trial, the company said on Thursday, data that analysts said could make the biotech an "
            "attractive partner.\n\nFull results will be presented at a medical meeting next year.\n")
    events = extract(text, title="Halden Bio's inhibitor shrinks colorectal tumours in early trial",
                     published=dt.date(2026, 12, 4))
    primary = [(e.type, e.assets, e.stage) for e in events if e.primary]
    assert primary == [("clinical", ["HB-220"], "Phase I")], events


def test_the_partner_a_company_names_is_the_sponsor_of_its_clearance() -> None:
    text = ("SHANGHAI, Oct. 16, 2026 -- Ruilan Biotech said China's regulator approved its antibody RL-44 for liver "
            "cancer.\n\nEarlier this month, Ruilan's U.S. partner Dunmore Oncology received FDA clearance of an "
            "investigational new drug application to start a Phase III trial of RL-44.\n")
    events = extract(text, title="Ruilan Biotech wins China approval for RL-44", published=dt.date(2026, 10, 16))
    cleared = [e for e in events if e.regulatory_action == "ind_cleared"]
    assert [[p.name for p in e.parties] for e in cleared] == [["Dunmore Oncology"]], events


def test_a_drug_described_as_approved_in_an_apposition_is_no_regulatory_event() -> None:
    text = ("BOSTON, June 24, 2026 -- Marlow Health, Inc. agreed to acquire Tennant Pharma, Inc. for $900 million in "
            "cash.\n\nThe acquisition adds Tennant's marketed product Velmira, a selective receptor agonist approved "
            "in the United States for chronic itch in adults undergoing hemodialysis.\n")
    events = extract(text, title="Marlow Health to acquire Tennant Pharma", published=dt.date(2026, 6, 24))
    assert [e.type for e in events] == ["acquisition"], events


def test_a_drug_ready_after_a_completed_trial_is_no_clinical_event_and_gives_the_deal_its_stage() -> None:
    text = ("NEW YORK, Aug. 31, 2026 -- Corran Pharmaceuticals, Inc. agreed to acquire all of Pelham Therapeutics, "
            "Inc.'s rights to PLT-330, an oral FGFR2 inhibitor, for $95 million in cash.\n\n"
            "Following the completion of a pivotal Phase 3 trial that met its primary endpoint, PLT-330 is NDA-ready, "
            "and Corran intends to submit a new drug application in 2027.\n")
    events = extract(text, title="Corran to acquire rights to PLT-330 from Pelham", published=dt.date(2026, 8, 31))
    assert [(e.type, e.stage) for e in events] == [("acquisition", "Phase III")], events


def test_an_investors_earlier_round_told_in_an_aside_is_no_financing() -> None:
    text = _LICENCE + "Orrick, founded in 2015, is backed by Hollis Capital, which led its Series C round in 2022.\n"
    events = _events(text, "Taemin Bio licenses TM-301 to Orrick")
    assert [t for _, t, _ in events] == ["licensing"], events


def test_a_financing_risk_in_a_quote_is_no_financing() -> None:
    text = _LICENCE + ('"The deal removes the financing risk of a Phase 3 programme," said Orrick chair Dana Holt.\n')
    events = _events(text, "Taemin Bio licenses TM-301 to Orrick")
    assert [t for _, t, _ in events] == ["licensing"], events


def test_a_research_grant_awarded_by_an_institute_is_a_financing() -> None:
    text = ("DENVER, April 15, 2026 -- Kestrel Oncology, Inc. today announced that it has been awarded a $12.5 million "
            "research grant by the Lung Research and Treatment Institute of Norland (LRTIN) to fund a Phase 1 trial "
            "of KO-12.\n")
    events = extract(text, title="Kestrel Oncology awarded $12.5 million grant", published=_PUBLISHED)
    assert [e.type for e in events] == ["financing"], events
    assert events[0].total_value is not None and events[0].total_value.amount == 12_500_000


def test_technology_licensed_from_a_university_in_passing_is_no_licence() -> None:
    text = ("BOSTON, April 15, 2026 -- Quarrel Bio Ltd. today announced a $40 million Series A financing led by "
            "Amberfield Capital.\n\nTollan Holdings formed Quarrel Bio in 2025 with technology licensed from the "
            "University of Northbridge.\n")
    events = _events(text, "Quarrel Bio raises $40 million Series A")
    assert [t for _, t, _ in events] == ["financing"], events
