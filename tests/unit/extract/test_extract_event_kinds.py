"""Every event type is recognised from how news words it, whatever the company or the drug."""

from __future__ import annotations

import datetime as dt
import functools

import pytest

from dealwire.services.extract.engine import extract
from dealwire.shared.schemas import DealPayload
from tests.support.engine import primary_event

PUBLISHED = dt.date(2025, 6, 12)


_primary = functools.partial(primary_event, published=PUBLISHED)


def _roles(event: DealPayload) -> dict[str, str]:
    return {p.name: p.role for p in event.parties}


@pytest.mark.parametrize(
    "sentence",
    [
        "Corvel Therapeutics said its Phase 3 study of velnarotide met its primary endpoint in adults with gout.",
        "Corvel Therapeutics said its Phase 3 study of velnarotide did not meet the primary endpoint in gout.",
        "Corvel Therapeutics announced positive top-line results from its Phase 3 trial of velnarotide in gout.",
        "Corvel Therapeutics has dosed the first patient in its Phase 3 trial of velnarotide in gout.",
    ],
)
def test_trial_readouts_and_first_dosing_are_clinical_events(sentence: str) -> None:
    event = _primary(sentence)
    assert event.type == "clinical"
    assert _roles(event) == {"Corvel Therapeutics": "sponsor"}
    assert event.assets == ["velnarotide"]
    assert event.stage == "Phase III"


def test_a_trial_the_money_will_pay_for_is_no_clinical_event() -> None:
    text = ("Corvel Therapeutics has raised $60 million in a Series B financing. The proceeds will enable the company "
            "to launch a Phase 2 trial of velnarotide.")
    assert [e.type for e in extract(text, published=PUBLISHED)] == ["financing"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Dunmere Bio plans to start a Phase 2 trial of tolvaprant in the first half of next year.",
        "Dunmere Bio plans to dose the first patient in a Phase 1/2 study of tolvaprant by the end of the year.",
        "Dunmere Bio intends to file an IND and then initiate a Phase 1 study of tolvaprant in asthma.",
        "Dunmere Bio plans to file an investigational new drug application later this year and start a Phase 1 trial "
        "of tolvaprant in asthma.",
        "Topline data from the Phase 3 study of tolvaprant are expected in the fourth quarter.",
        "Tolvaprant is being tested in a Phase 1 dose-escalation study in patients with asthma.",
        "Dunmere Bio's tolvaprant completed a Phase 1 study in healthy volunteers in December 2024.",
        "The NDA is supported by a Phase 3 trial of tolvaprant completed in January 2025.",
        "Dunmere Bio's filing is supported by a Phase 3 trial in which tolvaprant met its primary endpoint.",
    ],
)
def test_a_trial_still_to_come_or_described_is_no_clinical_event(sentence: str) -> None:
    text = f"Halloran Pharma has agreed to acquire Dunmere Bio for $400 million in cash. {sentence}"
    assert [e.type for e in extract(text, published=PUBLISHED)] == ["acquisition"]


@pytest.mark.parametrize(
    "sentence",
    [
        "The NMPA has approved the clinical trial application of Orlen Bio's OB-212 for advanced solid tumors.",
        "The FDA has cleared the IND for Orlen Bio's OB-212 in advanced solid tumors.",
        "Orlen Bio received IND clearance from the FDA for OB-212 in advanced solid tumors.",
        "The FDA has cleared the Company's Investigational New Drug application for Orlen Bio's OB-212 in advanced "
        "solid tumors.",
        "Orlen Bio announced FDA clearance of its Investigational New Drug application for OB-212 in advanced solid "
        "tumors.",
        "The UK's MHRA has authorised the Phase 1 trial of Orlen Bio's OB-212 in advanced solid tumors.",
        "Orlen Bio received a clinical trial authorisation from the MHRA for OB-212 in advanced solid tumors.",
    ],
)
def test_ind_clearance_is_not_an_approval(sentence: str) -> None:
    event = _primary(sentence)
    assert (event.type, event.regulatory_action) == ("regulatory", "ind_cleared")
    assert event.stage != "Approved"
    assert event.assets == ["OB-212"]


