"""Metamorphic evaluation of the extraction engine: meaning-preserving variants of the labelled corpus.

usage: python bench/metamorphic.py [--folders seeds dev] [--seed N] [--only NAME ...] [--per-article NAME]

Each transformation rewrites an article (text, headline, published date) AND its gold events together, so that
a careful analyst would label the variant exactly as the transformed gold says: companies and drugs renamed to
invented names of a similar shape, another currency, amounts scaled, years shifted, dates written the other
way round, body paragraphs reordered, no headline, other legal forms. The drop in field micro-F1 from the
plain corpus to a variant measures what the engine leans on that does not carry over to unseen articles.

The corpus is read from ../shared/corpus (or $DEALWIRE_CORPUS) at run time; nothing of it is copied here.
Every transformation is deterministic: invented names derive from a seeded hash of the word they replace.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import difflib
import hashlib
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from dealwire.extract_commands import article_metadata  # noqa: E402
from dealwire.services.extract.engine import extract  # noqa: E402
from dealwire.services.extract.evaluate import MONEY_FIELDS, Report, score  # noqa: E402
from dealwire.services.extract.gold_format import to_gold  # noqa: E402

VOCAB = REPO / "services" / "extract" / "engine" / "vocab"


@dataclass(frozen=True)
class Article:
    id: str
    text: str
    title: str | None
    published: dt.date | None
    events: list[dict[str, Any]]


Transformation = Callable[[Article, int], Article]


def corpus_root() -> Path:
    return Path(os.environ.get("DEALWIRE_CORPUS", REPO.parent / "shared" / "corpus"))


def load_corpus(folders: Iterable[str] = ("seeds", "dev"), root: Path | None = None) -> list[Article]:
    root = root or corpus_root()
    articles = []
    for folder in folders:
        for label_path in sorted((root / folder).glob("*.json")):
            label = json.loads(label_path.read_text(encoding="utf-8"))
            text_path = label_path.with_suffix(".txt")
            text = text_path.read_text(encoding="utf-8", errors="replace")
            title, published = article_metadata(text_path, text)  # as `dealwire extract` reads them
            articles.append(Article(label_path.stem, text, title, published, label.get("events", [])))
    return articles


# --- invented words -------------------------------------------------------------------------------------------

_ONSETS = ("b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "kr", "tr", "vl")
_VOWELS = ("a", "e", "i", "o", "u", "y")
_CODE_LETTERS = "BDFGJKLMNPQRTVWXZ"  # no vowels: an invented code spells no word, gene or target


def _vocabulary_words() -> frozenset[str]:
    """Every word of the engine's vocabularies, lower-cased: an invented name must not be one of them."""
    words: set[str] = set()
    for path in VOCAB.iterdir():
        if path.suffix in (".tsv", ".json"):
            words.update(w.lower() for w in re.findall(r"[A-Za-z]{3,}", path.read_text(encoding="utf-8")))
    return frozenset(words)


_TAKEN = _vocabulary_words()


def _digest(seed: int, word: str, salt: str = "") -> int:
    return int.from_bytes(hashlib.sha256(f"{seed}|{salt}|{word}".encode()).digest()[:8], "big")


