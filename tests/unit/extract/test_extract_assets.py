"""Drug names as news writes them: codes, INNs of several words, brands with their INN, coded targets."""

from __future__ import annotations

import datetime as dt
import functools

import pytest

from dealwire.services.extract.engine import extract
from tests.support.engine import primary_event

_primary = functools.partial(primary_event, published=dt.date(2025, 6, 1))


def test_an_antibody_drug_conjugate_keeps_its_two_word_inn() -> None:
    text = ("Acme Pharma has granted Birch Bio exclusive rights to belzumab vedotin, an antibody-drug conjugate, "
            "for $50 million upfront.")
    event = _primary(text)
    assert event.assets == ["belzumab vedotin"]
    assert event.modality == ["ADC"]


def test_a_biologic_inn_in_brackets_names_the_brand() -> None:
    text = ("The CHMP adopted a positive opinion for Orlen Bio's Velmira (cerlinase alfa) in adults with Fabry "
            "disease.")
    event = _primary(text)
    assert event.assets == ["Velmira"]


@pytest.mark.parametrize("bracket", ["corbatinib topical gel", "corbatide-XR"])
def test_a_brand_with_its_inn_and_dosage_form_in_brackets_is_a_drug_not_a_company(bracket: str) -> None:
    text = (f"Birch Dermatology will pay Acme Pharma $20 million upfront for exclusive rights to Velorin ({bracket}) "
            "outside the United States.")
    event = _primary(text, "Acme Pharma licenses Velorin to Birch Dermatology")
    assert event.assets == ["Velorin"]
    assert {p.name: p.role for p in event.parties} == {"Acme Pharma": "licensor", "Birch Dermatology": "licensee"}


def test_a_cell_therapys_two_word_inn_in_brackets_names_the_brand() -> None:
    text = ("The European Commission granted conditional marketing authorisation to Orlen Bio's Velcara "
            "(tovacabtagene autoleucel) for relapsed or refractory multiple myeloma.")
    event = _primary(text)
    assert event.assets == ["Velcara"]


def test_a_single_digit_code_is_a_drug_but_a_hyphenated_target_or_a_trial_name_is_not() -> None:
    text = ("Acme Pharma has granted Birch Bio exclusive rights to AC-9, an oral COX-2 inhibitor, for $30 million "
            "upfront. AC-9 is being tested in the KAVEN-2 and HALVEN-3 trials.")
    event = _primary(text, "Acme Pharma licenses AC-9 to Birch Bio")
    assert (event.assets, event.targets) == (["AC-9"], ["COX-2"])


def test_a_coded_receptor_is_a_target_not_a_drug() -> None:
    text = ("Acme Pharma licensed AC-1780, an oral Q9X4 receptor antagonist, from Birch Bio for $20 million "
            "upfront.")
    event = _primary(text)
    assert event.assets == ["AC-1780"]
    assert event.targets == ["Q9X4"]


def test_a_modality_that_ends_like_an_inn_is_no_drug() -> None:
    text = ("Velmora Bio Inc., a company developing antisense oligonucleotide therapies, said the FDA has cleared its "
            "IND for VB-0428 in ALS.")
    event = _primary(text)
    assert event.assets == ["VB-0428"]
    assert event.modality == ["antisense oligonucleotide"]


def test_a_marker_the_patients_lack_is_not_the_drugs_target() -> None:
    text = ("Acme Pharma has granted Birch Bio exclusive rights to AC-2290, an antibody targeting CDH17, for $40 "
            "million upfront. AC-2290 is in a Phase 1 trial in HER2-negative gastric cancer.")
    event = _primary(text, "Acme Pharma licenses AC-2290 to Birch Bio")
    assert event.targets == ["CDH17"]