@pytest.mark.parametrize(
    "sentence",
    [
        "The CHMP adopted a positive opinion recommending marketing authorisation for Orlen Bio's velrinab.",
        "Orlen Bio has submitted a marketing authorisation application for velrinab to the EMA.",
        "The European Medicines Agency granted Orlen Bio's velrinab PRIME eligibility in sarcoma.",
        "The FDA granted RMAT designation to Orlen Bio's velrinab in sarcoma.",
    ],
)
def test_opinions_and_submissions_are_other_regulatory_actions(sentence: str) -> None:
    event = _primary(sentence)
    assert (event.type, event.regulatory_action) == ("regulatory", "other")
    assert event.stage != "Approved"


def test_an_ipo_with_its_cornerstone_investors() -> None:
    text = ("Pelago Biosciences raised HK$420 million from its initial public offering in Hong Kong. Cornerstone "
            "investors, including Harwick Capital, Marlow Investment Fund and Ostrander Holdings, took 12% of the "
            "offering.")
    event = _primary(text, "Pelago Biosciences raises HK$420 million in Hong Kong IPO")
    assert event.type == "financing"
    assert _roles(event) == {"Pelago Biosciences": "issuer", "Harwick Capital": "investor",
                             "Marlow Investment Fund": "investor", "Ostrander Holdings": "investor"}
    assert event.total_value is not None and (event.total_value.amount, event.total_value.currency) == (
        420_000_000, "HKD")
    assert len(extract(text, published=PUBLISHED)) == 1


def test_investors_named_after_the_round_and_a_name_that_ends_in_investors() -> None:
    text = ("Quellon Therapeutics has raised $75 million in a Series B round led by Drayton Ventures. "
            "Existing investors Sallow Point Capital and Brindle Investors also returned.")
    event = _primary(text, "Quellon Therapeutics raises $75 million Series B")
    assert _roles(event) == {"Quellon Therapeutics": "issuer", "Drayton Ventures": "investor",
                             "Sallow Point Capital": "investor", "Brindle Investors": "investor"}


def test_cornerstone_investors_named_paragraphs_after_the_ipo() -> None:
    text = ("Pelago Biosciences raised HK$420 million in its Hong Kong initial public offering. The retail tranche was "
            "oversubscribed 300 times. Trading starts on Friday.\nCornerstone investors took 40% of the offering. They "
            "include Harwick Capital, Ostley Health Fund and Marlow Asset Management.")
    event = _primary(text, "Pelago Biosciences raises HK$420 million in Hong Kong IPO")
    assert _roles(event) == {"Pelago Biosciences": "issuer", "Harwick Capital": "investor",
                             "Ostley Health Fund": "investor", "Marlow Asset Management": "investor"}


def test_a_partnership_that_grants_rights_for_royalties_is_a_licence() -> None:
    text = ("Halden Pharma and Quarro Bio today announced a global strategic partnership. Halden Pharma gains "
            "exclusive worldwide rights to Quarro Bio's QB-17 outside Greater China. Quarro Bio will receive $150 "
            "million upfront, up to $900 million in milestones and tiered royalties on sales.")
    event = _primary(text, "Halden Pharma and Quarro Bio forge global strategic partnership")
    assert event.type == "licensing"
    assert _roles(event) == {"Halden Pharma": "licensee", "Quarro Bio": "licensor"}


def test_shared_costs_and_profits_make_a_collaboration_despite_an_upfront() -> None:
    text = ("Halden Pharma entered into a global development and commercialization agreement with Quarro Bio for "
            "QB-17. Halden Pharma will pay Quarro Bio $200 million upfront. The companies will share development "
            "costs and profits equally.")
    event = _primary(text, "Halden Pharma signs QB-17 deal with Quarro Bio")
    assert event.type == "collaboration"
    assert set(_roles(event).values()) == {"partner"}