def _syllables(n: int, state: int) -> str:
    out = ""
    while len(out) < n:
        out += _ONSETS[state % len(_ONSETS)] + _VOWELS[(state // 31) % len(_VOWELS)]
        state = state * 6364136223846793005 + 1442695040888963407 & (2**64 - 1)
    return out[:n]


def invented_word(word: str, seed: int, length: int | None = None, salt: str = "") -> str:
    """A pronounceable invented word with the letter cases of `word` ('ERIGEN' -> 'ZOBAKU', 'BioNTech' ->
    'KuvIRsel'); non-letters stay where they are. Never a word of the engine's vocabularies."""
    length = length or sum(c.isalpha() for c in word)
    for attempt in range(50):
        letters = iter(_syllables(length, _digest(seed, word, f"{salt}{attempt}")))
        out = "".join(next(letters, "") if c.isalpha() else c for c in word) if length == sum(
            c.isalpha() for c in word) else "".join(letters)
        if out.lower() not in _TAKEN and out.lower() != word.lower():
            return _with_cases(out, word)
    raise ValueError(f"no invented word for {word!r}")


def _with_cases(new: str, model: str) -> str:
    cases = [c.isupper() for c in model if c.isalpha()] or [False]
    letters = iter(range(len(new)))
    out = []
    for c in new:
        if not c.isalpha():
            out.append(c)
            continue
        i = next(letters)
        out.append(c.upper() if cases[min(i, len(cases) - 1)] else c.lower())
    return "".join(out)


def invented_code(code: str, seed: int) -> str:
    """A drug code of the same shape: letters to other consonants, digits to other digits ('KQ-2003' -> 'ZT-7481')."""
    state = _digest(seed, code, "code")
    out = []
    for i, c in enumerate(code):
        pick = (state >> (5 * (i % 12))) + i
        if c.isdigit():
            out.append(str((int(c) + 1 + pick % 9) % 10))
        elif c.isalpha():
            letter = _CODE_LETTERS[pick % len(_CODE_LETTERS)]
            out.append(letter if c.isupper() else letter.lower())
        else:
            out.append(c)
    return "".join(out)


# --- rewriting text and gold together -------------------------------------------------------------------------

def _case_forms(old: str, new: str) -> dict[str, str]:
    """'ERIGEN' and 'Erigen', 'ipilimumab' and 'Ipilimumab' are one name: each case form maps to the same one."""
    forms = {old: new, old.upper(): new.upper(), old.lower(): new.lower(), old.title(): new.title()}
    forms.setdefault(old[:1].swapcase() + old[1:], new[:1].swapcase() + new[1:])
    return forms


def word_rewriter(mapping: dict[str, str]) -> Callable[[str], str]:
    """One regex pass replacing whole words (and their upper / lower case forms), longest first."""
    forms: dict[str, str] = {}
    for old, new in mapping.items():
        for k, v in _case_forms(old, new).items():
            forms.setdefault(k, v)
    if not forms:
        return lambda s: s
    pattern = re.compile(r"(?<![\w])(" + "|".join(re.escape(k) for k in sorted(forms, key=len, reverse=True))
                         + r")(?![\w])")
    return lambda s: pattern.sub(lambda m: forms[m.group(1)], s)


def _rewrite_names(events: list[dict[str, Any]], rewrite: Callable[[str], str], parties: bool,
                   assets: bool) -> list[dict[str, Any]]:
    events = copy.deepcopy(events)
    for event in events:
        if parties:
            for party in event.get("parties") or []:
                names = party.get("name")
                party["name"] = [rewrite(n) for n in names] if isinstance(names, list) else rewrite(str(names))
        if assets:
            event["assets"] = [[rewrite(a) for a in (x if isinstance(x, list) else [x])]
                               for x in event.get("assets") or []]
    return events


def _rewrite(article: Article, rewrite: Callable[[str], str], parties: bool = True, assets: bool = True) -> Article:
    return replace(article, text=rewrite(article.text), title=rewrite(article.title) if article.title else None,
                   events=_rewrite_names(article.events, rewrite, parties, assets))


def _party_aliases(article: Article) -> list[str]:
    return [str(n) for e in article.events for p in e.get("parties") or []
            for n in (p["name"] if isinstance(p.get("name"), list) else [p.get("name")]) if n]


def _asset_aliases(article: Article) -> list[str]:
    return [str(a) for e in article.events for x in e.get("assets") or []
            for a in (x if isinstance(x, list) else [x]) if a]


def _org_words() -> tuple[frozenset[str], frozenset[str]]:
    kinds = dict(line.split("\t") for line in (VOCAB / "org_words.tsv").read_text(encoding="utf-8").splitlines()
                 if line.strip() and not line.startswith("#"))
    return frozenset(kinds["legal"].split("|")), frozenset(kinds["sector"].split("|"))


LEGAL_WORDS, SECTOR_WORDS = _org_words()
_PLACE_WORDS = frozenset(w.lower() for w in re.findall(r"[A-Za-z']+", (VOCAB / "places.tsv").read_text()
                                                      + (VOCAB / "regions.tsv").read_text()
                                                      + (VOCAB / "demonyms.tsv").read_text()))
_NAME_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’]*(?:[-.][A-Za-z0-9]+)*")
_GENERIC = frozenset({"the", "and", "of", "for", "de", "und", "et", "&"})


def distinctive_words(alias: str) -> list[str]:
    """The words of a company name that tell it apart: not legal forms, industry nouns, places or glue."""
    out = []
    for token in _NAME_TOKEN.findall(re.sub(r"\(.*?\)", " ", alias)):
        token = token.rstrip("'’s") if token.endswith(("'s", "’s")) else token
        bare = token.rstrip(".")
        if (bare in LEGAL_WORDS or token in LEGAL_WORDS or bare in SECTOR_WORDS or bare.lower() in _GENERIC
                or bare.lower() in _PLACE_WORDS or not any(c.isalpha() for c in bare) or len(bare) < 2):
            continue
        out.append(bare)
    return out


def rename_companies(article: Article, seed: int, *, split_words: bool = False) -> Article:
    """Every distinctive word of a party's names becomes an invented word of the same shape everywhere
    (text, headline, gold); with `split_words`, one of two invented words ('Novatim' -> 'Zabor Kelvi').
    A misspelt alias ('Genetech' beside 'Genentech') is misspelt the same way in the new name."""
    mapping: dict[str, str] = {}
    kept: set[str] = set()  # place words: never renamed, and neither are their misspellings
    for alias in _party_aliases(article):
        for word in _NAME_TOKEN.findall(re.sub(r"\(.*?\)", " ", alias)):
            if word.lower() in _PLACE_WORDS:
                kept.add(word)
        for word in distinctive_words(alias):
            if word in mapping or word.lower() in {k.lower() for k in mapping} or word in kept:
                continue
            known = next((k for k in (*mapping, *kept) if k[0].lower() == word[0].lower()
                          and difflib.SequenceMatcher(None, k.lower(), word.lower()).ratio() >= 0.8), None)
            if known in kept:
                continue
            if known is not None:
                mapping[word] = _misspelt_like(known, mapping[known], word)
                continue
            new = invented_word(word, seed)
            if split_words and len(word) >= 4:
                new = f"{invented_word(word, seed, 5)} {invented_word(word, seed, 5, salt='second')}".title()
            mapping[word] = new
    return _rewrite(article, word_rewriter(mapping))


# English words that companies take as names ("Summit", "Relay", "Harbor"): capitalised, they look like any
# sentence's first word, so only the recogniser's signals can tell them
_WORDLIKE = ("Summit", "Harbor", "Beacon", "Arrow", "Relay", "Verve", "Crest", "Anchor", "Keystone", "Meridian",
             "Pioneer", "Vector", "Lantern", "Compass", "Granite", "Willow", "Falcon", "Cascade", "Ember", "Orbit",
             "Quarry", "Tundra", "Maple", "Sterling", "Harvest", "Canopy", "Ridge", "Spire", "Tidal", "Vantage")


def rename_companies_wordlike(article: Article, seed: int) -> Article:
    """Each company's distinctive words become common English words ('Novatim' -> 'Harbor')."""
    renamed = rename_companies(article, seed)
    invented = {w for a in _party_aliases(renamed) for w in distinctive_words(a)} - {
        w for a in _party_aliases(article) for w in distinctive_words(a)}
    words = [w for w in _WORDLIKE if not re.search(rf"\b{w}\b", article.text, re.IGNORECASE)]
    order = sorted(invented, key=lambda w: _digest(seed, w, "wordlike"))
    mapping = {w: words[i % len(words)] for i, w in enumerate(order) if i < len(words)}
    return _rewrite(renamed, word_rewriter(mapping))


def _misspelt_like(correct: str, renamed: str, misspelt: str) -> str:
    """`renamed` with the edits that turn `correct` into `misspelt` (same positions; letters of `renamed`)."""
    if len(renamed) != len(correct):
        return renamed
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, correct, misspelt).get_opcodes():
        if tag == "equal":
            out.append(renamed[i1:i2])
        elif tag in ("replace", "insert"):
            source = renamed[i1:i2] or renamed[max(i1 - 1, 0)]
            out.append((source * (j2 - j1))[: j2 - j1])
    result = "".join(out)
    return result if result != renamed else renamed + renamed[-1]


