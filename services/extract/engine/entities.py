"""Companies and drug assets named in an article, with the aliases the article introduces.

Companies are capitalised phrases that end in a legal form or an industry noun ("Co., Ltd.",
"Therapeutics"), or that stand where a deal puts a company (subject of "acquires", object of
"with"/"from"). Aliases come from "(hereinafter referred to as "X")", from "Full Name (Short)", and
from shorter forms that share the distinctive words ("Birch Bio" ~ "Birch Biopharmaceutical Ltd.").
Assets are development codes ("AC-101", "BT-X204"), INN-stem names ("…mab", "…tinib") and
brand names written as "Brand (inn)".
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from services.extract.engine.text import Sentence
from services.extract.engine.vocab import VOCAB_DIR, Hit, load, lower_same_length, lowers_exactly, verb_forms

_VOCAB = load()
_NOT_ORG = frozenset(_VOCAB.cues["not_org_words"])
_NOT_COMPANY_HEADS = frozenset(_VOCAB.cues["not_company_heads"])
_CURRENCY_PREFIX = re.compile(
    "^(?:" + "|".join(re.escape(f) for iso, forms in _VOCAB.currencies for f in (iso, *forms) if f.isupper()) + r")\d"
)
_LEGAL = _VOCAB.legal_words
_SECTOR = _VOCAB.sector_words
_ORG_WORDS = frozenset(w.rstrip(".").lower() for w in _LEGAL | _SECTOR)
_STOP_VERBS = verb_forms(VOCAB_DIR / "name_stop_verbs.tsv")  # "Acme and Birch Sign …": the name ends before "Sign"
_VERB_PREPOSITION = re.compile(r"\s+(?:With|To|On)\b")  # "Acme Partners With Birch": the noun used as a verb

_TOKEN_PATTERN = r"[A-Z][\w'’&.\-]*[\w.]|[A-Z]|&"
_TOKEN = re.compile(_TOKEN_PATTERN)
# capitalised tokens glued by spaces or a comma ("Acme Pharma Co., Ltd."), found in one scan
_RUN = re.compile(rf"(?:{_TOKEN_PATTERN})(?:(?:\s+|\s*,\s*)(?:{_TOKEN_PATTERN}))*")
_GLUE = re.compile(r"[\s,]")
_HEREINAFTER = re.compile(
    r"\((?:hereinafter(?: referred to)?(?: as)?|hereafter|referred to as|together,?|or|collectively)?\s*"
    r"[\"“”']\s*(?P<alias>[^\"“”'()]{2,40}?)\s*[\"“”']\s*\)",
    re.IGNORECASE,
)
_PAREN_ALIAS = re.compile(r"\s*\((?P<alias>[A-Z][\w&.\- ]{1,40})\)")
_DEAL_POSITION_AFTER = re.compile(
    r"^(?:'s?|’s?)?\s*(?:,[^,]{0,80},\s*)?(?:has |have |had |will |would |is |was |also |recently |today |on \w+ )*"
    r"(?:announc|sign|enter|agree|acquir|licen[sc]|grant|authori[sz]|receiv|gain|obtain|rais|pay|paid|partner|"
    r"strik|struck|ink|complet|clos|bought|buy|said it|expect|plan|earn|retain|subscrib|link|initiat|launch|"
    r"submit|won|secur)"
    r"|^(?:'s|’s)\s+(?:[\w-]+\s+){0,3}?(?:drug|therapy|candidate|asset|treatment|vaccine|antibody|inhibitor|"
    r"medicine|product|pipeline|program|programme)s?\b",  # "Acme's drug …": an owner of drugs
    re.IGNORECASE,
)
# Words before a name that put it where a deal puts a company ("with", "acquisition of", "-based") -- the
# readable form; the engine runs the mirror image below (the tests hold the two to the same answers).
_DEAL_POSITION_BEFORE = re.compile(
    r"(?:\bwith|\bfrom|\bto|\bby|\bacquire[sd]?|\bacquisition of|\bbuy|\bgrant(?:ed|s)?|\bpaying|\bpay|"
    r"\band|\binclude|\bincluding|\bjoined|\bjoin|-based|\bcompany|\bfirm|\bgiant|\bdrugmaker|\bbiotech|\bgroup)"
    r"\s+(?:(?:the|its|a|an)\s+)?$",
    re.IGNORECASE,
)
# The same pattern written backwards, matched at the start of the reversed text: a search for "…$" tries
# every position of the window, an anchored match of its mirror image tries one.
_DEAL_POSITION_BEFORE_REVERSED = re.compile(
    r"\s+(?:(?:eht|sti|a|na)\s+)?"
    r"(?:htiw|morf|ot|yb|[sd]?eriuqca|fo noitisiuqca|yub|(?:de|s)?tnarg|gniyap|yap|"
    r"dna|edulcni|gnidulcni|denioj|nioj|ynapmoc|mrif|tnaig|rekamgurd|hcetoib|puorg)\b|\s+(?:(?:eht|sti|a|na)\s+)?desab-",
    re.IGNORECASE,
)
_PERSON_CONTEXT = re.compile(
    r"^\s*,?\s*(?:the\s+)?(?:CEO|chief|chairman|chairwoman|president|founder|head|director|analyst|"
    r"executive|vice|senior|general manager|officer|professor|reporter|editor)\b",
    re.IGNORECASE,
)
_PERSON_BEFORE = re.compile(
    r"(?:CEO|Officer|Chairman|President|Director|Dr\.|Mr\.|Ms\.|Prof\.|analyst|^By|said|added|commented|"
    r"Manager|Head|founder)\s*,?\s*$"
)

_LIST_NEXT = re.compile(r"^\s*(?:,|and|,\s*and)\s+(?P<next>(?:[A-Z][\w&'’.\-]*\s?){2,6})")
# A capital, not right after a word character, ".", "-" or "/"; then letters and digits. The capital comes
# first so that the scan can skip everything else quickly; the look-behind checks the character before it.
_CODE = re.compile(
    r"[A-Z](?<![\w.\-/].)(?:[A-Za-z]{0,5}-?[A-Z]?\d[\dA-Z]{0,7}|[A-Z]{0,5}\d{2,7}[A-Z]?)"
    r"(?:/[A-Z]{2,6}-?\d{2,7}[A-Z]?)?(?![\w\-])"
)
_NOT_CODE = re.compile(
    r"^(?:NCT\d+|Q[1-4]|H[12]|FY\d+|COVID-\d+|SARS-CoV-\d|CD\d+[A-Z]?|IL-?\d+\w*|PD-?L?\d|HER\d|"
    r"[A-Z]{2,5}-?[A-Z]?\d{1}|(?:ESMO|ASCO|ASH|AACR|WCLC|SABCS|EHA|GMT|UTC|BST)\d*|(?:19|20)\d\d|[A-Z]\d{1,2})$"
)
_INN_STEMS = (r"mab|tinib|ciclib|parib|lisib|rafenib|metostat|tecan|taxel|platin|gliflozin|glutide|tide|cept|siran|"
              r"rsen|leucel|gene\w*cel|degib|sertib|zomib|lutamide|stat|vir|ximab|zole|gliptin|sartan|pril|olol|vec|"
              r"tamig|bart|tug")
_INN = re.compile(
    rf"(?<![\w-])(?:(?P<brand>[A-Z][a-z]{{2,}})\s+)?(?P<inn>[A-Za-z][a-z]{{3,}}(?:{_INN_STEMS}))(?![\w-])")
_INN_END = re.compile(rf"(?:{_INN_STEMS})(?![\w-])")  # where an INN can end: found much faster than an INN
_PRODUCT_LIST = re.compile(
    r"\b(?:products?|candidates?|drugs|programs|programmes|assets|therapies|medicines)[,:]\s+"
    r"(?P<names>[A-Z][a-z]{3,}\w*(?:(?:,\s+|,?\s+and\s+)[A-Z][a-z]{3,}\w*)+)\b"
)
_PRODUCT_WORDS = ("product", "candidate", "drugs", "program", "assets", "therapies", "medicines")
_APPROVAL_WORDS = ("approv", "designation", "clearance", "rights", "licen")
_DIGIT = re.compile(r"\d")
_APPROVED_BRAND = re.compile(
    r"\b(?:approval|approved|designation|clearance|rights|license|licence) (?:for|to|of) (?:the )?(?:drug |product )?"
    r"(?P<brand>[A-Z][a-z]{3,}[a-z]*)(?=[,.;]| \()"
)
_OWNER_BRACKET = re.compile(
    r"\s*\((?P<names>[A-Z][\w-]+(?:\s?[A-Z][\w-]+)?(?:\s?[/,]\s?[A-Z][\w-]+(?:\s[A-Z][\w-]+)?)*)\)")
_DEVELOPED_BY = re.compile(r",?\s*(?:(?:which |that )?(?:was|is|has been|had been) (?:originally |independently )?|"
                           r"a [\w -]{0,40}?)?(?:developed|discovered|invented|originated|owned) by\s+(?P<who>)")
_CAPITALISED_BEFORE = re.compile(r"(?<![\w-])[A-Z][\w&-]*(?:\s[A-Z][\w&-]*){0,3}$")
_POSSESSIVE_BEFORE = re.compile(r"(?:’s|'s)\s+(?:[\w-]+\s+){0,3}$")
_BRACKET_OPEN = re.compile(r"\s*\(\s*(?:also known as|formerly|aka|a\.k\.a\.|or)?\s*|,\s*(?:also known as|"
                           r"formerly|the active (?:component|ingredient|substance|moiety) of|marketed as|"
                           r"sold (?:as|under the (?:brand|trade) name))\s+")
_BRAND_PAREN = re.compile(r"(?P<brand>[A-Z][A-Za-z]{3,}(?:\s[A-Z][a-z]+)?)\s*\(\s*(?P<inner>[\w\-/ ]{3,40}?)\s*\)")


@dataclass(eq=False)  # one object per company: compared by identity, which is cheap
class Company:
    names: list[str] = field(default_factory=list)
    mentions: list[tuple[int, int]] = field(default_factory=list)

    @property
    def name(self) -> str:
        strong = [n for n in self.names if _has_org_word(n)]
        pool = strong or self.names
        return max(pool, key=lambda n: (len(n.split()), len(n)))

    def aliases(self) -> list[str]:
        return [n for n in dict.fromkeys(self.names) if n != self.name]


@dataclass(eq=False)  # one object per asset: compared by identity, which is cheap
class Asset:
    names: list[str] = field(default_factory=list)
    mentions: list[tuple[int, int]] = field(default_factory=list)

    @property
    def name(self) -> str:
        codes = [n for n in self.names if is_code(n)]
        return codes[0] if codes else self.names[0]


_LONGEST_TERM = 120
_PARENTHESIS = re.compile(r"\([^)]*\)")
_SEPARATORS = re.compile(r"[\s,]+")


@lru_cache(maxsize=4096)
def is_code(name: str) -> bool:
    """A development code such as "AC-101" or "BT3001", the whole of `name`."""
    return _CODE.fullmatch(name) is not None


@lru_cache(maxsize=4096)
def _words(name: str) -> tuple[str, ...]:
    return tuple(w for w in _SEPARATORS.split(_PARENTHESIS.sub(" ", name)) if w)


@lru_cache(maxsize=4096)
def _has_org_word(name: str) -> bool:
    words = _words(name)
    return len(words) >= 2 and any(w.rstrip(".,").lower() in _ORG_WORDS for w in words[1:])


@lru_cache(maxsize=4096)
def core(name: str) -> str:
    """The distinctive words of a company name: legal forms, industry nouns and regions removed."""
    words = [w.rstrip(".,").lower() for w in _words(name)]
    kept = [w for w in words if w not in _ORG_WORDS and w not in ("co", "ltd", "the")]
    while len(kept) > 1 and _is_region(kept[-1]):
        kept.pop()
    return " ".join(kept) or " ".join(words)


@lru_cache(maxsize=4096)
def _is_region(word: str) -> bool:
    hits = _VOCAB.regions.find(word)
    return bool(hits) and hits[0].start == 0 and hits[0].end == len(word)


class _MentionTable:
    """Every company mention of an article, sorted by offset (ties: company order, then mention order)."""

    def __init__(self, companies: list[Company]) -> None:
        ordered = sorted(((s, number, e, c) for number, c in enumerate(companies) for s, e in c.mentions),
                         key=lambda m: (m[0], m[1]))
        self.mentions = [(s, e, c) for s, _, e, c in ordered]
        self.starts = [s for s, _, _, _ in ordered]
        self.longest = max((e - s for s, _, e, _ in ordered), default=0)


class EntityIndex:
    """Companies and assets of one article; looked up by character offset."""

    def __init__(self, text: str, sentences: list[Sentence], vocab_hits: list[Hit]) -> None:
        self.text = text
        self._vocab_spans = sorted((h.start, h.end) for h in vocab_hits)
        self._vocab_starts = [s for s, _ in self._vocab_spans]
        self._vocab_words = {lower_same_length(h.surface) for h in vocab_hits}
        self.companies: list[Company] = []
        self.assets: list[Asset] = []
        self._mention_table: _MentionTable | None = None  # built on demand, dropped when a mention is added
        for sentence in sentences:
            self._scan_companies(sentence)
        self._add_short_mentions(sentences)
        for sentence in sentences:
            self._scan_assets(sentence)
        self._add_asset_mentions(sentences[-1].end if sentences else 0)
        self._merge_bracketed_assets()

    # companies -----------------------------------------------------------------------------

    def _phrases(self, sentence: Sentence) -> list[tuple[int, int]]:
        """Runs of capitalised tokens (with ", Co., Ltd." glue), as absolute spans."""
        spans: list[tuple[int, int]] = []
        text = sentence.text
        for run in _RUN.finditer(text):
            if _GLUE.search(text, run.start(), run.end()) is None:  # a single token, the common case
                if _trimmed_word(run.group()) in _NOT_ORG or run.group() == "&":
                    continue
                tokens = [run.span()]
            else:
                tokens = [token.span() for token in _TOKEN.finditer(text, run.start(), run.end())]
            while tokens and text[tokens[0][0]] == "&":  # a run never starts with "&"
                del tokens[0]
            if tokens:
                spans.extend(self._trim(text, tokens, sentence.start))
        return spans

    def _trim(self, text: str, run: list[tuple[int, int]], base: int) -> list[tuple[int, int]]:
        """A run cut at words that cannot be part of a company name (vocabulary terms, "The", "US$" …)."""
        pieces: list[list[tuple[int, int]]] = [[]]
        for s, e in run:
            token = text[s:e]
            word = _trimmed_word(token)
            vocab = self._is_vocab(base + s, base + s + len(token.rstrip(".,")))
            inside_name = vocab and bool(pieces[-1]) and self._is_region_span(base + s, base + e) \
                and text[e : e + 2] not in ("'s", "’s")
            currency = text[e : e + 1] == "$"  # "US$", "HK$"
            based = "-" in word and word.lower().endswith("-based")
            if word in _NOT_ORG or based or currency or (vocab and not inside_name) or (
                    pieces[-1] and self._is_stop_verb(text, word, e)):
                if pieces[-1]:
                    pieces.append([])
                continue
            pieces[-1].append((s, e))
            if token[-2:] in ("'s", "’s"):
                pieces.append([])
        return [span for piece in pieces if (span := _piece_span(text, piece, base))]

    @staticmethod
    def _is_stop_verb(text: str, word: str, end: int) -> bool:
        """A headline verb after a name ("Birch Enters …", "Acme Completes …"); an industry noun that is also a
        verb ("Partners") only before a capitalised preposition."""
        low = word.lower()
        if low not in _STOP_VERBS:
            return False
        return low not in _ORG_WORDS or _VERB_PREPOSITION.match(text, end) is not None

    def _is_region_span(self, start: int, end: int) -> bool:
        return _is_region(self.text[start:end])

    def _is_vocab(self, start: int, end: int) -> bool:
        """Whether [start, end) lies inside a vocabulary match (a target, disease, regulator, region…)."""
        position = bisect_right(self._vocab_starts, start) - 1
        while position >= 0 and self._vocab_starts[position] > start - _LONGEST_TERM:
            span_start, span_end = self._vocab_spans[position]
            if span_start <= start and end <= span_end:
                return True
            position -= 1
        return False

    def _scan_companies(self, sentence: Sentence) -> None:
        for start, end in self._phrases(sentence):
            name = self.text[start:end]
            if is_code(name) or len(name) < 2 or name.isdigit() or not _has_distinctive_word(name):
                continue
            if not _has_org_word(name) and not self._in_deal_position(sentence, start, end, name) \
                    and not self._listed_with_company(sentence, start, end):
                continue
            if self._looks_like_person(sentence, start, end, name) or self._is_source_tag(sentence, start, end):
                continue
            self._add(name, start, end)
            self._add_introduced_alias(name, end)

    def _is_source_tag(self, sentence: Sentence, start: int, end: int) -> bool:
        """"(Acme Newswire) - …": the agency that reports the news, at the head of the story."""
        return self.text[sentence.start : start].strip() == "(" and self.text[end : end + 1] == ")"

    def _listed_with_company(self, sentence: Sentence, start: int, end: int) -> bool:
        """"Acme Perpetual and Birch Investment Management": a name listed beside a company."""
        after = self.text[end : min(sentence.end, end + 80)]
        match = _LIST_NEXT.match(after)
        return bool(match) and _has_org_word(match.group("next"))

    def _in_deal_position(self, sentence: Sentence, start: int, end: int, name: str) -> bool:
        """Where a deal puts a company (not a drug name): subject of "acquires", object of "with" …"""
        if _INN.search(name):
            return False
        after = self.text[end : min(sentence.end, end + 120)]
        if _DEAL_POSITION_AFTER.match(after):
            return True
        before = self.text[max(sentence.start, start - 40) : start]
        return _DEAL_POSITION_BEFORE_REVERSED.match(before[::-1]) is not None

    def _looks_like_person(self, sentence: Sentence, start: int, end: int, name: str) -> bool:
        words = name.split()
        if any(w.rstrip(".").lower() in _ORG_WORDS for w in words):
            return False
        after = self.text[end : min(sentence.end, end + 40)]
        before = self.text[max(sentence.start, start - 30) : start]
        if _PERSON_CONTEXT.match(after) or _PERSON_BEFORE.search(before):
            return True
        return 2 <= len(words) <= 3 and all(w[:1].isupper() and w[1:].islower() for w in words) and bool(
            re.match(r"\s*(?:said|says|added|commented|noted|told)\b", after)
        )

    def _add_introduced_alias(self, name: str, end: int) -> None:
        tail = self.text[end : end + 90]
        match = _HEREINAFTER.match(tail) or _HEREINAFTER.match(tail.lstrip(" ,"))
        paren = _PAREN_ALIAS.match(tail)
        alias = match.group("alias") if match else None
        if alias is None and paren and not is_code(paren.group("alias").strip()):
            candidate = paren.group("alias").strip()
            if not re.fullmatch(r"[A-Z]{2,6}:?\s?\d+.*|\w+\.\w+", candidate):
                alias = candidate
        if alias:
            company = self._find(name)
            if company is not None and alias not in company.names:
                company.names.append(alias)

    def _find(self, name: str) -> Company | None:
        key = core(name)
        for company in self.companies:
            if key in {core(n) for n in company.names} or name in company.names:
                return company
        return None

    def _add(self, name: str, start: int, end: int) -> None:
        company = self._find(name) or self._find_by_affix(name)
        if company is None:
            company = Company()
            self.companies.append(company)
        if name not in company.names:
            company.names.append(name)
        company.mentions.append((start, end))
        self._mention_table = None

    def _find_by_affix(self, name: str) -> Company | None:
        words = core(name).split()
        if not words:
            return None
        for company in self.companies:
            for other in company.names:
                other_words = core(other).split()
                n = len(words)
                if n < len(other_words) and (other_words[:n] == words or other_words[-n:] == words):
                    return company
                if len(other_words) < n and (words[: len(other_words)] == other_words) and not _has_org_word(name):
                    return company
        return None

    def _add_short_mentions(self, sentences: list[Sentence]) -> None:
        """Every later mention of a known name or alias, found by a case-insensitive whole-word search."""
        names = {n for c in self.companies for n in c.names}
        surfaces = sorted(names | {core(n) for n in names if len(core(n)) >= 3}, key=len, reverse=True)
        if not surfaces:
            return
        body_end = sentences[-1].end if sentences else 0
        seen = {m for c in self.companies for m in c.mentions}
        for span in _whole_word_matches(self.text, body_end, surfaces):
            if span in seen or any(s <= span[0] < e for s, e in seen):
                continue
            surface = self.text[span[0] : span[1]]
            if self._is_vocab(*span) or not surface[:1].isupper():
                continue
            company = self._find(surface) or self._find_by_affix(surface)
            if company is not None:
                company.mentions.append(span)
                self._mention_table = None

    def _mentions(self) -> _MentionTable:
        if self._mention_table is None:
            self._mention_table = _MentionTable(self.companies)
        return self._mention_table

    def companies_in(self, start: int, end: int) -> list[tuple[int, Company]]:
        """Companies mentioned in [start, end), by first mention offset."""
        seen: set[int] = set()
        found: list[tuple[int, Company]] = []
        for s, _, company in self.mentions_in(start, end):
            if id(company) not in seen:
                seen.add(id(company))
                found.append((s, company))
        return found

    def mentions_in(self, start: int, end: int) -> list[tuple[int, int, Company]]:
        """Company mentions inside [start, end), by offset (then company, then mention order)."""
        table = self._mentions()
        low, high = bisect_left(table.starts, start), bisect_right(table.starts, end)
        return [m for m in table.mentions[low:high] if m[1] <= end]

    # assets --------------------------------------------------------------------------------

    def _scan_assets(self, sentence: Sentence) -> None:
        text, base = sentence.text, sentence.start
        low = text.lower()
        for match in _BRAND_PAREN.finditer(text) if "(" in text else ():
            brand, inner = match.group("brand"), match.group("inner").strip()
            if _is_asset_name(inner) and not self._is_company_text(base + match.start()):
                self._add_asset([brand if _brand_ok(brand) else inner, inner], base + match.start(), base + match.end())
        for match in _CODE.finditer(text) if _DIGIT.search(text) else ():  # a code holds a digit
            name = match.group()
            if _NOT_CODE.match(name) or self._is_vocab(base + match.start(), base + match.end()):
                continue
            if self._is_company_text(base + match.start()) or name.lower() in self._vocab_words:
                continue
            if _CURRENCY_PREFIX.match(name):
                continue
            self._add_asset([name], base + match.start(), base + match.end())
        for match in _PRODUCT_LIST.finditer(text) if any(w in low for w in _PRODUCT_WORDS) else ():
            for name in re.findall(r"[A-Z][a-z]{3,}\w*", match.group("names")):
                offset = base + match.start("names") + match.group("names").find(name)
                if self._may_be_brand(name, offset):
                    self._add_asset([name], offset, offset + len(name))
        for match in _APPROVED_BRAND.finditer(text) if any(w in low for w in _APPROVAL_WORDS) else ():
            brand = match.group("brand")
            start = base + match.start("brand")
            if self._may_be_brand(brand, start):
                self._add_asset([brand], start, start + len(brand))
        for match in _inn_matches(text):
            inn = match.group("inn")
            brand = match.group("brand")
            if self._is_company_text(base + match.start("inn")):
                continue
            names = [inn]
            if brand and brand not in _NOT_ORG and not self._is_company_text(base + match.start("brand")):
                names = [f"{brand} {inn}", inn]
            self._add_asset(names, base + match.start(), base + match.end())

    def _may_be_brand(self, name: str, start: int) -> bool:
        if name in _NOT_ORG or self._is_company_text(start):
            return False
        return not self._is_vocab(start, start + len(name))

    def _is_company_text(self, offset: int) -> bool:
        table = self._mentions()
        position = bisect_right(table.starts, offset) - 1
        while position >= 0 and table.starts[position] > offset - table.longest:
            if offset < table.mentions[position][1]:
                return True
            position -= 1
        return False

    def _add_asset(self, names: list[str], start: int, end: int) -> None:
        keys = {n.lower() for n in names}
        for asset in self.assets:
            if keys & {n.lower() for n in asset.names}:
                for n in names:
                    if n.lower() not in {x.lower() for x in asset.names}:
                        asset.names.append(n)
                asset.mentions.append((start, end))
                return
        self.assets.append(Asset(list(dict.fromkeys(names)), [(start, end)]))

    def _add_asset_mentions(self, end: int) -> None:
        """Later mentions of a drug by a name the article gave it once (a brand met in "Brand (inn)")."""
        low = lower_same_length(self.text[:end])
        for asset in self.assets:
            known = {s for s, _ in asset.mentions}
            for name in {n for n in asset.names if len(n) >= 4}:
                key = name.lower()
                position = low.find(key)
                while position >= 0:
                    after = position + len(key)
                    bounded = (position == 0 or not low[position - 1].isalnum()) and (
                        after >= len(low) or not low[after].isalnum())
                    if bounded and position not in known and not self._is_company_text(position):
                        asset.mentions.append((position, after))
                        known.add(position)
                    position = low.find(key, after)

    def _merge_bracketed_assets(self) -> None:
        """'AC-101 (BT-202)', 'AC3001 (also known as BT300)': one asset under two names."""
        by_start = {s: a for a in self.assets for s, _ in a.mentions}
        for asset in list(self.assets):
            for _, end in list(asset.mentions):
                match = _BRACKET_OPEN.match(self.text, end)
                other = by_start.get(match.end()) if match else None
                if other is None or other is asset or other not in self.assets:
                    continue
                asset.names.extend(n for n in other.names if n not in asset.names)
                asset.mentions.extend(other.mentions)
                self.assets.remove(other)
                for s, _ in other.mentions:
                    by_start[s] = asset

    def owners_of(self, asset: Asset) -> list[Company]:
        """Who the article says an asset belongs to: "X's AC-101", "developed by X", "Acmezumab (A/B)"."""
        for start, end in sorted(asset.mentions):
            owners = self._bracketed_owners(end) or self._developer(end) or self._possessor(start)
            if owners:
                return owners
        for start, _ in sorted(asset.mentions):  # no known company: a possessive name is one ("Acme's Birchtra")
            owners = self._new_possessor(start)
            if owners:
                return owners
        return []

    def _bracketed_owners(self, end: int) -> list[Company]:
        match = _OWNER_BRACKET.match(self.text, end)
        if not match:
            return []
        owners = []
        for part in re.finditer(r"[^/,]+", match.group("names")):
            name = part.group().strip()
            start = match.start("names") + part.start() + (len(part.group()) - len(part.group().lstrip()))
            if _is_asset_name(name) or self._is_vocab(start, start + len(name)) or name in _NOT_ORG:
                return []
            self._add(name, start, start + len(name))
            company = self._find(name)
            if company is not None:
                owners.append(company)
        return owners

    def _developer(self, end: int) -> list[Company]:
        match = _DEVELOPED_BY.match(self.text, end)
        if not match:
            return []
        return [c for _, c in self.companies_in(match.start("who"), match.start("who") + 80)][:1]

    def _possessor(self, start: int) -> list[Company]:
        before = self.text[max(0, start - 60) : start]
        match = _POSSESSIVE_BEFORE.search(before)
        if not match:
            return []
        offset = start - len(before) + match.start()
        return [c for s, e, c in self.mentions_in(max(0, offset - 80), offset + 2) if e >= offset - 12][-2:]

    def _new_possessor(self, start: int) -> list[Company]:
        before = self.text[max(0, start - 60) : start]
        match = _POSSESSIVE_BEFORE.search(before)
        if not match:
            return []
        offset = start - len(before) + match.start()
        name = _CAPITALISED_BEFORE.search(self.text, max(0, offset - 60), offset)
        if name is None or name.group() in _NOT_ORG or self._is_vocab(name.start(), name.end()):
            return []
        if any(name.group().lower() in n.lower() for a in self.assets for n in a.names):
            return []  # "Acme's trastuzumab": part of the drug's own name
        self._add(name.group(), name.start(), name.end())
        company = self._find(name.group())
        return [company] if company else []

    def assets_in(self, start: int, end: int) -> list[Asset]:
        found = [(min(s for s, e in a.mentions if start <= s < end), a) for a in self.assets
                 if any(start <= s < end for s, e in a.mentions)]
        return [a for _, a in sorted(found, key=lambda p: p[0])]


def _piece_span(text: str, piece: list[tuple[int, int]], base: int) -> tuple[int, int] | None:
    """The absolute span of a piece of a run, without a trailing "&", possessive or punctuation."""
    while piece and text[piece[-1][0] : piece[-1][1]] == "&":
        piece.pop()
    if not piece:
        return None
    start, end = piece[0][0], piece[-1][1]
    surface = text[start:end]
    if surface.endswith(("'s", "’s")):
        end -= 2
    end -= len(surface) - len(surface.rstrip(".,")) if not _ends_with_legal(surface) else 0
    return base + start, base + end


def _whole_word_matches(text: str, stop: int, surfaces: list[str]) -> list[tuple[int, int]]:
    """Non-overlapping, case-insensitive, whole-word matches of `surfaces` in `text[:stop]`: the leftmost
    first and, where several start at one place, the first surface in order, as a regular expression
    alternation of them would find. Plain substring search on the lower-cased text does it without
    compiling a pattern for every article."""
    window = text[:stop]
    if not (all(s.isascii() for s in surfaces) and lowers_exactly(window)):
        pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(s) for s in surfaces) + r")(?![\w-])", re.I)
        return [match.span() for match in pattern.finditer(text, 0, stop)]
    low = lower_same_length(window)
    first_end: dict[int, int] = {}
    for key in (s.lower() for s in surfaces if s):
        position = low.find(key)
        while position >= 0:
            end = position + len(key)
            if position not in first_end and _is_whole_word(window, position, end):
                first_end[position] = end
            position = low.find(key, position + 1)
    matches: list[tuple[int, int]] = []
    for position in sorted(first_end):
        if not matches or position >= matches[-1][1]:
            matches.append((position, first_end[position]))
    return matches


def _is_whole_word(text: str, start: int, end: int) -> bool:
    """Neither a word character nor a hyphen right before `start` or at `end`."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before in "_-" or after.isalnum() or after in "_-")


