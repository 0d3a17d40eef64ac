"""An article with two current deals of one company with two counterparties: the drug the second deal's sentences
name stays with the second deal, even where a later sentence names the shared company and that drug; a drug an
earlier (past) deal of the headline's drug names stays with the headline."""

from __future__ import annotations

import datetime as dt

from dealwire.services.extract.engine import extract

_TITLE = "Qorvane Bio signs two licensing deals in a week"
_BODY = (
    "Qorvane Bio Co., Ltd. (\"Qorvane\") has licensed out two clinical assets within a week.\n\n"
    "On May 4, Qorvane announced an exclusive license agreement with Tellamy Oncology, granting Tellamy rights "
    "outside Greater China to QV-301, a TROP2-directed antibody-drug conjugate in a Phase I trial for ovarian "
    "cancer. Tellamy will pay US$40 million upfront.\n\n"
    "On May 9, Qorvane signed a second agreement, with Shenlan Pharmaceutical Group (\"Shenlan\"), which obtains "
    "exclusive rights in mainland China to QV-118, a once-weekly GLP-1 peptide for obesity. Qorvane has completed "
    "a Phase III trial of QV-118 in obesity. Shenlan will pay an upfront fee of 90 million yuan.\n"
)


def test_second_deal_drug_stays_with_second_deal() -> None:
    events = extract(_BODY, title=_TITLE, published=dt.date(2026, 5, 10))
    first = next(e for e in events if "QV-301" in e.assets)
    assert "QV-118" not in first.assets
    assert first.stage == "Phase I"
    second = next(e for e in events if "QV-118" in e.assets)
    assert {p.name for p in second.parties} >= {"Shenlan Pharmaceutical Group"}


_PAST_TITLE = "Brisby Therapeutics Raises $90 Million to Advance Antibody BRB-202"
_PAST_BODY = (
    "BOSTON, March 3, 2026 -- Brisby Therapeutics, Inc. today announced a $90 million Series B financing led by "
    "Oakfield Ventures.\n\n"
    "Proceeds will fund a Phase 2 trial of BRB-202, Brisby's anti-IL-33 monoclonal antibody, in asthma.\n\n"
    "Brisby in-licensed BRB-202 from Suzhou-based Hualin Biotech in 2024, obtaining rights outside Greater "
    "China.\n"
)


def test_past_licence_leaves_the_headline_drug() -> None:
    events = extract(_PAST_BODY, title=_PAST_TITLE, published=dt.date(2026, 3, 3))
    primary = next(e for e in events if e.primary)
    assert "BRB-202" in primary.assets


_SEPARATE_TITLE = "Marrow Labs to Acquire Fenwick Bio for $12.00 Per Share"
_SEPARATE_BODY = (
    "BOSTON, Dec. 1, 2026 /PRNewswire/ -- Marrow Labs, Inc. and Fenwick Bio, Inc. today announced a definitive "
    "merger agreement under which Marrow will acquire Fenwick for $12.00 per share in cash, or approximately "
    "$640 million in aggregate.\n\n"
    "Fenwick's lead candidate, FNW-12, is an antisense oligonucleotide in a Phase 2 trial in Huntington's "
    "disease.\n\n"
    "Separately, Marrow today announced that it has granted Kosaka Pharmaceutical Co., Ltd. exclusive rights to "
    "MRW-310, its anti-tau antibody, in Japan. Kosaka will pay Marrow ¥3.5 billion upfront and up to ¥20 billion "
    "in milestones.\n"
)


def test_separate_deals_money_stays_with_it() -> None:
    events = extract(_SEPARATE_BODY, title=_SEPARATE_TITLE, published=dt.date(2026, 12, 1))
    primary = next(e for e in events if e.primary)
    assert primary.type == "acquisition"
    for money in (primary.upfront, primary.milestones, primary.total_value):
        assert money is None or money.currency != "JPY"


_PLACEMENT_TITLE = "Orrin Bio to Acquire Calder Therapeutics and Announces $200 Million Private Placement"
_PLACEMENT_BODY = (
    "SOUTH SAN FRANCISCO, Calif., Oct. 19, 2026 (GLOBE NEWSWIRE) -- Orrin Bio, Inc. and Calder Therapeutics, Inc. "
    "today announced a definitive agreement under which Orrin will acquire Calder in an all-stock transaction "
    "valued at approximately $280 million.\n\n"
    "Calder's lead candidate, CLD-12, is an inhaled small molecule in a Phase 2a trial in idiopathic pulmonary "
    "fibrosis.\n\n"
    "Concurrently, Orrin has entered into a securities purchase agreement with investors led by Fenmoor Capital "
    "Management for a private placement of $200 million of common stock at $14.25 per share. Orrin intends to use "
    "the proceeds to fund its ongoing Phase 3 trial of ORN-9, a monoclonal antibody, in systemic sclerosis.\n"
)


def test_the_drug_a_placements_proceeds_fund_is_not_the_acquisitions() -> None:
    events = extract(_PLACEMENT_BODY, title=_PLACEMENT_TITLE, published=dt.date(2026, 10, 19))
    acquisition = next(e for e in events if e.type == "acquisition")
    assert "CLD-12" in acquisition.assets
    assert "ORN-9" not in acquisition.assets
    assert acquisition.stage == "Phase IIa"