_CODE = re.compile(r"^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9]+(?:[-‐–][A-Za-z0-9]+)*$")
# an INN's stem ('-zumab', '-tinib', '-oxetine') tells its class: keep the tail, 7 letters of a long name
_INN_TAIL, _LONG_INN_TAIL = 5, 7


def _targets() -> frozenset[str]:
    return frozenset(w.lower() for line in (VOCAB / "targets.tsv").read_text(encoding="utf-8").splitlines()
                     if line and not line.startswith("#") for w in re.split(r"[\t|]", line))


_TARGETS = _targets()


def _asset_tokens(article: Article) -> Iterator[str]:
    """The words of the gold assets' names, in order, leaving out words of the parties' names."""
    company_words = {w.lower() for a in _party_aliases(article) for w in distinctive_words(a)}
    for alias in _asset_aliases(article):
        yield from (token for token in _NAME_TOKEN.findall(alias) if token.lower() not in company_words)


def rename_assets(article: Article, seed: int) -> Article:
    """Drug codes to invented codes of the same shape; INN-like and brand names to invented words with
    the same ending (the INN stem) and letter cases. Targets, modalities and company words stay."""
    mapping: dict[str, str] = {}
    for token in _asset_tokens(article):
        low = token.lower()
        parts = re.split(r"[-‐–]", low)
        if (token in mapping or low in _TAKEN or len(token) < 4
                or any(p in _TARGETS for p in (low, *parts))):  # 'CD37-ATAC' names its target
            continue
        if _CODE.match(token):
            mapping[token] = invented_code(token, seed)
        elif token.isalpha() and len(token) >= 6:
            tail = (_LONG_INN_TAIL if len(token) >= 11 else _INN_TAIL) if token.islower() else 3
            head = token[:-tail]
            mapping[token] = invented_word(head, seed) + token[len(head):]
    return _rewrite(article, word_rewriter(mapping))


