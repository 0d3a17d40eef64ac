"""A sentence naming several drugs at different stages gives the event's drug the stage written nearest it (a
stage told after a drug a little nearer than one told before the next), and of an event's several drugs, its
first (lead) drug's."""

from __future__ import annotations

import pytest

from dealwire.services.extract.engine import extract


def _stage(later: str) -> str | None:
    text = ("Pemberly Bio has granted Corrick Health exclusive rights to commercialize PB-31 in Brazil. "
            f"Corrick Health will pay Pemberly Bio $9 million upfront. {later}")
    event = next(e for e in extract(text, title="Pemberly Bio licenses PB-31 to Corrick Health") if e.primary)
    return event.stage


@pytest.mark.parametrize(
    ("later", "stage"),
    [("Pemberly Bio's pipeline includes PB-77, a Phase 1 drug, and PB-31, a Phase 3 drug for asthma.", "Phase III"),
     ("PB-31 is in Phase 3 for asthma, while PB-77 is in Phase 1.", "Phase III"),
     ("Unlike the Phase 2 drug PB-77, PB-31 is a preclinical antibody.", "Preclinical")],
)
def test_the_stage_nearest_the_events_drug(later: str, stage: str) -> None:
    assert _stage(later) == stage


def test_another_drugs_stage_is_not_taken_where_none_is_told_for_the_events() -> None:
    later = "PB-31, which is in late-stage development for asthma, is not the same as the Phase 2 asset PB-77."
    assert _stage(later) is None
