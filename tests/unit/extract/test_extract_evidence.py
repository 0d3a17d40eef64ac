"""Every extracted field carries its evidence: the sentence it was read from, with its span in the text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dealwire.services.extract.engine import extract

EVIDENCED = ("parties", "assets", "modality", "targets", "indications", "upfront", "milestones", "royalties",
             "total_value", "equity", "territory", "regulatory_action", "stage", "date")


def test_each_field_of_the_seed_events_has_evidence_in_the_text(corpus: Path) -> None:
    for path in sorted((corpus / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for event in extract(text, published=dt.date(2025, 10, 31)):
            cited = {e.field for e in event.evidence}
            values = event.model_dump()
            missing = [f for f in EVIDENCED if values.get(f) not in (None, [], "") and f not in cited]
            if values.get("regulator") and "regulatory_action" not in cited:
                missing.append("regulator")
            assert not missing, f"{path.name} {event.type}: no evidence for {missing}"
            for evidence in event.evidence:
                if evidence.end:  # 0, 0 marks a title given apart from the text
                    assert text[evidence.start : evidence.end] == evidence.sentence


def test_money_evidence_points_at_the_sentence_with_the_amount() -> None:
    text = ("Orvane Pharma has granted Talon Therapeutics exclusive rights to OR-118.\n"
            "Talon Therapeutics will pay Orvane Pharma an upfront payment of US$50 million.")
    [event] = extract(text, title="Orvane Pharma licenses OR-118 to Talon Therapeutics")
    [upfront] = [e for e in event.evidence if e.field == "upfront"]
    assert "US$50 million" in upfront.sentence
    assert text[upfront.start : upfront.end] == upfront.sentence
