"""A deal's drug with a marketing application filed, accepted or under review (and no phase told) is at the NDA
(or, for a biologics license application, BLA) stage; one only planned is not."""

from __future__ import annotations

import pytest

from dealwire.services.extract.engine import extract


def _stage(later: str) -> str | None:
    text = ("Harnby Pharma has granted Oskelund Bio exclusive rights to commercialize HP-606 in Mexico. "
            f"Oskelund Bio will pay Harnby Pharma $7 million upfront. {later}")
    event = next(e for e in extract(text, title="Harnby Pharma licenses HP-606 to Oskelund Bio") if e.primary)
    return event.stage


@pytest.mark.parametrize(
    ("later", "stage"),
    [("HP-606 has an NDA under review in China.", "NDA"),
     ("Harnby Pharma submitted a new drug application for HP-606 to the NMPA in 2025.", "NDA"),
     ("A biologics license application for HP-606 is under review by the FDA.", "BLA"),
     ("Harnby Pharma filed a BLA for HP-606 with the FDA in January.", "BLA")],
)
def test_a_filed_application_is_the_stage(later: str, stage: str) -> None:
    assert _stage(later) == stage


@pytest.mark.parametrize(
    "later",
    ["Harnby Pharma plans to submit an NDA for HP-606 in 2027.",
     "HP-606 is being developed to support a future NDA filing."],
)
def test_a_planned_application_is_not(later: str) -> None:
    assert _stage(later) is None
