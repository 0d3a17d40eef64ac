"""The engine's fast paths find exactly what the plain patterns they replace would find.

Each fast path (a pattern reordered so the scanner can skip ahead, a literal pre-check, a substring
search instead of a compiled alternation) is compared with the straightforward form on generated text
built from the fragments that matter to it.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from services.extract.engine import assets, companies, dates, text, vocab


def fragments(*parts: str, max_size: int = 24) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(parts), max_size=max_size).map("".join)


# characters that case-fold oddly, and word/space/punctuation neighbours
ODD = ("\u0130", "\u0131", "\u017f", "\u212a", "é", "_", "-", ".", "/", " ", "  ", "\n", "\t", ",", "1", "x", "X")


@settings(max_examples=300, deadline=None)
@given(fragments("with", "from", "to", "by", "acquires", "acquired", "acquisition of", "buy", "buys", "bought",
                 "purchase", "purchased", "granted", "paying",
                 "pay", "and", "including", "joined", "-based", "company", "firm", "giant", "drugmaker", "biotech",
                 "group", "rival", "peer", "competitor", "developer", "specialist", "startup", "start-up",
                 "the", "its", "a", "an", "WITH", "sandwith", *ODD))
def test_deal_word_before_reversed_matches_the_forward_pattern(window: str) -> None:
    window = window[-40:]
    forward = companies.DEAL_POSITION_BEFORE.search(window) is not None
    assert (companies.DEAL_POSITION_BEFORE_REVERSED.match(window[::-1]) is not None) == forward


@settings(max_examples=300, deadline=None)
@given(fragments("Acme", "acme", "ACME", "Acme Pharma", "Birch", "birch bio", "Bio", "A.B.", "x&y", "ab", *ODD),
       st.lists(st.sampled_from(["Acme", "Acme Pharma", "Birch Bio", "Bio", "A.B.", "X&Y", "ab", "Ab", "Bırch"]),
                min_size=1, max_size=5, unique=True),
       st.integers(min_value=0, max_value=200))
def test_whole_word_matches_equal_a_case_insensitive_alternation(haystack: str, surfaces: list[str], stop: int) -> None:
    surfaces = sorted(surfaces, key=len, reverse=True)
    stop = min(stop, len(haystack))
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(s) for s in surfaces) + r")(?![\w-])", re.I)
    expected = [m.span() for m in pattern.finditer(haystack, 0, stop)]
    assert companies.whole_word_matches(haystack, stop, surfaces) == expected


@settings(max_examples=300, deadline=None)
@given(fragments("Acme", "acmezumab", "Birchtra", "trastuzumab", "ximab", "mab", "Xmab", "genexcel", "gene1cel",
                 "tisagenlecleucel", "Abcd", "stat", "States", "ritonavir", "Zolezole", "(", *ODD))
def test_inn_matches_equal_a_full_scan(haystack: str) -> None:
    def spans(matches: list[re.Match[str]]) -> list[tuple[int, int, str | None, str]]:
        return [(m.start(), m.end(), m.group("brand"), m.group("inn")) for m in matches]

    assert spans(assets.inn_matches(haystack)) == spans(list(assets.INN.finditer(haystack)))


_CODE_PLAIN = re.compile(r"(?<![\w.\-/])(?:[A-Z][A-Za-z]{0,5}-?[A-Z]?\d[\dA-Z]{0,7}|[A-Z]{1,6}\d{2,7}[A-Z]?)"
                         r"(?:/[A-Z]{2,6}-?\d{2,7}[A-Z]?)?(?![\w\-])")


@settings(max_examples=300, deadline=None)
@given(fragments("A", "AB", "ABCDEFG", "AC-101", "BT-X204", "/AB-12", "CD3", "Q", "12", "123", *ODD))
def test_code_pattern_equals_the_plain_one(haystack: str) -> None:
    assert [m.span() for m in assets.CODE.finditer(haystack)] == [m.span() for m in _CODE_PLAIN.finditer(haystack)]
    assert (assets.CODE.fullmatch(haystack) is None) == (_CODE_PLAIN.fullmatch(haystack) is None)


_BOUNDARY_PLAIN = re.compile(r"(?<=[.!?])[\"”’)\]]*\s+(?=[\"“(\[]?[A-Z0-9])|(?<=[.!?][\"”’])\s+")


@settings(max_examples=300, deadline=None)
@given(fragments(".", "!", "?", '"', "”", "’", ")", "]", "“", "(", "[", "A", "a", "1", "Acme", "..", *ODD))
def test_sentence_breaks_equal_the_look_behind_pattern(haystack: str) -> None:
    found = [(m.start("gap") if m.group("gap") is not None else m.start("quoted_gap"), m.end())
             for m in text._BOUNDARY.finditer(haystack)]
    assert found == [m.span() for m in _BOUNDARY_PLAIN.finditer(haystack)]


@settings(max_examples=300, deadline=None)
@given(fragments("Jan", "may", "MAY", "Monday", "on ", "On\t", "last", "This", "later", "earlier", "today", "2025",
                 "7", "sept", "xjan", *ODD))
def test_date_starts_on_lower_case_equal_the_case_insensitive_scan(haystack: str) -> None:
    assert [m.start() for m in dates._starts(haystack)] == [m.start() for m in dates._START.finditer(haystack)]


@settings(max_examples=300, deadline=None)
@given(fragments("recently", "RECENTLY", "recentl", "Royalty", "royalties", "ROYALT", "lic", *ODD))
def test_gated_pattern_finds_what_its_pattern_finds(haystack: str) -> None:
    for gated in (vocab.GatedPattern(re.compile(r"\brecently\b", re.I), ("recently",)),
                  vocab.GatedPattern(re.compile(r"\broyalt(?:y|ies)\b", re.I), ("royalt",))):
        found = gated.search(haystack, haystack.lower())
        expected = gated.pattern.search(haystack)
        assert (found and found.span()) == (expected and expected.span())


def test_case_sensitive_vocabulary_forms_need_their_exact_case() -> None:
    matcher = vocab.Matcher({"indications": [("acute lymphoblastic leukemia", ["ALL"])]})
    assert [h.surface for h in matcher.find("ALL patients; all patients; acute lymphoblastic leukemia")] == [
        "ALL", "acute lymphoblastic leukemia"]


def test_trigger_words_are_found_inside_words_too() -> None:
    matcher = vocab.Matcher({"regions": [("China", [])]}, {"licen": frozenset({"licensing"})})
    hits, triggered = matcher.scan("Acme out-licensed rights in China.")
    assert [h.canonical for h in hits["regions"]] == ["China"]
    assert triggered == [(9, 14, frozenset({"licensing"}))]
