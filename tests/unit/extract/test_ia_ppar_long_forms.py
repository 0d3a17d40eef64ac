"""The PPAR subtypes written out in full ("peroxisome proliferator-activated receptor delta") are their symbols."""

from __future__ import annotations

import pytest

from dealwire.services.extract.engine import extract


@pytest.mark.parametrize(
    ("written", "symbol"),
    [("peroxisome proliferator-activated receptor delta (PPARδ)", "PPARδ"),
     ("peroxisome proliferator-activated receptor gamma", "PPARγ"),
     ("peroxisome proliferator-activated receptor-alpha", "PPARα")],
)
def test_a_ppar_subtype_written_out(written: str, symbol: str) -> None:
    text = ("Fenwick Bio today announced positive topline results from a Phase 2 trial of FW-50 in patients with "
            f"primary biliary cholangitis. FW-50 is an oral, selective agonist of {written}.")
    event = next(e for e in extract(text) if e.primary)
    assert event.targets == [symbol]
