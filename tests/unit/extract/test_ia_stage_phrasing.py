"""Stage told in varied ways: a later sentence going on about the drug after a leading adverbial or with a noun of
its kind ("Earlier this year, the drug …", "The antibody is in Phase 2"), and a drug on the market told by its
launch or approval ("was launched in Japan", "gained approval in Korea", ", already marketed in Taiwan,")."""

from __future__ import annotations

import pytest

from dealwire.services.extract.engine import extract


def _stage(later: str) -> str | None:
    text = ("Quenby Labs has granted Marlow Biosciences exclusive rights to commercialize QX-41 in Canada. "
            f"Marlow Biosciences will pay Quenby Labs $12 million upfront. {later}")
    event = next(e for e in extract(text, title="Quenby Labs licenses QX-41 to Marlow Biosciences") if e.primary)
    return event.stage


@pytest.mark.parametrize(
    ("later", "stage"),
    [("QX-41 is an oral drug for gout. Earlier this year, the drug completed a Phase 2 trial.", "Phase II"),
     ("QX-41 is an oral drug for gout. In 2025, the drug entered a Phase 3 trial.", "Phase III"),
     ("QX-41 is an oral drug for gout. Currently, it is in a Phase 2 trial.", "Phase II"),
     ("QX-41 is an oral drug for gout. Last year it completed a Phase 2 trial.", "Phase II"),
     ("QX-41 is an oral drug for gout. The molecule is in Phase 2.", "Phase II"),
     ("QX-41 is an antibody for gout. The antibody is being tested in a Phase 1 trial.", "Phase I"),
     ("QX-41 is an oral drug for gout. The inhibitor is being tested in a Phase 2 trial.", "Phase II"),
     ("QX-41 is an oral drug for gout. The program is being evaluated in a Phase 2 study.", "Phase II")],
)
def test_a_later_sentence_on_the_drug_gives_its_stage(later: str, stage: str) -> None:
    assert _stage(later) == stage


@pytest.mark.parametrize(
    "later",
    ["QX-41 was launched in Japan in 2024 for gout.",
     "QX-41 is commercialized in Europe by Quenby Labs.",
     "QX-41 has been on sale in Korea since 2022.",
     "QX-41 gained approval in Japan in 2024.",
     "QX-41 received marketing authorization in the EU in 2024.",
     "QX-41, already marketed in Taiwan, is an oral drug for gout."],
)
def test_a_drug_launched_or_approved_abroad_is_approved(later: str) -> None:
    assert _stage(later) == "Approved"


@pytest.mark.parametrize(
    "later",
    ["QX-41 rights were sold in 2023 to a private fund.",
     "QX-41 received approval in Canada to begin a Phase 1 trial next year."],
)
def test_rights_sold_or_a_trial_allowed_is_no_approval(later: str) -> None:
    assert _stage(later) != "Approved"


def test_first_in_human_studies_are_phase_one() -> None:
    assert _stage("QX-41 is in first-in-human studies in gout.") == "Phase I"
