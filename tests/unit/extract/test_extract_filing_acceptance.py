"""A headline's present-tense acceptance of a filing ("regulator accepts X's NDA") and the application it accepted,
told again in the next sentence, are one regulatory event."""

from __future__ import annotations

import datetime as dt

from dealwire.services.extract.engine import extract
from dealwire.services.extract.engine.analysis import regulatory_actions

_PUBLISHED = dt.date(2026, 9, 2)
_TEXT = ("Sorrelby Pharma Co., Ltd. said on Monday that the FDA accepted its new drug application for ZX-4410, an "
         "oral kinase inhibitor, on August 28. The application seeks approval for adults with previously treated "
         "metastatic bladder cancer.\n\nZX-4410 received Fast Track designation from the FDA in May 2025.")


def _events(title: str) -> list[tuple[bool, str | None, str | None]]:
    return [(e.primary, e.regulatory_action, e.stage) for e in extract(_TEXT, title=title, published=_PUBLISHED)]


def test_a_headline_that_accepts_an_nda_states_an_nda_acceptance() -> None:
    assert regulatory_actions("FDA accepts Sorrelby's NDA for kinase inhibitor in bladder cancer") == ["nda_accepted"]


def test_a_headline_that_accepts_a_bla_states_a_bla_acceptance() -> None:
    assert regulatory_actions("EMA accepts Sorrelby's BLA for antibody in bladder cancer") == ["bla_accepted"]


def test_the_accepted_nda_is_the_primary_event_with_its_stage() -> None:
    events = _events("FDA accepts Sorrelby's NDA for kinase inhibitor in bladder cancer")
    assert (True, "nda_accepted", "NDA") in events


def test_the_application_described_again_is_no_regulatory_event_of_its_own() -> None:
    events = _events("FDA accepts Sorrelby's NDA for kinase inhibitor in bladder cancer")
    assert not any(action == "other" for _, action, _ in events)
    assert any(not primary and action == "fast_track" for primary, action, _ in events)


def test_an_earlier_accepted_nda_has_the_nda_stage() -> None:
    text = ("Sorrelby Pharma Co., Ltd. said on Monday that the FDA approved ZX-4410, an oral kinase inhibitor, for "
            "adults with metastatic bladder cancer on August 28.\n\nThe FDA accepted the new drug application for "
            "ZX-4410 in January 2026.")
    events = extract(text, title="FDA approves Sorrelby's kinase inhibitor", published=_PUBLISHED)
    assert any(not e.primary and e.regulatory_action == "nda_accepted" and e.stage == "NDA" for e in events)