def test_two_acquisitions_in_one_sentence_stay_apart() -> None:
    text = ("Velmora Pharma said on Monday it would buy Quill Therapeutics for $2.1 billion. Last year, Tessary "
            "bought Ondrel Bio for $900 million, while Marrick Health acquired Pallas Genomics for $400 million.")
    events = extract(text, title="Velmora Pharma to buy Quill Therapeutics", published=PUBLISHED)
    pairs = {tuple(sorted(p.name for p in e.parties)) for e in events if e.type == "acquisition"}
    assert pairs == {("Quill Therapeutics", "Velmora Pharma"), ("Ondrel Bio", "Tessary"),
                     ("Marrick Health", "Pallas Genomics")}
    assert [e.primary for e in events if "Quill Therapeutics" in {p.name for p in e.parties}] == [True]


def test_one_buyer_of_two_companies_in_two_deals() -> None:
    text = ("Velmora Pharma agreed to acquire Quill Therapeutics for $2.1 billion. Last year Velmora Pharma bought "
            "Ondrel Bio and Pallas Genomics in two separate deals.")
    events = extract(text, title="Velmora Pharma to acquire Quill Therapeutics", published=PUBLISHED)
    bought = sorted(next(p.name for p in e.parties if p.role == "acquired") for e in events)
    assert bought == ["Ondrel Bio", "Pallas Genomics", "Quill Therapeutics"]


def test_an_option_on_other_drugs_is_a_licence_of_its_own() -> None:
    text = ("Acme Pharma has granted Birch Bio an exclusive licence to AC-101 in Asia for $20 million upfront. "
            "Acme Pharma has also granted Birch Bio an exclusive option for AC-202 and AC-303 in Asia, with a total "
            "deal value of up to $300 million.")
    events = extract(text, title="Acme Pharma and Birch Bio sign licensing deal", published=PUBLISHED)
    assert [(e.type, e.primary, e.assets) for e in events] == [
        ("licensing", True, ["AC-101"]), ("licensing", False, ["AC-202", "AC-303"])]


def test_a_designation_takes_the_stage_of_the_drug() -> None:
    text = ("The FDA has granted Fast Track designation to Orlen Bio's OB-212 for advanced biliary tract cancer. "
            "The drug is being evaluated in a Phase 3 study.")
    event = _primary(text, "Orlen Bio receives Fast Track designation for OB-212")
    assert (event.regulatory_action, event.stage) == ("fast_track", "Phase III")



def test_a_designation_takes_the_stage_of_the_trial_it_was_based_on() -> None:
    text = ("The FDA has granted Breakthrough Therapy designation to Orlen Bio's OB-212 for advanced biliary tract "
            "cancer.\n\nThe breakthrough designation was based on data from an ongoing Phase 1b expansion cohort in "
            "which 9 of 27 patients had a partial response.")
    event = _primary(text, "Orlen Bio receives Breakthrough Therapy designation for OB-212")
    assert (event.regulatory_action, event.stage) == ("breakthrough_designation", "Phase Ib")

def test_the_review_centre_and_its_agency_are_one_regulator() -> None:
    text = ("Orlen Bio announced that the new drug application for velrinab has been accepted by the Center for Drug "
            "Evaluation (CDE) of China's National Medical Products Administration (NMPA) and granted Priority Review.")
    events = extract(text, title="NMPA grants Priority Review to Orlen Bio's velrinab", published=PUBLISHED)
    assert sorted((e.primary, e.regulatory_action, e.stage) for e in events) == [
        (True, "nda_accepted", "NDA"), (True, "priority_review", "NDA")]



@pytest.mark.parametrize(("application", "stage"), [
    ("Biologics License Application (BLA) for orlimab", "BLA"),
    ("New Drug Application (NDA) for orlinib", "NDA"),
])
def test_an_accepted_filing_gives_the_stage_its_kind_of_application_names(application: str, stage: str) -> None:
    text = (f"Orlen Bio announced today that the U.S. Food and Drug Administration (FDA) has accepted its "
            f"{application} for the treatment of generalized myasthenia gravis.")
    event = _primary(text, "FDA accepts Orlen Bio's application")
    assert (event.regulatory_action, event.stage) == ("bla_accepted" if stage == "BLA" else "nda_accepted", stage)

