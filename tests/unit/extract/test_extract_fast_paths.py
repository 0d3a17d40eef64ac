"""The engine's fast paths find exactly what the plain patterns they replace would find.

Each fast path (a pattern reordered so the scanner can skip ahead, a literal pre-check, a substring
search instead of a compiled alternation) is compared with the straightforward form on generated text
built from the fragments that matter to it.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import re
import sys

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dealwire.services.extract import engine
from dealwire.services.extract.engine import (
    analysis,
    anaphora,
    assets,
    companies,
    dates,
    drafts,
    furniture,
    payload,
    stages,
    text,
    vocab,
)
from tests.conftest import examples


def fragments(*parts: str, max_size: int = 24) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(parts), max_size=max_size).map("".join)


# characters that case-fold oddly, and word/space/punctuation neighbours
ODD = ("\u0130", "\u0131", "\u017f", "\u212a", "é", "_", "-", ".", "/", " ", "  ", "\n", "\t", ",", "1", "x", "X")


@settings(max_examples=examples(300), deadline=None)
@given(fragments("with", "from", "to", "by", "acquires", "acquired", "acquisition of", "buy", "buys", "bought",
                 "purchase", "purchased", "granted", "paying",
                 "pay", "and", "including", "joined", "-based", "company", "firm", "giant", "drugmaker", "biotech",
                 "group", "rival", "peer", "competitor", "developer", "specialist", "startup", "start-up",
                 "the", "its", "a", "an", "WITH", "sandwith", *ODD))
def test_deal_word_before_reversed_matches_the_forward_pattern(window: str) -> None:
    window = window[-40:]
    forward = companies.DEAL_POSITION_BEFORE.search(window) is not None
    assert (companies.DEAL_POSITION_BEFORE_REVERSED.match(window[::-1]) is not None) == forward


@settings(max_examples=examples(500), deadline=None)
@given(fragments("CEO", "Officer", "Chairman", "Dr.", "Mr.", "Prof.", "analyst", "By", "by", "said", "added", "Head",
                 "founder", "Reporting by", "reporting by", "Editing by", "Written by", "written by", "and", "and ",
                 ",", " ", "\n", "Acme", *ODD))
def test_person_word_before_reversed_matches_the_forward_pattern(window: str) -> None:
    window = window[-30:]
    forward = companies.PERSON_BEFORE.search(window) is not None
    assert (companies.PERSON_BEFORE_REVERSED.match(window[::-1]) is not None) == forward


@settings(max_examples=examples(300), deadline=None)
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


@settings(max_examples=examples(300), deadline=None)
@given(fragments("Acme", "acmezumab", "Birchtra", "trastuzumab", "ximab", "mab", "Xmab", "genexcel", "gene1cel",
                 "tisagenlecleucel", "Abcd", "stat", "States", "ritonavir", "Zolezole", "(", *ODD))
def test_inn_matches_equal_a_full_scan(haystack: str) -> None:
    def spans(matches: list[re.Match[str]]) -> list[tuple[int, int, str | None, str]]:
        return [(m.start(), m.end(), m.group("brand"), m.group("inn")) for m in matches]

    assert spans(assets.inn_matches(haystack)) == spans(list(assets.INN.finditer(haystack)))


def _inn_ends_plain(haystack: str) -> list[int]:
    """Every word (a run of at least three word characters not followed by a hyphen) that ends in a stem."""
    found = []
    for word in re.finditer(r"\w{3,}(?![\w-])", haystack):
        match = assets._INN_END.search(haystack, word.start(), word.end())
        if match:
            found.append(match.start())
    return found


@settings(max_examples=examples(300), deadline=None)
@given(fragments("acme", "zumab", "ximab", "mab", "stat", "States", "genexcel", "gene1cel", "leucel", "cel", "vir",
                 "virus", "Acme-", "(", *ODD))
def test_inn_stem_ends_equal_a_scan_of_every_word(haystack: str) -> None:
    assert assets._inn_ends(haystack) == _inn_ends_plain(haystack)


_TOKEN_PLAIN = r"A/S\b|[A-Z][\w'’&.\-]*[\w.]|[A-Z]|&"
_RUN_PLAIN = re.compile(rf"(?:{_TOKEN_PLAIN})(?:(?:\s+|\s*,\s*)(?:{_TOKEN_PLAIN}))*")


@settings(max_examples=examples(300), deadline=None)
@given(fragments("Acme", "A", "A.", "B.V.", "O'Neil", "J&J", "&", "Co.,", "Ltd.", ", ", " , ", "acme", "'s", "’", "--",
                 "AC-101", "Inc", "A/S", "/S", "S", *ODD))
def test_capitalised_runs_equal_the_plain_pattern(haystack: str) -> None:
    assert [m.span() for m in companies._RUN.finditer(haystack)] == [m.span() for m in _RUN_PLAIN.finditer(haystack)]
    plain_tokens = [m.span() for m in re.finditer(_TOKEN_PLAIN, haystack)]
    assert [m.span() for m in companies._TOKEN.finditer(haystack)] == plain_tokens


@settings(max_examples=examples(300), deadline=None)
@given(fragments("The", "the", "bathe", "Korean", "biotech", "company", "Germany-based", "firm", "'s shares", " of",
                 "clinical-stage", "Acme", "drug maker", *ODD))
def test_company_descriptions_equal_the_plain_pattern(haystack: str) -> None:
    plain = re.compile(anaphora._DESCRIPTION.pattern.replace("[Tt](?<!\\w.)he", "\\b[Tt]he", 1))
    assert plain.pattern != anaphora._DESCRIPTION.pattern
    assert [m.regs for m in anaphora._DESCRIPTION.finditer(haystack)] == [m.regs for m in plain.finditer(haystack)]


@settings(max_examples=examples(500), deadline=None)
@given(st.one_of(st.from_regex(assets._PRODUCT_LIST), st.from_regex(assets._APPROVED_BRAND),
                 fragments("products", "drugs", ": ", ", ", " and ", "Acmeva", "Birchtra", "approval", "rights",
                           " for ", " of ", "the ", "drug ", ".", " (", *ODD)))
def test_the_brand_scans_are_tried_only_where_their_gates_hold(haystack: str) -> None:
    if assets._PRODUCT_LIST.search(haystack):
        assert assets._PRODUCT_NAMES.search(haystack)
        assert any(word in haystack for word in assets._LIST_NOUNS)
    if assets._PRODUCT_NAMES.search(haystack):
        assert "," in haystack or ":" in haystack
    if assets._APPROVED_BRAND.search(haystack):
        assert assets._BRAND_AFTER.search(haystack)
        assert any(word in haystack for word in assets._GRANT_NOUNS)


_BRAND_PAREN_PLAIN = re.compile(
    r"(?P<brand>[A-Z][A-Za-z]{3,}(?:\s[A-Z][a-z]+)?)\s*\(\s*(?P<inner>[\w\-/ ]{3,40}?)\s*\)")


@settings(max_examples=examples(500), deadline=None)
@given(st.one_of(st.from_regex(_BRAND_PAREN_PLAIN),
                 fragments("Acmeva", "ACME", "Acme Bio", "Bio", " ", "(", ")", "AC-101", "acmezumab", "x/y", *ODD)))
def test_brand_brackets_equal_the_backtracking_pattern(haystack: str) -> None:
    expected = [m.regs for m in _BRAND_PAREN_PLAIN.finditer(haystack)]
    assert [m.regs for m in assets.BRAND_PAREN.finditer(haystack)] == expected
    assert [m.regs for m in assets.brand_parens(haystack)] == expected  # searched for from each bracket


@settings(max_examples=examples(300), deadline=None)
@given(fragments("19", "20", "2025", "1999", "x", "_", "-", "AB-", "12", "201", " ", *ODD))
def test_years_equal_the_plain_pattern(haystack: str) -> None:
    assert dates._YEAR.findall(haystack) == re.findall(r"(?<![\w-])(?:19|20)\d\d(?![\w-])", haystack)


@settings(max_examples=examples(300), deadline=None)
@given(fragments("19", "20", "2025", "1999", "x", "_", "-", "$", "€", "%", "AB-", "12", "201", " ", *ODD))
def test_bare_years_equal_the_plain_pattern(haystack: str) -> None:
    assert drafts._BARE_YEAR.findall(haystack) == re.findall(r"(?<![\w$€£¥-])((?:19|20)\d\d)(?![\w%-])", haystack)


@settings(max_examples=examples(300), deadline=None)
@given(fragments("1", "0", "9", "x", "Acme", " ", "\u0663", "\uff11", "\u00b2", "\u2155", "’", "é", *ODD))
def test_a_digit_is_found_as_the_digit_class_finds_it(haystack: str) -> None:
    assert vocab.has_digit(haystack) == (re.search(r"\d", haystack) is not None)


@settings(max_examples=examples(300), deadline=None)
@given(st.one_of(st.from_regex(analysis._COORDINATED), fragments("breast", "gastric", ", ", " and ", " or ", "lung",
                                                                 "cancers", "diseases", "tumors", *ODD)))
def test_coordinated_diseases_are_looked_for_only_where_their_tail_is(haystack: str) -> None:
    if analysis._COORDINATED.search(haystack):
        assert analysis._COORDINATED_TAIL.search(haystack)


_CODE_PLAIN = re.compile(r"(?<![\w.\-/])(?:[A-Z][A-Za-z]{0,5}-?[A-Z]{0,3}\d[\dA-Z]{0,7}|[A-Z]{1,6}\d{2,7}[A-Z]?)"
                         r"(?:/[A-Z]{2,6}-?\d{2,7}[A-Z]?)?(?![\w\-])")


@settings(max_examples=examples(300), deadline=None)
@given(fragments("A", "AB", "ABCDEFG", "AC-101", "BT-X204", "OR-DNB01", "/AB-12", "CD3", "Q", "12", "123", *ODD))
def test_code_pattern_equals_the_plain_one(haystack: str) -> None:
    assert [m.span() for m in assets.CODE.finditer(haystack)] == [m.span() for m in _CODE_PLAIN.finditer(haystack)]
    assert (assets.CODE.fullmatch(haystack) is None) == (_CODE_PLAIN.fullmatch(haystack) is None)


_BOUNDARY_PLAIN = re.compile(r"(?<=[.!?])[\"”’)\]]*\s+(?=[\"“(\[]?[A-Z0-9])|(?<=[.!?][\"”’])\s+")


@settings(max_examples=examples(300), deadline=None)
@given(fragments(".", "!", "?", '"', "”", "’", ")", "]", "“", "(", "[", "A", "a", "1", "Acme", "..", *ODD))
def test_sentence_breaks_equal_the_look_behind_pattern(haystack: str) -> None:
    found = [(m.start("gap") if m.group("gap") is not None else m.start("quoted_gap"), m.end())
             for m in text._BOUNDARY.finditer(haystack)]
    assert found == [m.span() for m in _BOUNDARY_PLAIN.finditer(haystack)]


@settings(max_examples=examples(300), deadline=None)
@given(fragments("Jan", "may", "MAY", "Monday", "on ", "On\t", "last", "This", "later", "earlier", "today", "2025",
                 "7", "sept", "xjan", "(", "$", "’", "\u00a0", "\u0663", "ß", "`", "^", "@", "[", *ODD))
def test_date_starts_on_lower_case_equal_the_case_insensitive_scan(haystack: str) -> None:
    lowered = vocab.lower_same_length(haystack)
    assert dates._starts(haystack, lowered) == [m.start() for m in dates._START.finditer(haystack)]


@settings(max_examples=examples(300), deadline=None)
@given(fragments("Jan", "January", "may", "MAY", "Monday", "on ", "On\t", "last", "This", "later", "earlier", "today",
                 "2025", "2025-09-11", "11/09/2025", "7", "sept", "Sept.", "11th", "this year", "of", "last month", ",",
                 "xjan", *ODD))
def test_dates_found_on_lower_case_equal_those_of_the_case_insensitive_pattern(haystack: str) -> None:
    published = dt.date(2025, 9, 30)
    plain: list[dates.DateMention] = []
    covered = 0
    for start in dates._START.finditer(haystack):
        match = dates._DATE.pattern.match(haystack, start.start())
        if start.start() < covered or match is None or not match.group():
            continue
        covered = match.end()
        resolved = dates._resolve(match, published, None)
        if resolved:
            plain.append(dates.DateMention(resolved[0], match.start(), match.end(), resolved[1]))
    assert dates.find_dates(haystack, published) == plain


@settings(max_examples=examples(300), deadline=None)
@given(fragments("Jan.", "Sept.", "may", "5/1/2025", "11/09/2025", "2025-09-11", "Monday", "on ", "last", "this", "7",
                 " ", ".", "-", "x", "\u00a0", *ODD, max_size=12))
@example("Jan.5/1/2025")
@example("in Jan.5/1/2025")
def test_dates_searched_one_after_another_equal_dates_tried_at_every_start(haystack: str) -> None:
    # a date may start right after the break that ends the one before ("Jan.5/1/2025"): the search finds it too
    published = dt.date(2025, 9, 30)
    lowered = vocab.lower_same_length(haystack)
    assert dates.find_dates(haystack, published) == dates._dates_from_starts(haystack, published, 0, None, lowered)


@settings(max_examples=examples(500), deadline=None)
@given(st.one_of(st.from_regex(analysis.HYPOTHETICAL.pattern),
                 fragments("may", "May", "MAY", "mayor", "dismay", "could", "Could", "if approved", "before", " is ",
                           "approved", "pending", *ODD)))
def test_a_hypothetical_is_told_as_the_whole_cue_tells_it(haystack: str) -> None:
    assert analysis._MODAL_MAY not in analysis._HYPOTHETICAL_BUT_MAY.pattern.pattern
    expected = analysis.HYPOTHETICAL.pattern.search(haystack) is not None
    assert analysis.is_hypothetical(haystack, haystack.lower()) == expected


@settings(max_examples=examples(300), deadline=None)
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


_VOCABULARIES = {
    "indications": [("acute lymphoblastic leukemia", ["ALL", "B-ALL"]), ("lung cancer", ["NSCLC", "lung"])],
    "targets": [("ERBB2 protein", ["Her2"]), ("HER2", ["ERBB2"]), ("AR", ["androgen receptor"])],
    "regions": [("United States", ["US", "U.S."]), ("all", [])],
}


def _scan_plain(haystack: str) -> dict[str, list[vocab.Hit]]:
    """Each form looked for on its own, in the text as written (two or more capitals) or in its lower case."""
    low = vocab.lower_same_length(haystack)
    found: dict[str, list[vocab.Hit]] = {}
    for name, rows in _VOCABULARIES.items():
        exact, folded = [], []
        for canonical, aliases in rows:
            for surface in (canonical, *aliases):
                sensitive = vocab.is_case_sensitive(surface)
                where, key = (haystack, surface) if sensitive else (low, vocab.lower_same_length(surface))
                position = where.find(key)
                while position >= 0:
                    hit = vocab.Hit(position, position + len(key), canonical, haystack[position : position + len(key)])
                    (exact if sensitive else folded).append(hit)
                    position = where.find(key, position + 1)
        kept = [h for h in exact + folded if _bounded(haystack, h.start, h.end)]
        found[name] = vocab._longest_non_overlapping(list(dict.fromkeys(kept)))
    return found


def _bounded(haystack: str, start: int, end: int) -> bool:
    def word(char: str) -> bool:
        return re.fullmatch(r"\w", char) is not None
    if start > 0 and word(haystack[start - 1]) and word(haystack[start]):
        return False
    if end < len(haystack) and word(haystack[end]) and word(haystack[end - 1]):
        return False
    after = haystack[end : end + 2]
    return not (after[:1] == "$" or (after[:1] == "-" and after[1:].isdigit()))


@settings(max_examples=examples(300), deadline=None)
@given(fragments("ALL", "all", "All", "B-ALL", "acute lymphoblastic leukemia", "HER2", "her2", "Her2", "ERBB2", "AR",
                 "ar", "US", "us", "U.S.", "US$", "-1", "lung", "NSCLC", "lung cancer", *ODD))
def test_one_automaton_finds_each_form_as_a_search_for_it_alone_would(haystack: str) -> None:
    assert vocab.Matcher(_VOCABULARIES).find_all(haystack) == _scan_plain(haystack)
    matcher, stop = vocab.Matcher(_VOCABULARIES), len(haystack) // 2  # every hit that starts before the stop:
    before = {name: [h for h in hits if h.start < stop] for name, hits in _scan_plain(haystack).items()}
    found = matcher.scan(haystack, None, 0, min(len(haystack), stop + matcher.longest))[0]
    assert {name: [h for h in hits if h.start < stop] for name, hits in found.items()} == before


def _caseless_patterns() -> dict[str, vocab.CaselessPattern]:
    """Every case-insensitive pattern of the engine that runs over lower-cased text, by where it is defined."""
    found: dict[str, vocab.CaselessPattern] = {}

    def visit(name: str, value: object) -> None:
        if isinstance(value, vocab.CaselessPattern):
            found[name] = value
        elif isinstance(value, vocab.GatedPattern):
            visit(name, value._caseless)
        elif isinstance(value, vocab.CuePatterns):
            for number, (pattern, _) in enumerate(value.groups):
                visit(f"{name}[{number}]", pattern)
        elif isinstance(value, dict):
            for key, item in value.items():
                visit(f"{name}[{key}]", item)
        elif isinstance(value, list | tuple):
            for number, item in enumerate(value):
                visit(f"{name}[{number}]", item)

    for info in pkgutil.iter_modules(engine.__path__):
        module = importlib.import_module(f"{engine.__name__}.{info.name}")
        for name, value in vars(module).items():
            if not name.startswith("__"):
                visit(f"{info.name}.{name}", value)
    return found


CASELESS = _caseless_patterns()


def _pattern_text(pattern: vocab.CaselessPattern) -> st.SearchStrategy[str]:
    """Text holding what the pattern matches (in any case), or made of its words, among spaces, punctuation and
    odd characters."""
    words = sorted(set(re.findall(r"[A-Za-z]{2,}", pattern.pattern.pattern)))
    variants = [form for word in words for form in (word, word.upper(), word.title())]
    around = fragments(*variants, "'s", "’s", "(", ")", ";", "$", "20", "A", "b", *ODD, max_size=6)
    matching = st.from_regex(pattern.pattern)
    return st.one_of(matching, st.tuples(around, matching, around).map("".join), fragments(*variants, *ODD))


def test_the_engine_runs_its_cue_patterns_over_lower_cased_text() -> None:
    insensitive = [p for p in CASELESS.values() if p.pattern.flags & re.IGNORECASE and "(?-i:" not in p.pattern.pattern]
    assert len(insensitive) > 50
    assert all(p._lower is not None for p in insensitive)


@pytest.mark.parametrize("name", sorted(CASELESS))
@settings(max_examples=examples(40), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_caseless_pattern_finds_what_the_case_insensitive_pattern_finds(name: str, data: st.DataObject) -> None:
    caseless = CASELESS[name]
    haystack = data.draw(_pattern_text(caseless))
    plain = caseless.pattern
    assert [m.regs for m in caseless.finditer(haystack)] == [m.regs for m in plain.finditer(haystack)]
    for found, expected in ((caseless.search(haystack, haystack.lower()), plain.search(haystack)),
                            (caseless.match(haystack), plain.match(haystack)),
                            (caseless.fullmatch(haystack), plain.fullmatch(haystack))):
        assert (found and found.regs) == (expected and expected.regs)


def _gated_groups() -> dict[str, tuple[vocab.CaselessPattern, tuple[tuple[str, ...], ...]]]:
    """Every gated group of cue patterns of the engine, by where it is defined."""
    found = {}
    for info in pkgutil.iter_modules(engine.__path__):
        module = importlib.import_module(f"{engine.__name__}.{info.name}")
        for name, value in vars(module).items():
            cues = value.items() if isinstance(value, dict) else [(None, value)]
            for key, item in cues:
                if isinstance(item, vocab.CuePatterns):
                    for number, (pattern, gates) in enumerate(item.groups):
                        found[f"{info.name}.{name}[{key}][{number}]"] = (pattern, gates)
    return found


GATED = _gated_groups()


@pytest.mark.parametrize("name", sorted(GATED))
@settings(max_examples=examples(40), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_match_of_a_cue_holds_one_of_its_gates(name: str, data: st.DataObject) -> None:
    """The gates only skip searches that cannot succeed: a text that matches holds a gate."""
    pattern, gates = GATED[name]
    haystack = data.draw(st.from_regex(pattern.pattern))
    if vocab.lowers_exactly(haystack):
        low = haystack.lower()
        assert any(all(word in low for word in gate) for gate in gates)


WORD_GATED = {name: p for name, p in CASELESS.items() if p._words is not None}


def test_most_lower_cased_cues_are_tried_only_on_text_holding_their_words() -> None:
    assert len(WORD_GATED) > 50


@pytest.mark.parametrize("name", sorted(WORD_GATED))
@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_match_of_a_lower_cased_cue_holds_one_of_its_words(name: str, data: st.DataObject) -> None:
    pattern = WORD_GATED[name]
    haystack = data.draw(st.from_regex(pattern._lower))
    assert any(word in haystack for word in pattern._words)


@pytest.mark.parametrize(("source", "words"), [
    (r"\bbought\b", ("bought",)),
    (r"\b(?:expand|extend)\w*\s+the", ("expand", "extend")),  # the rarest looking: longest shortest word
    (r"(?:ab|cd)+x", ("ab", "cd")),
    (r"(?:ab|cd)?x", ("x",)),
    (r"(?:ab|c*)x", ("x",)),  # an alternative that may hold no word
    (r"\d+|ab", None),
    (r"(?i:acme)|birch", None),  # a case-insensitive part
    (r"(?=ab)\w+", None),  # a look-ahead's text is not the match's
    (r"a(?P<n>bc)d", ("bc",)),
    (r"ex(?:pand|tend)|amend", ("expand", "extend", "amend")),
    (r"[,;]\s*xy", ("xy",)),
])
def test_required_words_are_those_every_match_holds(source: str, words: tuple[str, ...] | None) -> None:
    assert vocab.required_words(re.compile(source)) == words
    assert vocab.required_words(re.compile(source, re.IGNORECASE)) is None


@pytest.mark.parametrize(("source", "lowered"), [
    (r"\bIPO\b|[A-Z][a-z]+", r"\bipo\b|[a-z][a-z]+"),
    (r"(?P<Acme>X)\W(?P=Acme)[^A-Z]", r"(?P<Acme>x)\W(?P=Acme)[^a-z]"),
    (r"(?-i:may)|may", None),  # an inline flag keeps its case
    (r"\x41", None),  # a letter named by number
    (r"[0-z]", None),  # a range with letters that is not a range of letters
    (r"[!-/]|[\w.-]", r"[!-/]|[\w.-]"),
    ("É", None),
])
def test_lower_case_source_lowers_letters_or_declines(source: str, lowered: str | None) -> None:
    assert vocab.lower_case_source(source) == lowered


@pytest.mark.parametrize(("source", "moved"), [
    (r"\bbought\b", r"bought(?<!\w.{6})\b"),
    (r"(?:\bacquisition of\b)", r"(?:acquisition of(?<!\w.{14})\b)"),
    (r"\bacquisitions?", r"acquisition(?<!\w.{11})s?"),  # a repeated letter is no literal
    (r"\b(?:sign|ink)\b", r"\b(?:sign|ink)\b"),  # before an alternation the boundary stays
    (r"\bfoo|bar", r"\bfoo|bar"),
    (r"\b-x", r"\b-x"),  # before a character that is no word character the boundary means the opposite
    (r"(?:\bab)?c", r"(?:\bab)?c"),
])
def test_a_leading_boundary_moves_after_its_literal(source: str, moved: str) -> None:
    assert vocab.boundary_after_literal(source) == moved


@settings(max_examples=examples(300), deadline=None)
@given(fragments("bought", "Bought", "rebought", "acquisition of", "acquisitions", "sign", "design", "ink", "ab", "c",
                 "-", "_", "9", *ODD), st.sampled_from([r"\bbought\b", r"(?:\bacquisition of\b)", r"\bacquisitions?",
                                                        r"(?:\bab)c", r"\bab c|d"]))
def test_a_moved_boundary_finds_what_the_leading_one_finds(haystack: str, source: str) -> None:
    plain, moved = re.compile(source), re.compile(vocab.boundary_after_literal(source))
    assert [m.span() for m in moved.finditer(haystack)] == [m.span() for m in plain.finditer(haystack)]
    for start in range(len(haystack) + 1):
        assert (moved.match(haystack, start) is None) == (plain.match(haystack, start) is None)


@pytest.mark.parametrize(("source", "hoisted"), [
    (r"(?P<a>\bup|\bnear)|\bstake", r"\b(?:(?P<a>up|near)|stake)"),
    (r"(?:\bfoo)|(?:\bbar\b|\bbaz)", r"\b(?:(?:foo)|(?:bar\b|baz))"),
    (r"\bfoo|bar", r"\bfoo|bar"),  # one alternative without it: nothing moves
    (r"(?=\bx)|\by", r"(?=\bx)|\by"),
    (r"(?:\bfoo)?|\bbar", r"(?:\bfoo)?|\bbar"),
])
def test_the_boundary_of_every_alternative_goes_in_front(source: str, hoisted: str) -> None:
    assert vocab.boundary_in_front(source) == hoisted


def test_lowering_keeps_word_digit_and_space_characters_and_case_folds_ascii_letters_as_the_engine_assumes() -> None:
    """What the lower-cased fast paths rely on, over all of Unicode: lowering never changes whether a character
    is a word character, a digit or a space; only U+0130 lowers to two characters; and the characters a
    case-insensitive pattern takes for an ASCII letter though they lower to another are those that
    `lowers_exactly` rejects."""
    # Each pattern matches one character, so scanning all of them at once finds the same ones as matching each.
    chars = [chr(code) for code in range(sys.maxunicode + 1)]
    odd = [char for char in chars if len(char.lower()) != 1]
    single = [char for char in chars if len(char.lower()) == 1]
    text, lowered = "".join(single), "".join(char.lower() for char in single)
    for category in (r"\w", r"\d", r"\s"):
        found = [m.start() for m in re.finditer(category, text)]
        assert found == [m.start() for m in re.finditer(category, lowered)], category
    odd += [text[m.start()] for m in re.finditer("[a-z]", text, re.IGNORECASE) if not "a" <= lowered[m.start()] <= "z"]
    assert not vocab.lowers_exactly("".join(odd))
    assert all(not vocab.lowers_exactly(char) for char in odd)


_NAMES = ["Acme", "Acme Pharma", "Acme Pharma Inc.", "ACME", "Birch", "Birch Bio", "Acmegene", "Acmegen", "Cedar",
          "Shanghai Acme", "Acme Birch", "Bio"]


def _find_plain(book: companies.CompanyBook, name: str) -> companies.Company | None:
    key = companies.core(name)
    for company in book.companies:
        if key in {companies.core(n) for n in company.names} or name in company.names:
            return company
    for company in book.companies:
        if any(companies._one_edit_apart(key, companies.core(n)) for n in company.names):
            return company
    return None


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["add", "name", "absorb"]), st.sampled_from(_NAMES), st.integers(0, 5)),
                max_size=12))
def test_a_company_is_found_by_its_names_as_a_search_of_every_name_would(steps: list[tuple[str, str, int]]) -> None:
    book = companies.CompanyBook()
    for step, name, number in steps:
        if step == "add" or not book.companies:
            book.add(name, 0, 1)
        elif step == "name":
            book.add_name(book.companies[number % len(book.companies)], name)
        elif len(book.companies) > 1:
            book.absorb(book.companies[0], book.companies[1 + number % (len(book.companies) - 1)])
        for probe in _NAMES:
            assert book.find(probe) is _find_plain(book, probe)


@settings(max_examples=examples(300), deadline=None)
@given(st.sets(st.tuples(st.integers(0, 60), st.integers(1, 30)).map(lambda p: (p[0], p[0] + p[1])), max_size=12),
       st.integers(-2, 95))
def test_inside_any_span_equals_a_scan_of_every_span(spans: set[tuple[int, int]], offset: int) -> None:
    assert companies._inside_any(spans)(offset) == any(s <= offset < e for s, e in spans)


def _longest_non_overlapping_plain(hits: list[vocab.Hit]) -> list[vocab.Hit]:
    chosen: list[vocab.Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start, -(h.end - h.start))):
        if chosen and hit.start < chosen[-1].end:
            if hit.end - hit.start > chosen[-1].end - chosen[-1].start and hit.start == chosen[-1].start:
                chosen[-1] = hit
            continue
        chosen.append(hit)
    return chosen


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(1, 6), st.sampled_from("abc")), max_size=14))
def test_longest_non_overlapping_hits_by_two_stable_sorts_as_by_one_key(rows: list[tuple[int, int, str]]) -> None:
    hits = [vocab.Hit(start, start + length, canonical, canonical) for start, length, canonical in rows]
    assert vocab._longest_non_overlapping(list(hits)) == _longest_non_overlapping_plain(hits)


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 20)).map(lambda p: (p[0], p[0] + p[1])), max_size=10),
       st.integers(0, 50), st.integers(1, 15))
def test_covered_by_a_sorted_term_equals_a_scan_of_every_term(terms: list[tuple[int, int]], start: int,
                                                             length: int) -> None:
    terms = sorted(terms)
    end = start + length
    assert companies._covered(terms, start, end) == any(s <= start and end <= e for s, e in terms)


def _word_start_plain(text: str, position: int) -> int:
    while position > 0 and (text[position - 1].isalnum() or text[position - 1] == "_"):
        position -= 1
    return position


@settings(max_examples=examples(300), deadline=None)
@given(fragments("acmezumab", "a" * 40, "Birch", "x", "_", "1", "é", "ß", "\u0130", "½", "-", " ", ".", "\n", "’"),
       st.integers(0, 400))
def test_word_start_by_reversed_windows_equals_a_walk_back(text: str, position: int) -> None:
    position = min(position, len(text))
    assert assets._word_start(text, position) == _word_start_plain(text, position)


def _sentences_of(lengths: list[tuple[int, int]], title: tuple[int, int] | None) -> list[text.Sentence]:
    """Sentences laid out one after another (a gap, then a length each), with a title over some of them."""
    sentences, offset = [], 0
    for gap, length in lengths:
        offset += gap
        sentences.append(text.Sentence("x" * length, offset, offset + length, len(sentences), 0))
        offset += length
    if title is not None:
        start, length = title
        sentences.append(text.Sentence("x" * length, start, start + length, -1, -1, is_title=True))
    return sorted(sentences, key=lambda s: s.start)


_SPANS = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 12)), max_size=30)


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(1, 20)), min_size=1, max_size=12),
       st.one_of(st.none(), st.tuples(st.integers(0, 40), st.integers(2, 60))), _SPANS, _SPANS)
def test_vocabulary_hits_go_to_the_sentences_that_hold_them(
        lengths: list[tuple[int, int]], title: tuple[int, int] | None, words: list[tuple[int, int]],
        terms: list[tuple[int, int]]) -> None:
    sentences = _sentences_of(lengths, title)
    spans = analysis._SentenceSpans(sentences)
    found = {name: sorted(vocab.Hit(start + number, start + number + length, name, name)
                          for start, length in terms)
             for number, name in enumerate(vocab.TERM_VOCABULARIES)}
    by_sentence = analysis._hits_by_sentence(found, spans)
    for position in range(len(sentences)):
        expected = {name: [h for h in hits if position in spans.holding(h.start, h.end)]
                    for name, hits in found.items()}
        assert (by_sentence[position] or analysis._no_hits()) == expected
    assert tuple(analysis._no_hits()) == vocab.TERM_VOCABULARIES


@settings(max_examples=examples(300), deadline=None)
@given(fragments("Acme", "ACME", "Σ", "σ", "ς", "İ", "é", "Ä", "ǅ", " ", ".", *ODD))
def test_the_recogniser_reads_the_lower_case_the_scan_made_as_its_own(text_: str) -> None:
    # the engine lowers the article once (`lower_same_length`) for the vocabulary scan and the company recogniser
    def recogniser(lowered: str | None) -> companies.CompanyRecogniser:
        return companies.CompanyRecogniser(text_, lambda s, e: False, None, lambda s, e: [], lowered)

    assert recogniser(vocab.lower_same_length(text_))._low == recogniser(None)._low


@settings(max_examples=examples(500), deadline=None)
@given(fragments("Acme", "A", "s", "'s", "’s", ".", ",", "'", "’", "-", "1", "Bio", "USD", "The", "Korean", "&", "$",
                 max_size=6),
       fragments(" ", "$", "1", "Inc", "'s", ",", max_size=3))
def test_a_single_token_is_cut_only_where_the_written_out_test_says(token: str, after: str) -> None:
    if token[-1:] not in companies._TRIMMABLE:
        assert companies.trimmed_word(token) == token
    word = companies.trimmed_word(token)
    text_ = token + after
    e = len(token)
    recogniser = companies.CompanyRecogniser(text_, lambda s, e: False, None, lambda s, e: [])
    if not ("-" in word or word[-1:].isdigit() or word in companies._NEVER_IN_NAME or text_[e : e + 1] == "$"):
        assert not recogniser._ends_name(text_, [(0, e)], [], 0, e, token, word, word.lower(), 0, [])


@settings(max_examples=examples(300), deadline=None)
@given(fragments("acquire", "licen", "sed", " and ", " or ", "may ", "$", "million", "nov", "phase", "deal", "Acme",
                 "agreement", "trial", "approv", "x", *ODD),
       st.lists(st.tuples(st.integers(0, 4), st.integers(1, 30)), min_size=1, max_size=10))
def test_trigger_words_put_in_place_by_the_scan_are_those_each_sentence_holds(
        haystack: str, lengths: list[tuple[int, int]]) -> None:
    sentences = _sentences_of(lengths, None)
    spans = analysis._SentenceSpans(sentences)
    matcher = vocab.load().all_terms
    _, triggered = matcher.scan(haystack)
    expected: list[set[str]] = [set() for _ in sentences]
    for start, end, groups in triggered:
        for position in spans.holding(start, end):
            expected[position] |= groups
    binned: list[set[str]] = [set() for _ in sentences]
    assert matcher.scan(haystack, bins=(spans.starts, spans.ends, binned))[1] == []
    assert binned == expected


@settings(max_examples=examples(300), deadline=None)
@given(st.sampled_from(sorted(analysis.TYPE_CUES)),
       fragments("acquire", "acquisition of", "license", "licensed", "exclusive", "rights to", "agreed to", "buy",
                 "merger", "tender offer", "option", "sublicense", "Acme", "Birch", "the", "a", "deal", "with", *ODD))
def test_cue_groups_find_what_their_patterns_find_in_order(kind: str, haystack: str) -> None:
    cues = analysis.TYPE_CUES[kind]
    first = next((m for pattern, _ in cues.groups if (m := pattern.pattern.search(haystack))), None)
    found = cues.search(haystack, haystack.lower())
    assert (found is None) == (first is None)
    if found is not None and first is not None:
        assert found.span() == first.span()


@settings(max_examples=examples(500), deadline=None)
@given(st.one_of(st.from_regex(payload._PAIRED),
                 fragments("CLDN18.2", "PD-1", "CD3", "VEGF", "x", "X", "xCD3", "Ax", "a", "B7H3", "-", " ", *ODD)))
def test_paired_targets_are_looked_for_only_where_their_gate_holds(haystack: str) -> None:
    if payload._PAIRED.search(haystack):
        assert payload._PAIR_GATE.search(haystack)


@settings(max_examples=examples(500), deadline=None)
@given(st.one_of(st.from_regex(payload._PARTNER_DRUG),
                 fragments("combined", "COMBINATION", " with ", "its", "their", " own ", "OWN", "versus", "vs.", "VS",
                           "compared", " to ", "PD-1", "antibody", ".", ";", *ODD)))
def test_another_drug_is_looked_for_only_in_sentences_holding_its_words(haystack: str) -> None:
    if payload._PARTNER_DRUG.search(haystack) and vocab.lowers_exactly(haystack):
        assert any(word in haystack.lower() for word in payload._PARTNER_WORDS)


@settings(max_examples=examples(500), deadline=None)
@given(st.one_of(st.from_regex(anaphora._DESCRIPTION),
                 fragments("The", "the", "Korean", "biotech", "biopharmaceutical group", "drug maker", "start-up",
                           "licensee", "acquirer", "Germany-based", "Acme", "developer", "company", *ODD)))
def test_company_descriptions_are_looked_for_only_in_sentences_holding_a_head_word(haystack: str) -> None:
    if anaphora._DESCRIPTION.search(haystack):
        assert any(word in haystack for word in anaphora._HEAD_WORDS)


@settings(max_examples=examples(500), deadline=None)
@given(st.one_of(st.from_regex(companies._TRIAL_BEFORE),
                 fragments("Phase", "phase", "PHASE", " 3", "III", "-", "2a", "/", "pivotal", "Pivotal",
                           "registrational", "Registrational", " ", "Acme", *ODD)),
       st.integers(min_value=0, max_value=80))
def test_a_trial_word_before_a_name_is_found_as_the_plain_search_finds_it(haystack: str, start: int) -> None:
    start = min(start, len(haystack))
    expected = companies._TRIAL_BEFORE.search(haystack, max(0, start - 40), start) is not None
    assert companies._after_trial_word(haystack, start) == expected


STAGE_FRAGMENTS = ("Phase", "phase", "PHASE", "hase", " ", "-", "1", "2b", "III", "IV", "one", "/", "a", "B", "pre",
                   "preclinical", "Preclinical", "pre-clinical", "pivotal", "Pivotal", " trial", " study", " program",
                   "IND", "IND-enabling", "first-in-human", "first in human", "plans to file an", " IND", "human",
                   "investigational new drug", "xP", "_p", *ODD)


@settings(max_examples=examples(500), deadline=None)
@given(st.one_of(st.from_regex(analysis.STAGE_MENTION_PLAIN), fragments(*STAGE_FRAGMENTS)))
def test_stage_mentions_equal_the_plain_pattern(haystack: str) -> None:
    plain = list(re.finditer(analysis.STAGE_MENTION_PLAIN, haystack))
    fast = list(analysis.STAGE_MENTION.finditer(haystack))
    assert [m.span() for m in fast] == [m.span() for m in plain]
    assert [analysis.stage_name(m) for m in fast] == [analysis.stage_name(m) for m in plain]


@settings(max_examples=examples(500), deadline=None)
@given(st.one_of(st.from_regex(stages._MENTION), fragments(*STAGE_FRAGMENTS)))
def test_stage_mentions_beyond_the_phases_need_their_words(haystack: str) -> None:
    if "IND" not in haystack and "human" not in haystack and "investigational new drug" not in haystack:
        expected = [m.span() for m in stages._MENTION.finditer(haystack)]
        assert [m.span() for m in analysis.STAGE_MENTION.finditer(haystack)] == expected


@settings(max_examples=examples(500), deadline=None)
@given(st.one_of(st.from_regex(furniture._TICKER, fullmatch=True),
                 fragments("KOSPI", "ABC", " ", "2745.82", "-9.29", "(0.03%)", "▲", "Increased", "By", "up", "٣", "%",
                           *ODD)))
def test_a_quote_line_is_looked_for_only_where_a_digit_is(haystack: str) -> None:
    if furniture._is_ticker(haystack):
        assert vocab.has_digit(haystack)


@settings(max_examples=examples(500), deadline=None)
@given(fragments("Acme", " ", "\n", "\t", "\r", "\x00", "\x07", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\u00a0",
                 "\u200b", "\ufffd", "’", ".", *ODD))
def test_control_characters_become_spaces_as_the_pattern_replaces_them(haystack: str) -> None:
    assert text.clean(haystack) == text.blank_furniture(text._CONTROL.sub(" ", haystack))


@pytest.mark.parametrize(("source", "grouped"), [
    (r"\b(?:ind x|cleared|ind-y)z", r"(?:i(?<!\w.)(?:nd x|nd-y)|c(?<!\w.)(?:leared))z"),
    (r"\b(?:ab|cd)\b(?!x)", r"(?:a(?<!\w.)(?:b)|c(?<!\w.)(?:d))\b(?!x)"),
    (r"\b(?:a?b|c)", r"\b(?:a?b|c)"),  # a quantified letter: unchanged
    (r"\b(?:(?:x|yy)z|c)", r"(?:x(?<!\w.)(?:z)|y(?<!\w.)(?:yz)|c(?<!\w.)(?:))"),  # a group stands for its branches
    (r"\b(?:(?:x|y)?z|c)", r"\b(?:(?:x|y)?z|c)"),  # a quantified group: unchanged
    (r"\b(?:(?P<a>x)z|c)", r"\b(?:(?P<a>x)z|c)"),  # a group that captures: unchanged
    (r"\b(?:[a-c]z|c)", r"\b(?:[a-c]z|c)"),  # a class: unchanged
    (r"\b(?:ab|cd)+", r"\b(?:ab|cd)+"),  # a repeated group: unchanged
    (r"(?:ab|cd)", r"(?:ab|cd)"),  # no boundary: unchanged
])
def test_alternatives_are_grouped_by_their_leading_letter(source: str, grouped: str) -> None:
    assert vocab.by_leading_letter(source) == grouped


@settings(max_examples=examples(500), deadline=None)
@given(fragments("ind x", "ind-y", "indy", "cleared", "clear", "ab", "cd", "z", "x", "a", "_", "é", " ", "-", *ODD))
def test_alternatives_grouped_by_letter_find_what_the_boundary_form_finds(haystack: str) -> None:
    for source in (r"\b(?:ind x|cleared|ind-y)z?", r"\b(?:ab|cd|a)\b(?!x)", r"\b(?:a|ab)",
                   r"\b(?:ind-y|(?:cleared|ab) (?:x|z)|(?:(?:cd|a)|ind) x)"):
        plain, grouped = re.compile(source), re.compile(vocab.by_leading_letter(source))
        assert [m.span() for m in grouped.finditer(haystack)] == [m.span() for m in plain.finditer(haystack)]
        for position in range(len(haystack) + 1):
            found, expected = grouped.match(haystack, position), plain.match(haystack, position)
            assert (found and found.span()) == (expected and expected.span())


BOOK_NAMES = ("Acme", "Acme Pharma", "Acme Inc.", "Birch Bio", "Birch", "Cobalt Therapeutics", "Cobalt", "Dunmore",
              "Dunmore Biosciences Ltd.")


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.tuples(st.sampled_from(("add", "name", "absorb")), st.integers(0, 8), st.integers(0, 8),
                          st.sampled_from(BOOK_NAMES)), max_size=30))
def test_a_book_finds_the_first_company_of_a_name_as_a_fresh_search_would(steps: list[tuple[str, int, int, str]]
                                                                          ) -> None:
    book = companies.CompanyBook()
    for step, i, j, name in steps:
        if step == "add" or not book.companies:
            book.add(name, i, i + len(name))
        elif step == "name":
            book.add_name(book.companies[i % len(book.companies)], name)
        elif len(book.companies) >= 2:
            company, other = book.companies[i % len(book.companies)], book.companies[j % len(book.companies)]
            if company is not other:
                book.absorb(company, other)
        for looked_for in BOOK_NAMES:
            key = companies.core(looked_for)
            first = next((c for c in book.companies if key in c.cores()[0]), None)
            if first is not None:
                assert book.find(looked_for) is first
