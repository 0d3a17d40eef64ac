"""Each seed article's headline event, field by field. Expected values are copied from the gold labels."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dealwire.extract_commands import extract_file


def _primary(corpus: Path, article_id: str) -> dict[str, Any]:
    events = extract_file(corpus / "seeds" / f"{article_id}.txt")["events"]
    primaries = [e for e in events if e["primary"]]
    assert len(primaries) == 1, f"{article_id}: expected one primary event, got {len(primaries)}"
    return primaries[0]


def _party_roles(event: dict[str, Any]) -> dict[str, str]:
    return {p["name"]: p["role"] for p in event["parties"]}


def test_seed_000_exclusive_licence_with_carve_outs(corpus: Path) -> None:
    event = _primary(corpus, "seed-000")
    assert event["type"] == "licensing"
    roles = _party_roles(event)
    assert [r for n, r in roles.items() if n.startswith("Novatim")] == ["licensor"]
    assert [r for n, r in roles.items() if n.upper().startswith("ERIGEN")] == ["licensee"]
    assert len(roles) == 2
    assert event["assets"] == ["KQ-2003"]
    assert event["upfront"] == {"amount": 15000000, "currency": "USD"}
    assert event["milestones"] == {"amount": 1320000000, "currency": "USD"}
    assert event["royalties"] == {"amount": 800000000, "currency": "USD"}
    assert event["territory"] == {"include": ["worldwide"],
                                  "exclude": ["Greater China", "India", "Turkey", "Russia"]}
    assert event["stage"] == "Phase Ib"
    assert event["date"] == "2025-07-22"


def test_seed_001_licence_of_an_approved_drug(corpus: Path) -> None:
    event = _primary(corpus, "seed-001")
    assert event["type"] == "licensing"
    assert _party_roles(event) == {"Hengrui Medicine": "licensor", "Glenmark Specialty SA": "licensee"}
    assert event["assets"] in (["SHR-A1811"], ["Ruikang Trastuzumab"], ["Ruikang trastuzumab"])
    assert event["upfront"] == {"amount": 18000000, "currency": "USD"}
    assert event["milestones"] == {"amount": 1093000000, "currency": "USD"}
    assert event["royalties"] is True
    assert event["total_value"] == {"amount": 1100000000, "currency": "USD"}
    assert event["territory"] is None
    assert event["stage"] == "Approved"


def test_seed_002_nda_acceptance(corpus: Path) -> None:
    event = _primary(corpus, "seed-002")
    assert event["type"] == "regulatory"
    assert _party_roles(event) == {"Alphamab Oncology": "sponsor", "CSPC Pharmaceutical Group": "sponsor"}
    assert event["assets"] == ["KN026"]
    assert (event["regulator"], event["regulatory_action"]) == ("NMPA", "nda_accepted")
    assert event["upfront"] is None and event["milestones"] is None and event["royalties"] is None
    assert event["territory"] == {"include": ["China"], "exclude": []}
    assert event["stage"] == "NDA"
    assert event["date"] == "2025-09-11"


def test_seed_003_co_development_partnership(corpus: Path) -> None:
    event = _primary(corpus, "seed-003")
    assert event["type"] == "collaboration"
    assert _party_roles(event) == {"Kexing Pharma": "partner",
                                   "Shanghai Thousand Oaks Biopharmaceutical Co., Ltd.": "partner"}
    assert event["assets"] == ["KXBS001"]
    assert event["upfront"] is None and event["milestones"] is None and event["royalties"] is None
    assert sorted(event["territory"]["include"]) == ["Europe", "United States"]
    assert event["stage"] is None


@pytest.mark.parametrize("article_id", ["seed-000", "seed-001", "seed-002", "seed-003"])
def test_seed_articles_have_exactly_one_headline_event(corpus: Path, article_id: str) -> None:
    _primary(corpus, article_id)
