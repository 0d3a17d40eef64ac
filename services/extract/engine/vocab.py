"""Vocabulary data files, loaded once at import, and a compiled multi-pattern matcher over them.

TSV format: UTF-8, `#` starts a comment line, each data line is `canonical<TAB>alias1|alias2|...`;
the canonical form is itself a surface form. Short abbreviations with several capitals ("ALL", "HER2",
"rrMM") match case-sensitively so that ordinary words ("all") do not hit; everything else matches
case-insensitively. Matches must sit on word boundaries.
"""

from __future__ import annotations

import json
import re
import sys
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
from pathlib import Path
from re import _constants as _sre  # type: ignore[attr-defined]  # the parsed form of a pattern (`required_words`), read once per pattern
from re import _parser as _sre_parser  # type: ignore[attr-defined]
from typing import Any, NamedTuple

import ahocorasick

VOCAB_DIR = Path(__file__).parent / "vocab"
TERM_VOCABULARIES = ("targets", "modalities", "indications", "regulators", "regions")


class Hit(NamedTuple):
    start: int
    end: int
    canonical: str
    surface: str


TriggerHit = tuple[int, int, frozenset[str]]  # start, end, the groups the word opens
# spans of the text one after another (their starts, their ends), and a set per span for the groups of the trigger
# words it holds
TriggerBins = tuple[list[int], list[int], list[set[str]]]


def read_tsv(path: Path) -> list[tuple[str, list[str]]]:
    """Rows of (canonical, aliases); a missing file is an empty vocabulary."""
    rows: list[tuple[str, list[str]]] = []
    if not path.exists():
        return rows
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        canonical, _, rest = line.partition("\t")
        canonical = canonical.strip()
        if canonical:
            rows.append((canonical, [a.strip() for a in rest.split("|") if a.strip()]))
    return rows


@cache
def demonym_regions() -> dict[str, str]:
    """Nationality adjectives, lower-cased, and the region each names: "japanese" -> "Japan" (demonyms.tsv)."""
    return {adjective.lower(): region for region, adjectives in read_tsv(VOCAB_DIR / "demonyms.tsv")
            for adjective in adjectives}


def is_case_sensitive(surface: str) -> bool:
    """Short forms with two or more capitals are abbreviations: 'ALL' must not match 'all'."""
    return len(surface) <= 8 and sum(ch.isupper() for ch in surface) >= 2


