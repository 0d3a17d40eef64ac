"""An event's stage is where its own drug is when the news is told: not a trial still to come, not another
program's phase, and the later one where the article says the drug moved on."""

from __future__ import annotations

import datetime as dt
import functools

import pytest

from dealwire.services.extract.engine import extract
from tests.support.engine import primary_event

PUBLISHED = dt.date(2025, 9, 3)


_primary = functools.partial(primary_event, published=PUBLISHED)


@pytest.mark.parametrize(
    "plan",
    [
        "Tamsin Bio said it plans to start a Phase 3 study in 2026.",
        "Quillon intends to take the drug into a Phase 3 trial next year.",
        "A Phase 3 trial is planned for the second half of 2026.",
    ],
)
def test_a_trial_still_to_come_is_not_the_stage_of_a_licensed_drug(plan: str) -> None:
    text = ("Quillon Pharma has licensed rights to TB-818 from Tamsin Bio for $40 million upfront. "
            f"{plan} TB-818 is in a Phase 2 trial in hidradenitis suppurativa.")
    event = _primary(text, "Quillon Pharma licenses TB-818 from Tamsin Bio")
    assert event.stage == "Phase II"


def test_another_program_of_the_acquired_company_does_not_lend_its_stage() -> None:
    text = ("Morrow Health will acquire Pelham Bio for $600 million in cash. Pelham also has a preclinical "
            "program in fibrosis. PB-31, Pelham's lead drug, is in a Phase 2b study in gout.")
    event = _primary(text, "Morrow Health to acquire Pelham Bio for $600 million")
    assert event.stage == "Phase IIb"


def test_a_completed_phase_gives_way_to_the_one_the_drug_started_next() -> None:
    text = ("Quillon Pharma has licensed rights to TB-818 from Tamsin Bio for $40 million upfront. TB-818 completed "
            "a Phase 2 trial last year. Tamsin started a Phase 3 program in March.")
    event = _primary(text, "Quillon Pharma licenses TB-818 from Tamsin Bio")
    assert event.stage == "Phase III"


def test_a_completed_phase_is_the_stage_when_nothing_later_is_told() -> None:
    text = ("Quillon Pharma has licensed rights to TB-818 from Tamsin Bio for $40 million upfront. TB-818 has "
            "completed a Phase 1 study, and Quillon plans to start a Phase 2 trial in 2026.")
    event = _primary(text, "Quillon Pharma licenses TB-818 from Tamsin Bio")
    assert event.stage == "Phase I"


@pytest.mark.parametrize(
    ("sentence", "stage"),
    [
        ("Its lead program, VX-40, is a preclinical antibody for asthma.", "Preclinical"),
        ("Its lead program, VX-40, an antibody for asthma, is in a Phase 1 trial.", "Phase I"),
        ("The funds will take its lead program, VX-40, through Phase 2 in asthma.", None),
    ],
)
def test_a_round_gives_the_stage_its_drug_is_at_not_one_the_money_pays_for(sentence: str, stage: str | None) -> None:
    text = f"Valdor Bio has raised $70 million in a Series B financing led by Harrowgate Capital. {sentence}"
    event = _primary(text, "Valdor Bio raises $70 million Series B")
    assert event.type == "financing"
    assert event.stage == stage


@pytest.mark.parametrize(
    "sentence",
    [
        "The company plans to file an investigational new drug application in 2026 and start a Phase 1 trial.",
        "VX-40 has completed IND-enabling studies.",
    ],
)
def test_a_drug_whose_ind_is_still_to_come_is_preclinical(sentence: str) -> None:
    text = ("Valdor Bio has raised $70 million in a Series B financing led by Harrowgate Capital. Its lead program, "
            f"VX-40, is an antibody for asthma. {sentence}")
    event = _primary(text, "Valdor Bio raises $70 million Series B")
    assert event.stage == "Preclinical"


@pytest.mark.parametrize(
    "sentence",
    ["TB-818 is already approved in China for psoriasis.", "TB-818 is a marketed antibody for psoriasis in China."],
)
def test_a_drug_on_the_market_is_at_the_approved_stage(sentence: str) -> None:
    text = f"Quillon Pharma has licensed rights to TB-818 outside China from Tamsin Bio for $40 million. {sentence}"
    event = _primary(text, "Quillon Pharma licenses TB-818 from Tamsin Bio")
    assert event.stage == "Approved"


@pytest.mark.parametrize(
    ("sentence", "stage"),
    [
        ("TB-818 is being tested in a first-in-human trial.", "Phase I"),
        ("Tamsin plans to start a first-in-human trial of TB-818 in 2026.", None),
        ("Tamsin is preparing a Phase 3 trial of TB-818.", None),
        ("A Phase 3 trial of TB-818 is due to begin next year; the drug is now in Phase 2.", "Phase II"),
    ],
)
def test_a_first_trial_in_people_and_trials_being_prepared(sentence: str, stage: str | None) -> None:
    text = f"Quillon Pharma has licensed rights to TB-818 from Tamsin Bio for $40 million upfront. {sentence}"
    assert _primary(text, "Quillon Pharma licenses TB-818 from Tamsin Bio").stage == stage


