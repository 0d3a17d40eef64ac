"""The engine's primary event for a text, as the engine unit tests read it."""

from __future__ import annotations

import datetime as dt

from dealwire.services.extract.engine import extract
from dealwire.shared.schemas import DealPayload


def primary_event(text: str, title: str | None = None, *, published: dt.date) -> DealPayload:
    events = [e for e in extract(text, title=title, published=published) if e.primary]
    assert events, "no primary event"
    return events[0]
