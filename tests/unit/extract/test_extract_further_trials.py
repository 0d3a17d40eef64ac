"""A further trial ("A second Phase II study in …") told right after a sentence on the deal's drug: its disease
is the drug's too."""

from __future__ import annotations

import datetime as dt

from dealwire.services.extract.engine import extract

_TITLE = "Norvane Therapeutics licenses peptide NVT-411 to Quillam Pharma"


def _indications(body: str) -> list[str]:
    events = [e for e in extract(body, title=_TITLE, published=dt.date(2026, 5, 4)) if e.primary]
    assert events, "no primary event"
    return events[0].indications


_DEAL = ("Quillam Pharma has licensed global rights to NVT-411 from Norvane Therapeutics for $40 million upfront "
         "and up to $600 million in milestones. ")


def test_a_second_study_told_next_adds_its_disease() -> None:
    body = _DEAL + ("NVT-411 is an injectable peptide in a Phase II trial in adults with obesity. A second Phase II "
                    "study in type 2 diabetes is expected to start later this year.")
    assert _indications(body) == ["obesity", "type 2 diabetes"]


def test_a_study_not_told_as_a_further_one_adds_nothing() -> None:
    body = _DEAL + ("NVT-411 is an injectable peptide in a Phase II trial in adults with obesity. The company "
                    "also runs a registry of patients with type 2 diabetes.")
    assert _indications(body) == ["obesity"]


def test_a_further_study_of_another_drug_adds_nothing() -> None:
    body = _DEAL + ("NVT-411 is an injectable peptide in a Phase II trial in adults with obesity. A second Phase II "
                    "study of NVT-902 in type 2 diabetes is expected to start later this year.")
    assert _indications(body) == ["obesity"]


def _round_indications(body: str) -> list[str]:
    events = [e for e in extract(body, title="Velloran Bio Raises $50 Million Series A",
                                 published=dt.date(2026, 5, 4)) if e.primary]
    assert events, "no primary event"
    return events[0].indications


def test_cancer_beside_diseases_of_other_fields_is_one_of_them() -> None:
    body = ("Velloran Bio raised $50 million in a Series A financing. Its two programs, VB-11 and VB-12, are "
            "developed for infectious diseases and cancer, respectively.")
    assert _round_indications(body) == ["infectious diseases", "cancer"]


def test_cancer_beside_a_cancer_is_an_umbrella_term() -> None:
    body = ("Velloran Bio raised $50 million in a Series A financing to develop VB-11, a cancer drug in a Phase 1 "
            "study in melanoma.")
    assert _round_indications(body) == ["melanoma"]


def test_a_program_for_the_treatment_of_a_disease_tells_what_the_parties_develop() -> None:
    body = ("Velloran Bio and Harnwick Pharma have entered a research collaboration. The two companies want to "
            "drive forward a Velloran program for the treatment of non-tuberculous mycobacteria.")
    events = [e for e in extract(body, title="Velloran Bio and Harnwick Pharma enter research collaboration",
                                 published=dt.date(2026, 5, 4)) if e.primary]
    assert events, "no primary event"
    assert events[0].indications == ["non-tuberculous mycobacteria"]
