"""Indications written with a biomarker subgroup in front: "EGFR-expressing solid tumors"."""

from __future__ import annotations

import datetime as dt

import pytest

from dealwire.services.extract.engine import extract

_TITLE = "Acme Bio Raises $50 Million Series A"


def _indications(body: str) -> list[str]:
    events = [e for e in extract(body, title=_TITLE, published=dt.date(2025, 6, 1)) if e.primary]
    assert events, "no primary event"
    return events[0].indications


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("EGFR-expressing solid tumors", "EGFR-expressing solid tumors"),
        ("B7H3-expressing solid tumors", "B7H3-expressing solid tumors"),
        ("PD-L1-positive non-small cell lung cancer", "PD-L1-positive non-small cell lung cancer"),
        ("HER2-low breast cancer", "HER2-low breast cancer"),
        ("FGFR2-amplified gastric cancer", "FGFR2-amplified gastric cancer"),
    ],
)
def test_biomarker_subgroup_is_part_of_the_indication(phrase: str, expected: str) -> None:
    body = f"Acme Bio raised $50 million in a Series A financing to develop AB-101 for patients with {phrase}."
    assert _indications(body) == [expected]


def test_two_subgroups_of_one_disease_stay_apart() -> None:
    body = ("Acme Bio raised $50 million in a Series A financing. AB-101 is in a Phase 1 study in EGFR-expressing "
            "solid tumors and AB-202 is planned for CLDN6-expressing solid tumors.")
    assert _indications(body) == ["EGFR-expressing solid tumors", "CLDN6-expressing solid tumors"]


def test_a_capitalised_word_is_not_a_biomarker() -> None:
    body = "Acme Bio raised $50 million in a Series A financing to develop AB-101 for Treatment-positive breast cancer."
    assert _indications(body) == ["breast cancer"]


def test_a_disease_the_vocabulary_lacks_is_read_from_its_head_noun() -> None:
    text = ("Orlen Bio said its Phase 3 study of velnarotide in patients with symptomatic neurogenic orthostatic "
            "hypotension met its primary endpoint.")
    [event] = extract(text, published=dt.date(2025, 6, 1))
    assert event.indications == ["symptomatic neurogenic orthostatic hypotension"]


def test_words_around_a_disease_are_not_part_of_it() -> None:
    text = "Orlen Bio dosed the first patient in its Phase 2 trial of velnarotide for the treatment of gout."
    [event] = extract(text, published=dt.date(2025, 6, 1))
    assert event.indications == ["gout"]


@pytest.mark.parametrize(
    ("study", "expected"),
    [("", []), (" AB-101 is studied in patients with CHF.", ["CHF"])],
    ids=["franc only", "franc and disease"],
)
def test_a_currency_code_before_its_figure_is_not_a_disease(study: str, expected: list[str]) -> None:
    """"CHF" is congestive heart failure and the Swiss franc: before a figure it is the franc."""
    body = ("Acme Bio raised CHF 50 million in a Series A financing to develop AB-101. The round values the "
            f"company at CHF 200 million.{study}")
    event = next(e for e in extract(body, title=_TITLE, published=dt.date(2025, 6, 1)) if e.primary)
    assert event.indications == expected
    assert event.total_value is not None and event.total_value.currency == "CHF"


def test_a_round_takes_the_disease_the_text_gives_its_drug_further_on() -> None:
    text = ("Valdor Bio has raised $70 million in a Series B financing led by Harrowgate Capital to advance VX-40. "
            "VX-40 is an antibody that blocks TSLP. The company plans to start a Phase 2 trial in chronic "
            "rhinosinusitis with nasal polyps in 2026.")
    events = [e for e in extract(text, title="Valdor Bio raises $70 million Series B", published=dt.date(2025, 9, 1))
              if e.primary]
    assert [(e.type, e.indications) for e in events] == [
        ("financing", ["chronic rhinosinusitis with nasal polyps"])]


def test_a_cancer_drug_deal_takes_the_cancers_the_article_names_for_the_drug() -> None:
    text = ("Shares of Tarrow Oncology rose 4% in early trading on Monday.\n"
            "Tarrow Oncology will license TR-515 to Pellham Bio for $40 million upfront and up to $600 million in "
            "milestones.\n"
            "The drug is being developed for breast and gastric cancer.")
    events = extract(text, title="Tarrow Signs Cancer Drug Deal With Pellham", published=dt.date(2025, 6, 20))
    [deal] = [e for e in events if e.primary]
    assert deal.indications == ["breast cancer", "gastric cancer"]


