"""The day a deal "became effective" is its date, as a signing day is, not the dateline's."""

from __future__ import annotations

import datetime as dt

from dealwire.services.extract.engine import extract


def test_the_day_the_agreement_became_effective() -> None:
    text = ("OSLO, March 12, 2026 -- Tarnwell Bio and Quessant Pharma today announced a research collaboration on "
            "QP-7, an antibody for lupus. The agreement became effective on March 9, 2026. Quessant Pharma will pay "
            "Tarnwell Bio $15 million upfront.")
    event = next(e for e in extract(text, title="Tarnwell Bio and Quessant Pharma team up on QP-7",
                                    published=dt.date(2026, 3, 12)) if e.primary)
    assert event.date == "2026-03-09"
