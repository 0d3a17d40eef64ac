"""Page furniture (related headlines, digests, footers, tickers, paywalls) yields no event, and blanking it
keeps every offset valid; what the article reports survives. All names and texts are invented."""

from __future__ import annotations

import pytest

from dealwire.services.extract.engine import extract
from dealwire.services.extract.engine.furniture import blank_furniture
from dealwire.services.extract.engine.text import clean

TITLE = "Orvane Pharma licenses OR-118 to Talon Therapeutics"
DEAL = ("Orvane Pharma has granted Talon Therapeutics exclusive rights to develop OR-118 worldwide, the companies "
        "said on Monday. Talon Therapeutics will pay Orvane Pharma an upfront payment of $50 million and up to "
        "$400 million in milestones.")

RELATED_HEADLINES = ("Kestrel Bio to acquire Lumen Therapeutics for $2.1 billion\n"
                     "Birchwood Pharma wins FDA approval for BW-12 in lupus\n"
                     "Quill Biosciences raises $80 million in Series B round led by Harbor Ventures\n"
                     "Marlow Health licenses MX-7 to Dunmore Labs in $300 million deal")


def _types(text: str, title: str | None = TITLE) -> list[tuple[str, bool]]:
    return [(event.type, event.primary) for event in extract(text, title=title)]


def test_a_list_of_related_headlines_after_the_article_adds_no_events() -> None:
    assert _types(f"{TITLE}\n\n{DEAL}\n\n{RELATED_HEADLINES}") == [("licensing", True)]


def test_a_related_list_under_its_heading_adds_no_events() -> None:
    text = f"{DEAL}\n\nMore news\n{RELATED_HEADLINES}\n\nThe deal is expected to close in the third quarter of 2025."
    assert _types(text) == [("licensing", True)]


def test_headlines_separated_by_dashes_add_no_events() -> None:
    dashed = "\n-\n".join(RELATED_HEADLINES.split("\n"))
    assert _types(f"{DEAL}\n-\n{dashed}\n-") == [("licensing", True)]


def test_digest_and_next_article_links_add_no_events() -> None:
    text = (f"{DEAL}\n\nRead more: Kestrel Bio to acquire Lumen Therapeutics for $2.1 billion\n\nThe companies "
            "expect to start a Phase 2 trial of OR-118 next year.\n\nPrevious articleBirchwood Pharma wins FDA "
            "approval for BW-12 in lupus\nNext articleQuill Biosciences raises $80 million in Series B round")
    assert _types(text) == [("licensing", True)]


def test_a_footer_adds_no_events() -> None:
    text = (f"{DEAL}\n\nShare this article\nFacebook\nTwitter\nLinkedIn\nComments (3)\nLeave a comment\n"
            "Subscribe to our newsletter for the latest deals from Kestrel Bio and Lumen Therapeutics\n"
            "Privacy Policy\nTerms of Use\nCopyright © 2025 Example Media Ltd. All rights reserved.")
    assert _types(text) == [("licensing", True)]


def test_a_ticker_block_adds_no_events_and_is_not_the_headline() -> None:
    tickers = ("Skip to content\n  • NDXQ 15234.12 +45.10 +0.30%\n  • ORVN 38.00 Increased By ▲ 0.01 (0.03%)\n"
               "  • TALN 12.40 Decreased By ▼ -0.31 (-2.44%)\n  • USD/EUR 0.92 -0.01 -0.11%\nView Market Snapshot")
    events = extract(f"{tickers}\n{TITLE}\n\n{DEAL}")
    assert [(e.type, e.primary) for e in events] == [("licensing", True)]


def test_paywall_text_ends_the_article() -> None:
    text = (f"{DEAL}\n\nThis article is accessible to registered users, to continue reading please register "
            "for free.\nBecome a subscriber\nThe service is a daily update on deals, such as Kestrel Bio's "
            "acquisition of Lumen Therapeutics for $2.1 billion.\nChairman, Birchwood Pharma")
    assert _types(text) == [("licensing", True)]


@pytest.mark.parametrize(
    "paywall",
    ["This article is accessible to registered users, to continue reading please register for free.",
     "Subscribe to read the full story.", "Already a subscriber? Sign in here.", "For subscribers only",
     "Start your free trial today"],
)
def test_what_a_paywall_says_is_found_however_it_is_capitalised(paywall: str) -> None:
    text = f"{DEAL}\n{paywall}\nKestrel Bio acquired Lumen Therapeutics for $2.1 billion in 2024."
    for variant in (paywall, paywall.lower(), paywall[0].lower() + paywall[1:]):
        blanked = blank_furniture(text.replace(paywall, variant))
        assert blanked.startswith(DEAL) and blanked[len(DEAL):].strip() == "", variant


def test_a_most_read_list_between_paragraphs_adds_no_events() -> None:
    text = (f"{DEAL}\n\nMost read\n{RELATED_HEADLINES}\n\nTalon Therapeutics said the licence strengthens its "
            "pipeline in oncology and that it expects the first patients to be dosed next year.")
    assert _types(text) == [("licensing", True)]


