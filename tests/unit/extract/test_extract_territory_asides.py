"""A region in an aside describing a company (", which markets two products in Europe,") grants no rights."""

from __future__ import annotations

from dealwire.services.extract.engine import extract


def _territory(text: str, title: str) -> tuple[list[str], list[str]] | None:
    event = next(e for e in extract(text, title=title) if e.primary)
    return (event.territory.include, event.territory.exclude) if event.territory else None


def test_a_which_aside_about_the_licensee_is_no_territory() -> None:
    title = "Ostrel Bio Grants Pennick Health Exclusive Rights to OB-44 in Brazil and Mexico"
    text = ("Ostrel Bio today announced an exclusive license agreement with Pennick Health for OB-44 in Brazil and "
            "Mexico. Pennick Health, which markets three approved products in Europe, will take over development of "
            "OB-44 in the licensed territory. Pennick Health will pay Ostrel Bio $12 million upfront.")
    assert _territory(text, title) == (["Brazil", "Mexico"], [])


def test_regions_outside_the_aside_still_count() -> None:
    title = "Ostrel Bio licenses OB-44 to Pennick Health"
    text = ("Ostrel Bio has granted Pennick Health, which is based in Lisbon, exclusive rights to develop and "
            "commercialize OB-44 in Spain and Portugal.")
    assert _territory(text, title) == (["Spain", "Portugal"], [])