def reshape_asset_codes(article: Article, seed: int) -> Article:
    """Drug codes of another shape: a hyphen dropped or added and one letter more ('KQ-2003' -> 'ZTB2003',
    'KN026' -> 'ZTB-026'), as other companies write theirs."""
    mapping: dict[str, str] = {}
    for token in _asset_tokens(article):
        match = re.fullmatch(r"([A-Z]{1,5})([-‐–]?)(\d{2,6})", token)
        if match is None or token in mapping or token.lower() in _TARGETS:
            continue
        letters = invented_code(match.group(1) + "X", seed)
        mapping[token] = letters + ("" if match.group(2) else "-") + match.group(3)
    return _rewrite(article, word_rewriter(mapping))


# Another legal form for each one, in the text's own names and in gold: 'Inc.' -> 'AG' and so on.
_SUFFIX_SWAP = {"Inc.": "AG", "Inc": "AG", "Co., Ltd.": "K.K.", "Co., Ltd": "K.K.", "Co.,Ltd.": "K.K.",
                "Ltd.": "plc", "Ltd": "plc", "Limited": "S.p.A.", "LLC": "GmbH", "Corporation": "SE",
                "Corp.": "SE", "AG": "Inc.", "plc": "Inc.", "PLC": "Inc.", "GmbH": "LLC", "S.A.": "B.V."}
_SUFFIX = re.compile(r",?\s(" + "|".join(re.escape(k) for k in sorted(_SUFFIX_SWAP, key=len, reverse=True))
                     + r")(?![\w])")


def swap_legal_forms(article: Article, seed: int) -> Article:
    """Each party's legal form where its full name is written, swapped for another ('Acme Inc.' -> 'Acme AG')."""
    mapping: dict[str, str] = {}
    for alias in _party_aliases(article):
        swapped = _SUFFIX.sub(lambda m: " " + _SUFFIX_SWAP[m.group(1)], alias)
        if swapped != alias:
            mapping[alias] = swapped
    return _rewrite_phrases(article, mapping)


def bare_company_names(article: Article, seed: int) -> Article:
    """Companies renamed, then written without legal form or industry noun wherever the full name stood
    ('Zobaku Therapeutics, Inc.' -> 'Zobaku'): the recogniser must find names no suffix announces."""
    renamed = rename_companies(article, seed)
    mapping: dict[str, str] = {}
    for alias in _party_aliases(renamed):
        core = " ".join(w for w in re.sub(r"\(.*?\)", " ", alias).replace(",", " ").split()
                        if w.rstrip(".") not in LEGAL_WORDS and w not in LEGAL_WORDS and w not in SECTOR_WORDS)
        core = core.rstrip(" &")  # 'Acme & Co.' -> 'Acme'
        if core and core != alias and len(alias.split()) > 1:
            mapping[alias] = core
    return _rewrite_phrases(renamed, mapping)


