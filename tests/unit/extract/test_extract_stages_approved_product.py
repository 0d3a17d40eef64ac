"""A drug told to be "an approved product" or "a marketed drug" is at the Approved stage."""

from __future__ import annotations

import pytest

from dealwire.services.extract.engine import extract


def _stage(later: str) -> str | None:
    text = ("Alder Pharma has granted Birch Therapeutics exclusive rights to commercialize AP-12 in Canada. "
            f"{later} Birch Therapeutics will pay Alder Pharma $10 million upfront.")
    event = next(e for e in extract(text, title="Alder Pharma licenses AP-12 to Birch Therapeutics") if e.primary)
    return event.stage


@pytest.mark.parametrize(
    "later",
    ["AP-12 is an approved product for the acute treatment of migraine.",
     "AP-12 is a marketed drug for chronic migraine."],
)
def test_an_approved_product_is_approved(later: str) -> None:
    assert _stage(later) == "Approved"


def test_a_partners_approved_products_are_not_the_drugs_stage() -> None:
    assert _stage("Birch Therapeutics sells two approved products in Canada.") is None


@pytest.mark.parametrize("told", ["its marketed product Zelvra (acmestat)",
                                  "Corvane's marketed product Zelvra (acmestat)"])
def test_a_companys_marketed_product_bought_with_it_is_approved(told: str) -> None:
    text = ("Holloway Health will acquire Corvane Pharma for $900 million in cash. The acquisition brings "
            f"{told}, a treatment for chronic itch in adults undergoing hemodialysis.")
    event = next(e for e in extract(text, title="Holloway Health to acquire Corvane Pharma") if e.primary)
    assert event.stage == "Approved"
