"""A deal told in passing, then its terms in a sentence of their own with no deal verb ("Acme received a $60 million
upfront payment …"): the terms are that deal's."""

from __future__ import annotations

import datetime as dt

from dealwire.services.extract.engine import extract

_TITLE = "Halloran Bio Reports Third Quarter 2026 Financial Results and Business Highlights"
_BODY = (
    "- Positive topline Phase 2b data for HB-204 in ulcerative colitis -\n\n"
    "SAN DIEGO, Nov. 5, 2026 (BUSINESS WIRE) -- Halloran Bio, Inc. today reported financial results for the third "
    "quarter ended September 30, 2026.\n\n"
    "- In October 2026, Halloran announced positive topline results from the Phase 2b trial of HB-204 in ulcerative "
    "colitis.\n"
    "- In August 2026, Halloran entered into an exclusive license agreement with Kanda-Ross Pharma Co., Ltd. for "
    "the development and commercialization of HB-118 in Japan. Halloran received a $60 million upfront payment and "
    "is eligible for up to $315 million in development and sales milestones.\n"
)


def test_terms_sentence_after_a_deal_in_passing_is_its_own() -> None:
    events = extract(_BODY, title=_TITLE, published=dt.date(2026, 11, 5))
    licence = next(e for e in events if e.type == "licensing")
    assert licence.upfront is not None and licence.upfront.amount == 60_000_000
    assert licence.milestones is not None and licence.milestones.amount == 315_000_000


def test_a_quote_after_a_deal_in_passing_is_not_its_terms() -> None:
    body = (
        "TOKYO (WireNews) - Japan's Okuma Yakuhin Co., Ltd. agreed on Nov. 24 to buy Lanter Genetics Inc. for $27 a "
        "share in cash, valuing the gene therapy developer at about $1.4 billion.\n\n"
        "It is Okuma's second deal in a month. On Oct. 30, Okuma paid Chinese biotech Foshan Ruilin Biotech $35 "
        "million upfront for rights outside China to RL-712, an NLRP3 inhibitor for gout.\n\n"
        "\"Gene therapy is a capability we could not build fast enough on our own,\" Okuma President Hiroshi Ueda "
        "told reporters.\n"
    )
    events = extract(body, title="Okuma Yakuhin to buy Lanter Genetics for $1.4 billion",
                     published=dt.date(2026, 11, 24))
    licence = next(e for e in events if "RL-712" in e.assets)
    assert "gene therapy" not in licence.modality