def _rewrite_phrases(article: Article, mapping: dict[str, str]) -> Article:
    if not mapping:
        return article
    pattern = re.compile("|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True)))

    def rewrite(s: str) -> str:
        return pattern.sub(lambda m: mapping[m.group(0)], s)

    return _rewrite(article, rewrite, assets=False)


# --- money ----------------------------------------------------------------------------------------------------

_DOLLAR = re.compile(r"(?<![A-Za-z$])(?:US\s?\$|U\.S\.\s?\$|USD\s?|\$)(?=\s?\d)")
_DOLLAR_WORDS = re.compile(r"(?<=\d)(\s(?:million|billion|thousand)?\s?)(?:US |U\.S\. )?dollars\b")


def dollars_to(symbol: str, code: str, word: str) -> Transformation:
    forms = [f for line in (VOCAB / "currencies.tsv").read_text(encoding="utf-8").splitlines()
             if line.startswith(code + "\t") for f in line.split("\t")[1].split("|")]
    present = re.compile("|".join(rf"(?<![A-Za-z]){re.escape(f)}(?![A-Za-z])" for f in forms))

    def transform(article: Article, seed: int) -> Article:
        if present.search(article.text):  # '$20 million (€17.5 million)' would become two sums in one currency
            return article
        def rewrite(s: str) -> str:
            s = _DOLLAR.sub(symbol, s)
            return _DOLLAR_WORDS.sub(lambda m: m.group(1) + word, s)

        return replace(article, text=rewrite(article.text), title=rewrite(article.title) if article.title else None,
                       events=_map_money(article.events, lambda m: {**m, "currency": code}
                                         if str(m.get("currency")).upper() in ("USD", "US$", "$") else m))

    transform.__doc__ = f"US dollars written as {symbol.strip()!r} and labelled {code}."
    return transform


_AMOUNT = re.compile(r"(?P<pre>(?:US\s?\$|HK\$|\$|€|£|¥|₩|USD\s?|EUR\s?|RMB\s?|CNY\s?|CHF\s?|KRW\s?|JPY\s?))"
                     r"(?P<num>\d[\d,]*(?:\.\d+)?)")
_WORD_AMOUNT = re.compile(r"(?<![\w.,])(?P<num>\d[\d,]*(?:\.\d+)?)(?P<post>\s?(?:million|billion|trillion|bn)?\s"
                          r"(?:US dollars|dollars|euros|yuan|won|yen|pounds|Swiss francs))")


def _scaled(number: str, factor: int) -> str:
    plain = number.replace(",", "")
    if "." in plain:
        decimals = len(plain.split(".")[1])
        return f"{float(plain) * factor:.{decimals}f}"
    value = int(plain) * factor
    return f"{value:,}" if "," in number else str(value)


def scale_amounts(article: Article, seed: int, factor: int = 3) -> Article:
    """Every amount of money written with its currency multiplied by 3, in text and gold alike."""
    def rewrite(s: str) -> str:
        s = _AMOUNT.sub(lambda m: m.group("pre") + _scaled(m.group("num"), factor), s)
        return _WORD_AMOUNT.sub(lambda m: _scaled(m.group("num"), factor) + m.group("post"), s)

    return replace(article, text=rewrite(article.text), title=rewrite(article.title) if article.title else None,
                   events=_map_money(article.events, lambda m: {**m, "amount": m["amount"] * factor}
                                     if isinstance(m.get("amount"), int | float) else m))


def _map_money(events: list[dict[str, Any]],
               change: Callable[[dict[str, Any]], dict[str, Any]]) -> list[dict[str, Any]]:
    events = copy.deepcopy(events)
    for event in events:
        for name in (*MONEY_FIELDS, "royalties"):
            if isinstance(event.get(name), dict):
                event[name] = change(event[name])
    return events


# --- dates ----------------------------------------------------------------------------------------------------

_YEAR = re.compile(r"(?<![\w\-‐–/.,$€£¥])((?:19|20)\d\d)(?=-\d\d|(?![\w\-‐–]))")


def shift_years(article: Article, seed: int, years: int = 28) -> Article:
    """Every year (1900-2099, not inside a code or number) moved on by 28, in text, headline, published and gold:
    the calendar repeats every 28 years there, so 'on Monday' stays the same day of the month."""
    def rewrite(s: str) -> str:
        return _YEAR.sub(lambda m: str(int(m.group(1)) + years), s)

    events = copy.deepcopy(article.events)
    for event in events:
        if event.get("date"):
            event["date"] = str(int(event["date"][:4]) + years) + event["date"][4:]
    published = article.published
    if published is not None:
        day = min(published.day, 28) if published.month == 2 else published.day
        published = published.replace(year=published.year + years, day=day)
    return replace(article, text=rewrite(article.text), title=rewrite(article.title) if article.title else None,
                   published=published, events=events)


_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
           r"Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept\.|Sep\.|Oct\.|Nov\.|Dec\.")
_MONTH_DAY_YEAR = re.compile(rf"\b({_MONTHS})\s(\d{{1,2}}),\s(\d{{4}})\b")
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})\s({_MONTHS})\s(\d{{4}})\b")


def flip_date_order(article: Article, seed: int) -> Article:
    """'July 22, 2025' written '22 July 2025' and the other way round; gold unchanged."""
    def rewrite(s: str) -> str:
        s = _MONTH_DAY_YEAR.sub(lambda m: f"\0{m.group(2)} {m.group(1)} {m.group(3)}", s)
        s = _DAY_MONTH_YEAR.sub(lambda m: f"{m.group(2)} {m.group(1)}, {m.group(3)}", s)
        return s.replace("\0", "")

    return replace(article, text=rewrite(article.text), title=rewrite(article.title) if article.title else None)


# --- layout ---------------------------------------------------------------------------------------------------