@pytest.mark.parametrize("trial", [
    "in non-small cell lung cancer with EGFR mutations",
    "in patients whose tumours express PD-L1",
    "in gastric cancer regardless of PD-L1 expression status",
])
def test_a_marker_the_patients_carry_is_not_the_drugs_target_beside_its_own(trial: str) -> None:
    text = ("Acme Pharma has granted Birch Bio exclusive rights to AC-2290, an antibody targeting CDH17, for $40 "
            f"million upfront. AC-2290 is in a Phase 1 trial {trial}.")
    event = _primary(text, "Acme Pharma licenses AC-2290 to Birch Bio")
    assert event.targets == ["CDH17"]


def test_a_marker_the_drug_also_targets_stays_its_target() -> None:
    text = ("Acme Pharma has granted Birch Bio exclusive rights to AC-2290, a HER3-directed antibody-drug conjugate, "
            "for $40 million upfront. AC-2290 is in a Phase 1 trial in HER3-expressing breast cancer.")
    assert _primary(text, "Acme Pharma licenses AC-2290 to Birch Bio").targets == ["HER3"]


def test_small_molecules_in_general_are_not_the_named_drugs_modality() -> None:
    text = ("Acme Pharma has granted Birch Bio exclusive rights to AC-2290, an antibody-drug conjugate, for $40 "
            "million upfront. AC-2290 joins a Birch pipeline built on small molecules.")
    event = _primary(text, "Acme Pharma licenses AC-2290 to Birch Bio")
    assert event.modality == ["ADC"]


def test_a_platform_deal_keeps_the_kind_of_drug_it_discovers() -> None:
    text = ("Acme Pharma and Birch Bio will jointly discover radiopharmaceuticals for solid tumors, with Birch "
            "paying $15 million upfront.")
    event = _primary(text, "Acme Pharma and Birch Bio sign research collaboration")
    assert event.modality == ["radiopharmaceutical"]


def test_a_radioligand_is_named_as_written() -> None:
    text = ("Acme Pharma will acquire Birch Bio for $900 million. Birch's lead drug, BB-177, is a radioligand "
            "therapy targeting PSMA.")
    event = _primary(text, "Acme Pharma to acquire Birch Bio")
    assert event.modality == ["radioligand"]


def test_a_mutant_target_is_named_once_in_its_most_specific_form() -> None:
    text = ("Acme Pharma has granted Birch Bio exclusive rights to AC-2290, an oral KRAS G12D inhibitor, for $40 "
            "million upfront. KRAS mutations drive about a quarter of all cancers.")
    event = _primary(text, "Acme Pharma licenses KRAS drug AC-2290 to Birch Bio")
    assert event.targets == ["KRAS G12D"]


def test_a_deal_on_an_unnamed_pill_takes_the_drug_the_next_sentence_names() -> None:
    text = ("Birch Bio is paying Acme Pharma $25 million upfront for global rights to a once-weekly oral pill for "
            "gout. The asset, AC-7741, is an oral small molecule that has completed a Phase 1 study in healthy "
            "volunteers.")
    event = _primary(text, "Birch Bio licenses gout pill from Acme Pharma")
    assert (event.assets, event.stage) == (["AC-7741"], "Phase I")


@pytest.mark.parametrize(
    ("described", "drug"),
    [
        ("The lead drug, tovalimab, is a monoclonal antibody in a Phase 3 trial in lupus nephritis.", "tovalimab"),
        ("The antibody, CDR-41, blocks interleukin-17 and is in Phase 3 trials in lupus nephritis.", "CDR-41"),
    ],
)
def test_a_deal_naming_no_drug_takes_the_one_a_later_appositive_names(described: str, drug: str) -> None:
    text = ("Birch Pharma said on Monday it had agreed to buy Cedar Bio for $900 million in cash. Birch will pay $21 "
            f"per share, a 40% premium. {described}")
    event = _primary(text, "Birch Pharma to buy Cedar Bio for $900 million")
    assert (event.assets, event.stage) == ([drug], "Phase III")
    assert event.assets[0] in {"tovalimab", "CDR-41"}


