"""A symptom told as a measured outcome ("reduced pruritus scores") is not a disease the drug is for."""

from __future__ import annotations

from dealwire.services.extract.engine import extract


def _indications(later: str) -> list[str]:
    text = ("Vantry Bio today announced positive topline results from a Phase 2 trial of VB-19 in patients with "
            f"primary biliary cholangitis. {later}")
    event = next(e for e in extract(text, title="Vantry Bio reports Phase 2 results for VB-19") if e.primary)
    return event.indications


def test_a_symptom_score_is_no_indication() -> None:
    assert _indications("VB-19 also reduced pruritus scores compared with placebo.") == ["primary biliary cholangitis"]


def test_a_symptom_told_as_a_disease_is_kept() -> None:
    assert "pruritus" in _indications("VB-19 is also being tested in patients with pruritus.")
