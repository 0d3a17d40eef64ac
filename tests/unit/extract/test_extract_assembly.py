"""How events are assembled (`assembly.py`): the day the text gives the event itself. Invented text."""

from __future__ import annotations

import datetime as dt

from dealwire.services.extract.engine import extract


def _primary_date(text: str, title: str, published: dt.date) -> str | None:
    events = [e for e in extract(text, title=title, published=published) if e.primary]
    assert events, "no headline event"
    return events[0].date


def test_the_closing_day_dates_a_completed_acquisition() -> None:
    text = ("NEW YORK, March 3, 2026 -- Corlane Therapeutics, Inc. today announced the completion of its acquisition "
            "of Belmoor Bio, Inc., a developer of kidney drugs.\n\nThe transaction closed on March 2, 2026. Corlane "
            "paid $210 million in cash at closing.\n")
    assert _primary_date(text, "Corlane Completes Acquisition of Belmoor Bio", dt.date(2026, 3, 3)) == "2026-03-02"


def test_the_day_an_agreement_is_dated_dates_the_licence() -> None:
    text = ("The board of Lanfeng Biopharma Limited (the \"Company\") announces that the Company has entered into an "
            "exclusive licence agreement with Orwell Biosciences, Inc. for OW-115 in Greater China. The Agreement was "
            "dated 28 September 2026.\n\nThe Company shall pay Orwell an upfront payment of US$20 million.\n\n"
            "Hong Kong, 29 September 2026\n")
    assert _primary_date(text, "Entry into a licence agreement with Orwell Biosciences for OW-115",
                         dt.date(2026, 9, 29)) == "2026-09-28"


def test_the_terms_of_a_merger_agreement_announced_earlier_are_the_headline_deals() -> None:
    text = ("NEW YORK, March 3, 2026 -- Corlane Therapeutics, Inc. today announced the completion of its acquisition "
            "of Belmoor Bio, Inc., a developer of kidney drugs.\n\n"
            "Under the terms of the merger agreement, which was first announced on January 12, 2026, Corlane paid "
            "$210 million in cash at closing, and Belmoor's former stockholders may receive up to $140 million in "
            "milestones.\n")
    events = extract(text, title="Corlane Completes Acquisition of Belmoor Bio", published=dt.date(2026, 3, 3))
    assert [e.type for e in events] == ["acquisition"], events
    assert events[0].upfront is not None and events[0].upfront.amount == 210_000_000


def test_rights_bought_under_an_acquisitions_headline_are_that_acquisition() -> None:
    text = ("Korvane Pharma has bought the rights to an inhaled asthma candidate from Ellwood Therapeutics, paying "
            "$210 million upfront for the asset.\n\n"
            "Under the asset purchase agreement, Korvane acquires EL-22, an inhaled small molecule.\n")
    events = extract(text, title="Korvane buys Ellwood's inhaled asthma asset for $210M",
                     published=dt.date(2026, 12, 1))
    assert [e.type for e in events] == ["acquisition"], events


def test_a_licence_under_a_headline_of_rights_acquired_stays_a_licence() -> None:
    text = ("Lindholm Pharma AG has entered into an exclusive license agreement with Ferrant Bio, Inc. granting "
            "Lindholm the rights to develop FB-71 outside the United States, for $40 million upfront and royalties.\n")
    events = extract(text, title="Lindholm Pharma Acquires Ex-U.S. Rights to Ferrant Bio's Narcolepsy Drug",
                     published=dt.date(2026, 12, 1))
    assert [e.type for e in events] == ["licensing"], events


def test_the_opinion_an_approval_follows_is_no_event_of_its_own() -> None:
    text = ("LEIDEN, December 8, 2026 -- The European Commission has approved Velmar Pharma's Dermavel (lobrekin), "
            "a monoclonal antibody, for moderate-to-severe atopic dermatitis.\n\n"
            "The approval follows a positive opinion from the European Medicines Agency's Committee for Medicinal "
            "Products for Human Use (CHMP) in October 2026.\n")
    events = extract(text, title="EC approves Velmar's Dermavel for atopic dermatitis", published=dt.date(2026, 12, 8))
    assert [(e.type, e.regulatory_action) for e in events] == [("regulatory", "approved")], events


