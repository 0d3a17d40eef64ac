"""Parties and events of branch ic: advisers, underwriters and analysts' firms are no parties; title words, parents
and speculation make no party or event. Invented text."""

from __future__ import annotations

import datetime as dt

from dealwire.services.extract.engine import extract

_PUBLISHED = dt.date(2026, 9, 8)


def _events(text: str, title: str) -> list[tuple[bool, str, list[tuple[str, str]]]]:
    events = extract(text, title=title, published=_PUBLISHED)
    return [(e.primary, e.type, [(p.name, p.role) for p in e.parties]) for e in events]


def _names(events: list[tuple[bool, str, list[tuple[str, str]]]]) -> set[str]:
    return {name for _, _, parties in events for name, _ in parties}


def test_placement_agent_and_counsel_of_a_round_are_no_investors() -> None:
    text = ("BOSTON, Sept. 8, 2026 -- Quorvel Therapeutics, Inc. today announced the closing of a $90 million "
            "Series B financing led by Amberlane Capital, with participation from Tisdale Ventures.\n\n"
            "Proceeds will fund a Phase 2 trial of QV-12.\n\n"
            "Marrowgate Partners served as exclusive placement agent for the financing, and Fenlow Bright LLP acted "
            "as legal counsel to Quorvel.\n")
    events = _events(text, "Quorvel Therapeutics Closes $90 Million Series B Financing")
    names = _names(events)
    assert "Amberlane Capital" in names and "Tisdale Ventures" in names
    assert "Marrowgate Partners" not in names and "Fenlow Bright LLP" not in names, events


def test_joint_bookrunners_listed_together_are_no_parties() -> None:
    text = ("SAN DIEGO, Sept. 8, 2026 -- Pellora Bio, Inc. today announced the pricing of an underwritten public "
            "offering with gross proceeds of $150 million. Harrand & Co. and Stellmoor Securities are acting as "
            "joint book-running managers for the offering.\n")
    events = _events(text, "Pellora Bio Prices $150 Million Public Offering")
    names = _names(events)
    assert "Harrand & Co." not in names and "Stellmoor Securities" not in names, events


_LICENCE = ("LONDON, Sept. 8, 2026 -- Tarrowby Bio Ltd. today announced an exclusive license agreement under which "
            "Wenmark Pharma AG will develop and commercialize TB-404 in Europe. Wenmark will pay Tarrowby $25 million "
            "upfront and up to $200 million in milestones.\n\n")


def test_a_title_word_before_a_firm_is_no_company() -> None:
    text = ("BOSTON, Sept. 8, 2026 -- Quorvel Therapeutics, Inc. today announced a $90 million Series B financing "
            "led by Amberlane Capital.\n\nJorun Valek, Managing Partner at Amberlane Capital, will join the board "
            "as part of the financing.\n")
    events = _events(text, "Quorvel Closes $90 Million Series B")
    assert "Managing" not in _names(events), events
    assert "Amberlane Capital" in _names(events)


def test_an_investors_quote_recalling_an_earlier_round_is_no_financing() -> None:
    text = _LICENCE + ('"We have backed Tarrowby since its Series A, and this deal shows why," said Jorun Valek, '
                       'a partner at Brassfield Bio Ventures.\n')
    events = _events(text, "Tarrowby Bio Licenses TB-404 to Wenmark Pharma")
    assert not any(kind == "financing" for _, kind, _ in events), events


def test_a_parent_named_in_an_apposition_is_no_party() -> None:
    text = ("Dec. 2, 2026 -- Sarnova Pharma, the wholly owned specialty subsidiary of Pelham Holdings, has bought "
            "OR-17 from Oravick Therapeutics for $120 million upfront.\n\nOR-17 is in a Phase 2 trial in asthma.\n")
    for title in ("Sarnova, Pelham's generics arm, buys Oravick's asthma asset for $120M",
                  "Sarnova buys Oravick's asthma asset for $120M"):
        events = _events(text, title)
        assert "Pelham Holdings" not in _names(events), (title, events)
        assert {"Sarnova Pharma", "Oravick Therapeutics"} <= _names(events)


def test_a_deal_an_analyst_guesses_at_is_no_event() -> None:
    text = ("Dec. 1, 2026 -- Marlowick Pharma has spent the year watching rivals spend.\n\n"
            "Marlowick could acquire Tennard Therapeutics for between $3 billion and $4 billion, according to "
            "estimates from bank analysts, although neither company has commented.\n\n"
            "Tennard is also weighing a sale of its dermatology unit to Osgrove Bio, people familiar said.\n\n"
            "Marlowick may seek a partner for its obesity program with Harlan Pharma instead.\n")
    events = _events(text, "Is Marlowick Pharma finally ready to shop?")
    assert not events, events


def test_a_deal_signed_beside_a_hedged_outlook_stays() -> None:
    text = ("Dec. 1, 2026 -- Marlowick Pharma agreed to acquire Tennard Therapeutics for $3 billion in cash. "
            "The deal is expected to close in the first quarter and could add to earnings in 2028.\n")
    events = _events(text, "Marlowick to buy Tennard for $3 billion")
    assert any(primary and kind == "acquisition" for primary, kind, _ in events), events
