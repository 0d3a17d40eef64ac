"""A company name in a title-case headline ends before the deal verb that follows it."""

from __future__ import annotations

import datetime as dt

import pytest

from dealwire.services.extract.engine import extract
from dealwire.shared.schemas import DealPayload


def _events(text: str, title: str) -> list[DealPayload]:
    return extract(text, title=title, published=dt.date(2025, 6, 1))


def _all_names(events: list[DealPayload]) -> set[str]:
    return {n for e in events for p in e.parties for n in (p.name, *p.aliases)}


@pytest.mark.parametrize(
    ("title", "body", "verb"),
    [
        ("Acme Bio and Birch Enter Exclusive Licensing Agreement for AB-101",
         "Acme Bio and Birch announced an exclusive license agreement for AB-101. Birch will receive an upfront "
         "payment of $10 million from Acme Bio.", "Enter"),
        ("Acme Bio and Birch Sign License Deal for AB-101",
         "Birch has granted Acme Bio exclusive rights to AB-101 for $20 million upfront.", "Sign"),
        ("Birch Enters Into License Agreement With Acme Bio for AB-101",
         "Birch will receive $5 million upfront from Acme Bio for the rights to AB-101.", "Enters"),
        ("Acme Receives FDA Approval for Acmezumab in Breast Cancer",
         "Acme said the FDA approved acmezumab for breast cancer.", "Receives"),
        ("Acme Completes Acquisition of Birch",
         "Acme announced it completed the acquisition of Birch for $1 billion in cash.", "Completes"),
        ("Acme Acquires Birch for $1 Billion",
         "The deal values Birch at $1 billion, Acme said.", "Acquires"),
        ("Acme Inks Licensing Pact With Birch for AB-101",
         "Acme will pay Birch $12 million upfront for rights to AB-101.", "Inks"),
        ("Acme Licenses AB-101 From Birch",
         "Birch will receive $12 million upfront from Acme for AB-101.", "Licenses"),
        ("Acme Raises $80 Million in Series B Financing Led by Birch Ventures",
         "Acme raised $80 million in a Series B round led by Birch Ventures.", "Raises"),
        ("Acme Secures $40 Million Series A Financing",
         "The round was led by Birch Ventures, Acme said.", "Secures"),
        ("Acme Grants Birch Exclusive Rights to AB-101 in China",
         "Birch will pay $10 million upfront for the rights to AB-101 in Greater China, Acme said.", "Grants"),
        ("Acme Announces Strategic Collaboration With Birch Therapeutics",
         "Acme and Birch Therapeutics will jointly develop AB-101.", "Announces"),
    ],
)
def test_headline_verb_is_not_part_of_a_company_name(title: str, body: str, verb: str) -> None:
    events = _events(body, title)
    names = _all_names(events)
    assert names, "no party found"
    assert not any(verb in name.split() for name in names), names


def test_partners_is_a_verb_before_with_but_a_noun_in_a_firm_name() -> None:
    events = _events("Acme and Birch will collaborate on AB-101.", "Acme Partners With Birch to Develop AB-101")
    assert _all_names(events) == {"Acme", "Birch"}
    financing = _events("Acme Therapeutics raised $50 million in a Series A financing led by Birch Capital Partners.",
                        "Birch Capital Partners Leads $50M Series A in Acme Therapeutics")
    assert "Birch Capital Partners" in _all_names(financing)


def test_a_verb_that_starts_a_name_stays() -> None:
    events = _events("Acme Bio acquired Launch Therapeutics for $300 million in cash.",
                     "Acme Bio Acquires Launch Therapeutics")
    assert _all_names(events) >= {"Acme Bio", "Launch Therapeutics"}


def test_fuller_body_name_wins_over_the_headline_fragment() -> None:
    text = ("On May 2, 2025, Acme Bio announced an exclusive license agreement with US-based KELVARA LLC for "
            "AB-301. Kelvara gains global rights excluding Greater China. Acme Bio will receive an upfront "
            "payment of USD 10 million.")
    event = next(e for e in _events(text, "Acme Bio and Kelvara Enter Exclusive Licensing Agreement for AB-301")
                 if e.primary)
    licensee = next(p for p in event.parties if p.role == "licensee")
    assert licensee.name == "KELVARA LLC"
    assert "Kelvara Enter" not in licensee.aliases
    assert {p.name for p in event.parties} == {"Acme Bio", "KELVARA LLC"}


_BODY = ("Under the terms of the collaboration, Corvex is entitled to upfront and research payments of CHF5 "
         "million, the Basel-based company said on Wednesday.\nShould Talonis exercise a license option, payments "
         "of up to CHF479 million would be added.\nThe two companies want to drive forward a Corvex program.")


@pytest.mark.parametrize("title", ["Swiss firm Corvex signs deal with Talonis for antibiotics research",
                                   "Swiss Firm Corvex Signs Deal With Talonis For Antibiotics Research"])
def test_a_title_case_headline_names_the_same_companies(title: str) -> None:
    """Every word capitalised: "Firm" before a name, "For" after one are no part of it."""
    [event] = _events(_BODY, title)
    assert (event.type, _all_names([event])) == ("collaboration", {"Corvex", "Talonis"})


@pytest.mark.parametrize(
    ("title", "body", "names"),
    [
        ("Corvex Bio (HKG: 1877) Has Announced That It Has Received Approval From The European Commission For "
         "Its Drug Corvelimab", "Corvex Bio said the European Commission approved corvelimab for lung cancer.",
         {"Corvex Bio"}),
        ("Corvex Bio Became The First Biopharma To Price Its IPO On The Board",
         "Corvex Bio raised $80 million in its initial public offering on Monday.", {"Corvex Bio"}),
    ],
)
def test_title_case_auxiliaries_and_verbs_are_not_companies(title: str, body: str, names: set[str]) -> None:
    assert _all_names(_events(body, title)) == names
