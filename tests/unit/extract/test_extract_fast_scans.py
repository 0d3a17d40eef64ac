"""More fast paths of the engine, each compared with the plain form it replaces on generated text built from the
fragments that matter to it (as `test_extract_fast_paths.py` does)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dealwire.services.extract.engine import territory
from tests.conftest import examples


def fragments(*parts: str, max_size: int = 24) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(parts), max_size=max_size).map("".join)


# characters that case-fold oddly, and word/space/punctuation neighbours
ODD = ("\u0130", "\u0131", "\u017f", "\u212a", "é", "_", "-", ".", "/", " ", "  ", "\n", "\t", ",", "1", "x", "X")


@settings(max_examples=examples(500), deadline=None)
@given(fragments("Japanese", "japanese", "JAPANESE", "South Korean", "Korean", "korean", "U.S.", "US", "us", "UK",
                 "U.K.", "Swiss", "Swedish", "Spanish", "Singaporean", "Austrian", "Australian", "European",
                 "rights", "Rights", "license", "licence", "licensed", "exclusive", "development", "and", "marketing",
                 "commercialization", "s", "an", *ODD))
def test_demonym_rights_are_found_where_the_plain_pattern_finds_them(haystack: str) -> None:
    expected = [(m.start(), m.group("adjective")) for m in territory._DEMONYM_RIGHTS.finditer(haystack)]
    assert territory.demonym_rights(haystack, haystack.lower()) == expected