def test_approvals_in_two_places_on_two_dates_are_two_events() -> None:
    text = ("Orlen Bio said the NMPA accepted its application for velrinab. The drug received approval in Macau in "
            "March last year, and in Hong Kong in May this year.")
    events = extract(text, title="NMPA accepts Orlen Bio's application for velrinab", published=PUBLISHED)
    approvals = sorted((e.date, e.territory.include if e.territory else None) for e in events
                       if e.regulatory_action == "approved")
    assert approvals == [("2024-03", ["Macau"]), ("2025-05", ["Hong Kong"])]


def test_a_trial_that_only_supports_an_application_is_no_clinical_event() -> None:
    text = ("The FDA accepted Orlen Bio's new drug application for velrinab. The application was supported by data "
            "from a Phase 3 study conducted in Europe.")
    assert [e.type for e in extract(text, published=PUBLISHED)] == ["regulatory"]


def test_a_validated_marketing_authorisation_application_is_accepted_not_approved() -> None:
    text = ("Orlen Bio AB announced that the European Medicines Agency has validated its Marketing Authorisation "
            "Application for velrinab (OB-204) in plaque psoriasis.")
    event = _primary(text, "EMA validates Orlen Bio's application for velrinab")
    assert (event.regulator, event.regulatory_action) == ("EMA", "nda_accepted")
    assert event.stage != "Approved"


def test_an_approval_and_a_conditional_approval_in_one_sentence() -> None:
    text = ("Orlen Bio announced that the NMPA has granted velrimab approval for first-line lung cancer and "
            "conditional approval for liver cancer.")
    events = extract(text, title="China NMPA Approves Velrimab in Two Cancers", published=PUBLISHED)
    assert sorted(e.regulatory_action for e in events if e.primary) == ["approved", "conditional_approval"]
    assert {a for e in events for a in e.assets} == {"velrimab"}  # no "Approves Velrimab"


def test_a_headline_that_names_no_one_still_leads_to_the_body_event() -> None:
    text = "Orlen Bio announced that the NMPA has granted its new drug approval for first-line lung cancer."
    events = extract(text, title="China NMPA Approves New Lung Cancer Drug", published=PUBLISHED)
    assert [(e.primary, e.regulatory_action, [p.name for p in e.parties]) for e in events] == [
        (True, "approved", ["Orlen Bio"])]


def test_seeking_approval_is_a_regulatory_submission() -> None:
    event = _primary("Orlen Bio said on Tuesday that it has sought European approval for OB-212, its biosimilar "
                     "candidate.", "Orlen Bio seeks European approval for biosimilar")
    assert (event.type, event.regulatory_action, event.stage) == ("regulatory", "other", None)


def test_a_merger_of_two_names_the_first_as_the_buyer() -> None:
    event = _primary("Velmora Pharma and Quill Therapeutics today announced the proposed combination of the "
                     "companies in an all-stock deal.", "Velmora Pharma and Quill Therapeutics to merge")
    assert event.type == "acquisition"
    assert {p.name: p.role for p in event.parties} == {"Velmora Pharma": "acquirer", "Quill Therapeutics": "acquired"}


def test_a_debt_facility_is_a_financing_of_its_full_size() -> None:
    text = ("Oryx Therapeutics Inc. (NASDAQ: ORYX) today announced a credit agreement with Brightwater Credit "
            "Partners for a term loan facility of up to $250 million. The first tranche of $100 million was funded "
            "at closing.")
    event = _primary(text, "Oryx Therapeutics secures $250 million term loan facility")
    assert event.type == "financing"
    assert {p.name: p.role for p in event.parties} == {"Oryx Therapeutics Inc.": "issuer",
                                                      "Brightwater Credit Partners": "investor"}
    assert (event.total_value.amount if event.total_value else None, event.upfront) == (250_000_000, None)


