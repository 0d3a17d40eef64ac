"""Definite descriptions that stand for a company: "the Korean biotech", "The Germany-based company".

News names a firm once and then describes it. Each description becomes a mention of the company it
points to: the one placed in the description's country, if it says one ("Korean", "Germany-based") and
one company is placed there; otherwise the subject of the nearest sentence before it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from operator import itemgetter

from dealwire.services.extract.engine.companies import Company, CompanyBook
from dealwire.services.extract.engine.text import Sentence
from dealwire.services.extract.engine.vocab import VOCAB_DIR, demonym_regions, load, read_tsv

_VOCAB = load()
_DEMONYMS = demonym_regions()
_CITIES = frozenset(p.lower() for _, places in read_tsv(VOCAB_DIR / "places.tsv") for p in places)
_HEADS = r"(?:biotech|biotechnology (?:company|firm)|biopharma|biopharmaceutical (?:company|firm|group)|pharma|" \
         r"pharmaceutical (?:company|firm|group|maker|manufacturer)|pharma (?:company|group|firm|major)|drugmaker|" \
         r"drug maker|drug developer|developer|company|firm|group|specialist|start-?up|licensor|licensee|acquirer)"
# "[Tt](?<!\w.)he" is "\b[Tt]he" written to start with the letter, which the scanner skips to
_DESCRIPTION = re.compile(
    r"[Tt](?<!\w.)he\s+(?P<mods>(?:(?:[\w.’'-]+-based|[A-Z][\w.-]*|clinical-stage|commercial-stage|listed|[\w-]+-listed|"
    r"[\w-]+-traded|oncology|biotech|rare[- ]disease|[\w-]+-focused)\s+){0,3})" + _HEADS
    + r"\b(?!['’]s\s+(?:shares|stock))(?!\s+(?:of|that|which|whose)\b)")
# a word every `_DESCRIPTION` match holds (its head nouns are written in lower case): a sentence without one is
# not scanned
_HEAD_WORDS = ("biotech", "pharma", "drug", "developer", "company", "firm", "group", "specialist", "start",
               "licens", "acquirer")
_LOOK_BACK = 3  # sentences
# "In 2024, it bought Birch for $600 million", "It also licensed …": "it" as the subject of a deal stands for the
# company the sentence before is about
_DEAL_PRONOUN = re.compile(r"^(?:(?:In|By|Since|Earlier|Last|Back in)\b[^,]{0,30},\s+)?(?P<it>[Ii]t)\s+"
                           r"(?:also\s+|then\s+|previously\s+|later\s+)?(?:bought|acquired|licensed|in-licensed|"
                           r"sold|divested|purchased|took over)\s")


def resolve(text: str, sentences: list[Sentence], book: CompanyBook) -> None:
    """Adds a mention to `book` for every description of a company the text makes."""
    if not book.companies:
        return
    placed: dict[int, set[str]] = {}  # filled on the first description that names a country
    for number, sentence in enumerate(sentences):
        pronoun = _DEAL_PRONOUN.match(sentence.text) if number else None
        if pronoun is not None:
            start = sentence.start + pronoun.start("it")
            company = _latest_subject(book, sentences, number, start, book.companies)
            if company is not None:
                book.add_mention(company, start, start + 2)
        if "he " not in sentence.text or not any(map(sentence.text.__contains__, _HEAD_WORDS)):
            continue
        for match in _DESCRIPTION.finditer(sentence.text):
            start, end = sentence.start + match.start(), sentence.start + match.end()
            if _inside_mention(book, start) or not _describes(match.group("mods")):
                continue
            region = _region_of(match.group("mods"))
            if region is not None and not placed:
                placed.update({id(c): _places(text, c) for c in book.companies})
            if region is None and _city_of(match.group("mods")):
                company = _first_named(book, start)  # "the Boston biotech": the story's own company, as a rule
            else:
                company = _referent(book, sentences, number, start, region, placed)
            if company is not None:
                book.add_mention(company, start, end)


def _referent(book: CompanyBook, sentences: list[Sentence], number: int, start: int, region: str | None,
              placed: dict[int, set[str]]) -> Company | None:
    if region is not None:
        there = [c for c in book.companies if region in placed[id(c)]]
        if len(there) == 1:
            return there[0]
        if there:
            return _latest_subject(book, sentences, number, start, there)
    return _latest_subject(book, sentences, number, start, book.companies)


def _latest_subject(book: CompanyBook, sentences: list[Sentence], number: int, start: int,
                    pool: list[Company]) -> Company | None:
    """The first-named company of the nearest sentence before `start` (its own sentence included)."""
    ids = {id(c) for c in pool}
    # the pool's mentions by start; a stable sort keeps company order, then mention order, for mentions at one offset
    mentions = sorted(((s, c) for c in book.companies if id(c) in ids for s, _ in c.mentions), key=itemgetter(0))
    starts = [s for s, _ in mentions]
    for sentence in reversed(sentences[max(0, number - _LOOK_BACK) : number + 1]):
        position = bisect_left(starts, sentence.start)  # the first mention at or after the sentence's start
        if position < len(starts) and starts[position] < min(sentence.end, start):
            return mentions[position][1]
    return None


def _inside_mention(book: CompanyBook, offset: int) -> bool:
    return any(s <= offset < e for c in book.companies for s, e in c.mentions)


@lru_cache(maxsize=1024)
def _describes(modifiers: str) -> bool:
    """Only descriptive words before the noun: "the Korean biotech", "the San Diego company", not a name ("the Acme
    Biotech team")."""
    city = _city_of(modifiers)
    for word in modifiers.replace(city, "").split():
        place = word.removesuffix("-based")
        if word.endswith(("-traded", "-listed", "-focused", "-stage")):
            continue  # "the AIM-traded firm", "the Nasdaq-listed company"
        if word[:1].isupper() and word.lower() not in _DEMONYMS and not _VOCAB.regions.find(place):
            return False
    return True


@lru_cache(maxsize=1024)
def _city_of(modifiers: str) -> str:
    """The city the capitalised words of a description name ("the San Diego company"), or ""."""
    capitalised = " ".join(w for w in modifiers.split() if w[:1].isupper())
    return capitalised if capitalised and capitalised.lower() in _CITIES else ""


def _first_named(book: CompanyBook, start: int) -> Company | None:
    """The company the text names first, before `start`."""
    named = [(first, i) for i, c in enumerate(book.companies)
             if c.mentions and (first := min(s for s, _ in c.mentions)) < start]
    return book.companies[min(named)[1]] if named else None


@lru_cache(maxsize=1024)
def _region_of(modifiers: str) -> str | None:
    for word in modifiers.split():
        word = word.lower()
        if word.endswith("-based"):
            hits = _VOCAB.regions.find(word.removesuffix("-based"))
            if hits:
                return hits[0].canonical
        if word in _DEMONYMS:
            return _DEMONYMS[word]
    return None


_PLACE_BEFORE = re.compile(r"(?P<place>[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)(?:['’]s?|-based)\s+(?:[\w-]+\s+){0,6}$")
_ADJECTIVE_BEFORE = re.compile(r"\b(?P<place>[A-Z][a-z]+)\s+(?:[\w-]+\s+){0,6}$")
_PLACE_AFTER = re.compile(r",?\s+(?:an?|the)\s+(?:[\w-]+\s+){0,3}?(?P<place>[A-Z][\w.]*)(?:-based|\s)")


def _places(text: str, company: Company) -> set[str]:
    """The countries the text places a company in: "Korea's Acme", "Czech-based … Acme", "Acme, a Swiss firm"."""
    found: set[str] = set()
    for start, end in company.mentions:
        before = text[max(0, start - 80) : start]
        for pattern in (_PLACE_BEFORE, _ADJECTIVE_BEFORE):
            match = pattern.search(before)
            if match:
                found |= _regions_named(match.group("place"))
        after = _PLACE_AFTER.match(text, end)
        if after:
            found |= _regions_named(after.group("place"))
    return found


@lru_cache(maxsize=1024)
def _regions_named(word: str) -> frozenset[str]:
    if word.lower() in _DEMONYMS:
        return frozenset({_DEMONYMS[word.lower()]})
    hits = _VOCAB.regions.find(word)
    return frozenset(h.canonical for h in hits if h.end - h.start == len(word))
