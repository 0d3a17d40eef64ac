"""An event's targets are those of its own drug: not another drug's named beside it in a headline."""

from __future__ import annotations

import datetime as dt

from dealwire.services.extract.engine import extract

PUBLISHED = dt.date(2026, 3, 4)


def _events(text: str, title: str) -> list:
    return extract(text, title=title, published=PUBLISHED)


def test_a_headline_naming_two_drugs_targets_gives_each_event_its_own() -> None:
    title = "Corbel Bio licenses OX40 antibody from Tansy Immunology; separately wins fast track for NLRP3 pill"
    text = (f"{title}\n\nSAN DIEGO, March 4, 2026 -- Corbel Bio, Inc. today announced that it has entered into an "
            "exclusive worldwide license agreement with Tansy Immunology Ltd. for TNS-410, a monoclonal antibody "
            "targeting OX40. Corbel will pay Tansy $20 million upfront. Separately, Corbel announced that the U.S. "
            "Food and Drug Administration (FDA) has granted Fast Track designation to CRB-22, its oral NLRP3 "
            "inhibitor, for recurrent pericarditis.")
    events = _events(text, title)
    licence = next(e for e in events if e.type == "licensing")
    assert licence.targets == ["OX40"]
    designation = next(e for e in events if e.type == "regulatory")
    assert designation.targets == ["NLRP3"]