def test_adverbs_and_codes_are_not_names_or_years() -> None:
    text = ("Separately, Yeonsu Pharm Co. said it signed a deal worth 450 billion won to transfer YS-2021 to "
            "Halvor Pharma A/S.")
    [event] = extract(text, title="Yeonsu Pharm signs tech transfer deal with Halvor Pharma")
    assert {p.name for p in event.parties} == {"Yeonsu Pharm Co.", "Halvor Pharma A/S"}
    assert event.date is None  # "YS-2021" is no year to date the article by


@pytest.mark.parametrize(
    "sentence",
    [
        "Halvern Pharma bought the rights to quelorafib outside China from Ostrava Bio for $40 million upfront.",
        "Halvern Pharma bought a license to quelorafib from Ostrava Bio for $40 million upfront.",
        "Halvern Pharma agreed to buy exclusive rights to quelorafib from Ostrava Bio for $40 million upfront.",
        "Halvern Pharma will acquire sole rights to quelorafib from Ostrava Bio for $40 million upfront.",
    ],
)
def test_buying_the_rights_to_a_drug_is_a_licence_not_an_acquisition(sentence: str) -> None:
    event = _primary(sentence)
    assert event.type == "licensing"
    assert _roles(event) == {"Halvern Pharma": "licensee", "Ostrava Bio": "licensor"}


def test_a_one_word_name_that_said_it_would_buy_is_a_company() -> None:
    text = ("Ostrava Bio licensed quelorafib to Halvern Pharma. Last week, Quorvix said that it would acquire "
            "Brenner Labs for $300 million.")
    events = extract(text, title="Ostrava Bio licenses quelorafib to Halvern Pharma", published=PUBLISHED)
    acquisition = next(e for e in events if e.type == "acquisition")
    assert _roles(acquisition) == {"Quorvix": "acquirer", "Brenner Labs": "acquired"}


@pytest.mark.parametrize("rights", ["exclusive rights", "sole rights"])
def test_a_partnership_pact_that_gives_sole_rights_is_a_licence(rights: str) -> None:
    text = (f"Ostrava Bio and Halvern Pharma signed a partnership pact. Under the pact, Halvern Pharma gained {rights} "
            "to develop and commercialise quelorafib outside Japan, while Ostrava Bio would receive an upfront "
            "payment of $20 million.")
    event = _primary(text, "Ostrava Bio and Halvern Pharma sign partnership pact")
    assert event.type == "licensing"
    assert _roles(event) == {"Ostrava Bio": "licensor", "Halvern Pharma": "licensee"}


@pytest.mark.parametrize("application", ["new drug application (NDA)", "biologics license application (BLA)"])
def test_a_long_filing_sentence_that_ends_has_been_accepted_is_an_acceptance(application: str) -> None:
    text = (f"Harlun Biopharma Co., Ltd. is pleased to announce that on June 3, 2025, the {application} of HB-771 "
            "(tevoranib), an oral inhibitor discovered and developed in-house by the group, for the treatment of adult "
            "patients with locally advanced or metastatic urothelial carcinoma harbouring FGFR3 alterations whose "
            "disease has progressed during or after platinum-containing chemotherapy and a PD-1 or PD-L1 inhibitor, "
            "has been accepted by the National Medical Products Administration.")
    event = _primary(text)
    kind = "bla_accepted" if "BLA" in application else "nda_accepted"
    assert (event.type, event.regulatory_action, event.date) == ("regulatory", kind, "2025-06-03")


@pytest.mark.parametrize("sentence", [
    "The agency did not raise concerns about the safety data for KV-12, according to Kelvar Oncology.",
    "Kelvar Oncology said reviewers raised questions about the manufacturing of KV-12.",
])
def test_raising_concerns_is_no_financing(sentence: str) -> None:
    text = f"The FDA has issued a complete response letter for Kelvar Oncology's KV-12 in bladder cancer.\n{sentence}"
    assert [e.type for e in extract(text, published=PUBLISHED)] == ["regulatory"]