_TWO_HEADLINES = "\n".join(RELATED_HEADLINES.split("\n")[:2])
_MORE_DEAL = ("Talon Therapeutics said the licence strengthens its pipeline in oncology and that it expects the "
              "first patients to be dosed next year.")


def test_two_bare_headlines_between_paragraphs_add_no_events() -> None:
    """A sidebar the page put inline, with no heading: a section heading comes alone, these come in a row."""
    assert _types(f"{DEAL}\n\n{_TWO_HEADLINES}\n\n{_MORE_DEAL}") == [("licensing", True)]


def test_two_bare_headlines_after_the_article_add_no_events() -> None:
    assert _types(f"{DEAL}\n\n{_MORE_DEAL}\n\n{_TWO_HEADLINES}") == [("licensing", True)]


def test_a_bulleted_sidebar_of_other_companies_between_paragraphs_adds_no_events() -> None:
    sidebar = "\n".join("• " + line for line in RELATED_HEADLINES.split("\n")[:2])
    assert _types(f"{DEAL}\n\n{sidebar}\n\n{_MORE_DEAL}") == [("licensing", True)]


@pytest.mark.parametrize("prefix", ["Related story: ", "Editor's pick: ", "You may also like: ", "Watch: ",
                                    "Trending: ", "Sponsored: "])
def test_a_link_line_between_paragraphs_adds_no_events(prefix: str) -> None:
    link = prefix + RELATED_HEADLINES.split("\n")[0]
    assert _types(f"{DEAL}\n\n{link}\n\n{_MORE_DEAL}") == [("licensing", True)]


def test_bulleted_points_between_paragraphs_are_content() -> None:
    text = (f"{DEAL}\n\n• Talon Therapeutics pays $50 million upfront for OR-118\n"
            f"• Orvane Pharma keeps the rights to OR-118 in Japan\n\n{_MORE_DEAL}")
    assert blank_furniture(text) == text


def test_an_in_brief_summary_of_the_article_is_content() -> None:
    text = ("In brief\n• Orvane Pharma grants Talon Therapeutics worldwide rights to OR-118\n"
            "• Talon Therapeutics pays $50 million upfront\n• Orvane Pharma keeps rights in Japan\n\n"
            "Orvane Pharma has granted Talon Therapeutics exclusive rights to develop OR-118 worldwide, the "
            "companies said on Monday.")
    assert blank_furniture(text) == text
    [event] = extract(text, title=TITLE)
    assert event.upfront is not None and event.upfront.amount == 50_000_000


def test_furniture_alone_yields_nothing() -> None:
    text = ("Skip to content\nNDXQ 15234.12 +45.10 +0.30%\nRelated Articles\n" + RELATED_HEADLINES +
            "\nShare on social media\nCopyright © 2025 Example Media")
    assert extract(text) == []


def test_blanking_keeps_length_line_breaks_and_offsets() -> None:
    text = f"{TITLE}\n\n{DEAL}\n\nShare this article\n\n{RELATED_HEADLINES}\n"
    blanked = clean(text)
    assert len(blanked) == len(text)
    assert [i for i, ch in enumerate(blanked) if ch == "\n"] == [i for i, ch in enumerate(text) if ch == "\n"]
    assert blanked.startswith(f"{TITLE}\n\n{DEAL}\n\n")
    assert "Kestrel" not in blanked and "Share" not in blanked
    [event] = extract(text, title=TITLE)
    for evidence in event.evidence:
        if evidence.end:
            assert text[evidence.start : evidence.end] == evidence.sentence


def test_a_bulleted_list_of_sentences_at_the_top_is_content() -> None:
    text = ("• Orvane Pharma grants Talon Therapeutics worldwide rights to OR-118\n"
            "• Talon Therapeutics pays $50 million upfront and up to $400 million in milestones\n"
            "• Orvane Pharma keeps rights in Japan\n\n"
            f"{DEAL}\n\nThe companies expect to start a Phase 2 trial of OR-118 next year.")
    assert blank_furniture(text) == text
    assert _types(text) == [("licensing", True)]


@pytest.mark.parametrize(
    "text",
    [
        f"{TITLE}\n\n{TITLE}\n\nBy Jane Doe, staff reporter\nMarch 3, 2025\n\n{DEAL}",
        f"{DEAL}\n\nKey terms\n\nTalon Therapeutics takes over all development costs.\n\nOutlook\n\n"
        "The companies expect to start a Phase 2 trial next year.",
        f"{DEAL}\n\nResults:\n- Objective response rate: 40%\n- Median progression-free survival: 8.6 months\n"
        "- Median overall survival: 13.2 months",
        # hard-wrapped text: short lines cut mid-sentence are running text, not headlines
        "Orvane Pharma has granted Talon Therapeutics\nexclusive rights to develop OR-118 in Asia for\n"
        "an upfront payment of $50 million. Talon said\nit expects to start a Phase 2 trial of the drug\n"
        "next year, the companies told reporters.\nOrvane Pharma shares rose 4% on the news",
    ],
)
def test_headlines_headings_bylines_data_lists_and_wrapped_text_survive(text: str) -> None:
    assert blank_furniture(text) == text


def test_a_single_line_is_never_furniture() -> None:
    assert blank_furniture("Subscribe to our newsletter") == "Subscribe to our newsletter"