@pytest.mark.parametrize(
    ("described", "target"),
    [
        ("an antibody-drug conjugate against claudin 18.2 (CLDN18.2)", "CLDN18.2"),
        ("an antibody against the insulin-like growth factor-1 receptor (IGF-1R)", "IGF-1R"),
    ],
)
def test_a_target_written_out_and_abbreviated_is_named_by_its_symbol(described: str, target: str) -> None:
    text = f"Acme Pharma has granted Birch Bio exclusive rights to AC-4410, {described}, for $30 million upfront."
    event = _primary(text, "Acme Pharma licenses AC-4410 to Birch Bio")
    assert event.targets == [target]


def test_an_acquisitions_drug_named_a_few_sentences_on_as_the_prize_is_its_asset() -> None:
    text = ("Birch Pharma is buying Acme Bio for $1.4 billion in cash. The companies said the boards of both "
            "companies have approved the deal. It is expected to close in the third quarter. The prize is AC-55, "
            "an oral small molecule in Phase 2 testing for obesity.")
    event = _primary(text, "Birch Pharma snaps up Acme Bio for $1.4B")
    assert (event.type, event.assets) == ("acquisition", ["AC-55"])


def test_the_two_targets_of_a_bispecific_written_with_an_x_are_both_read() -> None:
    text = ("Acme Pharma has granted Birch Bio exclusive rights to AC-3310, a GPC3xCD3 bispecific antibody, for $30 "
            "million upfront.")
    event = _primary(text, "Acme Pharma licenses AC-3310 to Birch Bio")
    assert event.targets == ["GPC3", "CD3"]


def test_a_partys_other_drug_lends_the_deal_neither_its_name_nor_its_target() -> None:
    text = ("Acme Pharma has granted Birch Bio exclusive rights to AC-2290, an ADC targeting HER3, for $40 million "
            "upfront. Birch plans to combine AC-2290 with its own PD-1 antibody, BB-101. Acme also develops "
            "AC-3300, a bispecific antibody targeting CD3 and GPRC5D.")
    event = _primary(text, "Acme Pharma licenses AC-2290 to Birch Bio")
    assert (event.assets, event.modality, event.targets) == (["AC-2290"], ["ADC"], ["HER3"])


def test_a_word_of_a_targets_name_is_not_the_drugs_modality() -> None:
    text = ("Birch Bio has licensed Korean rights to AC-207 from Acme Pharma for $5 million upfront. AC-207 is an oral "
            "calcitonin gene-related peptide (CGRP) receptor antagonist approved for the acute treatment of migraine.")
    event = _primary(text, "Birch Bio licenses migraine drug AC-207 from Acme Pharma")
    assert (event.targets, event.modality) == (["CGRP"], [])


def test_a_gene_naming_an_animal_model_is_no_target() -> None:
    text = ("Orvane Pharma has granted Talon Therapeutics exclusive rights to OR-118, an antisense oligonucleotide "
            "targeting ATXN2, for $50 million upfront.\n"
            "In preclinical studies, OR-118 extended survival in TDP-43 mouse models.")
    assert _primary(text, title="Orvane Pharma licenses OR-118 to Talon Therapeutics").targets == ["ATXN2"]


def test_the_route_of_a_small_molecule_is_no_modality_of_its_own() -> None:
    text = ("Orvane Pharma has granted Talon Therapeutics exclusive rights to OR-118, an oral small molecule for "
            "gout, for $50 million upfront.")
    assert _primary(text, title="Orvane Pharma licenses OR-118 to Talon Therapeutics").modality == ["small molecule"]


def test_a_regulatory_headline_takes_the_drugs_kind_from_its_description() -> None:
    text = ("Corlan Pharma said the FDA has accepted its new drug application for CP-402 for adults with "
            "generalized myasthenia gravis.\n"
            "The application is supported by the results of a Phase 3 study at 60 sites.\n"
            "Corlan expects a decision in the second half of the year.\n"
            "About CP-402\n"
            "CP-402 is a monoclonal antibody that blocks the neonatal Fc receptor.")
    event = _primary(text, title="FDA accepts Corlan Pharma's NDA for CP-402")
    assert event.modality == ["monoclonal antibody"]