def reorder_paragraphs(article: Article, seed: int) -> Article:
    """Each run of consecutive prose paragraphs after the lead in another order (a run ends at a heading, a
    list item, a short line or an 'About ...' section, which all stay): terms, history and quotes of one
    section move; the lead and the page's end stay. Gold unchanged."""
    paragraphs = article.text.split("\n")
    filled = [i for i, p in enumerate(paragraphs) if p.strip()]
    end = next((k for k, i in enumerate(filled) if paragraphs[i].strip().startswith("About ")), len(filled))
    runs: list[list[int]] = [[]]
    for i in filled[2:end]:
        if _is_prose(paragraphs[i]):
            runs[-1].append(i)
        elif runs[-1]:
            runs.append([])
    moved = list(paragraphs)
    for run in runs:
        order = sorted(run, key=lambda i: _digest(seed, paragraphs[i], "order"))
        for slot, source in zip(run, order, strict=True):
            moved[slot] = paragraphs[source]
    return replace(article, text="\n".join(moved))


def _is_prose(paragraph: str) -> bool:
    text = paragraph.strip()
    return len(text.split()) >= 15 and text.endswith((".", '"', "”")) and not text.startswith(("-", "•", "*", "–"))


# Other articles' headlines, in the form sites print them beside or below a story (page furniture: no event)
_OTHER_HEADLINES = (
    "Ostrava Bio licenses AB-101 to Halvern Pharma in $1.2 billion deal",
    "Brenner Labs to acquire Quorvix Therapeutics for $3 billion",
    "FDA approves Delta Sankei's kidney drug DS-3301",
    "Corvo Labs raises $150 million Series C led by Alder Capital",
    "Elm Pharma and Fenwick Bio enter research collaboration on ADCs",
    "Gamma Bio's Phase 3 trial of gamalutamide meets primary endpoint",
)


def _other_headlines(article: Article, seed: int, n: int) -> list[str]:
    return sorted(_OTHER_HEADLINES, key=lambda h: _digest(seed, article.id + h, "furniture"))[:n]


def append_related_headlines(article: Article, seed: int) -> Article:
    """A 'Related articles' block of four other stories' headlines after the article: furniture, no event."""
    block = "\n".join(["", "Related articles", *_other_headlines(article, seed, 4), ""])
    return replace(article, text=article.text.rstrip("\n") + "\n" + block)


def append_headline_list(article: Article, seed: int) -> Article:
    """Four other stories' headlines after the article with no heading, each with a date line, as a site's
    'more news' column prints them: furniture, no event."""
    lines = [part for h in _other_headlines(article, seed, 4) for part in (h, "Dec 1, 2026 · 3 min read")]
    return replace(article, text=article.text.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n")


def append_two_headlines(article: Article, seed: int) -> Article:
    """Two other stories' headlines, bare, after the article: the shortest 'more news' list."""
    return replace(article, text=article.text.rstrip("\n") + "\n\n" + "\n".join(_other_headlines(article, seed, 2))
                   + "\n")


def insert_read_more(article: Article, seed: int) -> Article:
    """A 'Read more: <another headline>' line after the lead paragraph: furniture, no event."""
    lines = article.text.split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if len(filled) < 3:
        return article
    at = filled[1] + 1
    moved = [*lines[:at], "Read more: " + _other_headlines(article, seed, 1)[0], *lines[at:]]
    return replace(article, text="\n".join(moved))


def insert_sidebar(article: Article, seed: int) -> Article:
    """Two other stories' headlines, bare, between the body's second and third prose paragraphs (a sidebar
    the page put inline)."""
    lines = article.text.split("\n")
    prose = [i for i, line in enumerate(lines) if _is_prose(line)]
    if len(prose) < 3:
        return article
    at = prose[1] + 1
    return replace(article, text="\n".join([*lines[:at], *_other_headlines(article, seed, 2), *lines[at:]]))


def insert_bulleted_sidebar(article: Article, seed: int) -> Article:
    """As `insert_sidebar`, the two headlines bulleted ('• ...'), as many sites print a 'more news' box."""
    lines = article.text.split("\n")
    prose = [i for i, line in enumerate(lines) if _is_prose(line)]
    if len(prose) < 3:
        return article
    at = prose[1] + 1
    sidebar = ["• " + h for h in _other_headlines(article, seed, 2)]
    return replace(article, text="\n".join([*lines[:at], *sidebar, *lines[at:]]))


def title_case_headline(article: Article, seed: int) -> Article:
    """The headline in Title Case ('Acme Bio Licenses Its Drug To Birch'), as many sites print it, in the text too."""
    if not article.title:
        return article
    cased = re.sub(r"(?:^|(?<=[\s\-]))([a-z])", lambda m: m.group(1).upper(), article.title)
    return replace(article, title=cased, text=article.text.replace(article.title, cased))


def drop_headline(article: Article, seed: int) -> Article:
    """No headline given, and none at the top of the text: the lead alone must tell the event."""
    text = article.text
    if article.title:
        first = next((line for line in text.splitlines() if line.strip()), "")
        if first.strip() == article.title.strip() and not first.rstrip().endswith("."):  # a headline, not a lead
            text = text.replace(first, "", 1)
    return replace(article, text=text, title=None)


def drop_published(article: Article, seed: int) -> Article:
    """No publication date: dates must come from the text ('yesterday' and weekdays then give none)."""
    return replace(article, published=None)


# Words a careful analyst reads the same: another verb or noun of the same deal.
_SYNONYMS = {"signed": "inked", "signs": "inks", "sign": "ink", "agreement": "pact", "agreements": "pacts",
             "entered into": "struck", "acquire": "buy", "acquired": "bought", "acquires": "buys",
             "acquiring": "buying", "collaboration": "partnership", "announced that": "said that",
             "announced it": "said it", "upfront payment": "up-front payment", "milestone payments": "milestones",
             "exclusive rights": "sole rights", "license": "licence", "licensing": "licencing"}
_SYNONYM = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _SYNONYMS), key=len, reverse=True)) + r")\b")


