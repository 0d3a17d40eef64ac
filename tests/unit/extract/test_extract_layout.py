"""Text as pages and feeds deliver it: hard-wrapped lines, headlines on a line of their own."""

from __future__ import annotations

import datetime as dt

from dealwire.services.extract.engine import extract
from dealwire.services.extract.engine.text import unwrap_lines


def test_hard_wrapped_sentences_are_read_whole() -> None:
    text = ("Pelago Biosciences became the first biotech this year to price its\n"
            "IPO on the Nasdaq, raising $150 million in an upsized offering that\n"
            "values the company at $1.2 billion, the company said on Tuesday.\n")
    [event] = extract(text, published=dt.date(2025, 6, 12))
    assert event.type == "financing"
    assert [p.name for p in event.parties] == ["Pelago Biosciences"]
    assert event.total_value is not None and event.total_value.amount == 150_000_000  # not the valuation


def test_unwrapping_keeps_offsets_and_headline_lines() -> None:
    text = ("Acme Pharma Licenses AC-101 to Birch Bio\n(Acme Wire) - Acme Pharma granted Birch Bio rights to\n"
            "AC-101 in China.\n")
    unwrapped = unwrap_lines(text)
    assert len(unwrapped) == len(text)
    assert unwrapped.split("\n")[0] == "Acme Pharma Licenses AC-101 to Birch Bio"  # a headline ends its line
    assert "rights to AC-101 in China." in unwrapped


def test_a_sentence_ending_in_a_short_scale_is_a_sentence_of_its_own() -> None:
    """"… for $40m. Elm Pharma …": the "m." of a figure is no initial, so the two deals stay apart."""
    text = ("Corvo Labs licensed AB-101 to Delta Bio for $40m. Elm Pharma said it would acquire Fenwick Bio. "
            "J. Smith of Corvo Labs said the licence was global.")
    events = extract(text, title="Corvo Labs licenses AB-101 to Delta Bio", published=dt.date(2025, 6, 1))
    assert [(e.type, sorted(p.name for p in e.parties)) for e in events] == [
        ("licensing", ["Corvo Labs", "Delta Bio"]), ("acquisition", ["Elm Pharma", "Fenwick Bio"])]
