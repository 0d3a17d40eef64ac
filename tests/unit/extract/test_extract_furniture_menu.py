"""A site's menu or breadcrumb line ("Home | News | Deals | Events") is page furniture: blanked, it no longer stands
in the article's lead, and the deal the headline tells is the primary event. Invented names and text."""

from __future__ import annotations

from dealwire.services.extract.engine import extract
from dealwire.services.extract.engine.furniture import blank_furniture

MENU = "Home | News | Regulatory | Deals | Events"
TITLE = "Ferrowick Bio licenses FW-220 to Osterley Pharma in Japan"
BODY = (f"{MENU}\n\n{TITLE}\n\nDec 1, 2026 | By Staff Reporter\n\n"
        "Ferrowick Bio said on Monday it had granted Osterley Pharma exclusive rights to FW-220 in Japan. "
        "Osterley Pharma will pay Ferrowick Bio $30 million upfront.\n")


def test_menu_line_is_blanked_and_the_rest_kept() -> None:
    blanked = blank_furniture(BODY)
    assert len(blanked) == len(BODY)
    assert MENU not in blanked
    assert TITLE in blanked and "Dec 1, 2026 | By Staff Reporter" in blanked


def test_a_headline_with_one_bar_is_no_menu() -> None:
    text = "Ferrowick Bio licenses FW-220 to Osterley | Daily Pharma Wire\n\nOsterley Pharma will pay $30 million."
    assert blank_furniture(text) == text


def test_menu_leaves_the_headline_event_primary() -> None:
    title = "China's NMPA accepts Ferrowick's NDA for HER2 inhibitor in gastric cancer"
    body = (f"{MENU}\n\n{title}\n\nDec 1, 2026 | By Staff Reporter\n\n"
            "Ferrowick Pharmaceutical Co., Ltd. said on Monday that China's National Medical Products Administration "
            "(NMPA) accepted its new drug application for FW-220, an oral HER2 inhibitor, on November 27.\n\n"
            "FW-220 received Breakthrough Therapy designation from the NMPA in March 2025.\n")
    events = extract(body, title=title)
    assert events and events[0].primary and events[0].type == "regulatory"
    assert [p.name for p in events[0].parties] == ["Ferrowick Pharmaceutical Co., Ltd."]
