"""A collaboration's worldwide scope told by "global" before the kind of deal, or by "… of any resulting medicines
worldwide"; regions a later sentence names win over that scope."""

from __future__ import annotations

import pytest

from dealwire.services.extract.engine import extract


def _territory(text: str) -> tuple[list[str], list[str]] | None:
    event = next(e for e in extract(text, title="Quellan and Tamsford team up on QT-5") if e.primary)
    return (event.territory.include, event.territory.exclude) if event.territory else None


@pytest.mark.parametrize(
    "lead",
    [
        "Quellan Bio and Tamsford Pharma today announced a global co-development and co-commercialization agreement "
        "for QT-5, an antibody for lupus.",
        "Quellan Bio and Tamsford Pharma today announced a global research and development collaboration on QT-5, "
        "an antibody for lupus.",
    ],
)
def test_global_deal_scope_is_worldwide(lead: str) -> None:
    text = f"{lead} Tamsford will pay Quellan $40 million upfront."
    assert _territory(text) == (["worldwide"], [])


def test_regions_named_later_win_over_the_global_scope() -> None:
    text = ("Quellan Bio and Tamsford Pharma today announced a global co-development and co-commercialization "
            "agreement for QT-5, an antibody for lupus. Quellan Bio and Tamsford Pharma will co-commercialize QT-5 "
            "in Canada and Mexico.")
    assert _territory(text) == (["Canada", "Mexico"], [])


def test_global_reach_is_no_territory() -> None:
    text = ("Quellan Bio and Tamsford Pharma today announced a collaboration on QT-5, an antibody for lupus. The "
            "deal draws on Tamsford's development expertise and global reach.")
    assert _territory(text) is None


def test_commercialization_of_resulting_medicines_worldwide() -> None:
    text = ("Quellan Bio and Tamsford Pharma today announced a research collaboration on lupus. Quellan Bio will "
            "design candidates, and Tamsford Pharma will be responsible for clinical development and "
            "commercialization of any resulting medicines worldwide.")
    assert _territory(text) == (["worldwide"], [])
