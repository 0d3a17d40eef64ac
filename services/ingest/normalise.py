"""Article normalisation: HTML to text, one canonical whitespace form, so equal content hashes equal."""

from __future__ import annotations

import re
import unicodedata

from selectolax.lexbor import LexborHTMLParser as HTMLParser

_BLOCK_TAGS = "p div br li h1 h2 h3 h4 h5 h6 tr table section article header footer blockquote pre"
_DROP_TAGS = ["script", "style", "noscript", "template", "svg", "iframe", "nav", "form"]
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
# The same rule in two fast steps: every such space becomes " ", then runs of " " become one.
_ODD_SPACES = "\t\f\v\u00a0\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200C)))
_TO_PLAIN_SPACE = str.maketrans(dict.fromkeys(_ODD_SPACES, " "))
_SPACE_RUNS = re.compile(" {2,}")
_BLANK_LINES = re.compile(r"\n{3,}")
_CONTROLS = [chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))]  # Cc less \t \n
_DROP_CONTROLS = str.maketrans(dict.fromkeys(_CONTROLS))


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
    text = text.translate(_DROP_CONTROLS).translate(_TO_PLAIN_SPACE)
    if "  " in text:  # the substitutions cost a scan each: only when there is something to change
        text = _SPACE_RUNS.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    text = text.strip()
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
