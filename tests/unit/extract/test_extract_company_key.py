"""The engine's company key (`companies.core`) beside the ids' (`dealwire.shared.names.company_key`): where they agree,
and the differences the engine keeps on purpose (within one article it must tie "Shanghai Acme Biosciences"
to "Acme"; across articles ids must not change)."""

from __future__ import annotations

import pytest

from dealwire.services.extract.engine.companies import core
from dealwire.shared.names import company_key


@pytest.mark.parametrize("name", ["Acme Pharma Co., Ltd.", "Birch & Co.", "The Acme Company", "Acme (China) Ltd",
                                  "ERIGEN LLC", "Talon Therapeutics, Inc."])
def test_both_keys_drop_legal_forms_asides_and_common_industry_nouns(name: str) -> None:
    assert core(name) == company_key(name)


@pytest.mark.parametrize(("name", "engine", "ids"), [
    ("Shanghai Acme Biosciences", "acme", "shanghai acme biosciences"),
    ("Acme Japan", "acme", "acme japan"),
    ("Acme Oncology", "acme", "acme oncology"),
])
def test_the_engine_also_drops_places_and_its_wider_industry_vocabulary(name: str, engine: str, ids: str) -> None:
    assert (core(name), company_key(name)) == (engine, ids)


@pytest.mark.parametrize(("name", "engine", "ids"), [
    ("Acme-Bio Inc.", "acme-bio", "acme bio"),
    ("O'Neil Labs", "o'neil", "o neil labs"),
])
def test_the_engine_keeps_hyphenated_and_possessive_words_whole(name: str, engine: str, ids: str) -> None:
    assert (core(name), company_key(name)) == (engine, ids)