def test_a_shouted_filing_headline_naming_only_the_drug_is_the_bodys_licence() -> None:
    text = ("VOLUNTARY ANNOUNCEMENT\nENTRY INTO AN EXCLUSIVE LICENSE AGREEMENT FOR QX-41\n\n"
            "This announcement is made by Lanfeng Biopharma Co., Ltd. (the \"Company\") on a voluntary basis.\n\n"
            "The board of directors of the Company is pleased to announce that on 30 June 2026, the Company entered "
            "into an exclusive license agreement with Orwell Therapeutics, Inc. (\"Orwell\"), pursuant to which the "
            "Company granted Orwell an exclusive license to develop and commercialize QX-41 outside of Greater China."
            "\n\nQX-41 is currently in a Phase II clinical trial in patients with pancreatic cancer.\n\n"
            "PRINCIPAL TERMS OF THE AGREEMENT\n\nOrwell shall pay the Company an upfront payment of US$65 million.\n")
    events = extract(text, title="VOLUNTARY ANNOUNCEMENT ENTRY INTO AN EXCLUSIVE LICENSE AGREEMENT FOR QX-41",
                     published=dt.date(2026, 7, 1))
    primary = [e for e in events if e.primary]
    assert len(primary) == 1, events
    assert primary[0].assets == ["QX-41"] and primary[0].stage == "Phase II", primary
    assert sorted(p.name for p in primary[0].parties) == ["Lanfeng Biopharma Co., Ltd.", "Orwell Therapeutics, Inc."]


def test_a_shouted_headline_naming_the_licensee_and_a_phrase_read_as_a_name_is_the_bodys_licence() -> None:
    text = ("VOLUNTARY ANNOUNCEMENT\nENTRY INTO AN EXCLUSIVE LICENSE AGREEMENT WITH ORWELL THERAPEUTICS FOR QX-41\n\n"
            "This announcement is made by Lanfeng Biopharma Holdings Limited (the \"Company\") on a voluntary "
            "basis.\n\nThe board of directors of the Company is pleased to announce that on 3 June 2026, the Company "
            "entered into an exclusive license agreement with Orwell Therapeutics, Inc. (\"Orwell\"), pursuant to "
            "which the Company granted Orwell an exclusive license to develop and commercialize QX-41 worldwide, "
            "excluding Greater China.\n\nPursuant to the Agreement, Orwell shall pay the Company an upfront "
            "payment of US$25 million.\n")
    events = extract(text, title="VOLUNTARY ANNOUNCEMENT ENTRY INTO AN EXCLUSIVE LICENSE AGREEMENT WITH ORWELL "
                     "THERAPEUTICS FOR QX-41", published=dt.date(2026, 6, 4))
    assert len(events) == 1 and events[0].primary, events
    assert sorted((p.role, p.name) for p in events[0].parties) == [
        ("licensee", "Orwell Therapeutics, Inc."), ("licensor", "Lanfeng Biopharma Holdings Limited")], events
    assert events[0].date == "2026-06-03"


def _sponsors(events: list, regulator: str | None, action: str) -> list[str]:
    found = [e for e in events if e.type == "regulatory" and e.regulator == regulator and e.regulatory_action == action]
    assert found, events
    return [p.name for p in found[0].parties]


def test_a_regulator_inside_a_licensed_territory_decides_for_the_licensee_outside_it_for_the_licensor() -> None:
    text = ("SHANGHAI, May 4, 2026 -- The NMPA has accepted Tianmu Biopharma's new drug application for Ardent "
            "Oncology's AR-201, an oral KRAS G12C inhibitor, for non-small cell lung cancer.\n\n"
            "Tianmu obtained exclusive rights to develop and commercialise AR-201 in Greater China from Ardent "
            "Oncology in 2023 for $20 million upfront.\n\n"
            "AR-201 was approved by the FDA in 2024. The drug received approval in Hong Kong in March 2025.\n")
    events = extract(text, title="NMPA accepts Tianmu's NDA for AR-201", published=dt.date(2026, 5, 4))
    assert _sponsors(events, "NMPA", "nda_accepted") == ["Tianmu Biopharma"]
    assert _sponsors(events, None, "approved") == ["Tianmu Biopharma"]  # Hong Kong lies in Greater China
    assert _sponsors(events, "FDA", "approved") == ["Ardent Oncology"]


