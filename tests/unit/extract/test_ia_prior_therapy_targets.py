"""A target named only as that of a therapy the patients had before ("progressed after anti-PD-1 therapy",
"previously treated with an EGFR inhibitor", "refractory to PD-1 blockade") is not the drug's target."""

from __future__ import annotations

import pytest

from dealwire.services.extract.engine import extract


def _targets(later: str) -> list[str]:
    text = ("Tolland Bio has granted Wexcombe Pharma exclusive rights to develop and commercialize TB-308 in Japan. "
            f"Wexcombe Pharma will pay Tolland Bio $15 million upfront. {later}")
    event = next(e for e in extract(text, title="Tolland Bio licenses TB-308 to Wexcombe Pharma") if e.primary)
    return event.targets


@pytest.mark.parametrize(
    "later",
    ["TB-308 is a HER3 antibody for patients with lung cancer whose disease progressed after anti-PD-1 therapy.",
     "TB-308 is a HER3 antibody for patients with lung cancer previously treated with an EGFR inhibitor.",
     "TB-308 is a HER3 antibody being tested in patients with lung cancer refractory to PD-1 blockade."],
)
def test_a_prior_therapys_target_is_not_the_drugs(later: str) -> None:
    assert _targets(later) == ["HER3"]


def test_the_drugs_own_target_named_again_as_the_prior_therapys_is_kept() -> None:
    later = ("TB-308 is an EGFR inhibitor for patients with lung cancer whose disease progressed after earlier EGFR "
             "inhibitor therapy.")
    assert _targets(later) == ["EGFR"]


def test_a_target_after_the_drug_binds_is_kept() -> None:
    assert "HER3" in _targets("TB-308 is an antibody that acts after binding HER3 on tumour cells in lung cancer.")
