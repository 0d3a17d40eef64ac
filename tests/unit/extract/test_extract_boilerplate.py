"""Company boilerplate, disclaimers and site footers create no events; neither does an article without one."""

from __future__ import annotations

from dealwire.services.extract.engine import extract

DEAL = ("Orvane Pharma has granted Talon Therapeutics exclusive rights to develop OR-118 worldwide. Talon "
        "Therapeutics will pay Orvane Pharma an upfront payment of $50 million.")


def test_about_sections_add_no_events() -> None:
    text = (f"{DEAL}\n\nAbout Orvane Pharma\n\nOrvane Pharma previously licensed OR-7 to Kestrel Bio for $20 "
            "million and acquired Lumen Therapeutics in 2019. Its OR-55 received FDA approval in 2021.\n\n"
            "About Talon Therapeutics\n\nTalon Therapeutics has raised $300 million from investors.")
    events = extract(text, title="Orvane Pharma licenses OR-118 to Talon Therapeutics")
    assert [(e.type, e.primary) for e in events] == [("licensing", True)]


def test_disclaimer_and_footer_add_no_events() -> None:
    text = (f"{DEAL}\n\nDisclaimer: This article does not constitute investment advice. Mentioned companies "
            "may have acquired or licensed assets.\n\nhttps://example.com/news/123\n\nSubscribe\n\n"
            "Please enter a valid Email address!")
    events = extract(text, title="Orvane Pharma licenses OR-118 to Talon Therapeutics")
    assert len(events) == 1


def test_boilerplate_alone_yields_nothing() -> None:
    text = ("Share on wechat\n\nAbout Orvane Pharma\n\nOrvane Pharma is a biotechnology company that has licensed "
            "and acquired many assets.\n\nForward-Looking Statements\n\nThis release may contain statements "
            "about approvals of our product candidates.")
    assert extract(text) == []


def test_market_commentary_has_no_event() -> None:
    text = ("3-Day 9% Rally: Why Hong Kong Biotech Stocks Continue to Rise\n\nLast week, Hong Kong biotech stocks "
            "fell for three days before rebounding. The sector trades at 38x PE, at the 40th percentile of the "
            "past 10 years, while AI stocks trade at 75x PE. Analysts expect valuations to recover as earnings "
            "grow faster than prices.")
    assert extract(text) == []


def test_an_about_section_on_the_drug_describes_it() -> None:
    text = (f"{DEAL}\n\nAbout OR-118\n\nOR-118 is a monoclonal antibody in a Phase 2 trial for systemic lupus "
            "erythematosus.\n\nAbout Orvane Pharma Co., Ltd.\n\nOrvane Pharma previously licensed OR-7 to Kestrel "
            "Bio for $20 million.")
    events = extract(text, title="Orvane Pharma licenses OR-118 to Talon Therapeutics")
    assert [(e.type, e.primary) for e in events] == [("licensing", True)]
    assert events[0].stage == "Phase II"
    assert events[0].modality == ["monoclonal antibody"]
    assert events[0].indications == ["systemic lupus erythematosus"]