def test_a_target_symbol_is_reported_as_the_article_writes_it() -> None:
    text = ("Orvane Pharma has granted Talon Therapeutics exclusive rights to OR-118, a bispecific antibody targeting "
            "EGFR and cMET, for $50 million upfront.")
    assert _primary(text, title="Orvane Pharma licenses OR-118 to Talon Therapeutics").targets == ["EGFR", "cMET"]


@pytest.mark.parametrize(
    ("phrase", "target"),
    [
        ("a fully human antibody against receptor activator of nuclear factor kappa-B ligand (RANKL)", "RANKL"),
        ("a ZRX9-targeting antibody", "ZRX9"),
        ("an inhibitor of quorin-binding kinase 7 (QBK7)", "QBK7"),
    ],
)
def test_a_target_the_vocabulary_lacks_is_found_where_it_is_told_as_one(phrase: str, target: str) -> None:
    text = (f"Orvane Pharma has granted Talon Therapeutics exclusive rights to OR-118, {phrase}, for $50 million "
            "upfront.")
    assert _primary(text, title="Orvane Pharma licenses OR-118 to Talon Therapeutics").targets == [target]


def test_a_regulatory_headline_takes_the_drugs_target_from_its_description() -> None:
    text = ("Corlan Pharma said the FDA has approved CP-402 for postmenopausal osteoporosis.\n"
            "The approval is supported by the results of a Phase 3 study at 60 sites.\n"
            "Corlan expects to launch the drug in the second half of the year.\n"
            "CP-402 is a monoclonal antibody that blocks sclerostin-like protein 2 (SCLP2).")
    assert _primary(text, title="FDA approves Corlan Pharma's CP-402").targets == ["SCLP2"]


def test_a_code_with_letters_after_its_hyphen_is_a_drug() -> None:
    text = ("Orvane Pharma has granted Talon Therapeutics exclusive rights to OR-DNB01, a biosimilar, for $50 million "
            "upfront.")
    assert _primary(text, title="Orvane Pharma licenses a biosimilar to Talon Therapeutics").assets == ["OR-DNB01"]


def test_a_trial_named_like_a_code_is_no_drug() -> None:
    text = ("Orvane Biosciences Receives FDA Approval of Zentiva (zentatamab) for Follicular Lymphoma\n\n"
            "BOSTON, Dec. 5, 2026 /PRNewswire/ -- Orvane Biosciences, Inc. (NASDAQ: ORVP) today announced that the "
            "U.S. Food and Drug Administration (FDA) approved Zentiva (zentatamab) on December 4, 2026 for adult "
            "patients with relapsed or refractory follicular lymphoma.\n\n"
            "Zentiva is a CD20 x CD3 bispecific antibody administered subcutaneously. The approval is based on "
            "results from the Phase 2 ZEN-FL1 study, in which 79% of patients achieved a response.\n\n"
            "Orvane licensed rights to zentatamab outside the United States to Kestrel Pharma in 2024.")
    events = extract(text, published=dt.date(2026, 12, 5))
    assert "ZEN-FL1" not in [name for e in events for name in e.assets]


def test_a_bispecific_adc_is_reported_as_both_kinds_it_combines() -> None:
    text = ("Orvane Pharma has granted Talon Therapeutics exclusive rights to OR-118, a bispecific antibody-drug "
            "conjugate, for $50 million upfront.")
    modality = _primary(text, title="Orvane Pharma licenses OR-118 to Talon Therapeutics").modality
    assert sorted(modality) == ["ADC", "bispecific antibody"]