def swap_deal_words(article: Article, seed: int) -> Article:
    """Deal verbs and nouns written with synonyms ('signed an agreement' -> 'inked a pact'; British spelling)."""
    def rewrite(s: str) -> str:
        s = _SYNONYM.sub(lambda m: _SYNONYMS[m.group(1)], s)
        return re.sub(r"\ban (?=pact|up-front)", "a ", s).replace(" a inked", " an inked")

    return replace(article, text=rewrite(article.text), title=rewrite(article.title) if article.title else None)


_SCALED_FIGURE = re.compile(r"(?P<pre>(?:US\$|\$|€|£|USD ?|EUR ?|RMB ?))(?P<num>\d+(?:\.\d+)?)\s"
                            r"(?P<scale>million|billion)\b")


def abbreviate_amounts(article: Article, seed: int) -> Article:
    """'$1.2 billion' written '$1,200m' and '$15 million' '$15mn': the same sums in the newswire's short forms."""
    def short(m: re.Match[str]) -> str:
        number = m.group("num")
        if m.group("scale") == "billion":
            millions = Decimal(number) * 1000
            return f"{m.group('pre')}{millions:,.0f}m" if millions == millions.to_integral() else m.group(0)
        return f"{m.group('pre')}{number}mn"

    def rewrite(s: str) -> str:
        return _SCALED_FIGURE.sub(short, s)

    return replace(article, text=rewrite(article.text), title=rewrite(article.title) if article.title else None)


def identity(article: Article, seed: int) -> Article:
    """The corpus as it is."""
    return article


def composed(*names: str) -> Transformation:
    """The named transformations one after the other (each on the last one's article and gold)."""
    def transform(article: Article, seed: int) -> Article:
        for name in names:
            article = TRANSFORMATIONS[name](article, seed)
        return article

    transform.__doc__ = " then ".join(names)
    return transform


# every variant the engine should score the same on, at once: what a rule fitted to the corpus would break
INVARIANT = ("rename_companies", "rename_assets", "reshape_asset_codes", "swap_legal_forms", "dollars_to_chf",
             "abbreviate_amounts", "shift_years_+28", "swap_deal_words", "insert_sidebar", "insert_bulleted_sidebar",
             "append_two_headlines", "title_case_headline")

TRANSFORMATIONS: dict[str, Transformation] = {
    "plain": identity,
    "rename_companies": rename_companies,
    "rename_companies_2words": lambda a, s: rename_companies(a, s, split_words=True),
    "rename_companies_wordlike": rename_companies_wordlike,
    "bare_company_names": bare_company_names,
    "swap_legal_forms": swap_legal_forms,
    "rename_assets": rename_assets,
    "reshape_asset_codes": reshape_asset_codes,
    "dollars_to_euros": dollars_to("€", "EUR", "euros"),
    "dollars_to_chf": dollars_to("CHF ", "CHF", "Swiss francs"),
    "dollars_to_pounds": dollars_to("£", "GBP", "pounds"),
    "dollars_to_yen": dollars_to("¥", "JPY", "yen"),
    "dollars_to_won": dollars_to("₩", "KRW", "won"),
    "dollars_to_eur_code": dollars_to("EUR ", "EUR", "euros"),
    "scale_amounts_x3": scale_amounts,
    "shift_years_+28": shift_years,
    "flip_date_order": flip_date_order,
    "reorder_paragraphs": reorder_paragraphs,
    "title_case_headline": title_case_headline,
    "drop_headline": drop_headline,
    "append_related_headlines": append_related_headlines,
    "append_headline_list": append_headline_list,
    "append_two_headlines": append_two_headlines,
    "insert_read_more": insert_read_more,
    "insert_sidebar": insert_sidebar,
    "insert_bulleted_sidebar": insert_bulleted_sidebar,
    "drop_published": drop_published,
    "swap_deal_words": swap_deal_words,
    "abbreviate_amounts": abbreviate_amounts,
}
TRANSFORMATIONS["all_invariant_at_once"] = composed(*INVARIANT)


