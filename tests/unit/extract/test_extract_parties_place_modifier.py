"""A place before "Stock Exchange", "exchange", "bourse" or "brokerage" says where, and names no firm. Invented text."""

from __future__ import annotations

import datetime as dt

from dealwire.services.extract.engine.analysis import analyse_article
from dealwire.services.extract.engine.entities import EntityIndex
from dealwire.services.extract.engine.text import body_end, clean, split_sentences, unwrap_lines

_TEXT = (
    "Hangzhou Lirentai Pharmaceutical Co., Ltd. has licensed its oral drug LR-44 to Vandermeer Pharma SA for Europe, "
    "the company said in a filing to the Shanghai Stock Exchange on Wednesday. Vandermeer Pharma will pay "
    "$40 million upfront.\n\nAnalysts at one Shenzhen brokerage said the deal was well priced.\n"
)


def _company_names(text: str) -> list[list[str]]:
    body = unwrap_lines(clean(text))
    sentences = split_sentences(body, body_end(body))
    facts = analyse_article(body, sentences, dt.date(2026, 3, 4), None, None)
    hits = [h for f in facts for h in (*f.targets, *f.indications, *f.regulators, *f.regions, *f.modalities)]
    return [c.names for c in EntityIndex(body, sentences, hits).companies]


def test_exchange_city_is_no_company() -> None:
    names = _company_names(_TEXT)
    assert not any(n in ("Shanghai", "Shenzhen") for group in names for n in group), names
    assert any("Vandermeer Pharma SA" in group for group in names)