def lower_same_length(text: str) -> str:
    """Lower-case without changing offsets (a few characters lower-case to two code points)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)


def lower_prefix(prefix: str, lowered: str | None) -> str:
    """`lower_same_length(prefix)` of a prefix of a text whose `lower_same_length` is `lowered` (None: not known),
    cut from it where that is the same: each character lowers on its own but a capital sigma, whose lower case
    depends on what follows it."""
    if lowered is None or "\u03a3" in prefix:
        return lower_same_length(prefix)
    return lowered[: len(prefix)]


# Characters that `re.IGNORECASE` matches to an ASCII letter although `str.lower` does not make them one
# ("ı" and "İ" match "i", "ſ" matches "s"): a lower-cased text stands for the original only without them.
def lowers_exactly(text: str) -> bool:
    """Whether a case-insensitive pattern matches `text` exactly where a lower-case one matches its lower case."""
    # `isascii` only reads a flag of the string: most text is ASCII and needs no scan
    return text.isascii() or ("\u0130" not in text and "\u0131" not in text and "\u017f" not in text)


def has_digit(text: str) -> bool:
    """Whether `text` holds a decimal digit (what `\\d` finds): in ASCII text, ten substring tests, far cheaper than
    trying a class at every character."""
    if text.isascii():
        return holds_any(text, _DIGITS)
    return _DIGIT.search(text) is not None


def holds_any(text: str, words: tuple[str, ...]) -> bool:
    """`any(map(text.__contains__, words))`, which the compiled engine runs as a native loop of substring tests (the
    `map` form calls through a method wrapper per word there)."""
    return any(word in text for word in words)


def holds_all(text: str, words: tuple[str, ...]) -> bool:
    """`all(map(text.__contains__, words))`, a native loop when compiled (`holds_any`)."""
    return all(word in text for word in words)


_DIGIT = re.compile(r"\d")
_DIGITS = ("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")


_CASELESS_ESCAPES = frozenset("bBsSwWdDAZntrfv")  # escapes whose meaning does not depend on letter case


def lower_case_source(source: str) -> str | None:
    """The source of a case-sensitive pattern that finds over lower-cased text (where `lowers_exactly`) what
    the case-insensitive `source` finds over the text: its ASCII letters in lower case, group names kept.

    None where that could find otherwise: inline flags, escapes that name a character by number or name,
    a cased non-ASCII letter, a character range that holds letters without being a range of letters.
    """
    out: list[str] = []
    position = 0
    in_class = False
    while position < len(source):
        char = source[position]
        if char == "\\":
            escaped = source[position + 1 : position + 2]
            if escaped.isalnum() and escaped not in _CASELESS_ESCAPES:
                return None
            out.append(source[position : position + 2])
            position += 2
            continue
        if not in_class and source.startswith(("(?P<", "(?P="), position):
            end = source.index(">" if source[position + 3] == "<" else ")", position)
            out.append(source[position : end + 1])
            position = end + 1
            continue
        if not in_class and source.startswith("(?", position) and source[position + 2 : position + 3] not in ":=!<#":
            return None  # an inline flag: "(?-i:may)" must keep its case
        if in_class and source[position + 1 : position + 2] == "-" and source[position + 2 : position + 3] not in "]\\":
            low, high = char, source[position + 2]
            if _cased_range(low, high) and not (low.isascii() and high.isascii() and
                                                 low.isalpha() and high.isalpha() and low.isupper() == high.isupper()):
                return None
            out.append(f"{low.lower()}-{high.lower()}")
            position += 3
            continue
        if char != char.lower() or char != char.upper():
            if not char.isascii():
                return None
            char = char.lower()
        if char == "[" and not in_class:
            in_class = True
            opening = "[^" if source.startswith("[^", position) else "["
            closing_first = source[position + len(opening) : position + len(opening) + 1] == "]"
            out.append(opening + ("]" if closing_first else ""))
            position += len(opening) + closing_first
            continue
        if char == "]" and in_class:
            in_class = False
        out.append(char)
        position += 1
    return "".join(out)


def _cased_range(low: str, high: str) -> bool:
    return any(chr(code).lower() != chr(code).upper() for code in range(ord(low), ord(high) + 1))


def _structure(source: str) -> Iterator[tuple[int, str, int]]:
    """The characters of a pattern's source outside escapes and character classes, with the depth of groups each
    stands in: (position, character, depth)."""
    depth, position, in_class = 0, 0, False
    while position < len(source):
        char = source[position]
        if char == "\\":
            position += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            position += 2 if source.startswith(("[^]", "[]"), position) else 1
            continue
        else:
            depth -= char == ")"
            yield position, char, depth
            depth += char == "("
        position += 1


def _alternatives(source: str) -> list[str]:
    """The top-level alternatives of a pattern's source."""
    bars = [position for position, char, depth in _structure(source) if char == "|" and depth == 0]
    return [source[start + 1 : end] for start, end in zip([-1, *bars], [*bars, len(source)], strict=True)]


def _single_alternative(source: str) -> bool:
    return len(_alternatives(source)) == 1


def _group_end(source: str) -> int | None:
    """Where the group that opens `source` closes."""
    return next((position for position, char, depth in _structure(source) if char == ")" and depth == 0), None)


_QUANTIFIERS = ("?", "*", "+", "{")
_END_OR_QUANTIFIER = ("", *_QUANTIFIERS)
_LITERAL_RUN = re.compile(r"(?:[a-z0-9 '-](?![?*+{]))+")  # characters that stand for themselves, none repeated


def boundary_after_literal(source: str) -> str:
    """`source` with a `\\b` that opens it before a run of literal characters moved after that run, as a look-behind
    at the character before it: "\\bbought\\b" -> "bought(?<!\\w.{6})\\b". The two find the same; but the engine
    skips ahead to where a literal can start, and a leading `\\b` keeps it from that. (Before an alternation the
    `\\b` stays: there it rejects a place inside a word at once, before any alternative is tried.)"""
    if not _single_alternative(source):
        return source
    if source.startswith("(?:"):
        end = _group_end(source)
        if end is None or source[end + 1 : end + 2] in _QUANTIFIERS:
            return source
        return "(?:" + boundary_after_literal(source[3:end]) + ")" + source[end + 1 :]
    literal = _LITERAL_RUN.match(source, 2) if source.startswith("\\b") else None
    if literal is None or not source[2].isalnum():
        return source
    return source[2 : literal.end()] + f"(?<!\\w.{{{literal.end() - 2}}})" + source[literal.end() :]


