"""Vocabulary data files, loaded once at import, and a compiled multi-pattern matcher over them.

TSV format: UTF-8, `#` starts a comment line, each data line is `canonical<TAB>alias1|alias2|...`;
the canonical form is itself a surface form. Short abbreviations with several capitals ("ALL", "HER2",
"rrMM") match case-sensitively so that ordinary words ("all") do not hit; everything else matches
case-insensitively. Matches must sit on word boundaries.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import ahocorasick

VOCAB_DIR = Path(__file__).parent / "vocab"
TERM_VOCABULARIES = ("targets", "modalities", "indications", "regulators", "regions")


class Hit(NamedTuple):
    start: int
    end: int
    canonical: str
    surface: str


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


def is_case_sensitive(surface: str) -> bool:
    """Short forms with two or more capitals are abbreviations: 'ALL' must not match 'all'."""
    return len(surface) <= 8 and sum(ch.isupper() for ch in surface) >= 2


def lower_same_length(text: str) -> str:
    """Lower-case without changing offsets (a few characters lower-case to two code points)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


class Matcher:
    """Longest-leftmost, non-overlapping, boundary-checked matches of many surface forms.

    Several vocabularies can share one matcher (one pass finds them all); each keeps its own
    non-overlapping selection. Case-sensitive forms live in their own automaton run over the
    original text, so that ordinary lower-case words never reach the boundary check.
    """

    def __init__(self, vocabularies: dict[str, list[tuple[str, list[str]]]]) -> None:
        exact: dict[str, list[tuple[str, str]]] = {}
        folded: dict[str, list[tuple[str, str]]] = {}
        for name, rows in vocabularies.items():
            for canonical, aliases in rows:
                for surface in (canonical, *aliases):
                    sensitive = is_case_sensitive(surface)
                    table, key = (exact, surface) if sensitive else (folded, lower_same_length(surface))
                    entries = table.setdefault(key, [])
                    if all(n != name for n, _ in entries):
                        entries.append((name, canonical))
        self.names = tuple(vocabularies)
        self._exact = _automaton(exact)
        self._folded = _automaton(folded)

    def find_all(self, text: str, lowered: str | None = None) -> dict[str, list[Hit]]:
        found: dict[str, list[Hit]] = {name: [] for name in self.names}
        if not text:
            return found
        low = lowered if lowered is not None else lower_same_length(text)
        size = len(text)
        for automaton, haystack in ((self._exact, text), (self._folded, low)):
            if automaton is None:
                continue
            for end_index, (length, entries) in automaton.iter(haystack):
                start, end = end_index - length + 1, end_index + 1
                if start > 0 and _is_word_char(text[start - 1]) and _is_word_char(text[start]):
                    continue
                if end < size and _is_word_char(text[end]) and _is_word_char(text[end - 1]):
                    continue
                if end + 1 < size and text[end] == "-" and text[end + 1].isdigit():
                    continue  # part of a development code such as "HRS-5346"
                if end < size and text[end] == "$":
                    continue  # a currency prefix: "US$", "HK$"
                surface = text[start:end]
                for name, canonical in entries:
                    found[name].append(Hit(start, end, canonical, surface))
        return {name: _longest_non_overlapping(hits) for name, hits in found.items()}

    def find(self, text: str, lowered: str | None = None) -> list[Hit]:
        """Matches of a single-vocabulary matcher."""
        return self.find_all(text, lowered)[self.names[0]] if self.names else []


def _automaton(entries: dict[str, list[tuple[str, str]]]) -> ahocorasick.Automaton | None:
    if not entries:
        return None
    automaton = ahocorasick.Automaton()
    for key, values in entries.items():
        automaton.add_word(key, (len(key), tuple(values)))
    automaton.make_automaton()
    return automaton


def _longest_non_overlapping(hits: list[Hit]) -> list[Hit]:
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
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
    all_terms: Matcher  # the five below in one pass
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


def _org_words(path: Path) -> tuple[frozenset[str], frozenset[str]]:
    kinds: dict[str, frozenset[str]] = {}
    for kind, words in read_tsv(path):
        kinds[kind] = frozenset(words)
    return kinds.get("legal", frozenset()), kinds.get("sector", frozenset())


@cache
def load() -> Vocabularies:
    legal, sector = _org_words(VOCAB_DIR / "org_words.tsv")
    rows = {name: read_tsv(VOCAB_DIR / f"{name}.tsv") for name in TERM_VOCABULARIES}
    return Vocabularies(
        all_terms=Matcher(rows),
        targets=Matcher({"targets": rows["targets"]}),
        modalities=Matcher({"modalities": rows["modalities"]}),
        indications=Matcher({"indications": rows["indications"]}),
        regulators=Matcher({"regulators": rows["regulators"]}),
        regions=Matcher({"regions": rows["regions"]}),
        cues=json.loads((VOCAB_DIR / "cues.json").read_text(encoding="utf-8")),
        fx=json.loads((VOCAB_DIR / "fx_rates.json").read_text(encoding="utf-8")),
        currencies=read_tsv(VOCAB_DIR / "currencies.tsv"),
        legal_words=legal,
        sector_words=sector,
    )


def compile_cue(pattern: str | list[str], flags: int = re.IGNORECASE) -> re.Pattern[str]:
    if isinstance(pattern, list):
        pattern = "|".join(f"(?:{p})" for p in pattern)
    return re.compile(pattern, flags)
