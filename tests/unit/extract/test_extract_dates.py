"""Dates anchored on the published date."""

from __future__ import annotations

import datetime as dt

import pytest

from dealwire.services.extract.engine import extract
from dealwire.services.extract.engine.dates import find_dates, infer_published

PUBLISHED = dt.date(2025, 10, 9)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("In August 2025, the drug received orphan drug designation", "2025-08"),
        ("on September 11, the NMPA accepted the NDA", "2025-09-11"),
        ("On Dec. 29, the company licensed its candidate", "2024-12-29"),
        ("On July 22, 2025, the company announced", "2025-07-22"),
        ("26.03.2025 - MSD announced", "2025-03-26"),
        ("2025-07-23", "2025-07-23"),
        ("the trial got underway last month", "2025-09"),
        ("approved in China last December", "2024-12"),
        ("approval in Macau in March last year", "2024-03"),
        ("announced Thursday a new partnership", "2025-10-09"),
        ("signed on the 2nd of October 2025", "2025-10-02"),
        ("signed on 2025.10.07 in Seoul", "2025-10-07"),
    ],
)
def test_dates_resolve_against_publication(text: str, expected: str) -> None:
    [mention] = find_dates(text, PUBLISHED)
    assert mention.value == expected


def test_a_weekday_before_the_published_day_states_no_date() -> None:
    assert find_dates("announced Monday a new partnership", PUBLISHED) == []


def test_a_stated_signing_day_beats_the_day_it_was_told() -> None:
    text = ("Harnell Bio said Thursday that it signed an agreement with Quorra Pharma on October 6 granting Quorra "
            "exclusive rights to HB-12 in Japan for an upfront payment of $20 million.")
    [event] = extract(text, published=PUBLISHED)
    assert event.date == "2025-10-06"


def test_a_regulators_decision_day_told_after_the_announcement_dates_it() -> None:
    text = ("BOSTON, October 9, 2025 -- Harnell Bio today announced that the U.S. Food and Drug Administration (FDA) "
            "has cleared its Investigational New Drug application for HB-551 in small cell lung cancer. The FDA "
            "notified the company of the clearance on October 6, 2025.")
    event = next(e for e in extract(text, published=PUBLISHED) if e.primary)
    assert (event.regulatory_action, event.date) == ("ind_cleared", "2025-10-06")


def test_may_the_verb_is_not_a_month() -> None:
    assert find_dates("The company may receive further payments", PUBLISHED) == []


def test_published_is_inferred_from_the_first_lines() -> None:
    text = "Takeda acquires Maverick\n\nMarch 9, 2021\n\nTakeda plans to acquire Maverick Therapeutics."
    assert infer_published(text) == dt.date(2021, 3, 9)


def test_event_date_comes_from_the_lead_sentence() -> None:
    text = ("On July 22, 2025, Alpha Biotherapeutics Co., Ltd. announced that it has entered into an exclusive "
            "license agreement with Beta Pharma Inc. for AB-101. Beta Pharma will pay Alpha Biotherapeutics an "
            "upfront payment of USD 20 million.")
    [event] = extract(text, title="Alpha licenses AB-101 to Beta", published=dt.date(2025, 7, 23))
    assert event.date == "2025-07-22"


def test_the_day_a_dateline_sentence_gives_its_event_beats_the_dateline() -> None:
    text = ("PORTLAND, Ore., March 9, 2026 (GLOBE NEWSWIRE) -- Wexham Bio, Inc. today announced that the first "
            "patient was dosed on March 3, 2026 in its Phase 1 trial of WXB-31 in psoriasis.")
    event = extract(text, published=dt.date(2026, 3, 9))[0]
    assert (event.type, event.date) == ("clinical", "2026-03-03")


def test_a_slashed_wire_dateline_gives_way_to_the_day_of_the_decision() -> None:
    text = ("DENVER, Dec. 5, 2026 /PRNewswire/ -- Wexham Bio, Inc. today announced that the U.S. Food and Drug "
            "Administration approved Zelvora (wexatamab) on December 4, 2026 for adults with follicular lymphoma.")
    event = extract(text, title="Wexham Bio Receives FDA Approval of Zelvora", published=dt.date(2026, 12, 5))[0]
    assert (event.type, event.date) == ("regulatory", "2026-12-04")


def test_a_dateline_sentence_without_another_day_keeps_the_dateline() -> None:
    text = ("PORTLAND, Ore., March 9, 2026 (GLOBE NEWSWIRE) -- Wexham Bio, Inc. today announced that the first "
            "patient was dosed in its Phase 1 trial of WXB-31, which began enrolling in January 2026.")
    assert extract(text, published=dt.date(2026, 3, 9))[0].date == "2026-03-09"


@pytest.mark.parametrize(
    "signed",
    [
        "The agreement, signed on October 6, includes $20 million upfront.",
        "The companies inked the deal on October 6.",
        "Harnell Bio and Quorra Pharma signed the licence for HB-12 on October 6.",
        "The deal was signed October 6.",
        "The companies reached the agreement on October 6.",
    ],
)
def test_the_signing_day_told_after_the_announcement_dates_the_deal(signed: str) -> None:
    text = (f"Harnell Bio today announced that it has granted Quorra Pharma exclusive rights to HB-12 in Japan. "
            f"{signed}")
    event = next(e for e in extract(text, title="Harnell Bio licenses HB-12 to Quorra Pharma", published=PUBLISHED)
                 if e.primary)
    assert event.date == "2025-10-06"


def test_a_day_told_with_another_verb_after_the_signing_is_not_the_signing_day() -> None:
    text = ("Harnell Bio today announced that it has granted Quorra Pharma exclusive rights to HB-12 in Japan. The "
            "agreement was signed last week and disclosed to investors on October 6.")
    event = next(e for e in extract(text, title="Harnell Bio licenses HB-12 to Quorra Pharma", published=PUBLISHED)
                 if e.primary)
    assert event.date == "2025-10-09"


@pytest.mark.parametrize(
    ("told", "action"),
    [
        ("Harnell Bio today announced that the U.S. Food and Drug Administration (FDA) has approved HB-551 for "
         "migraine. The approval was granted on October 6.", "approved"),
        ("Harnell Bio today announced that China's NMPA has accepted its NDA for HB-551. The application was "
         "accepted on October 6.", "nda_accepted"),
    ],
)
def test_the_decision_day_a_sentence_going_on_about_it_gives_dates_it(told: str, action: str) -> None:
    event = next(e for e in extract(told, title="Regulator clears Harnell Bio's HB-551", published=PUBLISHED)
                 if e.primary)
    assert (event.regulatory_action, event.date) == (action, "2025-10-06")


def test_the_day_a_lead_says_the_deals_were_told_dates_the_headline() -> None:
    body = (
        "Posted : 2026-10-27 17:40\n\n"
        "Corvane Pharmaceutical said on Oct. 27 it has signed two separate technology export deals worth up to "
        "900 billion won.\n\n"
        "In the first deal, Corvane licensed CV-3310, an oral GLP-1 receptor agonist, to U.S.-based Tallis "
        "Therapeutics for 40 billion won upfront.\n"
    )
    events = extract(body, title="Corvane signs two licensing deals worth 900 billion won",
                     published=dt.date(2026, 10, 27))
    primary = next(e for e in events if e.primary)
    assert primary.date == "2026-10-27"
