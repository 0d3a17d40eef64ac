"""Page furniture: what a web page shows around an article that the article does not report.

Related-headline lists and digests, sidebars of other stories' headlines put between paragraphs,
"Previous article / Next article" links, site menus ("Home | News | Deals"), share / subscribe / login /
comments blocks, footers, ticker and market-data lines, paywall text. Furniture is told line by line,
from the shape of a line (a headline, a sentence, a row of numbers) and from marker phrases
(`vocab/furniture.json`), and blanked with spaces so that every character offset of the text stays
valid. What the article reports survives: sentences, a bulleted list of full sentences, headings
between paragraphs, the headline repeated in the body, bylines and dates.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Final

from dealwire.services.extract.engine.vocab import VOCAB_DIR, caseless, has_digit, load

_DATA = json.loads((VOCAB_DIR / "furniture.json").read_text(encoding="utf-8"))
_MARKER_PREFIX = caseless(_DATA["marker_prefix"])
# one test for a short line: a list heading, a line of site chrome, or a link to another page
_SHORT_LINE = caseless(rf"(?P<heading>(?:{'|'.join(_DATA['list_heading'])})\W*)"
                       rf"|(?:{'|'.join(_DATA['marker_line'])})\W*|(?:{'|'.join(_DATA['marker_prefix'])}).*")
_PAYWALL = caseless(_DATA["paywall"])
_PAYWALL_GATE = tuple(word[1:] for word in _DATA["paywall_gate"])
_CONTINUATION_WORDS = frozenset(_DATA["continuation_words"])

_BULLETS = "-–—•·*|►▶»>+▪◦●○■□"
_FIGURE_TEXT = r"[▲▼△▽↑↓+\-−–]?\(?[+\-−–]?\d[\d,]*(?:\.\d+)?%?\)?"
_FIGURE = re.compile(_FIGURE_TEXT)
_MARKET_WORD_TEXT = "|".join(map(re.escape, sorted(_DATA["market_words"], key=len, reverse=True)))
_QUOTE_ITEM = rf"(?:{_FIGURE_TEXT}|[▲▼△▽↑↓]|\(?(?i:{_MARKET_WORD_TEXT})\)?)"
_TICKER = re.compile(rf"(?:(?!{_FIGURE_TEXT}(?:\s|$))[A-Z0-9]\S*\s+){{1,3}}"
                     rf"(?P<quotes>{_QUOTE_ITEM}(?:\s+{_QUOTE_ITEM})*)")
_MOVED = re.compile(r"%|[▲▼△▽↑↓]|(?<!\S)\(?[+\-−–]|\b(?i:increased|decreased|up|down|dn|unchanged|change)\b")
_PAYWALL_REACH = 60  # characters either side of a paywall word that its phrase may span
_MARKER_CHARS = 120  # a marker, heading or ticker line is short
_LONGEST_HEADLINE = 20  # words
_PROSE_WORDS = 21
_NAME_WORD = re.compile(r"(?<![\w-])[A-Z][a-z][\w-]{2,}")  # "Talon", "BioNTech": a name, or a sentence's first word
_ORG_WORDS = load().legal_words | load().sector_words  # "Pharma", "Therapeutics": no name of its own
_GENERIC_CAPITALISED = _ORG_WORDS | {"Phase", "Series", "Part", "Stage", "Cohort", "Study", "Trial"}
_BYLINE = caseless(r"\(?(?:by|reporting by|written by|edited by|editing by)\b")
_MENU_BARS = 2  # "Home | News | Deals": a line with this many bars or more may be a menu (`_is_menu`)
_MENU_ITEM_WORDS = 3
_TAIL_HEADLINES = 2  # after the last running text, this many headlines make a list of other stories
_INLINE_HEADLINES = 2  # between running text, this many headlines in a row are a sidebar (a heading comes alone)


class Kind:
    """What a line is (plain strings: this runs on every line, and an Enum member lookup is slow)."""

    BLANK: Final = "blank"
    SEPARATOR: Final = "separator"  # bullets or dashes only
    MARKER: Final = "marker"  # site chrome, or a link to another page
    HEADING: Final = "heading"  # introduces a list of links
    PAYWALL: Final = "paywall"
    TICKER: Final = "ticker"
    PROSE: Final = "prose"  # running text: a sentence or more
    HEADLINE: Final = "headline"  # a short title-like line, no sentence
    OTHER: Final = "other"


_ALWAYS = frozenset({Kind.SEPARATOR, Kind.MARKER, Kind.HEADING, Kind.TICKER})  # furniture wherever they are
_FURNITURE_SIGNS = _ALWAYS | {Kind.PAYWALL}


def blank_furniture(text: str) -> str:
    """`text` with its page furniture replaced by spaces; same length, line breaks kept. A single line (a
    title, a bare sentence) is returned as it is: furniture is told from the page around it."""
    if "\n" not in text:
        return text
    spans = furniture_spans(text)
    if not spans:
        return text
    pieces: list[str] = []
    cursor = 0
    for start, end in spans:
        pieces.append(text[cursor:start])
        pieces.append(" " * (end - start))
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


def furniture_spans(text: str) -> list[tuple[int, int]]:
    """Character spans (start, end) of the furniture lines of `text`, in order, line breaks excluded."""
    starts, kinds, introduces = _classify(text)
    if not _FURNITURE_SIGNS & set(kinds) and kinds.count(Kind.HEADLINE) < _INLINE_HEADLINES:
        return []  # the common case: nothing on the page but the article
    furniture = [kind in _ALWAYS for kind in kinds]
    prose = [i for i, kind in enumerate(kinds) if kind == Kind.PROSE]
    for i, kind in enumerate(kinds):
        if kind == Kind.PAYWALL:
            # a paywall cuts the article: the rest of the page is offers, testimonials and footer
            end = len(kinds) if prose and prose[0] < i else i + 1
            furniture[i:end] = [True] * (end - i)
            break
        if kind == Kind.HEADING:
            _blank_list(kinds, i + 1, furniture)
    if prose:
        _blank_sidebars(text, starts, kinds, introduces, (prose[0], prose[-1]), furniture)
        _blank_tail(kinds, introduces, prose[-1] + 1, furniture)
    return [(starts[i], starts[i + 1] - 1) for i, blank in enumerate(furniture) if blank and kinds[i] != Kind.BLANK]


def _blank_list(kinds: list[str], start: int, furniture: list[bool]) -> None:
    """The links after a list heading: every line up to the next running text."""
    for i in range(start, len(kinds)):
        if kinds[i] in (Kind.PROSE, Kind.PAYWALL, Kind.HEADING):
            return
        furniture[i] = True


def _blank_sidebars(text: str, starts: list[int], kinds: list[str], introduces: list[bool],
                    between: tuple[int, int], furniture: list[bool]) -> None:
    """Between the first and the last running text, headlines in a row are other stories' (a sidebar the
    page put inline); a section heading comes alone, and a list the article introduces ("Other
    approvals:") is its own. Bulleted, they may be the article's summary points instead: those name what
    its running text names, a sidebar's headlines name other companies."""
    run: list[int] = []
    introduced = False
    for i in range(between[0] + 1, between[1]):
        kind = kinds[i]
        if kind == Kind.BLANK:
            continue
        if kind == Kind.HEADLINE:
            run.append(i)
            continue
        _blank_run(text, starts, kinds, run, introduced, furniture)
        run = []
        introduced = introduces[i]
    _blank_run(text, starts, kinds, run, introduced, furniture)


def _blank_run(text: str, starts: list[int], kinds: list[str], run: list[int], introduced: bool,
               furniture: list[bool]) -> None:
    if len(run) < _INLINE_HEADLINES or introduced:
        return
    lines = [text[starts[i] : starts[i + 1]] for i in run]
    if any(line.lstrip()[:1] in _BULLETS for line in lines):
        prose = "\n".join(text[starts[i] : starts[i + 1]] for i, kind in enumerate(kinds) if kind == Kind.PROSE)
        named = _names_within_sentences(prose)
        if any(set(_NAME_WORD.findall(line)) & named for line in lines):
            return  # summary points of the article
    for i in run:
        furniture[i] = True


def _names_within_sentences(prose: str) -> set[str]:
    """Capitalised words of running text that are not a sentence's first word nor a generic word
    ("Phase", "Pharma"): the names it mentions."""
    names = set()
    for match in _NAME_WORD.finditer(prose):
        before = prose[max(0, match.start() - 2) : match.start()].strip(" \"“‘'(")
        if before and before[-1] not in ".!?\n" and match.group() not in _GENERIC_CAPITALISED:
            names.add(match.group())
    return names


def _blank_tail(kinds: list[str], introduces: list[bool], start: int, furniture: list[bool]) -> None:
    """After the last running text, several headlines are a list of other stories (or a contact block):
    blank them with the short lines between them, but never text cut mid-sentence or a byline. A list the
    article introduces ("Results:") is its own."""
    tail = range(start, len(kinds))
    if sum(kinds[i] == Kind.HEADLINE for i in tail) < _TAIL_HEADLINES:
        return
    for i in range(start - 1, len(kinds)):
        if kinds[i] == Kind.HEADLINE:
            break
        if introduces[i]:
            return
    for i in tail:
        if kinds[i] != Kind.OTHER:
            furniture[i] = True


def _classify(text: str) -> tuple[list[int], list[str], list[bool]]:
    """Line start offsets (and the end of the text plus one), the kind of each line, and whether it ends
    with a colon (the lines after it are the article's own list)."""
    raw = text.split("\n")
    starts = list(accumulate((len(line) + 1 for line in raw), initial=0))
    paywalled = _paywall_lines(text)
    kinds: list[str] = [Kind.BLANK] * len(raw)
    introduces = [False] * len(raw)
    following = ""  # the next line that is not blank
    for number in range(len(raw) - 1, -1, -1):
        core = raw[number].strip()
        if not core:
            continue
        if core[0] in _BULLETS:
            core = core.lstrip(_BULLETS).lstrip() or core  # a line of bullets only stays as it is
        kinds[number] = Kind.PAYWALL if starts[number] in paywalled else _kind(core, following)
        introduces[number] = core[-1] == ":"
        following = core
    return starts, kinds, introduces


def _paywall_lines(text: str) -> set[int]:
    """Start offsets of the lines that hold paywall text. The phrases are looked for only around a paywall
    word, and the words without their first letter, so that "Subscribe" and "subscribe" both hit without
    lower-casing the text."""
    found: set[int] = set()
    low: str | None = None
    for word in _PAYWALL_GATE:
        position = text.find(word)
        while position >= 0:
            line_start = text.rfind("\n", 0, position) + 1
            if line_start not in found:
                line_end = text.find("\n", position)
                line_end = len(text) if line_end < 0 else line_end
                window = max(line_start, position - _PAYWALL_REACH), min(line_end, position + _PAYWALL_REACH)
                low = text.lower() if low is None else low
                if _PAYWALL.search(text, low, *window):
                    found.add(line_start)
            position = text.find(word, position + 1)
    return found


def _kind(core: str, following: str) -> str:
    """The kind of a line that is not blank, from its text without bullets (`core`) and the next line's."""
    short = len(core) <= _MARKER_CHARS
    if not short and core.count(" ") >= _PROSE_WORDS and not _MARKER_PREFIX.match(core):
        return Kind.PROSE  # the common case, told at once
    if short:
        if core[0] in _BULLETS and not core.strip(_BULLETS + " "):
            return Kind.SEPARATOR
        chrome = _SHORT_LINE.fullmatch(core)
        if chrome is not None:
            return Kind.HEADING if chrome.lastgroup == "heading" else Kind.MARKER
    elif _MARKER_PREFIX.match(core):
        return Kind.MARKER
    if short and has_digit(core) and _is_ticker(core):  # a quote line holds figures: none without a digit
        return Kind.TICKER
    if short and core.count("|") >= _MENU_BARS and _is_menu(core):
        return Kind.MARKER
    words = core.split()
    end = core.rstrip("\"”’')]")
    ends_sentence = end.endswith((".", "!", "?")) and not end.endswith("..")
    if len(words) >= _PROSE_WORDS or (len(words) >= 6 and ends_sentence):
        return Kind.PROSE
    if 3 <= len(words) <= _LONGEST_HEADLINE and not ends_sentence and not _BYLINE.match(core) \
            and _headline_shaped(core, words, following):
        return Kind.HEADLINE
    return Kind.OTHER


def _is_menu(core: str) -> bool:
    """"Home | News | Deals | Events": a site's menu or breadcrumb, short items between bars, no sentence."""
    items = [item.strip() for item in core.split("|")]
    return all(item and len(item.split()) <= _MENU_ITEM_WORDS and not item.endswith((".", "!", "?", ","))
               for item in items)


def _is_ticker(core: str) -> bool:
    """"KOSPI 2745.82 -9.29 -0.34%", "ABC 38.00 Increased By ▲ 0.01 (0.03%)": one to three names, then only
    figures, arrows and market words, with at least two figures and a sign of movement."""
    match = _TICKER.fullmatch(core)
    if match is None:
        return False
    quotes = match.group("quotes")
    return len(_FIGURE.findall(quotes)) >= 2 and _MOVED.search(quotes) is not None


def _headline_shaped(core: str, words: list[str], following: str) -> bool:
    """A headline starts with a capital, ends on a content word and is not continued by the next line."""
    first = core[0]
    if not (first.isupper() or first.isdigit() or first in "\"“‘'(["):
        return False
    if core[-1] in ",;:-–—(/&" or words[-1].lower().strip("\"”’'") in _CONTINUATION_WORDS:
        return False
    if core.count("(") > core.count(")"):
        return False
    return not (following and following[0].islower())