def test_the_study_behind_a_filing_told_again_is_no_readout_of_its_own() -> None:
    text = ("Marrow Biopharma Co., Ltd. announced that the NMPA has accepted its new drug application for MB-2207 in "
            "lung cancer. The NDA is based on the results of MB-2207-201, a single-arm pivotal Phase II study. The "
            "study met its primary endpoint of objective response rate.")
    events = extract(text, title="Marrow's NDA for MB-2207 accepted by NMPA", published=PUBLISHED)
    assert [(e.type, e.regulatory_action) for e in events] == [("regulatory", "nda_accepted")]


@pytest.mark.parametrize(
    "sentence",
    [
        "Birch Bio is paying Acme Pharma $35 million upfront for Japanese rights to AC-515, plus royalties.",
        "Acme Pharma hands Asian rights to AC-515 to Birch Bio for $35 million upfront and royalties on sales.",
    ],
)
def test_paying_for_rights_or_handing_them_over_is_a_licence(sentence: str) -> None:
    event = _primary(sentence, "Birch Bio teams up with Acme Pharma on AC-515")
    assert event.type == "licensing"
    assert _roles(event) == {"Acme Pharma": "licensor", "Birch Bio": "licensee"}


def test_a_readout_told_by_its_response_rate_is_a_clinical_event() -> None:
    text = ("Corvel Therapeutics' velnarotide produced an objective response rate of 41% in patients with "
            "relapsed ovarian cancer in a Phase 2 study, according to data presented on Sunday.")
    event = _primary(text, "Corvel's velnarotide shrinks tumors in ovarian cancer")
    assert (event.type, event.assets, event.stage) == ("clinical", ["velnarotide"], "Phase II")
    assert _roles(event) == {"Corvel Therapeutics": "sponsor"}


def test_the_response_rate_behind_an_approval_is_no_readout() -> None:
    text = ("The FDA approved Corvel Therapeutics' velnarotide for relapsed ovarian cancer. The approval was based "
            "on a Phase 2 study in which the objective response rate was 41%.")
    events = extract(text, title="FDA approves Corvel's velnarotide", published=PUBLISHED)
    assert [(e.type, e.regulatory_action) for e in events] == [("regulatory", "approved")]


@pytest.mark.parametrize(
    "sentence",
    [
        "The boards of directors of both companies have unanimously approved the transaction.",
        "Holders will also receive a contingent value right of $3.00 per share, payable upon FDA approval of "
        "BR-77.",
        "BR-77 is in a Phase 2 trial in gout, with topline data expected in early 2027.",
    ],
)
def test_an_acquisition_with_its_board_vote_cvr_and_coming_data_is_one_event(sentence: str) -> None:
    text = f"Acme Pharma has agreed to acquire Birch Bio for $12.00 per share in cash, about $800 million. {sentence}"
    events = extract(text, title="Acme Pharma to acquire Birch Bio", published=PUBLISHED)
    assert [e.type for e in events] == ["acquisition"]


_HANDED = ("Orlen Bio has handed commercial rights to its approved asthma antibody Brelvia in Japan and Korea to Kanto "
           "Seiyaku, the companies said June 10, 2025. Kanto pays $20 million upfront.")


@pytest.mark.parametrize("title", [None, "Orlen Bio licenses approved asthma antibody Brelvia to Kanto Seiyaku"])
def test_approved_before_a_drug_s_noun_describes_the_drug_and_makes_no_approval(title: str | None) -> None:
    events = extract(_HANDED, title=title, published=PUBLISHED)
    assert [(e.type, e.primary) for e in events] == [("licensing", True)]


