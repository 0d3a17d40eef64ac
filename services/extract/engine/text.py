"""Text preparation: cap the work, blank page furniture, split into sentences with offsets, cut boilerplate.

Work is capped: only the first `MAX_CHARS` characters of an article are read, which holds any
news story; the rest of a huge input is ignored so extraction time stays bounded.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from dealwire.services.extract.engine.furniture import blank_furniture
from dealwire.services.extract.engine.vocab import compile_cue, load

MAX_CHARS = 60_000
MAX_SENTENCES = 400
MAX_SENTENCE_CHARS = 1_500

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd\u200b\u00a0]")
# `_CONTROL`'s characters as a translation table: ASCII text (the pattern's ASCII characters only) is translated by a
# copy loop, far faster than the pattern tries every character
_ASCII_CONTROL = str.maketrans({chr(c): " " for c in range(128) if _CONTROL.match(chr(c))})
# A sentence break: the space after sentence-final punctuation (and a closing quote or bracket) before a
# capital or digit, or after punctuation and a closing quote. The punctuation is part of the match so that
# the scan can jump from one punctuation mark to the next; the break itself starts at group "gap".
_BOUNDARY = re.compile(r"[.!?](?:(?P<gap>[\"”’)\]]*\s+)(?=[\"“(\[]?[A-Z0-9])|[\"”’](?P<quoted_gap>\s+))")
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z.]*)\.\s*$")


class Sentence(NamedTuple):  # a tuple: built for every sentence, and cheaper to build than a frozen dataclass
    text: str
    start: int
    end: int
    index: int  # type: ignore[assignment]  # the field shadows tuple.index, which nothing here calls
    paragraph: int
    is_title: bool = False


_VOCAB = load()
_ABBREVIATIONS = frozenset(_VOCAB.cues["abbreviations"])
_HEADING = compile_cue(_VOCAB.cues["boilerplate_heading"])
_FOOTER_LINE = re.compile(_VOCAB.cues["boilerplate_line"])
_ABOUT = re.compile(r"\s*about ", re.IGNORECASE)


def clean(text: str) -> str:
    """Same length as the input prefix, so offsets stay valid: control characters become spaces, and so
    does page furniture (related headlines, share and subscribe blocks, tickers: `furniture.py`)."""
    text = text[:MAX_CHARS]
    return blank_furniture(text.translate(_ASCII_CONTROL) if text.isascii() else _CONTROL.sub(" ", text))


_OPEN_ENDINGS = frozenset({"to", "the", "its", "their", "his", "her", "of", "a", "an", "and", "or", "in", "on", "for",
                           "with", "by", "at", "from", "as", "that", "which", "who", "is", "are", "was", "were", "has",
                           "have", "had", "will", "would"})
_LAST_TOKEN = re.compile(r"(\S+)$")
_MIN_WRAPPED_LINE = 40


def unwrap_lines(text: str) -> str:
    """Hard-wrapped text ("…to price its\nIPO on…") joined back into its sentences, offsets unchanged: a line
    break inside a sentence becomes a space. Inside: the line is long (a heading or a list item is short) and
    goes on with a lower-case word or a bracket, or ends with a comma or a word no sentence ends with."""
    if "\n" not in text:
        return text
    out: list[str] | None = None
    line_start = 0
    position = text.find("\n")
    while position >= 0:
        after = text[position + 1 : position + 2]
        line = text[line_start:position]
        if len(line) >= _MIN_WRAPPED_LINE and after and not after.isspace() and _continues(line, after):
            out = out or list(text)
            out[position] = " "
        line_start = position + 1
        position = text.find("\n", line_start)
    return "".join(out) if out is not None else text


def _continues(line: str, after: str) -> bool:
    if line[-1:] in ".!?:;\"”":
        return False
    last = _LAST_TOKEN.search(line)
    last_word = last.group(1) if last else ""
    if after.islower() or (after in "([" and last_word[:1].islower()):
        return True
    return line[-1:] == "," or last_word.lower() in _OPEN_ENDINGS


def is_boilerplate_start(line: str, line_number: int) -> bool:
    stripped = line.strip().strip("*#-–— ").strip()
    if not stripped or line_number < 1:
        return False
    if _HEADING.match(stripped):
        return not stripped.lower().startswith("about ") or len(stripped) < 100
    return bool(_FOOTER_LINE.match(stripped))


def body_end(text: str) -> int:
    """Offset where company boilerplate, disclaimers, references or site footer begin."""
    offset = 0
    lead_end = len(text) * 0.25
    for number, line in enumerate(text.split("\n")):
        # an "About <company>" heading is unmistakable; other markers only count past the lead
        past_lead = offset > lead_end or _ABOUT.match(line) is not None
        if past_lead and is_boilerplate_start(line, number):
            return offset
        offset += len(line) + 1
    return len(text)


def _split_paragraph(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _BOUNDARY.finditer(text, start, end):
        gap_start = match.start("gap") if match.group("gap") is not None else match.start("quoted_gap")
        word = _LAST_WORD.search(text, max(cursor, gap_start - 12), gap_start + 1)
        if word and (word.group(1).rstrip(".") in _ABBREVIATIONS or _is_initial(text, word)):
            continue
        spans.append((cursor, gap_start))
        cursor = match.end()
    spans.append((cursor, end))
    return spans


def _is_initial(text: str, word: re.Match[str]) -> bool:
    """"J. Smith", not the scale of a figure ending a sentence ("worth $22m. The deal …")."""
    return len(word.group(1)) == 1 and not text[word.start(1) - 1 : word.start(1)].isdigit()


def split_sentences(text: str, limit: int | None = None) -> list[Sentence]:
    """Sentences of `text[:limit]`, split on line breaks and sentence-final punctuation."""
    stop = len(text) if limit is None else limit
    sentences: list[Sentence] = []
    offset = 0
    for paragraph, line in enumerate(text[:stop].split("\n")):
        line_start = offset
        offset += len(line) + 1
        if not line.strip():
            continue
        for s, e in _split_paragraph(text, line_start, line_start + len(line)):
            piece = text[s:e]
            sentence = piece.strip()
            if len(sentence) < 2:
                continue
            s += len(piece) - len(piece.lstrip())
            if len(sentence) > MAX_SENTENCE_CHARS:
                sentence = sentence[:MAX_SENTENCE_CHARS]
            sentences.append(Sentence(sentence, s, s + len(sentence), len(sentences), paragraph))
            if len(sentences) >= MAX_SENTENCES:
                return sentences
    return sentences
