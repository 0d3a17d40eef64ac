"""Drug names as news writes them: codes, INNs of several words, brands with their INN, coded targets."""

from __future__ import annotations

import datetime as dt

from dealwire.services.extract.engine import extract


def _primary(text: str, title: str | None = None):
    return next(e for e in extract(text, title=title, published=dt.date(2025, 6, 1)) if e.primary)


def test_an_antibody_drug_conjugate_keeps_its_two_word_inn() -> None:
    text = ("Acme Pharma has granted Birch Bio exclusive rights to belzumab vedotin, an antibody-drug conjugate, "
            "for $50 million upfront.")
    event = _primary(text)
    assert event.assets == ["belzumab vedotin"]
    assert event.modality == ["ADC"]


def test_a_biologic_inn_in_brackets_names_the_brand() -> None:
    text = ("The CHMP adopted a positive opinion for Orlen Bio's Velmira (cerlinase alfa) in adults with Fabry "
            "disease.")
    event = _primary(text)
    assert event.assets == ["Velmira"]


def test_a_coded_receptor_is_a_target_not_a_drug() -> None:
    text = ("Acme Pharma licensed AC-1780, an oral Q9X4 receptor antagonist, from Birch Bio for $20 million "
            "upfront.")
    event = _primary(text)
    assert event.assets == ["AC-1780"]
    assert event.targets == ["Q9X4"]


def test_a_modality_that_ends_like_an_inn_is_no_drug() -> None:
    text = ("Velmora Bio Inc., a company developing antisense oligonucleotide therapies, said the FDA has cleared its "
            "IND for VB-0428 in ALS.")
    event = _primary(text)
    assert event.assets == ["VB-0428"]
    assert event.modality == ["antisense oligonucleotide"]