def test_a_dosage_form_is_no_modality() -> None:
    text = ("Orvane Pharma has granted Talon Therapeutics exclusive rights to OR-118, a long-acting injectable "
            "peptide, for $50 million upfront.")
    assert _primary(text, title="Orvane Pharma licenses OR-118 to Talon Therapeutics").modality == ["peptide"]


def test_a_target_family_named_beside_its_member_is_not_a_second_target() -> None:
    text = ("Orvane Pharma has granted Talon Therapeutics exclusive rights to OR-118, an oral IL-17 inhibitor that "
            "binds IL-17A, for $50 million upfront.")
    assert _primary(text, title="Orvane Pharma licenses OR-118 to Talon Therapeutics").targets == ["IL-17A"]


@pytest.mark.parametrize("outside", ["is not part of the collaboration", "is not included in the agreement",
                                     "is excluded from the deal"])
def test_a_drug_the_article_says_is_outside_the_deal_is_not_its_asset(outside: str) -> None:
    text = ("Harrow Bio said on June 2 that it has signed a co-development and co-commercialization agreement with "
            "Tolvik Pharma for HB-110, a bispecific antibody that binds CLDN18.2 and CD3. The two companies will "
            "share development costs and profits equally. Harrow's lead antibody-drug conjugate, HB-220, which "
            f"targets B7-H3 and is in a Phase 2 trial in small cell lung cancer, {outside}.")
    event = _primary(text, "Harrow Bio and Tolvik Pharma team up on T-cell engager")
    assert event.assets == ["HB-110"]
    assert "B7-H3" not in event.targets
    assert event.stage != "Phase II"


def test_a_second_program_named_beside_a_round_is_not_its_drug() -> None:
    text = ("Valdor Bio has raised $70 million in a Series B financing led by Harrowgate Capital. The money will fund "
            "the development of VX-40, an antibody against CD70 for kidney cancer. Valdor also plans to move a "
            "second program, VX-55, an antibody against GPC3 for liver cancer, into the clinic next year.")
    event = _primary(text, "Valdor Bio raises $70 million Series B")
    assert event.type == "financing"
    assert "VX-55" not in event.assets
    assert "GPC3" not in event.targets


def test_the_drug_a_takeover_gives_the_buyer_is_its_asset() -> None:
    text = ("Arlen Pharma said on Monday it had agreed to acquire Tessely Bio, a privately held developer of "
            "antibodies for inflammatory bowel disease, for $900 million in cash. The deal, which values Tessely at "
            "up to $1.3 billion, is Arlen's largest acquisition since it bought Corvel Generics for $2 billion in "
            "2019. It gives the buyer TSY-204, a monoclonal antibody against TL1A that is in Phase II trials in "
            "ulcerative colitis.")
    event = _primary(text, "Arlen Pharma to buy Tessely Bio for $900 million")
    assert event.assets == ["TSY-204"]
    assert event.stage == "Phase II"


def test_the_drug_a_rounds_money_will_fund_is_its_asset() -> None:
    text = ("Valdor Bio, a Berlin cell therapy start-up, said on Tuesday it had raised $85 million in a Series B "
            "financing round led by Harrowgate Capital. The money will fund the clinical development of VX-101, an "
            "allogeneic CAR-T cell therapy directed against CD70, which dosed its first patient in a first-in-human "
            "trial in May.")
    event = _primary(text, "Valdor Bio raises $85 million Series B")
    assert event.type == "financing"
    assert event.assets == ["VX-101"]


def test_a_brand_told_as_the_bought_companys_lead_drug_is_the_asset() -> None:
    text = ("Harwell Pharmaceuticals said on Monday it agreed to buy Orrin Biosciences for $27.50 per share in cash. "
            "Orrin's lead drug, Velcara, an oral chaperone therapy for Fabry disease, is approved in the United "
            "States and generated $212 million in sales last year.")
    event = _primary(text, "Harwell to buy rare disease drugmaker Orrin for $27.50 a share")
    assert event.assets == ["Velcara"]
    assert event.stage == "Approved"
