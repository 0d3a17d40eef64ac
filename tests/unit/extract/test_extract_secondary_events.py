"""Secondary deals told in passing whose counterparty goes unnamed ("licensed a drug from another biotech")."""

from __future__ import annotations

import datetime as dt

from dealwire.services.extract.engine import extract

_PUBLISHED = dt.date(2026, 5, 4)
_HEADLINE = ("Quintarra Biopharma Ltd. has paid Fennick Therapeutics $20 million upfront for an exclusive licence "
             "to FNK-210, a small-molecule inhibitor, in Asia. Fennick is eligible for up to $150 million in "
             "milestones. ")


def _secondary(text: str, title: str) -> list[tuple[str, list[tuple[str, str]]]]:
    events = extract(text, title=title, published=_PUBLISHED)
    return [(e.type, [(p.name, p.role) for p in e.parties]) for e in events if not e.primary]


def test_a_past_licence_from_an_unnamed_biotech_is_an_event_of_its_own() -> None:
    text = _HEADLINE + ("Quintarra, based in Singapore, said the company licensed a kinase inhibitor from another "
                        "U.S. biotech in 2024.")
    secondary = _secondary(text, "Quintarra licenses Fennick's FNK-210 in Asia")
    assert any(kind == "licensing" and [n for n, _ in parties] == ["Quintarra Biopharma Ltd."]
               for kind, parties in secondary)


def test_a_separate_deal_with_an_unnamed_startup_is_reported_with_its_one_named_party() -> None:
    text = _HEADLINE + ("Quintarra struck a separate $30 million research collaboration with a gene editing "
                        "startup in January.")
    secondary = _secondary(text, "Quintarra licenses Fennick's FNK-210 in Asia")
    assert any(kind == "collaboration" and [n for n, _ in parties] == ["Quintarra Biopharma Ltd."]
               for kind, parties in secondary)


def test_an_unnamed_partner_of_the_present_deal_is_no_event() -> None:
    text = _HEADLINE + "Quintarra also signed a supply agreement with a contract manufacturer."
    secondary = _secondary(text, "Quintarra licenses Fennick's FNK-210 in Asia")
    assert not any(len(parties) == 1 and kind != "financing" for kind, parties in secondary)


def test_a_merger_with_a_blank_check_company_names_no_unnamed_partner() -> None:
    text = _HEADLINE + "Fennick went public in 2021 after it merged with a blank-check company."
    secondary = _secondary(text, "Quintarra licenses Fennick's FNK-210 in Asia")
    assert not any(len(parties) == 1 and kind != "financing" for kind, parties in secondary)
