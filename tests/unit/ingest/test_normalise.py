from __future__ import annotations

import pytest

from services.ingest.normalise import EmptyArticle, html_to_text, normalise_text, title_from
from shared.ids import article_id_for


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