@pytest.mark.parametrize("approval", [
    "TB-40 was approved by the NMPA in March 2025 for first-line gastric cancer.",
    "TB-40 was approved in Japan in 2024 for gastric cancer.",
])
def test_a_licensed_drug_a_regulator_approved_before_is_approved(approval: str) -> None:
    text = ("Tamsin Bio granted Orrel Pharma exclusive rights to commercialize TB-40 in the Middle East for $8 "
            f"million upfront. {approval}")
    assert _primary(text, "Tamsin Bio licenses TB-40 to Orrel Pharma").stage == "Approved"


def test_a_drug_ready_for_a_phase_is_at_the_one_it_completed() -> None:
    text = ("Tamsin Bio has granted Quillon Pharma exclusive rights to TB-818 in Europe for $30 million upfront. "
            "TB-818 is Phase 2-ready following completion of a Phase 1 dose-escalation study in head and neck "
            "cancer.")
    assert _primary(text, "Quillon Pharma licenses TB-818 from Tamsin Bio").stage == "Phase I"


def test_a_partners_share_of_the_work_is_no_stage() -> None:
    text = ("Tamsin Bio and Quillon Pharma today announced a research collaboration to discover siRNA medicines. "
            "Under the agreement, Tamsin will be responsible for discovery and preclinical work and Quillon for "
            "clinical development and commercialization.")
    assert _primary(text, "Tamsin Bio and Quillon Pharma enter research collaboration").stage is None


@pytest.mark.parametrize(
    ("written", "stage"),
    [
        ("is in a Ph2 study", "Phase II"),
        ("is in a Ph1b trial", "Phase Ib"),
        ("is in a P2 trial", "Phase II"),
        ("is in a Ph1b/2 study", "Phase Ib/II"),
        ("met the primary endpoint of a Ph2a trial", "Phase IIa"),
        ("is in a P1/2 study", "Phase I/II"),
    ],
)
def test_a_phase_written_short_is_the_stage_and_no_drug(written: str, stage: str) -> None:
    text = ("Quillon Pharma has licensed rights to TB-818 from Tamsin Bio for $40 million upfront. "
            f"TB-818 {written} in hidradenitis suppurativa.")
    event = _primary(text, "Quillon Pharma licenses TB-818 from Tamsin Bio")
    assert event.stage == stage
    assert event.assets == ["TB-818"]


def test_a_drug_code_beginning_with_p_and_a_digit_is_no_phase() -> None:
    text = ("Quillon Pharma has licensed rights to TB-818 from Tamsin Bio for $40 million upfront. "
            "TB-818, a P2X7 receptor antagonist, is in preclinical development for pain.")
    event = _primary(text, "Quillon Pharma licenses TB-818 from Tamsin Bio")
    assert event.stage == "Preclinical"


def test_a_completed_phase_gives_way_to_the_one_the_same_sentence_says_the_drug_is_in() -> None:
    text = ("Quillon Pharma has licensed rights to TB-818 from Tamsin Bio for $40 million upfront. TB-818 has "
            "completed a Phase 1 study in healthy volunteers and is in a Phase 2a trial in severe asthma.")
    event = _primary(text, "Quillon Pharma licenses TB-818 from Tamsin Bio")
    assert event.stage == "Phase IIa"


def test_a_designation_told_in_passing_has_the_stage_told_right_after_it() -> None:
    text = ("Quillon Pharma has licensed rights to TB-818 from Tamsin Bio for $40 million upfront. TB-818 is in a "
            "Phase 1 trial. Separately, Quillon said the U.S. Food and Drug Administration (FDA) has granted Fast "
            "Track designation to QP-315 for recurrent pericarditis. QP-315 is in a Phase 2 study.")
    events = extract(text, title="Quillon Pharma licenses TB-818 from Tamsin Bio", published=PUBLISHED)
    designation = next(e for e in events if e.type == "regulatory")
    assert designation.assets == ["QP-315"]
    assert designation.stage == "Phase II"
    assert next(e for e in events if e.primary).stage == "Phase I"


def test_a_stage_reported_of_the_drug_by_its_owner_is_its_stage() -> None:
    text = ("Morrow Health has agreed to acquire Pelham Bio for $600 million in cash. The prize is PB-31, an oral "
            "inhibitor of NLRP3. Pelham said in February that the drug has completed a Phase 1 study in healthy "
            "volunteers.")
    event = _primary(text, "Morrow Health to acquire Pelham Bio for $600 million")
    assert event.stage == "Phase I"


def test_a_deal_told_in_passing_takes_only_a_stage_its_own_sentence_tells() -> None:
    text = ("Quillon Pharma has licensed rights to TB-818 from Tamsin Bio for $40 million upfront. TB-818 is in a "
            "Phase 2 trial in hidradenitis suppurativa. In 2024, Quillon acquired Japanese rights to QP-77 from "
            "Corvane Bio for $10 million. Corvane is now running a global Phase 3 trial comparing QP-77 with "
            "allopurinol.")
    events = extract(text, title="Quillon Pharma licenses TB-818 from Tamsin Bio", published=PUBLISHED)
    assert next(e for e in events if e.primary).stage == "Phase II"
    earlier = [e for e in events if not e.primary and e.assets == ["QP-77"]]
    assert earlier and earlier[0].stage is None