def _inn_matches(text: str) -> list[re.Match[str]]:
    """What `_INN.finditer(text)` finds, tried only where a word ends in an INN stem: an INN is one whole word,
    maybe after a capitalised brand word, so it starts at that word or at the brand before it."""
    starts: set[int] = set()
    for end in _INN_END.finditer(text):
        word = _word_start(text, end.start())
        starts.add(word)
        gap = word
        while gap > 0 and text[gap - 1].isspace():
            gap -= 1
        if gap < word:
            starts.add(_word_start(text, gap))
    matches: list[re.Match[str]] = []
    for start in sorted(starts):
        if matches and start < matches[-1].end():
            continue
        match = _INN.match(text, start)
        if match:
            matches.append(match)
    return matches


def _word_start(text: str, position: int) -> int:
    """Where the run of word characters holding (or ending right before) `position` starts."""
    while position > 0 and (text[position - 1].isalnum() or text[position - 1] == "_"):
        position -= 1
    return position


def _trimmed_word(token: str) -> str:
    """A token without trailing punctuation or possessive: "Acme's" -> "Acme"."""
    return token.rstrip(".,'’").removesuffix("'s").removesuffix("’s")


@lru_cache(maxsize=4096)
def _has_distinctive_word(name: str) -> bool:
    words = [w.rstrip(".,") for w in _words(name)]
    if words and words[-1] in _NOT_COMPANY_HEADS:
        return False
    return any(w.lower() not in _ORG_WORDS and w not in ("Co", "Ltd", "&") for w in words)


def _is_asset_name(name: str) -> bool:
    return bool(is_code(name) or _INN.fullmatch(name)) and not _NOT_CODE.match(name)


def _brand_ok(brand: str) -> bool:
    return brand not in _NOT_ORG and not _has_org_word(brand)


def _ends_with_legal(surface: str) -> bool:
    last = surface.split()[-1] if surface.split() else ""
    return last in _LEGAL or last.rstrip(",") in _LEGAL
