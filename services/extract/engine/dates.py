"""Dates as news writes them, resolved against the article's published date.

"On September 11" takes the published year (the year before if that would be after publication);
"In August 2025" is month precision ("2025-08"); "last month" and "last December" count back from the
published date; a weekday ("announced Monday") is the published date when it is that day's, else no date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dealwire.services.extract.engine.vocab import CaselessPattern, lower_same_length, lowers_exactly

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = CaselessPattern(re.compile(
    r"(?P<iso>(?P<iy>(?:19|20)\d\d)(?P<isep>[-./])(?P<im>[01]\d)(?P=isep)(?P<id>[0-3]\d))"
    r"|(?P<dmy>(?P<dd>[0-3]?\d)[./](?P<dm>[01]?\d)[./](?P<dy>(?:19|20)\d\d))"
    rf"|(?P<mdy>{_MONTH}\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>(?:19|20)\d\d))?)"
    rf"|(?P<dmy2>(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH.replace('mon', 'mon2')}"
    r"(?:,?\s+(?P<year2>(?:19|20)\d\d))?)"
    rf"|(?P<my>(?:(?P<last>last|this)\s+)?{_MONTH.replace('mon', 'mon3')}(?:\s+(?:of\s+)?(?P<year3>(?:19|20)\d\d)"
    r"|\s+(?P<relyear>last year|this year|next year))?\b)"
    r"|(?P<rel>last month|this month|later this month|earlier this month|last week|this week|today)"
    r"|(?P<wd>(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))",
    re.IGNORECASE,
))


@dataclass(frozen=True, slots=True)
class DateMention:
    value: str  # "YYYY-MM-DD" or "YYYY-MM"
    start: int
    end: int
    relative: bool = False


def _month(name: str) -> int:
    return _MONTHS[name.lower().rstrip(".")[:3]]


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _anchor_year(month: int, day: int, published: dt.date | None, fallback_year: int | None) -> int | None:
    if published is None:
        return fallback_year
    candidate = _safe_date(published.year, month, min(day, 28))
    if candidate and candidate > published + dt.timedelta(days=7):
        return published.year - 1
    return published.year


def _resolve(m: re.Match[str], published: dt.date | None, fallback_year: int | None) -> tuple[str, bool] | None:
    if m.group("iso"):
        d = _safe_date(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
        return (d.isoformat(), False) if d else None
    if m.group("dmy"):
        d = _safe_date(int(m.group("dy")), int(m.group("dm")), int(m.group("dd")))
        return (d.isoformat(), False) if d else None
    if m.group("mdy") or m.group("dmy2"):
        mon = _month(m.group("mon") or m.group("mon2"))
        day = int(m.group("day") or m.group("day2"))
        year_text = m.group("year") or m.group("year2")
        year = int(year_text) if year_text else _anchor_year(mon, day, published, fallback_year)
        d = _safe_date(year, mon, day) if year else None
        return (d.isoformat(), not year_text) if d else None
    if m.group("my"):
        word = m.group("mon3").lower()
        if word == "may" and not (m.group("year3") or m.group("relyear") or m.group("last")):
            return None  # the modal verb
        mon = _month(word)
        if m.group("year3"):
            return f"{int(m.group('year3')):04d}-{mon:02d}", False
        if published is None:
            return (f"{fallback_year:04d}-{mon:02d}", True) if fallback_year else None
        if m.group("relyear"):
            shift = {"last year": -1, "this year": 0, "next year": 1}[m.group("relyear").lower()]
            return f"{published.year + shift:04d}-{mon:02d}", True
        year = published.year if mon <= published.month else published.year - 1
        if m.group("last") and mon == published.month:
            year -= 1
        return f"{year:04d}-{mon:02d}", True
    if published is None:
        return None
    if m.group("rel"):
        rel = m.group("rel").lower()
        if rel == "last month":
            first = published.replace(day=1) - dt.timedelta(days=1)
            return f"{first.year:04d}-{first.month:02d}", True
        if "week" in rel:
            return None
        if rel == "today":
            return published.isoformat(), True
        return f"{published.year:04d}-{published.month:02d}", True
    weekday = _WEEKDAYS[m.group("wd").lower().removeprefix("on").strip()]
    if weekday != published.weekday():
        return None  # "approved on Friday" in Monday's paper: a weekday alone states no date
    return published.isoformat(), True  # "announced Monday" on the Monday published: that day, as "today" is


def by_first_letter(alternation: str) -> str:
    """Alternatives that each open with a letter, grouped by it: "jan|feb|jun" -> "j(?:an|un)|f(?:eb)". The engine
    tries each alternative in turn; grouped, it tries the rest only of those that open with the letter at hand."""
    groups: dict[str, list[str]] = {}
    for alternative in alternation.split("|"):
        groups.setdefault(alternative[0], []).append(alternative[1:])
    return "|".join(f"{letter}(?:{'|'.join(rests)})" for letter, rests in groups.items())


# Where a date can start: a number, or a month, weekday or relative word, not right after a word character.
_DATE_WORDS = r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|last|this|later|earlier|" \
              r"today|on\s"
_START = re.compile(rf"(?<![\w])(?:\d|(?i:{_DATE_WORDS}))")
# The same over lower-cased text, found from the character before the start (the scanner skips to one that is no
# word character far faster than it tries a look-behind at every position), and at the very start.
# The character before is tried as a set of characters (every character but an ASCII letter, digit or "_": far
# cheaper to test than "no word character"), then the words by their first letter, then that it is no word character.
_AFTER_BREAK = re.compile(rf"[\x00-/:-@\[-^`{{-\U0010ffff](?=\d|{by_first_letter(_DATE_WORDS)})(?<=\W)")
_AT_START = re.compile(rf"\d|{_DATE_WORDS}")


def _starts(text: str, lowered: str) -> list[int]:
    """Where a date may start in `text` (`lowered`: its lower case), as `_START` finds them."""
    if not lowers_exactly(text):
        return [m.start() for m in _START.finditer(text)]
    starts = [m.end() for m in _AFTER_BREAK.finditer(lowered)]
    return [0, *starts] if _AT_START.match(lowered) else starts


def find_dates(
    text: str, published: dt.date | None, offset: int = 0, fallback_year: int | None = None, lowered: str | None = None
) -> list[DateMention]:
    """Dates in `text` (`lowered`: its lower case, if known already)."""
    lowered = lower_same_length(text) if lowered is None else lowered
    if _DATE_AFTER_BREAK is None or not lowers_exactly(text):
        return _dates_from_starts(text, published, offset, fallback_year, lowered)
    out: list[DateMention] = []
    # a date at the very start, then each next one after a break: one search per date, not a match per start
    match = _DATE_AT_START.match(lowered)  # type: ignore[union-attr]  # not None where _DATE_AFTER_BREAK is not
    position = match.end() - 1 if match is not None else 0  # a break may be the last character of a date ("Jan.")
    if match is not None and (resolved := _resolve(match, published, fallback_year)):
        out.append(DateMention(resolved[0], offset + match.start(), offset + match.end(), resolved[1]))
    while (match := _DATE_AFTER_BREAK.search(lowered, position)) is not None:
        start, end = match.span("date")
        position = end - 1
        resolved = _resolve(match, published, fallback_year)  # reads only digits and lower-cased words
        if resolved:
            out.append(DateMention(resolved[0], offset + start, offset + end, resolved[1]))
    return out


def _dates_from_starts(text: str, published: dt.date | None, offset: int, fallback_year: int | None, lowered: str
                       ) -> list[DateMention]:
    """`find_dates` the plain way: `_DATE` tried at every place a date may start, past the last date found."""
    out: list[DateMention] = []
    covered = 0
    date, haystack = _DATE.for_text(text, lowered)
    for start in _starts(text, lowered):
        if start < covered:
            continue
        m = date.match(haystack, start)
        if m is None or not m.group():
            continue
        covered = m.end()
        resolved = _resolve(m, published, fallback_year)  # reads only digits and lower-cased words
        if resolved:
            out.append(DateMention(resolved[0], offset + m.start(), offset + m.end(), resolved[1]))
    return out


# `_DATE` over lower-cased text where `_starts` finds a start: at the very start, or after a break (`_AFTER_BREAK`,
# the date in group "date"). Every match of `_DATE` opens as a start does (a digit or a date word), and none is
# empty, so searching for the next one past the last gives the dates that trying `_DATE` at each start gives.
_DATE_AT_START = _DATE.over_lower
_DATE_AFTER_BREAK = re.compile(f"{_AFTER_BREAK.pattern}(?P<date>{_DATE_AT_START.pattern})", _DATE_AT_START.flags) \
    if _DATE_AT_START is not None else None


def infer_published(text: str) -> dt.date | None:
    """A full date (day, month and year) in the first lines of an article, taken as its publication date."""
    head = "\n".join(text[:600].split("\n")[:8])
    for mention in find_dates(head, None):
        if len(mention.value) == 10:
            return dt.date.fromisoformat(mention.value)
    return None


# "(?<![\w-])(?:19|20)\d\d(?![\w-])" (not the digits of a code such as "AB-2021"), starting with the digit
_YEAR = re.compile(r"1(?<![\w-].)9\d\d(?![\w-])|2(?<![\w-].)0\d\d(?![\w-])")


def latest_year(text: str) -> int | None:
    years = [int(y) for y in _YEAR.findall(text[:20_000])]
    return max(years) if years else None