def boundary_in_front(source: str) -> str:
    """`source` with the `\\b` that opens each of its alternatives (or each alternative of a group that opens one)
    put once in front of them all: "(?P<a>\\bup|\\bnear)|\\bstake" -> "\\b(?:(?P<a>up|near)|stake)". The two find
    the same; but a place inside a word is rejected by one test instead of one test per alternative."""
    stripped = _all_without_boundary(source)
    return source if stripped is None or len(stripped) < 2 else "\\b(?:" + "|".join(stripped) + ")"


def by_leading_letter(source: str) -> str:
    """`source` opening with `\\b(?:…)` (as `boundary_in_front` leaves it) with the alternatives of that group put
    together by the lower-case letter each opens with, the `\\b` moved after the letter as a look-behind at the
    character before it: "\\b(?:ind x|cleared|ind-y)z" -> "(?:i(?<!\\w.)(?:nd x|nd-y)|c(?<!\\w.)(?:leared))z". The two
    find the same: the alternatives of one letter keep their order, and those of two letters cannot both match at
    one place. But the engine skips ahead to where one of the letters stands, where before it tried every position,
    and there it tries the alternatives of that letter alone. Unchanged where an alternative opens otherwise."""
    if not source.startswith("\\b(?:") or _captures(source):
        return source  # groups that capture would be numbered otherwise, or repeated
    end = _group_end(source[2:])
    if end is None or source[end + 3 : end + 4] in _QUANTIFIERS:
        return source
    by_letter: dict[str, list[str]] = {}
    for alternative in _alternatives(source[5 : end + 2]):
        branches = _by_letter(alternative)
        if branches is None:
            return source
        for letter, rest in branches:
            by_letter.setdefault(letter, []).append(rest)
    grouped = "|".join(f"{letter}(?<!\\w.)(?:{'|'.join(rests)})" for letter, rests in by_letter.items())
    if len(grouped) > _MOST_GROWTH * len(source):
        return source
    return f"(?:{grouped}){source[end + 3 :]}"


def _captures(source: str) -> bool:
    """Whether a pattern's source holds a group that captures."""
    return any(char == "(" and (not source.startswith("(?", position) or source.startswith("(?P<", position))
               for position, char, _ in _structure(source))


_MOST_GROWTH = 4  # times the source's length: a grouped form longer than that is not worth its compilation


def _by_letter(alternative: str) -> list[tuple[str, str]] | None:
    """An alternative as the branches it is made of, in order, each as the letter it opens with and the rest:
    "clear" -> [("c", "lear")]; "(?:acquired|bought) x" -> [("a", "cquired x"), ("b", "ought x")] (a group that opens
    it stands for its alternatives one after another, each followed by what follows the group). None where a branch
    opens with anything but a letter that stands for itself (a class, an escape, a quantified letter, a capturing
    group or a look-around)."""
    letter = alternative[:1]
    if "a" <= letter <= "z":
        return None if alternative[1:2] in _QUANTIFIERS else [(letter, alternative[1:])]
    if not alternative.startswith("(?:"):
        return None
    end = _group_end(alternative)
    if end is None or alternative[end + 1 : end + 2] in _QUANTIFIERS:
        return None
    branches: list[tuple[str, str]] = []
    for inner in _alternatives(alternative[3:end]):
        found = _by_letter(inner + alternative[end + 1 :])
        if found is None:
            return None
        branches += found
    return branches


def _all_without_boundary(source: str) -> list[str] | None:
    stripped: list[str] = []
    for alternative in _alternatives(source):
        bare = _without_boundary(alternative)
        if bare is None:
            return None
        stripped.append(bare)
    return stripped


def _without_boundary(alternative: str) -> str | None:
    """The alternative without the `\\b` it opens with (in each alternative of a group it opens with), or None."""
    if alternative.startswith("\\b"):
        return alternative[2:] if alternative[2:3] not in _END_OR_QUANTIFIER else None
    opening = _GROUP_OPENING.match(alternative)
    end = _group_end(alternative) if opening else None
    if opening is None or end is None or alternative[end + 1 : end + 2] in _QUANTIFIERS:
        return None
    inner = _all_without_boundary(alternative[opening.end() : end])
    return None if inner is None else opening.group() + "|".join(inner) + alternative[end:]