# --- scoring --------------------------------------------------------------------------------------------------

def predict(article: Article) -> list[dict[str, Any]]:
    return [to_gold(e) for e in extract(article.text, title=article.title, published=article.published)]


@dataclass(frozen=True)
class Scores:
    primary: float
    all: float
    parties: float
    assets: float
    money: float
    by_article: dict[str, float]


def _f1(report: Report, *names: str) -> float:
    rows = [report.fields.counts.get(n, [0, 0, 0]) for n in names]
    tp, fp, fn = (sum(r[i] for r in rows) for i in range(3))
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0


def evaluate(articles: list[Article], transformation: Transformation, seed: int = 0) -> Scores:
    """Field micro-F1 of the engine on the transformed articles against their transformed gold."""
    variants = [transformation(a, seed) for a in articles]
    gold = {a.id: a.events for a in variants}
    preds = {a.id: predict(a) for a in variants}
    primary, every = score(gold, preds, primary_only=True), score(gold, preds, primary_only=False)
    by_article = {a.id: _f1(score({a.id: gold[a.id]}, {a.id: preds[a.id]}, primary_only=False),
                            *score({a.id: gold[a.id]}, {a.id: preds[a.id]}, False).fields.counts)
                  for a in variants}
    return Scores(_f1(primary, *primary.fields.counts), _f1(every, *every.fields.counts),
                  _f1(every, "parties"), _f1(every, "assets"), _f1(every, *MONEY_FIELDS, "royalties"), by_article)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folders", nargs="+", default=["seeds", "dev"])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", nargs="+", choices=sorted(TRANSFORMATIONS))
    parser.add_argument("--per-article", choices=sorted(TRANSFORMATIONS),
                        help="also list the articles this transformation costs most (all-events F1)")
    parser.add_argument("--dump", type=Path, help="write each variant's texts and gold under this folder")
    args = parser.parse_args()
    articles = load_corpus(args.folders)
    names = args.only or list(TRANSFORMATIONS)
    if "plain" not in names:
        names = ["plain", *names]
    results = {name: evaluate(articles, TRANSFORMATIONS[name], args.seed) for name in names}
    base = results["plain"]
    print(f"{len(articles)} articles ({' + '.join(args.folders)}), seed {args.seed}; field micro-F1 (all-events "
          "F1 for parties, assets, money); in brackets: change from plain")
    print(f"| {'transformation':<24} | primary | all | parties | assets | money |")
    print(f"|{'-' * 26}|---:|---:|---:|---:|---:|")
    for name, s in results.items():
        cells = [(s.primary, base.primary), (s.all, base.all), (s.parties, base.parties),
                 (s.assets, base.assets), (s.money, base.money)]
        row = " | ".join(f"{v:.3f}" if name == "plain" else f"{v:.3f} ({v - b:+.3f})" for v, b in cells)
        print(f"| {name:<24} | {row} |")
    if args.per_article:
        worst = sorted(articles, key=lambda a: results[args.per_article].by_article[a.id] - base.by_article[a.id])
        for a in worst[:12]:
            print(f"{a.id}: {base.by_article[a.id]:.3f} -> {results[args.per_article].by_article[a.id]:.3f}")
    if args.dump:
        _dump(articles, names, args.seed, args.dump)
    return 0


def _dump(articles: list[Article], names: list[str], seed: int, folder: Path) -> None:
    for name in names:
        out = folder / name
        out.mkdir(parents=True, exist_ok=True)
        for article in articles:
            variant = TRANSFORMATIONS[name](article, seed)
            (out / f"{article.id}.txt").write_text(variant.text, encoding="utf-8")
            label = {"id": article.id, "title": variant.title,
                     "published": variant.published.isoformat() if variant.published else None,
                     "events": variant.events}
            (out / f"{article.id}.json").write_text(json.dumps(label, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
