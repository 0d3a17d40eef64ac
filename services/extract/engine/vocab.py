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


TriggerHit = tuple[int, int, frozenset[str]]  # start, end, the groups the word opens


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


# Characters that `re.IGNORECASE` matches to an ASCII letter although `str.lower` does not make them one
# ("ı" and "İ" match "i", "ſ" matches "s"): a lower-cased text stands for the original only without them.
def lowers_exactly(text: str) -> bool:
    """Whether a case-insensitive pattern matches `text` exactly where a lower-case one matches its lower case."""
    return "\u0130" not in text and "\u0131" not in text and "\u017f" not in text


class GatedPattern:
    """A case-insensitive pattern tried only on text whose lower case holds one of `words`.

    Every match of the pattern contains one of the words, so the gate never changes a result: it only
    skips searches that cannot succeed (a scan of the lower-cased text for a few literals is far cheaper).
    """

    def __init__(self, pattern: re.Pattern[str], words: tuple[str, ...]) -> None:
        self.pattern = pattern
        self.words = words

    def _hopeless(self, text: str, lowered: str) -> bool:
        return not any(word in lowered for word in self.words) and lowers_exactly(text)

    def search(self, text: str, lowered: str) -> re.Match[str] | None:
        return None if self._hopeless(text, lowered) else self.pattern.search(text)

    def finditer(self, text: str, lowered: str) -> list[re.Match[str]]:
        return [] if self._hopeless(text, lowered) else list(self.pattern.finditer(text))


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
        self.groups = [(compile_cue(patterns), gates) for gates, patterns in grouped.items()]

    def search(self, text: str, lowered: str | None = None) -> re.Match[str] | None:
        low = text.lower() if lowered is None else lowered
        exact = lowers_exactly(text)
        for pattern, gates in self.groups:
            if exact and not any(all(word in low for word in gate) for gate in gates):
                continue
            match = pattern.search(text)
            if match:
                return match
        return None


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


class Matcher:
    """Longest-leftmost, non-overlapping, boundary-checked matches of many surface forms.

    Several vocabularies can share one matcher (one pass finds them all); each keeps its own
    non-overlapping selection. All forms live in one automaton run over the lower-cased text; a
    case-sensitive form ("ALL", "HER2") also names the exact surface a match must have. The same pass
    can report trigger words (`triggers`: lower-case word -> its groups), found anywhere, even inside words.
    """

    def __init__(self, vocabularies: dict[str, list[tuple[str, list[str]]]],
                 triggers: dict[str, frozenset[str]] | None = None) -> None:
        exact: dict[str, list[tuple[str, str, str]]] = {}
        folded: dict[str, list[tuple[None, str, str]]] = {}
        for name, rows in vocabularies.items():
            for canonical, aliases in rows:
                for surface in (canonical, *aliases):
                    if is_case_sensitive(surface):
                        sensitive = exact.setdefault(surface, [])
                        if all(n != name for _, n, _ in sensitive):
                            sensitive.append((surface, name, canonical))
                    else:
                        insensitive = folded.setdefault(lower_same_length(surface), [])
                        if all(n != name for _, n, _ in insensitive):
                            insensitive.append((None, name, canonical))
        self.names = tuple(vocabularies)
        # case-sensitive forms are looked for in the text as written, the rest in its lower case: short
        # abbreviations ("AR", "EC") would otherwise hit inside a great many words
        self._exact = _automaton(dict(exact), {})
        self._automaton = _automaton(dict(folded), triggers or {})

    def find_all(self, text: str, lowered: str | None = None) -> dict[str, list[Hit]]:
        return self.scan(text, lowered)[0]

    def scan(self, text: str, lowered: str | None = None) -> tuple[dict[str, list[Hit]], list[TriggerHit]]:
        """Vocabulary matches by vocabulary, and every trigger word occurrence, in one pass."""
        found: dict[str, list[Hit]] = {name: [] for name in self.names}
        triggered: list[TriggerHit] = []
        if not text:
            return found, triggered
        low = lowered if lowered is not None else lower_same_length(text)
        # exact entries first: for one span they win ties, as when both kinds shared one automaton
        for automaton, haystack in ((self._exact, text), (self._automaton, low)):
            if automaton is not None:
                self._collect(automaton, haystack, text, found, triggered)
        return {name: _longest_non_overlapping(hits) for name, hits in found.items()}, triggered

    @staticmethod
    def _collect(automaton: ahocorasick.Automaton, haystack: str, text: str, found: dict[str, list[Hit]],
                 triggered: list[TriggerHit]) -> None:
        size = len(text)
        for end_index, (length, entries, groups) in automaton.iter(haystack):
            start, end = end_index - length + 1, end_index + 1
            if groups:
                triggered.append((start, end, groups))
            if not entries:
                continue
            if start > 0 and _is_word_char(text[start - 1]) and _is_word_char(text[start]):
                continue  # inside a word
            if end < size and _is_word_char(text[end]) and _is_word_char(text[end - 1]):
                continue
            if end + 1 < size and text[end] == "-" and text[end + 1].isdigit():
                continue  # part of a development code such as "AC-1234"
            if end < size and text[end] == "$":
                continue  # a currency prefix: "US$", "HK$"
            surface = text[start:end]
            for required, name, canonical in entries:
                if required is None or required == surface:
                    found[name].append(Hit(start, end, canonical, surface))

    def find(self, text: str, lowered: str | None = None) -> list[Hit]:
        """Matches of a single-vocabulary matcher."""
        return self.find_all(text, lowered)[self.names[0]] if self.names else []


def _automaton(
    entries: dict[str, list[tuple[str | None, str, str]]], triggers: dict[str, frozenset[str]]
) -> ahocorasick.Automaton | None:
    if not entries and not triggers:
        return None
    automaton = ahocorasick.Automaton()
    for key in {**entries, **triggers}:
        automaton.add_word(key, (len(key), tuple(entries.get(key, ())), triggers.get(key, frozenset())))
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
        all_terms=Matcher(rows, _trigger_words(cues, currencies)),
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