def test_a_partner_s_approved_drug_in_a_combination_trial_makes_no_approval() -> None:
    events = extract("Prennel Oncology dosed the first patient in a trial of PRN-4 in combination with Halvik Pharma's "
                     "approved androgen receptor inhibitor dextalutamide.", published=PUBLISHED)
    assert [e.type for e in events] == ["clinical"]


def test_a_regulator_that_approved_a_drug_still_makes_an_approval() -> None:
    events = extract("The FDA approved asthma antibody Brelvia from Orlen Bio on June 10, 2025.", published=PUBLISHED)
    assert [(e.type, e.regulatory_action) for e in events] == [("regulatory", "approved")]


def test_a_deal_told_first_as_a_grant_stays_a_licence_despite_a_co_promotion_right_kept() -> None:
    text = ("Fallow Pharmaceuticals licensed co-exclusive rights in the United States to FLW-20, Merrin Bio's "
            "antibody for lupus. Fallow will pay $40 million upfront. Merrin, which keeps co-promotion rights in "
            "the U.S., is running a Phase II study of FLW-20.")
    event = _primary(text)
    assert event.type == "licensing"
    assert _roles(event) == {"Fallow Pharmaceuticals": "licensee", "Merrin Bio": "licensor"}


def test_a_convertible_senior_notes_offering_is_a_financing() -> None:
    text = ("Tollan Bio, Inc. (NASDAQ: TOLB) today announced the pricing of $180 million aggregate principal amount "
            "of 3.25% convertible senior notes due 2030 in a private offering to qualified institutional buyers.")
    event = _primary(text, "Tollan Bio Announces Pricing of $180 Million Convertible Senior Notes Offering")
    assert event.type == "financing"
    assert {p.name: p.role for p in event.parties} == {"Tollan Bio, Inc.": "issuer"}
    assert event.total_value is not None and event.total_value.amount == 180_000_000


def test_a_trial_start_followed_by_a_hope_in_the_same_sentence_is_still_a_secondary_clinical_event() -> None:
    text = ("Tamber Bio has granted Orla Pharma exclusive rights to TMB-22 outside China for $40 million upfront. "
            "TMB-22 is a bispecific antibody in a Phase 1/2 study in gastric cancer. Tamber dosed the first patient "
            "in the study in September 2024 and expects to present initial data in the second half of 2025.")
    events = extract(text, title="Tamber Bio licenses TMB-22 to Orla Pharma", published=PUBLISHED)
    trial = next(e for e in events if e.type == "clinical")
    assert (trial.primary, trial.date, trial.assets) == (False, "2024-09", ["TMB-22"])
    assert {p.name for p in trial.parties} == {"Tamber Bio"}


def test_rights_bought_under_an_asset_purchase_agreement_are_an_acquisition() -> None:
    text = ("Halloran Pharma plc today announced that it has acquired global rights to DNB-40, an oral P2X7 "
            "antagonist, from Dunmere Bio Ltd. under an asset purchase agreement.")
    events = extract(text, title="Halloran Pharma acquires Phase 2 asthma candidate from Dunmere Bio",
                     published=PUBLISHED)
    assert [(e.type, e.primary) for e in events] == [("acquisition", True)]
    assert _roles(events[0]) == {"Halloran Pharma plc": "acquirer", "Dunmere Bio Ltd.": "acquired"}


def test_the_terms_of_the_deal_already_told_join_it_whatever_kind_their_words_suggest() -> None:
    text = ("Halloran Pharma plc today announced that it has acquired global rights to DNB-40, an oral P2X7 "
            "antagonist, from Dunmere Bio Ltd. under an asset purchase agreement.\n\n"
            "Under the terms of the agreement, Halloran will pay Dunmere £30 million upfront and up to £250 million in "
            "development and commercial milestones. Halloran will be responsible for all further development.")
    events = extract(text, title="Halloran Pharma acquires Phase 2 asthma candidate from Dunmere Bio",
                     published=PUBLISHED)
    assert [(e.type, e.primary) for e in events] == [("acquisition", True)]
    assert (events[0].upfront.amount, events[0].upfront.currency) == (30_000_000, "GBP")