_GROUP_OPENING = re.compile(r"\((?:\?:|\?P<\w+>)?")  # a group that consumes what it holds (no look-around)


def required_words(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Words one of which every match of a case-sensitive `pattern` holds, read from its parsed form: literal
    runs, and the words of each alternative of an alternation all of whose alternatives require some. None where
    a match may hold none (or the pattern ignores case)."""
    if pattern.flags & re.IGNORECASE:
        return None
    return _required(list(_sre_parser.parse(pattern.pattern, pattern.flags)))


def _required(items: Iterable[tuple[Any, Any]]) -> tuple[str, ...] | None:  # a parsed pattern (a SubPattern)
    """The most telling words a sequence of parsed items requires: no short word (four letters are enough),
    then fewest words."""
    options: list[tuple[str, ...]] = []
    run: list[str] = []
    for op, argument in items:
        if op is _sre.LITERAL:
            run.append(chr(argument))
            continue
        if run and op is _sre.BRANCH:  # "ex(?:pand|tend)", as the parser factors "expand|extend": each whole
            leads = [_leading(alternative) for alternative in argument[1]]
            if all(leads):
                options.append(tuple(dict.fromkeys("".join(run) + lead for lead in leads)))
        if run:
            options.append(("".join(run),))
            run = []
        found = _required_item(op, argument)
        if found is not None:
            options.append(found)
    if run:
        options.append(("".join(run),))
    return max(options, key=lambda words: (min(4, *map(len, words)), -len(words)), default=None)


def _leading(items: Iterable[tuple[Any, Any]]) -> str:
    """The literal characters a sequence of parsed items opens with."""
    lead = []
    for op, argument in items:
        if op is not _sre.LITERAL:
            break
        lead.append(chr(argument))
    return "".join(lead)


def _required_item(op: Any, argument: Any) -> tuple[str, ...] | None:
    if op is _sre.SUBPATTERN:  # (group, flags added, flags removed, items): a case-insensitive group requires none
        return None if argument[1] & re.IGNORECASE else _required(argument[3])
    if op is _sre.ATOMIC_GROUP:
        return _required(argument)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):  # (least, most, items)
        return _required(argument[2]) if argument[0] >= 1 else None
    if op is _sre.BRANCH:  # (None, alternatives)
        found = [_required(alternative) for alternative in argument[1]]
        if any(words is None for words in found):
            return None
        return tuple(dict.fromkeys(word for words in found for word in words))  # type: ignore[union-attr]
    return None  # a class, a look-around, an anchor, a back-reference: no word of its own


def _gate_words(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """`required_words` where testing for them costs less than most searches they spare: a few words that are
    not too short to be telling."""
    words = required_words(pattern)
    return words if words is not None and len(words) <= _GATE_MOST_WORDS and min(map(len, words)) >= 3 else None


_GATE_MOST_WORDS = 12


class CaselessPattern:
    """A case-insensitive pattern, run as a case-sensitive one over the lower-cased text wherever that finds
    the same (`lower_case_source`, `lowers_exactly`): Python's regular expression engine tries a
    case-insensitive alternation at every position, but skips quickly to where a case-sensitive one can start.
    A leading `\\b` would keep it from skipping ahead too: it moves after the literal it stands before
    (`boundary_after_literal`).

    Matches come from the lower-cased text then: their spans hold for the text, their group text is in lower case.
    """

    def __init__(self, pattern: re.Pattern[str], gated: bool = True) -> None:
        self.pattern = pattern
        self._gated = gated  # False where the caller tries the pattern only on text holding words of its own
        source = lower_case_source(pattern.pattern) if pattern.flags & re.IGNORECASE else None
        flags = pattern.flags & ~re.IGNORECASE
        # the form whose gate words are read (`_words`): the letters grouped, the parsed form tells fewer of them
        self._ungrouped = boundary_in_front(boundary_after_literal(source)) if source is not None else None
        self._lower = re.compile(by_leading_letter(self._ungrouped), flags) if self._ungrouped is not None else None
        self._words_read: tuple[tuple[str, ...] | None] | None = None  # `_words`, once read

    @property
    def _words(self) -> tuple[str, ...] | None:
        """Words a lower-cased text must hold to match: tested far faster than a search fails. Read on first use
        (reading a pattern's parsed form at import would cost as much as compiling it again); kept in a property
        of its own, as a `cached_property` is not kept by the compiled engine."""
        if self._words_read is None:
            if self._lower is None or self._ungrouped is None or not self._gated:
                self._words_read = (None,)
            else:
                self._words_read = (_gate_words(re.compile(self._ungrouped, self._lower.flags)),)
        return self._words_read[0]

    @property
    def over_lower(self) -> re.Pattern[str] | None:
        """The pattern `match` and `search` run over the lower case of a text that `lowers_exactly` (None where they
        run this one over the text itself): a caller that knows that of its text may call it directly."""
        return self._lower

    def for_text(self, text: str, lowered: str | None = None) -> tuple[re.Pattern[str], str]:
        """The pattern to run over `text` and what to run it over: its lower-cased form where that finds the same."""
        if self._lower is not None and lowers_exactly(text):
            return self._lower, text.lower() if lowered is None else lowered
        return self.pattern, text

    # The methods below are `for_text` written out (`lowers_exactly` too): they run a great many times.

    def search(self, text: str, lowered: str | None = None, pos: int = 0, endpos: int = sys.maxsize
               ) -> re.Match[str] | None:
        if self._lower is not None and (text.isascii() or (
                "\u0130" not in text and "\u0131" not in text and "\u017f" not in text)):
            low = text.lower() if lowered is None else lowered
            if self._words is not None and not holds_any(low, self._words):
                return None
            return self._lower.search(low, pos, endpos)
        return self.pattern.search(text, pos, endpos)

    def match(self, text: str, lowered: str | None = None, pos: int = 0, endpos: int = sys.maxsize
              ) -> re.Match[str] | None:
        if self._lower is not None and (text.isascii() or (
                "\u0130" not in text and "\u0131" not in text and "\u017f" not in text)):
            return self._lower.match(text.lower() if lowered is None else lowered, pos, endpos)
        return self.pattern.match(text, pos, endpos)

    def fullmatch(self, text: str, lowered: str | None = None, pos: int = 0, endpos: int = sys.maxsize
                  ) -> re.Match[str] | None:
        pattern, target = self.for_text(text, lowered)
        return pattern.fullmatch(target, pos, endpos)

    def finditer(self, text: str, lowered: str | None = None, pos: int = 0, endpos: int = sys.maxsize
                 ) -> Iterator[re.Match[str]]:
        pattern, target = self.for_text(text, lowered)
        if pattern is self._lower and self._words is not None and not holds_any(target, self._words):
            return iter(())
        return pattern.finditer(target, pos, endpos)


def caseless(pattern: str | list[str]) -> CaselessPattern:
    """A case-insensitive cue pattern (`compile_cue`), run over the lower-cased text where it can."""
    return CaselessPattern(compile_cue(pattern))


class GatedPattern:
    """A case-insensitive pattern tried only on text whose lower case holds one of `words`.

    Every match of the pattern contains one of the words, so the gate never changes a result: it only
    skips searches that cannot succeed (a scan of the lower-cased text for a few literals is far cheaper).
    """

    def __init__(self, pattern: re.Pattern[str], words: tuple[str, ...]) -> None:
        self.pattern = pattern
        self.words = words
        self._caseless = CaselessPattern(pattern, gated=False)
        self._lower = self._caseless.over_lower

    def _hopeless(self, text: str, lowered: str) -> bool:
        return not holds_any(lowered, self.words) and lowers_exactly(text)

    def search(self, text: str, lowered: str) -> re.Match[str] | None:
        # `_hopeless`, then `CaselessPattern.search` (ungated), written out: this runs for many sentences
        exact = lowers_exactly(text)
        if exact and not holds_any(lowered, self.words):
            return None
        return self._lower.search(lowered) if exact and self._lower is not None else self.pattern.search(text)

    def finditer(self, text: str, lowered: str) -> list[re.Match[str]]:
        return [] if self._hopeless(text, lowered) else list(self._caseless.finditer(text, lowered))


class CuePatterns:
    """Several cue patterns of one kind, each tried only on text that holds one of its gate words.

    `entries` as in `cues.json`: a bare pattern (gated by `default_gate`), or `[pattern, gates]` where each
    gate is a lower-case word, or words joined by "+" that must all occur. Patterns that share their gates
    are searched as one alternation. The gates never change a result: every match of a pattern holds one
    of its gates.
    """

    def __init__(self, entries: list[Any], default_gate: list[str]) -> None:
        grouped: dict[tuple[tuple[str, ...], ...], list[str]] = {}
        for entry in entries:
            pattern, gates = (entry, default_gate) if isinstance(entry, str) else entry
            grouped.setdefault(tuple(tuple(g.split("+")) for g in gates), []).append(pattern)
        self.groups = [(CaselessPattern(compile_cue(patterns), gated=False), gates)
                       for gates, patterns in grouped.items()]
        # per group: its gates as plain words where each gate is one word (the common case, checked fastest), else
        # None and the gates; the pattern to run over lower-cased text (None where there is none); the pattern
        self._gated = [(tuple(g[0] for g in gates) if all(len(g) == 1 for g in gates) else None, gates,
                        pattern._lower, pattern.pattern) for pattern, gates in self.groups]

    def search(self, text: str, lowered: str | None = None) -> re.Match[str] | None:
        low = text.lower() if lowered is None else lowered
        if not (text.isascii() or ("\u0130" not in text and "\u0131" not in text and "\u017f" not in text)):
            return next((m for pattern, _ in self.groups if (m := pattern.pattern.search(text))), None)
        for words, gates, lower_pattern, pattern in self._gated:  # lower case stands for the text (`lowers_exactly`)
            if not (holds_any(low, words) if words is not None else any(holds_all(low, gate) for gate in gates)):
                continue
            match = lower_pattern.search(low) if lower_pattern is not None else pattern.search(text)
            if match:
                return match
        return None


class Matcher:
    """Longest-leftmost, non-overlapping, boundary-checked matches of many surface forms.

    Several vocabularies can share one matcher (one pass finds them all); each keeps its own
    non-overlapping selection. All forms live in one automaton run over the lower-cased text; a
    case-sensitive form ("ALL", "HER2") also names the exact surface a match must have. The same pass
    can report trigger words (`triggers`: lower-case word -> its groups), found anywhere, even inside words.
    A form that is also a currency written before its figure (`currency_prefixes`: "CHF" in "CHF 24 million")
    is not matched there.
    """

    def __init__(self, vocabularies: dict[str, list[tuple[str, list[str]]]],
                 triggers: dict[str, frozenset[str]] | None = None,
                 currency_prefixes: frozenset[str] = frozenset()) -> None:
        exact: dict[str, list[tuple[str | None, str, str]]] = {}  # forms whose lower case depends on their context
        entries: dict[str, list[tuple[str | None, str, str]]] = {}
        for name, rows in vocabularies.items():
            for canonical, aliases in rows:
                for surface in (canonical, *aliases):
                    if is_case_sensitive(surface):
                        key = lower_same_length(surface) if _lowers_alone(surface) else None
                        sensitive = exact.setdefault(surface, []) if key is None else entries.setdefault(key, [])
                        if all(required != surface or n != name for required, n, _ in sensitive):
                            sensitive.insert(_exact_end(sensitive), (surface, name, canonical))
                    else:
                        insensitive = entries.setdefault(lower_same_length(surface), [])
                        if all(required is not None or n != name for required, n, _ in insensitive):
                            insensitive.append((None, name, canonical))
        self.names = tuple(vocabularies)
        self.longest = max(map(len, (*exact, *entries, *(triggers or {}))), default=0)  # characters in a form
        self._exact = _automaton(dict(exact), {})
        self._automaton = _automaton(dict(entries), triggers or {})
        self._currency_prefixes = currency_prefixes

    def find_all(self, text: str, lowered: str | None = None) -> dict[str, list[Hit]]:
        return self.scan(text, lowered)[0]

    def scan(self, text: str, lowered: str | None = None, start: int = 0, end: int | None = None,
             bins: TriggerBins | None = None) -> tuple[dict[str, list[Hit]], list[TriggerHit]]:
        """Vocabulary matches by vocabulary, and every trigger word occurrence, in one pass (of `text[start:end]`,
        its characters around checked as part of the text). With `bins`, a trigger word's groups go straight into
        the set of the span that holds it (none where no span does), and the list of occurrences stays empty."""
        found: dict[str, list[Hit]] = {name: [] for name in self.names}
        triggered: list[TriggerHit] = []
        if not text:
            return found, triggered
        low = lowered if lowered is not None else lower_same_length(text)
        span = (start, len(text) if end is None else min(end, len(text)))
        # exact entries first: for one span they win ties (within a key of the automaton too)
        for automaton, haystack in ((self._exact, text), (self._automaton, low)):
            if automaton is not None:
                self._collect(automaton, haystack, span, text, found, triggered, self._currency_prefixes, bins)
        return {name: _longest_non_overlapping(hits) for name, hits in found.items()}, triggered

    @staticmethod
    def _collect(automaton: ahocorasick.Automaton, haystack: str, span: tuple[int, int], text: str,
                 found: dict[str, list[Hit]], triggered: list[TriggerHit], currency_prefixes: frozenset[str],
                 bins: TriggerBins | None) -> None:
        size = len(text)
        starts, ends, groups_of = bins if bins is not None else ([], [], [])
        for end_index, (back, entries, groups, surfaces) in automaton.iter(haystack, *span):
            start = end_index - back
            if groups:  # a trigger word (a key is one, or a form, or both)
                if bins is None:
                    triggered.append((start, end_index + 1, groups))
                else:  # the span holding the word is the last to start at or before it, if it ends after it
                    position = bisect_right(starts, start) - 1
                    if position >= 0 and end_index < ends[position]:
                        groups_of[position] |= groups
                if not entries:
                    continue
            end = end_index + 1
            surface = text[start:end]
            if surfaces is not None and surface not in surfaces:
                continue  # "ar" in "market": each form of the key needs its capitals
            if start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_") and (
                    surface[0].isalnum() or surface[0] == "_"):
                continue  # inside a word
            if end < size and (text[end].isalnum() or text[end] == "_") and (
                    surface[-1].isalnum() or surface[-1] == "_"):
                continue
            if end < size and (text[end] == "$" or (text[end] == "-" and text[end + 1 : end + 2].isdigit())):
                continue  # a currency prefix ("US$", "HK$"), or part of a development code such as "AC-1234"
            if text[end + 1 : end + 2].isdigit() and text[end] == " " and surface in currency_prefixes:
                continue  # "CHF 24 million": Swiss francs, not heart failure
            for required, name, canonical in entries:
                if required is None or required == surface:
                    found[name].append(Hit(start, end, canonical, surface))

    def find(self, text: str, lowered: str | None = None) -> list[Hit]:
        """Matches of a single-vocabulary matcher."""
        return self.find_all(text, lowered)[self.names[0]] if self.names else []


def _lowers_alone(surface: str) -> bool:
    """Whether the lower case of `surface` inside any text is its own lower case: not so for a capital sigma
    (its lower case depends on the next letter) or a dotted capital I (two characters)."""
    return "\u03a3" not in surface and "\u0130" not in surface


def _exact_end(entries: list[tuple[str | None, str, str]]) -> int:
    """Where the case-sensitive entries of a key end (they come first)."""
    return next((i for i, (required, _, _) in enumerate(entries) if required is None), len(entries))


def _automaton(
    entries: dict[str, list[tuple[str | None, str, str]]], triggers: dict[str, frozenset[str]]
) -> ahocorasick.Automaton | None:
    if not entries and not triggers:
        return None
    automaton = ahocorasick.Automaton()
    for key in {**entries, **triggers}:
        forms = tuple(entries.get(key, ()))
        surfaces = frozenset(r for r, _, _ in forms) if forms and None not in {r for r, _, _ in forms} else None
        # from the index of a match's last character back to its first: `len(key) - 1`
        automaton.add_word(key, (len(key) - 1, forms, triggers.get(key, frozenset()), surfaces))
    automaton.make_automaton()
    return automaton


def _trigger_words(cues: dict[str, Any], currencies: list[tuple[str, list[str]]]) -> dict[str, frozenset[str]]:
    """Lower-case trigger word -> the groups it opens (`cues.json` "triggers"; any currency opens "money")."""
    groups: dict[str, set[str]] = {}
    for group, words in cues["triggers"].items():
        if not group.startswith("_"):
            for word in words:
                groups.setdefault(word.lower(), set()).add(group)
    for iso, forms in currencies:
        for form in (*forms, iso):
            if _SHORT_WORD.fullmatch(form) and not form.isupper():
                continue  # "won", "Rs.": inside too many words; amounts in them carry a scale word (below)
            groups.setdefault(form.lower(), set()).add("money")
    for scale in ("million", "billion", "trillion", "crore", "lakh"):
        groups.setdefault(scale, set()).add("money")
    return {word: frozenset(found) for word, found in groups.items()}


_SHORT_WORD = re.compile(r"[A-Za-z]{1,3}\.?")


def _longest_non_overlapping(hits: list[Hit]) -> list[Hit]:
    # by start, the longest first: two stable sorts by C key functions (`(h.start, -(h.end - h.start))`, no lambda)
    hits.sort(key=itemgetter(1), reverse=True)
    hits.sort(key=itemgetter(0))
    chosen: list[Hit] = []
    for hit in hits:
        if chosen and hit.start < chosen[-1].end:
            if hit.end - hit.start > chosen[-1].end - chosen[-1].start and hit.start == chosen[-1].start:
                chosen[-1] = hit
            continue
        chosen.append(hit)
    return chosen


@dataclass(frozen=True)
class Vocabularies:
    all_terms: Matcher  # the five below and the trigger words in one pass
    targets: Matcher
    modalities: Matcher
    indications: Matcher
    regulators: Matcher
    regions: Matcher
    cues: dict[str, Any]
    fx: dict[str, Any]
    currencies: list[tuple[str, list[str]]]
    legal_words: frozenset[str]
    sector_words: frozenset[str]


def _currency_prefixes(currencies: list[tuple[str, list[str]]]) -> frozenset[str]:
    """Currency forms that stand before a figure and could be another term: codes and capitalised abbreviations."""
    return frozenset(f for iso, forms in currencies for f in (iso, *forms)
                     if f[:1].isupper() and f.rstrip(".").isalpha() and (f.isupper() or len(f.rstrip(".")) <= 2))


def _org_words(path: Path) -> tuple[frozenset[str], frozenset[str]]:
    kinds: dict[str, frozenset[str]] = {}
    for kind, words in read_tsv(path):
        kinds[kind] = frozenset(words)
    return kinds.get("legal", frozenset()), kinds.get("sector", frozenset())


@cache
def load() -> Vocabularies:
    legal, sector = _org_words(VOCAB_DIR / "org_words.tsv")
    rows = {name: read_tsv(VOCAB_DIR / f"{name}.tsv") for name in TERM_VOCABULARIES}
    cues = json.loads((VOCAB_DIR / "cues.json").read_text(encoding="utf-8"))
    currencies = read_tsv(VOCAB_DIR / "currencies.tsv")
    return Vocabularies(
        all_terms=Matcher(rows, _trigger_words(cues, currencies), _currency_prefixes(currencies)),
        targets=Matcher({"targets": rows["targets"]}),
        modalities=Matcher({"modalities": rows["modalities"]}),
        indications=Matcher({"indications": rows["indications"]}),
        regulators=Matcher({"regulators": rows["regulators"]}),
        regions=Matcher({"regions": rows["regions"]}),
        cues=cues,
        fx=json.loads((VOCAB_DIR / "fx_rates.json").read_text(encoding="utf-8")),
        currencies=currencies,
        legal_words=legal,
        sector_words=sector,
    )


def verb_forms(path: Path) -> frozenset[str]:
    """Every form of the verbs of a `base<TAB>irregular|forms` file: the base, its regular -s, -ed and -ing
    forms (spelling rules for a final "e", "y" or sibilant) and the irregular forms listed; lower-case."""
    forms: set[str] = set()
    for base, irregular in read_tsv(path):
        base = base.lower()
        stem = base[:-1] if base.endswith("e") and not base.endswith("ee") else base
        consonant_y = base.endswith("y") and base[-2:-1] not in ("a", "e", "o", "u", "")
        sibilant = base.endswith(("s", "sh", "ch", "x", "z"))
        third = base[:-1] + "ies" if consonant_y else base + ("es" if sibilant else "s")
        past = base + "d" if base.endswith("e") else (base[:-1] + "ied" if consonant_y else base + "ed")
        forms.update((base, third, past, stem + "ing", *(form.lower() for form in irregular)))
    return frozenset(forms)


def compile_cue(pattern: str | list[str], flags: int = re.IGNORECASE) -> re.Pattern[str]:
    if isinstance(pattern, list):
        pattern = "|".join(f"(?:{p})" for p in pattern)
    return re.compile(pattern, flags)
