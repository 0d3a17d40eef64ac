"""Whatever the input, `extract` returns a list and never raises, and huge input stays bounded."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dealwire.services.extract.engine import extract
from dealwire.shared.schemas import DealPayload
from tests.conftest import examples

DEAL = ("Orvane Pharma has granted Talon Therapeutics exclusive rights to OR-118 worldwide, excluding China. "
        "Talon Therapeutics will pay Orvane Pharma an upfront payment of US$50 million. ")


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=3_000), st.one_of(st.none(), st.text(max_size=200)), st.one_of(st.none(), st.dates()))
def test_any_text_never_raises(text: str, title: str | None, published: dt.date | None) -> None:
    assert isinstance(extract(text, title=title, published=published), list)


@settings(max_examples=examples(30), deadline=None)
@given(st.binary(max_size=4_000))
def test_binary_looking_input_never_raises(raw: bytes) -> None:
    assert isinstance(extract(raw.decode("latin-1")), list)


@settings(max_examples=examples(30), deadline=None)
@given(st.lists(st.sampled_from([DEAL, "中文新闻 授权协议 首付款 1亿元。", "Сделка на $5 млн. ", "\x00\x07", "🧬💊 ",
                                 "USD ", "Phase ", "(hereinafter \"", "excluding ", "\n\nAbout X\n"]), max_size=40))
def test_mixed_scripts_never_raise(parts: list[str]) -> None:
    assert isinstance(extract("".join(parts)), list)


def test_empty_input() -> None:
    assert extract("") == []
    assert extract("   \n\t ") == []


def test_five_megabytes_complete() -> None:
    huge = DEAL * (5_000_000 // len(DEAL) + 1)
    events = extract(huge, title="Orvane Pharma licenses OR-118 to Talon Therapeutics")
    assert isinstance(events, list)


def test_five_megabytes_of_one_line_complete() -> None:
    assert isinstance(extract("a" * 5_000_000), list)
    assert isinstance(extract("$1 " * 1_700_000), list)


def test_real_articles_extract_without_error(labelled) -> None:
    """`extract` has no catch-all: an engine bug on a labelled article raises here instead of costing events;
    every payload it returns is a valid contract."""
    for path, label in labelled.values():
        published = label.get("published")
        date = dt.date.fromisoformat(published) if published and len(published) == 10 else None
        for payload in extract(path.read_text(encoding="utf-8"), title=label.get("title"), published=date):
            assert DealPayload.model_validate(payload.model_dump()) == payload


_PIECES = ["Acme Pharma", " has granted ", "Birch Bio", " exclusive rights to ", "AB-101", " for $50 million upfront.",
           " acquired ", " the FDA approved ", "Phase 3 ", " trial ", "(NASDAQ: ACME)", ", a Boston-based biotech,",
           " and ", " while ", "; ", "The Korean biotech", " will receive ", "₩34.8 billion", " in March 2024",
           ", and in Hong Kong in May", "\n", "\n\n", "Related News\n", "Read more: ", "KOSPI 2745.82 -9.29 -0.34%\n",
           "It was approved in Japan.", " (hereinafter \"Acme\") ", "BMS", " Bristol Myers Squibb",
           " expanded an April 2020 contract with ", " denied ", "Separately, ", " To Be Acquired By ", "A/S", "RMB",
           "USD1.1", " T-cells ", ".", ",", "(", ")", "'s"]


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=60),
       st.one_of(st.none(), st.sampled_from(["Acme Pharma To Buy Birch Bio", "FDA Approves AB-101", ""])),
       st.one_of(st.none(), st.dates()))
def test_deal_shaped_fragments_never_raise(pieces: list[str], title: str | None, published: dt.date | None) -> None:
    assert isinstance(extract("".join(pieces), title=title, published=published), list)


def test_an_event_only_the_headline_told_is_dropped_not_crashed_on() -> None:
    text = "It was approved in Japan.Acme Pharma expanded an April 2020 contract with "
    assert isinstance(extract(text), list)
