"""A brand introduced with its generic name and dosage form in a bracket ("ZOLVEX (quorantide nasal spray)") is a
drug wherever the text names it, whatever the generic name's stem: never a party."""

from __future__ import annotations

import datetime as dt

from dealwire.services.extract.engine import extract
from dealwire.services.extract.engine.companies import drug_names

_TITLE = "Harwick Labs to Acquire U.S. Rights to Migraine Drug ZOLVEX from Tamberly Health"
_BODY = (
    "Harwick Labs, Inc. (NYSE: HWKL) today announced that it signed an agreement to acquire the United States "
    "rights to ZOLVEX (quorantrin nasal spray) from Tamberly Health plc for up to $120 million.\n\n"
    "ZOLVEX is an approved product for the acute treatment of migraine.\n\n"
    "Under the agreement, Harwick will pay $100 million at closing.\n"
)


def test_brand_with_dosage_form_is_a_drug() -> None:
    assert "ZOLVEX" in drug_names(_BODY)
    assert "Tamberly" not in drug_names("Tamberly (the seller) agreed.")


def test_dosed_brand_is_no_party() -> None:
    events = extract(_BODY, title=_TITLE, published=dt.date(2026, 6, 30))
    names = {n for e in events for p in e.parties for n in (p.name, *p.aliases)}
    assert "ZOLVEX" not in names
    primary = next(e for e in events if e.primary)
    assert {p.name for p in primary.parties} == {"Harwick Labs, Inc.", "Tamberly Health plc"}
