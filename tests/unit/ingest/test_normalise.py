from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dealwire.services.ingest.normalise import EmptyArticle, html_to_text, normalise_text, title_from
from dealwire.shared.ids import article_id_for


def test_html_becomes_readable_text_without_scripts_or_markup() -> None:
    html = ("<html><head><style>p{}</style><script>track()</script></head><body>"
            "<h1>Acme&nbsp;licenses   X-1</h1><p>Acme <b>grants</b> Beta rights.</p><p>Second</p></body></html>")
    assert normalise_text(html_to_text(html)) == "Acme licenses X-1\nAcme grants Beta rights.\nSecond"


def test_the_same_article_with_other_whitespace_gets_the_same_id() -> None:
    a = normalise_text("Title\r\n\r\n\r\n\r\nBody  text\u00a0here.  ")
    b = normalise_text("  Title\n\nBody text here.")
    assert a == b == "Title\n\nBody text here."
    assert article_id_for(a) == article_id_for(b)


def test_different_text_gets_a_different_id() -> None:
    assert article_id_for(normalise_text("Deal A")) != article_id_for(normalise_text("Deal B"))


@pytest.mark.parametrize("empty", ["", "   \n\t ", "<html><body><script>x()</script></body></html>"])
def test_an_article_with_nothing_readable_is_refused(empty: str) -> None:
    with pytest.raises(EmptyArticle):
        normalise_text(html_to_text(empty) if empty.startswith("<") else empty)


def test_control_characters_are_dropped() -> None:
    assert normalise_text("Acme\x00 \x07licenses") == "Acme licenses"


def test_title_is_the_first_line() -> None:
    assert title_from("Big deal\nbody") == "Big deal"


def test_the_control_character_pattern_is_exactly_category_cc_less_tab_and_newline() -> None:
    import sys
    import unicodedata

    from dealwire.services.ingest.normalise import _CONTROLS

    removed = set(_CONTROLS)
    wanted = {chr(c) for c in range(sys.maxunicode + 1)
              if unicodedata.category(chr(c)) == "Cc" and chr(c) not in "\t\n"}
    assert removed == wanted


@given(st.text(alphabet=st.sampled_from(list("ab \t\f\v\u00a0\u2003\u200b\u202f\u3000x\n")), max_size=60))
def test_folding_whitespace_runs_matches_the_plain_rule(text: str) -> None:
    from dealwire.services.ingest.normalise import _SPACE_RUNS, _SPACES, _TO_PLAIN_SPACE

    assert _SPACE_RUNS.sub(" ", text.translate(_TO_PLAIN_SPACE)) == _SPACES.sub(" ", text)