def test_the_field_a_company_is_introduced_with_is_not_the_drugs_disease() -> None:
    text = ("BOSTON, March 3, 2026 -- Corlan Therapeutics Inc., a clinical-stage company developing antisense "
            "oligonucleotide (ASO) therapies for neurodegenerative diseases, today announced that the U.S. Food and "
            "Drug Administration has cleared its Investigational New Drug application for CT-0428 for the treatment "
            "of amyotrophic lateral sclerosis.")
    events = extract(text, title="Corlan Therapeutics Receives FDA Clearance of IND for CT-0428",
                     published=dt.date(2026, 3, 3))
    [event] = [e for e in events if e.primary]
    assert event.indications == ["amyotrophic lateral sclerosis"]


def test_a_licence_keeps_the_drugs_disease_over_the_licensors_field() -> None:
    text = ("Tarrow Oncology, a biotechnology company developing antibodies for inflammatory diseases, will license "
            "TR-515 for atopic dermatitis to Pellham Bio for $40 million upfront.")
    events = extract(text, title="Tarrow licenses TR-515 to Pellham", published=dt.date(2025, 6, 20))
    [deal] = [e for e in events if e.primary]
    assert deal.indications == ["atopic dermatitis"]


def test_cancers_sharing_one_noun_are_each_one_cancer() -> None:
    body = "Acme Bio raised $50 million in a Series A financing to develop AB-101 for gastric and pancreatic cancers."
    assert _indications(body) == ["gastric cancer", "pancreatic cancer"]


def test_a_plural_class_after_a_whole_disease_stays_as_written() -> None:
    body = ("Acme Bio raised $50 million in a Series A financing to develop AB-101 for small cell lung cancer and "
            "neuroendocrine carcinomas.")
    assert _indications(body) == ["small cell lung cancer", "neuroendocrine carcinomas"]


def test_a_disease_joined_to_another_that_shares_no_noun_is_kept() -> None:
    body = ("Acme Bio raised $50 million in a Series A financing to develop AB-101 for the treatment of asthma and "
            "chronic obstructive pulmonary disease (COPD).")
    assert _indications(body) == ["asthma", "chronic obstructive pulmonary disease"]


def test_a_round_takes_the_disease_of_the_trial_its_company_plans() -> None:
    text = ("Corlan Bio said on Tuesday it raised $95 million in a Series B round led by Birchway Capital.\n"
            "Corlan's lead program, CB-204, is a preclinical molecular glue degrader. Corlan plans to file an IND in "
            "early 2027 and begin a Phase 1 trial in solid tumors later that year.")
    events = extract(text, title="Corlan Bio raises $95M Series B", published=dt.date(2026, 6, 2))
    [event] = [e for e in events if e.primary]
    assert event.indications == ["solid tumors"]


def test_a_deleted_gene_names_a_subgroup_not_a_target() -> None:
    body = ("Acme Bio raised $50 million in a Series A financing to develop AB-101, an inhibitor of PRMT5, for "
            "patients with MTAP-deleted solid tumors.")
    events = [e for e in extract(body, title=_TITLE, published=dt.date(2025, 6, 1)) if e.primary]
    assert (events[0].indications, events[0].targets) == (["MTAP-deleted solid tumors"], ["PRMT5"])


def test_a_trial_told_right_after_the_drug_gives_its_disease() -> None:
    text = ("BOSTON, Dec. 1, 2026 -- Corlan Genomics, Inc. today announced that the U.S. Food and Drug "
            "Administration (FDA) has cleared its Investigational New Drug (IND) application for CG-07, an in vivo "
            "gene-editing therapy.\n\n"
            "CG-07 is delivered by a lipid nanoparticle as a one-time infusion. With the IND cleared, Corlan plans "
            "to begin a Phase 1/2 trial in patients with heterozygous familial hypercholesterolemia in 2027.")
    events = extract(text, title="Corlan Genomics Receives FDA Clearance of IND for CG-07",
                     published=dt.date(2026, 12, 1))
    [event] = [e for e in events if e.primary]
    assert event.indications == ["heterozygous familial hypercholesterolemia"]


