"""Where, inside its evidence sentence, a field's value is written: the spans the web page highlights.

The engine records which sentence supports each field; this finds the value's words in it (names,
lists, amounts written as '$15 million' or 'USD 1.32 billion', dates written out). A value written
differently from how it was extracted simply gets no highlight: the sentence is still shown.
"""

from __future__ import annotations

import re
from calendar import month_abbr, month_name

from dealwire.shared.schemas import DealEvent, Money

Span = tuple[int, int]

_NUMBER = re.compile(
    r"(?:US\$|\$|USD|EUR|€|RMB|CNY|¥|£|GBP|CHF|JPY)?\s?(\d[\d,]*(?:\.\d+)?)\s?"
    r"(billion|million|thousand|bn|mn|[mbk](?![a-z]))?", re.IGNORECASE)
_SCALE = {"billion": 1e9, "bn": 1e9, "b": 1e9, "million": 1e6, "mn": 1e6, "m": 1e6, "thousand": 1e3, "k": 1e3}
_TYPE_WORDS = {
    "licensing": r"licen[cs]\w*", "collaboration": r"collaborat\w*|partner\w*|alliance",
    "acquisition": r"acqui\w*|merger|buy\w*|takeover", "regulatory": r"approv\w*|accept\w*|clear\w*|designat\w*",
    "financing": r"financ\w*|rais\w*|round|IPO|placement|offering", "clinical": r"trial\w*|phase\s+\w+|data",
}
_ACTION_WORDS = {
    "nda_accepted": r"accept\w*|NDA", "bla_accepted": r"accept\w*|BLA", "approved": r"approv\w*",
    "conditional_approval": r"conditional\w*|approv\w*", "rejected": r"reject\w*", "crl": r"complete response|CRL",
    "ind_cleared": r"clear\w*|IND", "breakthrough_designation": r"breakthrough", "orphan_designation": r"orphan",
    "priority_review": r"priority review", "fast_track": r"fast track",
}


def highlights_for(event: DealEvent) -> list[list[Span]]:
    """For each of the event's evidence items, the spans of its field's value in its sentence."""
    return [find_value(event, item.field, item.sentence) for item in event.evidence]


def find_value(event: DealEvent, field: str, sentence: str) -> list[Span]:
    money = getattr(event, field, None) if field in ("upfront", "milestones", "total_value", "equity") else None
    if isinstance(money, Money):
        return _money_spans(money, sentence)
    if field == "royalties" and event.royalties:
        spans = _word_spans([r"royalt\w*", *(re.escape(t) for t in [event.royalties.rate] if t)], sentence)
        return _merge(spans + (_money_spans(event.royalties.cap, sentence) if event.royalties.cap else []))
    if field == "date" and event.date:
        return _word_spans(_date_patterns(event.date), sentence)
    if field == "type":
        return _word_spans([_TYPE_WORDS[event.type]], sentence)
    if field == "regulatory_action" and event.regulatory_action:
        return _word_spans([_ACTION_WORDS.get(event.regulatory_action, r"(?!x)x")], sentence)
    return _word_spans([re.escape(term) for term in _terms(event, field)], sentence)


def _terms(event: DealEvent, field: str) -> list[str]:
    if field == "parties":
        return [name for party in event.parties for name in (party.name, *party.aliases)]
    if field == "territory" and event.territory:
        return [*event.territory.include, *event.territory.exclude]
    value = getattr(event, field, None)
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return [value] if isinstance(value, str) else []


def _word_spans(patterns: list[str], sentence: str) -> list[Span]:
    patterns = [pattern for pattern in patterns if pattern]
    if not patterns:
        return []
    combined = re.compile(r"(?<!\w)(?:" + "|".join(sorted(patterns, key=len, reverse=True)) + r")(?!\w)", re.IGNORECASE)
    return _merge([match.span() for match in combined.finditer(sentence)])


def _money_spans(money: Money, sentence: str) -> list[Span]:
    spans = []
    for match in _NUMBER.finditer(sentence):
        try:
            number = float(match.group(1).replace(",", ""))
        except ValueError:
            continue
        scale = _SCALE.get((match.group(2) or "").lower(), 1.0)
        if money.amount and abs(number * scale - money.amount) <= 0.01 * abs(money.amount):
            text, (start, end) = match.group(), match.span()
            spans.append((start + len(text) - len(text.lstrip()), end - (len(text) - len(text.rstrip()))))
    return _merge(spans)


def _date_patterns(value: str) -> list[str]:
    parts = value.split("-")
    year = parts[0]
    if len(parts) == 1:
        return [year]
    month = int(parts[1])
    months = f"(?:{month_name[month]}|{month_abbr[month]}\\.?)"
    if len(parts) == 2:
        return [f"{months},?\\s+{year}", re.escape(value)]
    day = str(int(parts[2]))
    return [f"{months}\\s+{day}(?:st|nd|rd|th)?,?\\s+{year}", f"{day}(?:st|nd|rd|th)?\\s+{months},?\\s+{year}",
            re.escape(value), f"{months}\\s+{day}(?:st|nd|rd|th)?"]


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        elif end > start:
            merged.append((start, end))
    return merged
