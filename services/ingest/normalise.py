"""Article normalisation: HTML to text, one canonical whitespace form, so equal content hashes equal."""

from __future__ import annotations

import re
import unicodedata

from selectolax.lexbor import LexborHTMLParser as HTMLParser

_BLOCK_TAGS = "p div br li h1 h2 h3 h4 h5 h6 tr table section article header footer blockquote pre"
_DROP_TAGS = ["script", "style", "noscript", "template", "svg", "iframe", "nav", "form"]
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")


class EmptyArticle(ValueError):
    """Nothing readable is left after normalisation."""


def html_to_text(html: str) -> str:
    tree = HTMLParser(html)
    tree.strip_tags(_DROP_TAGS)
    root = tree.body or tree.root
    if root is None:
        return ""
    for tag in _BLOCK_TAGS.split():
        for node in root.css(tag):
            node.insert_after("\n")
    return root.text(separator="", strip=False)


def normalise_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    if not text:
        raise EmptyArticle("the article has no text after normalisation")
    return text


def title_from(text: str) -> str | None:
    first = text.split("\n", 1)[0].strip()
    return first[:300] or None


def normalise_line(value: str | None) -> str | None:
    """A one-line field (title, source, url): NFC, no control characters, single spaces; None if empty."""
    if value is None:
        return None
    value = unicodedata.normalize("NFC", value)
    value = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in value)
    return _SPACES.sub(" ", value).strip() or None
