"""A deal told after the headline, then its drug's stage in a sentence of its own ("HB-12 is in a Phase 3 trial"):
that is the deal's stage; a past deal's drug keeps no stage of today."""

from __future__ import annotations

import datetime as dt

from dealwire.services.extract.engine import extract

_TITLE = "Sorim Pharm signs two out-licensing deals worth 900 billion won"
_BODY = (
    "Sorim Pharmaceutical said on Oct. 27 it has signed two separate technology export deals.\n\n"
    "In the first deal, Sorim licensed SR-3310, an oral GLP-1 receptor agonist for obesity, to U.S.-based Tallow "
    "Therapeutics. The deal is worth up to 700 billion won. SR-3310 completed a Phase 1 study in Korea.\n\n"
    "The second agreement hands Japanese drugmaker Mizuno Seiyaku exclusive rights in Japan to SR-1207, Sorim's "
    "IL-5 antibody for severe eosinophilic asthma. SR-1207 is in a Phase 3 trial in Korea. Mizuno will pay 15 "
    "billion won upfront.\n"
)


def test_a_later_deals_drug_stage_told_next_is_its_stage() -> None:
    events = extract(_BODY, title=_TITLE, published=dt.date(2026, 10, 27))
    second = next(e for e in events if "SR-1207" in e.assets)
    assert second.stage == "Phase III"


def test_a_past_deals_drug_takes_no_stage_of_today() -> None:
    body = ("Quilla Bio's ADC QL-12 shrank tumours in 48% of patients with small cell lung cancer in a Phase Ib/II "
            "study, according to data presented on June 6.\n\n"
            "Quilla licensed ex-China rights to QL-12 to Tarrow Pharma in 2025 for $75 million upfront. QL-12 is now "
            "in a global Phase 3 trial.\n")
    events = extract(body, title="Quilla's ADC shrinks tumours in small cell lung cancer",
                     published=dt.date(2026, 6, 8))
    licence = next(e for e in events if e.type == "licensing")
    assert licence.stage is None


def test_a_later_acquisitions_drug_named_next_is_its_asset() -> None:
    body = (
        "Welcome back. Two deals from across the region this week.\n\n"
        "Seoul-based Garam Therapeutics said on November 9 that it has granted Brisley Pharmaceuticals Inc. exclusive "
        "worldwide rights to GR-507, a bispecific antibody in a Phase 1 trial in solid tumors, for $45 million "
        "upfront.\n\n"
        "Osaka's Hanagawa Pharma Co., Ltd. said on November 11 it will buy Aozora Biologics K.K. through a tender "
        "offer at ¥2,450 per share, valuing the antibody maker at about ¥96.2 billion. Aozora's lead drug, AZ-22, an "
        "anti-IL-31 monoclonal antibody, is in Phase 3 for prurigo nodularis.\n"
    )
    events = extract(body, title="Weekly: Garam Therapeutics' GR-507 licence leads a busy week",
                     published=dt.date(2026, 11, 13))
    acquisition = next(e for e in events if e.type == "acquisition")
    assert acquisition.assets == ["AZ-22"]