def test_a_worldwide_co_development_leaves_the_drugs_designation_to_its_owner() -> None:
    text = ("BOSTON, June 1, 2026 -- Corvane Bio and Ellery Pharma today announced a global agreement to co-develop "
            "and co-commercialize CVB-7, Corvane's gene therapy for hemophilia B. Ellery will pay Corvane $80 million "
            "upfront, and the companies will share costs and profits equally worldwide.\n\n"
            "CVB-7 received orphan drug designation from the FDA in 2025.\n")
    events = extract(text, title="Corvane and Ellery team up on CVB-7", published=dt.date(2026, 6, 1))
    assert _sponsors(events, "FDA", "orphan_designation") == ["Corvane Bio"]


def test_companies_told_together_as_the_applicants_both_stay_sponsors() -> None:
    text = ("HANGZHOU, May 4, 2026 -- Tianmu Biopharma and Ardent Oncology announced that the NMPA has accepted the "
            "new drug application for AR-201, an oral KRAS G12C inhibitor, for non-small cell lung cancer.\n\n"
            "Ardent Oncology licensed AR-201's rights in Greater China to Tianmu in 2023.\n")
    events = extract(text, title="NMPA accepts NDA for AR-201", published=dt.date(2026, 5, 4))
    assert sorted(_sponsors(events, "NMPA", "nda_accepted")) == ["Ardent Oncology", "Tianmu Biopharma"]


def test_the_payments_under_an_asset_purchase_agreement_are_its_terms_not_a_second_deal() -> None:
    text = ("The board announces that on 12 May 2026, Lanfeng Biopharma Limited entered into an asset purchase "
            "agreement with Orwell Biosciences AB, pursuant to which Lanfeng will acquire all worldwide rights to "
            "OW-115.\n\nUnder the Agreement, Lanfeng will pay Orwell an upfront payment of US$20 million and up to "
            "US$85 million in milestone payments.\n")
    events = extract(text, title="Acquisition of global rights to OW-115", published=dt.date(2026, 5, 12))
    assert [e.type for e in events] == ["acquisition"], events
    assert events[0].upfront is not None and events[0].upfront.amount == 20_000_000


def test_a_background_licence_told_by_its_licensee_alone_takes_the_drugs_owner_as_licensor() -> None:
    text = ("SHANGHAI, October 9, 2026 -- Jinwei Cell Therapeutics said it has entered a co-commercialisation "
            "agreement with Tongda Pharma for JW-19, its CAR-T therapy, in mainland China, sharing profits "
            "equally. Tongda will pay Jinwei RMB 200 million upfront.\n\n"
            "Outside China, JW-19 is partnered with Harlan Oncology, which licensed ex-China rights in 2023 for "
            "$50 million upfront.\n")
    events = extract(text, title="Jinwei and Tongda to co-commercialise JW-19", published=dt.date(2026, 10, 9))
    licence = next(e for e in events if e.type == "licensing")
    assert {p.name: p.role for p in licence.parties} == {"Jinwei Cell Therapeutics": "licensor",
                                                          "Harlan Oncology": "licensee"}


def test_the_takeover_recalled_in_a_sentence_about_the_drugs_licensor_is_no_takeover_of_its_own() -> None:
    text = ("Brenwick Pharmaceuticals is buying Calloway Bio for $1.4 billion in cash, the companies said on "
            "February 9, 2026.\n\nCalloway licensed its lead drug CB-101 from Hanseo Therapeutics in 2021. Hanseo "
            "will continue to receive royalties after the takeover, Calloway said.\n")
    events = extract(text, title="Brenwick to buy Calloway Bio for $1.4B", published=dt.date(2026, 2, 10))
    acquisitions = [e for e in events if e.type == "acquisition"]
    assert [sorted(p.name for p in e.parties) for e in acquisitions] == [["Brenwick Pharmaceuticals", "Calloway Bio"]]