def test_an_ind_filing_told_right_after_the_drug_gives_its_disease() -> None:
    text = (
            "Corlan Biologics licenses CLDN18.2 ADC to U.S. firm Pellham in deal worth up to $780 million\n\nBy "
            "Kim Ji-woo\nPublished 2026.03.16 09:41 | Updated 2026.03.16 11:02\nShare Facebook Twitter KakaoTalk "
            "Copy URL\n\nCorlan Biologics said Monday that it signed a technology transfer agreement with Pellham "
            "Oncology of Boston on March 13, handing over global rights, excluding Korea, to CB-C18, an "
            "antibody-drug conjugate targeting claudin 18.2 (CLDN18.2).\n\nCB-C18 is a preclinical candidate. "
            "Corlan plans to file an investigational new drug application with the U.S. Food and Drug "
            "Administration in the second half of this year for gastric and gastroesophageal junction cancers.\n\n"
            "Under the deal, Pellham will pay $25 million upfront and up to $755 million in development, approval "
            "and commercial milestones, for a total of up to $780 million. Corlan will also receive royalties on "
            "net sales in the mid-single digits.\n\nCorlan keeps the rights in Korea. The company said in 2024 "
            "that it would focus on conjugates with its own topoisomerase I inhibitor payload.\n\nCorlan shares "
            "rose 18.4 percent to 42,300 won on the KOSDAQ.\n\nCopyright © Bio Daily. All rights reserved.\n")
    [deal] = [e for e in extract(text, published=dt.date(2026, 3, 16)) if e.primary]
    assert deal.indications == ["gastric cancer", "gastroesophageal junction cancer"]


def test_two_cancers_joined_by_a_slash_are_two_indications() -> None:
    body = "Acme Bio raised $50 million in a Series A financing to develop AB-101 for gastric/GEJ cancer."
    assert _indications(body) == ["gastric cancer", "GEJ cancer"]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [("metabolic and endocrine diseases", "endocrine diseases"),
     ("fibrotic and inflammatory diseases", "fibrotic disease"),
     ("cardiovascular and gastrointestinal disorders", "gastrointestinal disorders")],
)
def test_each_field_of_medicine_of_a_coordination_is_an_indication(fields: str, expected: str) -> None:
    body = f"Acme Bio raised $50 million in a Series A financing to develop medicines for {fields}."
    assert expected in _indications(body)


@pytest.mark.parametrize("family", ["tauopathies", "synucleinopathies", "channelopathies", "RASopathies"])
def test_a_family_of_diseases_named_by_its_plural_is_an_indication(family: str) -> None:
    body = f"Acme Bio raised $50 million in a Series A financing to develop antisense therapies for {family}."
    assert _indications(body) == [family]


_FIELD = "a company developing cell therapies for cancer and autoimmune diseases"


def test_a_company_bought_keeps_the_field_it_works_in_beside_its_drug_s_disease() -> None:
    text = (f"Talbrook Pharma Inc. has agreed to acquire Orvane Cell Therapeutics, {_FIELD}, for $300 million. "
            "Orvane's lead drug, OR-12, is in a Phase 1 trial in multiple myeloma.")
    [event] = [e for e in extract(text, title="Talbrook to acquire Orvane", published=dt.date(2026, 6, 1))
               if e.primary]
    assert "cancer" in event.indications and "multiple myeloma" in event.indications


def test_a_licence_gives_the_drug_s_disease_without_the_umbrella_term() -> None:
    text = (f"Orvane Cell Therapeutics, {_FIELD}, has granted Talbrook Pharma Inc. an exclusive license to OR-12 for "
            "$30 million upfront. OR-12 is in a Phase 1 trial in multiple myeloma.")
    [event] = [e for e in extract(text, title="Orvane licenses OR-12 to Talbrook", published=dt.date(2026, 6, 1))
               if e.primary]
    assert "cancer" not in event.indications and "multiple myeloma" in event.indications


@pytest.mark.parametrize("written", ["moderate-to-severe pruritus associated with chronic kidney disease (CKD-aP)",
                                     "CKD-associated pruritus"])
def test_itch_of_kidney_disease_is_one_indication_not_two(written: str) -> None:
    body = ("Acme Bio has raised $50 million in a Series A round led by Birch Capital. The money will fund the "
            f"development of AC-12, a kappa opioid receptor agonist for {written} in adults on hemodialysis.")
    found = _indications(body)
    assert len(found) == 1
    assert "pruritus" in found[0]


def test_a_companys_business_line_is_no_indication() -> None:
    body = ("Japan's Okuma Yakuhin Co., Ltd. agreed on Nov. 24 to buy Lanter Genetics Inc. for $900 million, as the "
            "drugmaker seeks growth beyond its ageing hypertension franchise. Lanter's lead therapy, LG-101, is a gene "
            "therapy for Duchenne muscular dystrophy in a Phase 1/2 trial.\n")
    events = extract(body, title="Okuma Yakuhin to buy Lanter Genetics for $900 million",
                     published=dt.date(2026, 11, 24))
    primary = next(e for e in events if e.primary)
    assert "Duchenne muscular dystrophy" in primary.indications
    assert "hypertension" not in primary.indications
