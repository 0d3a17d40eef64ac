"""A drug told as "an oral … inhibitor" (or antagonist, agonist, blocker) is a small molecule where no kind is named."""

from __future__ import annotations

import datetime as dt

import pytest

from dealwire.services.extract.engine import extract

_PUBLISHED = dt.date(2026, 3, 2)


def _primary_modality(text: str, title: str) -> list[str]:
    events = [e for e in extract(text, title=title, published=_PUBLISHED) if e.primary]
    assert events, "no primary event"
    return events[0].modality


@pytest.mark.parametrize(
    "description",
    ["an oral, allosteric inhibitor of tyrosine kinase 2 (TYK2)", "an oral selective JAK1 inhibitor",
     "an investigational oral P2X3 receptor antagonist", "an oral, once-daily GPR40 agonist"],
)
def test_an_oral_inhibitor_is_a_small_molecule(description: str) -> None:
    text = (f"Pellworth Bio, Inc. today announced an exclusive license agreement with Ambrose Pharma S.A. under "
            f"which Ambrose will develop and commercialize PW-207 outside the United States. PW-207 is {description}. "
            "Ambrose will pay Pellworth $40 million upfront.")
    assert _primary_modality(text, "Pellworth licenses PW-207 to Ambrose") == ["small molecule"]


def test_a_kind_the_article_names_wins_over_the_inference() -> None:
    text = ("Pellworth Bio, Inc. today announced an exclusive license agreement with Ambrose Pharma S.A. under which "
            "Ambrose will develop and commercialize PW-207 outside the United States. PW-207 is an oral macrocyclic "
            "peptide inhibitor of PCSK9. Ambrose will pay Pellworth $40 million upfront.")
    assert _primary_modality(text, "Pellworth licenses PW-207 to Ambrose") == ["macrocyclic peptide"]


def test_an_inhibitor_not_told_as_oral_is_no_small_molecule() -> None:
    text = ("Pellworth Bio, Inc. today announced an exclusive license agreement with Ambrose Pharma S.A. under which "
            "Ambrose will develop and commercialize PW-207 outside the United States. PW-207 is an inhibitor of "
            "complement factor B. Ambrose will pay Pellworth $40 million upfront.")
    assert _primary_modality(text, "Pellworth licenses PW-207 to Ambrose") == []
