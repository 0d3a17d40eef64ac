"""A heading in capitals (an exchange filing's "VOLUNTARY ANNOUNCEMENT / LICENSE AGREEMENT WITH …"): its linking
words end a name, its ordinary words are no company, and its weak cues need the prose to write the name."""

from __future__ import annotations

import datetime as dt

from dealwire.services.extract.engine import extract
from dealwire.shared.schemas import DealPayload

_BODY = (
    "NORTHWIND THERAPEUTICS HOLDINGS LIMITED\n\n"
    "VOLUNTARY ANNOUNCEMENT\n"
    "LICENSE AGREEMENT WITH QUILLBRIDGE FARMA S.A. FOR QX-77 IN EUROPE AND LATIN AMERICA\n\n"
    'The board of Northwind Therapeutics Holdings Limited (the "Company") is pleased to announce that the Company '
    'entered into a license agreement with Quillbridge Farma S.A. ("Quillbridge"), pursuant to which the Company '
    "granted Quillbridge an exclusive license to commercialize QX-77 in Europe and Latin America.\n\n"
    "Under the agreement, Quillbridge shall pay the Company an upfront payment of EUR15 million.\n"
)
_TITLE = "VOLUNTARY ANNOUNCEMENT LICENSE AGREEMENT WITH QUILLBRIDGE FARMA S.A. FOR QX-77 IN EUROPE AND LATIN AMERICA"


def _events(title: str | None) -> list[DealPayload]:
    return extract(_BODY, title=title, published=dt.date(2026, 5, 13))


def _all_names(events: list[DealPayload]) -> set[str]:
    return {n for e in events for p in e.parties for n in (p.name, *p.aliases)}


def test_heading_words_are_no_company() -> None:
    for title in (_TITLE, None):
        names = _all_names(_events(title))
        assert not any("ANNOUNCEMENT" in n or "VOLUNTARY" in n or "AGREEMENT" in n for n in names), names


def test_heading_names_the_licensee_as_the_prose_does() -> None:
    events = _events(_TITLE)
    primary = [e for e in events if e.primary]
    assert primary
    names = {p.name for p in primary[0].parties}
    assert "Quillbridge Farma S.A." in names
    assert not any(" WITH " in n or " FOR " in n for n in _all_names(events))
