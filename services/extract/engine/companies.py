"""Company mentions, recognised from several independent signals and vetoed by negative evidence.

A capitalised phrase ("run") is a company when it carries strong evidence (a legal form or industry
noun, "Acme Pharma Co., Ltd."; a ticker after it, "Acme (NASDAQ: ACME)"; an appositive, "Acme, a Boston
biotech") or, with no evidence against it, weaker evidence: it stands where a deal puts a company
("acquire Acme", "Acme will pay"), in the headline's subject, in a list beside a company, or after a
region's possessive ("Japan's Acme"). Evidence against: a currency or an amount, a region or regulator,
a person (given name, title, "said"), a biomarker adjective ("KRAS-mutant"), a drug ("Acmezumab",
"Acmeva (AC-101)"), a news source ("told Acme News"), a headline verb.

`CompanyBook` keeps the article's companies: one `Company` per firm, with every name the text gives it
("(hereinafter "Acme")", "Acme Pharma (Acme)", shorter forms sharing its distinctive words).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate

from dealwire.services.extract.engine.assets import INN, bracketed_drug, brand_parens, is_code
from dealwire.services.extract.engine.text import Sentence
from dealwire.services.extract.engine.vocab import (
    VOCAB_DIR,
    CaselessPattern,
    GatedPattern,
    caseless,
    load,
    lower_prefix,
    lower_same_length,
    lowers_exactly,
    read_tsv,
    verb_forms,
)

_VOCAB = load()
_NOT_ORG = frozenset(_VOCAB.cues["not_org_words"])
_NOT_COMPANY_HEADS = frozenset(_VOCAB.cues["not_company_heads"])
_INSTITUTION_HEADS = frozenset(_VOCAB.cues["institution_heads"]["words"])
# the small words inside an institution's name: "Institute of", "Foundation for the", "Research and Development"
# a sentence that tells of a company's parent or subsidiary: two firms of one group, not one
# tried only on a sentence whose lower case holds one of the words every match holds (`GatedPattern`)
_KIN = GatedPattern(re.compile(
    r"\b(?:subsidiary|subsidiaries|parent company|holding company|sister company|affiliate of|unit of)\b", re.I),
    ("subsidiar", "parent company", "holding company", "sister company", "affiliate of", "unit of"))
_INSTITUTION_GLUE = re.compile(r" (?:of|for)(?: the)? | and |['’]s ")
_DOCUMENT_AFTER = re.compile(r"\s+(?:Agreements?|Contracts?|Deeds?)\b")
_LEGAL = _VOCAB.legal_words
_LOWER_CASE_FORMS = sorted((re.escape(w) for w in _LEGAL if w.islower()), key=len, reverse=True)  # "plc"
_LOWER_CASE_LEGAL = re.compile(r"\s(?:" + "|".join(_LOWER_CASE_FORMS) + r")(?![\w])" if _LOWER_CASE_FORMS else "(?!)")
_SECTOR = _VOCAB.sector_words
ORG_WORDS = frozenset(w.rstrip(".").lower() for w in _LEGAL | _SECTOR)
_LEGAL_FORMS = frozenset(w.rstrip(".").lower() for w in _LEGAL) - {"holdings", "group", "company", "corporation"}
_STOP_VERBS = verb_forms(VOCAB_DIR / "name_stop_verbs.tsv")  # "Acme and Birch Sign …": the name ends before "Sign"
_VERB_PREPOSITION = re.compile(r"\s+(?:With|To|On)\b")  # "Acme Partners With Birch": the noun used as a verb
_PEOPLE = {kind: frozenset(words) for kind, words in read_tsv(VOCAB_DIR / "people.tsv")}
_GIVEN_NAMES = _PEOPLE.get("given", frozenset())
_PLACES = frozenset(p.lower() for _, places in read_tsv(VOCAB_DIR / "places.tsv") for p in places)
_DEMONYMS = _PEOPLE.get("demonym", frozenset())
# "USD", "RMB"; and the short abbreviations written before a figure ("Rs 42 crore"), never a name's word either
_CURRENCY_CODES = frozenset(
    f for iso, forms in _VOCAB.currencies for f in (iso, *forms) if f.isupper() and f.isalpha()) | frozenset(
    f.rstrip(".") for _, forms in _VOCAB.currencies for f in forms
    if f[:1].isupper() and f.rstrip(".").isalpha() and len(f.rstrip(".")) == 2)
_CURRENCY_AMOUNT = re.compile(r"^(?:" + "|".join(sorted(map(re.escape, _CURRENCY_CODES), key=len, reverse=True))
                              + r")\d")

# A capitalised token ("Acme", "A.B.", "O'Neil", "J&J"), "A/S" (the Danish and Norwegian legal form), or "&".
# Written to begin with one set of characters, which the scanner skips to (the "A" of "A/S" too); the plain form
# is `A/S\b|[A-Z][\w'’&.\-]*[\w.]|[A-Z]|&`.
_TOKEN_PATTERN = r"[A-Z&](?:(?<=A)/S\b|(?<=[A-Z])[\w'’&.\-]*[\w.])?"
_TOKEN = re.compile(_TOKEN_PATTERN)
# capitalised tokens glued by spaces or a comma ("Acme Pharma Co., Ltd."), found in one scan; a comma joins
# only a legal form ("Acme, Inc."), which `_phrases` checks
_RUN = re.compile(rf"(?P<first>{_TOKEN_PATTERN})(?:(?:\s+|\s*,\s*)(?:{_TOKEN_PATTERN}))*")
_HEREINAFTER = re.compile(
    r"\((?:hereinafter(?: referred to)?(?: as)?|hereafter|referred to as|together,?|or|collectively)?\s*(?:the\s+)?"
    r"[\"“”']\s*(?P<alias>[^\"“”'()]{2,40}?)\s*[\"“”']\s*[),;]",  # '(the "Company", together with …)' too
    re.IGNORECASE,
)
_PAREN_ALIAS = re.compile(r"\s*\((?P<alias>[A-Z][\w&.\- ]{1,40})\)")
_DEAL_POSITION_AFTER = CaselessPattern(re.compile(
    r"^(?:'s?|’s?)?\s*(?:,[^,]{0,80},\s*)?(?:has |have |had |will |would |is |was |also |recently |today |on \w+ )*"
    r"(?:announc|sign|enter|agree|acquir|licen[sc]|grant|authori[sz]|receiv|gain|obtain|rais|pay|paid|partner|"
    r"strik|struck|ink|complet|clos|bought|buy|said (?:that )?it\b|says (?:that )?it\b|expect|plan|earn|retain|"
    r"subscrib|link|initiat|launch|"
    r"submit|won|secur|led the|invest(?:s|ed)\b)"
    r"|^(?:'s|’s)\s+(?:[\w-]+\s+){0,3}?(?:drug|therapy|candidate|asset|treatment|vaccine|antibody|inhibitor|"
    r"medicine|product|pipeline|program|programme)s?\b",  # "Acme's drug …": an owner of drugs
    re.IGNORECASE,
))
# Words before a name that put it where a deal puts a company ("with", "acquisition of", "-based") -- the
# readable form; the engine runs the mirror image below (the tests hold the two to the same answers).
DEAL_POSITION_BEFORE = re.compile(
    r"(?:\bwith|\bfrom|\bto|\bby|\bacquire[sd]?|\bacquisition of|\bbuy|\bbuys|\bbought|\bpurchased?|\bgrant(?:ed|s)?|"
    r"\bpaying|\bpay|"
    r"\band|\binclude[sd]?|\bincluding|\bjoined|\bjoin|-based|\bcompany|\bfirm|\bgiant|\bdrugmaker|\bbiotech|\bgroup|"
    r"\brival|\bpeer|\bcompetitor|\bdeveloper|\bspecialist|\bstart-?up|\bmaker|\bmanufacturer)"
    r"\s+(?:(?:the|its|a|an)\s+)?$",
    re.IGNORECASE,
)
# The same pattern written backwards, matched at the start of the reversed text: a search for "…$" tries
# every position of the window, an anchored match of its mirror image tries one.
DEAL_POSITION_BEFORE_REVERSED = CaselessPattern(re.compile(
    r"\s+(?:(?:eht|sti|a|na)\s+)?"
    r"(?:htiw|morf|ot|yb|[sd]?eriuqca|fo noitisiuqca|yub|syub|thguob|d?esahcrup|(?:de|s)?tnarg|gniyap|yap|"
    r"dna|[sd]?edulcni|gnidulcni|denioj|nioj|ynapmoc|mrif|tnaig|rekamgurd|hcetoib|puorg|"
    r"lavir|reep|rotitepmoc|repoleved|tsilaiceps|pu-?trats|rekam|rerutcafunam)\b|\s+(?:(?:eht|sti|a|na)\s+)?desab-",
    re.IGNORECASE,
))
# "(NASDAQ: ACME)", "(HKEX: 01234)", "(600123.SS)", "(ACMEF.PK)": a listed company's ticker
_TICKER_AFTER = re.compile(r"^\s*\(\s*(?:[A-Za-z]{2,12}\s*:\s*[A-Z0-9.]{1,10}|\d{3,6}\.[A-Z]{1,3}|"
                           r"[A-Z]{2,6}\.[A-Z]{1,3})\b[^)]{0,60}\)")
# "Acme, a Boston-based biotech, …"
_APPOSITIVE_AFTER = CaselessPattern(re.compile(
    r"^,\s+(?:a|an|the)\s+(?:[\w’'-]+\s+){0,7}?(?:company|firm|biotech|biotechnology company|drugmaker|developer|"
    r"maker|manufacturer|specialist|group|pharma|pharmaceutical company|start-?up|subsidiary|unit|affiliate|"
    r"biopharma|biopharmaceutical company|player|leader|investor|organization|organisation)\b", re.IGNORECASE))
_TRIAL_AFTER = re.compile(r"\s+(?:(?:pivotal|registrational|confirmatory)\s+)?(?:trials?|stud(?:y|ies))\b|"
                          r",\s+(?:the|a|an|its|their|our)\s+(?:(?!sponsor|developer|maker|owner)[\w-]+\s+){0,6}?(?:trials?|stud(?:y|ies))\b",
                          re.I)
_TRIAL_BEFORE = re.compile(r"\b(?:[Pp]hase[\s-]*(?:[1-4]|IV|I{1,3})[abAB]?(?:/(?:[1-4]|IV|I{1,3})[abAB]?)?|[Pp]ivotal|"
                           r"[Rr]egistrational)\s+$")
# "Japan's Acme", "the UK’s Acme"
_REGION_POSSESSIVE_BEFORE = re.compile(r"(?<![\w-])(?P<region>[A-Z][\w.]*(?:\s[A-Z][\w.]*){0,2})['’]s?\s+$")
_DETERMINERS = frozenset({"a", "an", "the", "its", "their", "our", "this", "these", "that", "those"})
_PERSON_CONTEXT = CaselessPattern(re.compile(
    r"^\s*,?\s*(?:the\s+)?(?:CEO|chief|chairman|chairwoman|president|founder|head|director|analyst|"
    r"executive|vice|senior|general manager|officer|professor|reporter|editor|Ph\.?D|M\.?D\b)\b",
    re.IGNORECASE,
))
PERSON_BEFORE = re.compile(
    r"(?:CEO|Officer|Chairman|President|Director|Dr\.|Mr\.|Ms\.|Prof\.|analyst|^By|said|added|commented|"
    r"Manager|Head|founder|[Rr]eporting by|[Ee]diting by|[Ww]ritten by)\s*,?\s*(?:and\s+)?$"
)
# The same backwards, matched at the start of the reversed text (as `DEAL_POSITION_BEFORE_REVERSED`)
PERSON_BEFORE_REVERSED = re.compile(
    r"(?:\s+dna)?\s*,?\s*(?:OEC|reciffO|namriahC|tnediserP|rotceriD|\.rD|\.rM|\.sM|\.forP|tsylana|yB\Z|dias|dedda|"
    r"detnemmoc|reganaM|daeH|rednuof|yb gnitrope[Rr]|yb gnitid[Ee]|yb nettir[Ww])"
)
# "Jane Doe said", not "Acme Bio said it would buy": a person says, a company says what "it" does
# the lower-case forms of the context patterns, for text known to lower exactly (`CaselessPattern.over_lower`)
_DEAL_AFTER_LOWER = _DEAL_POSITION_AFTER.over_lower
_DEAL_BEFORE_REVERSED_LOWER = DEAL_POSITION_BEFORE_REVERSED.over_lower
_PERSON_CONTEXT_LOWER = _PERSON_CONTEXT.over_lower
_SAID_AFTER = re.compile(r"\s*(?:,\s*)?(?:said|says|added|commented|noted|told|explained|stated)\b"
                         r"(?!\s+(?:that\s+)?it\b)")
_SOURCE_BEFORE = re.compile(r"\b(?:according to|told|reported by|press release by|report by|reports? from|wrote|via|"
                            r"[Rr]eporting by|[Ee]diting by)\s+(?:the\s+)?$")
_LIST_NEXT = re.compile(r"^\s*(?:,|and|,\s*and)\s+(?P<next>(?:[A-Z][\w&'’.\-]*\s?){2,6})")
_LIST_SEPARATOR = re.compile(r"(?:[,;]\s*(?:and\s+)?|\s+and\s*)(?=[A-Z]|$)")
_LIST_INTRO = caseless(r"\b(?:includ(?:e|es|ed|ing)|such as|led by|joined by|investors?|participation (?:from|of|by)|"
                      r"backers|shareholders|partners?)\b[^.;]{0,40}$")
_BIOMARKER_WORD = caseless(r"-(?:mutant|mutated|mutation|positive|negative|directed|targeted|targeting|expressing|"
                           r"overexpressing|driven|amplified|deficient|high|low|selective|specific|like|related|"
                           r"associated|null|altered|rearranged|fusion|based|focused|listed|traded|headquartered|"
                           r"registered)$")
# a drug's dosage form, after its generic name in a bracket: "Acmeva (acmeprant nasal spray)"
_DOSAGE_FORM_WORDS = (r"(?:\s+(?:topical|oral|nasal|ophthalmic|inhaled|subcutaneous|intravenous|for|injection|infusion|"
                      r"tablets?|capsules?|gel|cream|ointment|solution|suspension|spray|patch|foam|lotion|powder))")
# "Acmeva (AC-101)", "Acmeva (acmezumab)", "Acmeva (acmeprant nasal spray)"
_DRUG_AFTER = re.compile(r"\s*\(\s*(?:[A-Z][\w-]*\d[\w-]*|[a-z]{5,}" + _DOSAGE_FORM_WORDS + r"*)\s*\)")
_DOSED_GENERIC = re.compile(r"[a-z]{5,}" + _DOSAGE_FORM_WORDS + "+")  # "acmeprant nasal spray", whatever its stem
# the linking words of a heading in capitals, where a name ends ("LICENSE AGREEMENT WITH ACME S.A. FOR AC-101");
# not "AND" or "OF", which are inside names ("ACME SCIENCE AND TECHNOLOGY CO., LTD."), nor "TO" and "THE" (measured:
# cutting at them too cost more than it gained on the scored sets)
_SHOUTED_LINKS = frozenset({"WITH", "FOR", "IN", "ON", "AT", "BY", "FROM", "INTO", "VIA", "OVER", "AMID"})
_CLOSING_WORDS = frozenset({"Investors", "Investor"})  # never open a name, but close one: "Marlow Square Investors"
# "a Hamburg company", "the Shanghai Stock Exchange", "a Tokyo brokerage": the place says where, and names no firm
_PLACE_AS_MODIFIER = re.compile(r"\s+(?:company|firm|biotech|drugmaker|developer|group|start-?up|maker|manufacturer|"
                                r"brokerage|bourse|(?:Stock\s+)?Exchange)\b")
_LETTER_NOUN = re.compile(r"^[A-Z]-[a-z]+$")
# a dateline: "ELMHAVEN, Westmark, Sept. 14, 2026", "BOSTON and TORONTO, April 2": its places name no firm anywhere
# searched in the text after a line break ("\n" + text): a pattern that opens with a literal character is found by
# a scan for that character, where "^" in multi-line mode is tried at every position
_DATELINE = re.compile(r"\n[ \t]*(?P<places>[A-Z][\w.'’-]*(?:[ \t/][A-Z][\w.'’-]*){0,2}(?:\s+and\s+[A-Z][\w.'’-]*"
                       r"(?:[ \t][A-Z][\w.'’-]*){0,2})?(?:,[ \t]+[A-Z][\w.'’-]*\.?){0,2}),[ \t]+"
                       r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?[ \t]+\d{1,2}\b")
_DATELINE_SPLIT = re.compile(r"\s*(?:,|/|\band\b)\s*")
_NEVER_IN_NAME = _NOT_ORG | _DEMONYMS | _CURRENCY_CODES  # "The", "Korean", "USD"
_POSSESSIVE = ("'s", "’s")
_MISSPELT_LENGTH = 7  # letters of the shorter spelling, at least, for a one-letter difference to be a misspelling
_DIGIT = re.compile(r"\d")
_LONGEST_TERM = 120
_PARENTHESIS = re.compile(r"\([^)]*\)")
_SEPARATORS = re.compile(r"[\s,]+")


@dataclass(eq=False)  # one object per company: compared by identity, which is cheap
class Company:
    names: list[str] = field(default_factory=list)
    mentions: list[tuple[int, int]] = field(default_factory=list)
    # caches, no caller passes them (not `init=False`: mypyc's compiled dataclass leaves such a field unset)
    _cores: tuple[int, frozenset[str], tuple[list[str], ...]] = field(default=(0, frozenset(), ()), repr=False)
    _name: tuple[int, str] = field(default=(-1, ""), repr=False)  # kept as `_cores` is

    def cores(self) -> tuple[frozenset[str], tuple[list[str], ...]]:
        """The `core` of every name, and each one's words; kept until a name is added (names are only added)."""
        count, keys, words = self._cores
        if count != len(self.names):
            keys = frozenset(core(n) for n in self.names)
            words = tuple(core(n).split() for n in self.names)
            self._cores = (len(self.names), keys, words)
        return keys, words

    @property
    def name(self) -> str:
        """The fullest name (most words, then letters), one with a legal form or industry noun if any has one; one
        in ordinary case over a filing's heading in capitals ("ACME PHARMA LIMITED") where the text has both."""
        count, name = self._name
        if count != len(self.names):
            pool = [n for n in self.names if has_org_word(n)] or self.names
            pool = [n for n in pool if not (n.isupper() and " " in n)] or pool
            name = max(pool, key=lambda n: (len(n.split()), len(n)))
            self._name = (len(self.names), name)
        return name

    def aliases(self) -> list[str]:
        name = self.name
        return [n for n in dict.fromkeys(self.names) if n != name]


@lru_cache(maxsize=4096)
def words_of(name: str) -> tuple[str, ...]:
    return tuple(w for w in _SEPARATORS.split(_PARENTHESIS.sub(" ", name)) if w)


@lru_cache(maxsize=4096)  # a name is asked again at each mention
def holds_inn(name: str) -> bool:
    return INN.search(name) is not None


@lru_cache(maxsize=4096)
def has_org_word(name: str) -> bool:
    words = words_of(name)
    return len(words) >= 2 and any(w.rstrip(".,").lower() in ORG_WORDS for w in words[1:])


@lru_cache(maxsize=4096)
def core(name: str) -> str:
    """The distinctive words of a company name: legal forms, industry nouns and regions removed.

    The engine's own key, deliberately not `dealwire.shared.names.company_key` (the ids'): it tells the mentions of one
    article apart, so it keeps a word's hyphens and apostrophes ("acme-bio"), drops the engine's whole
    vocabulary of legal forms and industry nouns (`vocab/org_words.tsv`) and a leading place ("Shanghai Acme
    Biosciences" is Acme). With `company_key` in its place 7 of the 52 labelled articles extract differently
    and the dev score falls (primary 0.926 -> 0.910); tests/unit/extract/test_extract_company_key.py pins both.
    """
    words = [w.rstrip(".,").lower() for w in words_of(name)]
    kept = [w for w in words if w not in ORG_WORDS and w not in ("co", "ltd", "the", "&")]
    while len(kept) > 1 and is_region(kept[-1]):
        kept.pop()
    while len(kept) > 1 and (kept[0] in _PLACES or is_region(kept[0])):
        kept.pop(0)  # "Shanghai Acme Biosciences" is Acme
    return " ".join(kept) or " ".join(words)


def related(a: Company, b: Company) -> bool:
    """Two companies of one group: the distinctive words of one begin the other's ("Acme" ~ "Acme Jushi")."""
    for x in a.names:
        for y in b.names:
            wx, wy = core(x).split(), core(y).split()
            n = min(len(wx), len(wy))
            if n and wx[:n] == wy[:n] and len(wx[0]) >= 3:
                return True
    return False


@lru_cache(maxsize=4096)
def is_region(text: str) -> bool:
    """The whole of `text` names a region ("China", "the UK")."""
    hits = _VOCAB.regions.find(text)
    return bool(hits) and hits[0].start == 0 and hits[0].end == len(text)


@lru_cache(maxsize=4096)
def names_regulator_or_region(name: str) -> bool:
    """A regulator ("the China NMPA") or a bare region picked up as a name."""
    regions = _VOCAB.regions.find(name)
    return bool(_VOCAB.regulators.find(name)) or bool(regions and len(regions[0].surface) == len(name))


class CompanyBook:
    """The companies of one article, each with all its names and mentions."""

    def __init__(self) -> None:
        self.companies: list[Company] = []
        self.version = 0  # bumped on every new mention: lets the offset index know it is stale
        self._names_version = 0  # bumped on every new name or company
        self._by_core: tuple[int, dict[str, Company]] = (-1, {})
        self._kin: list[Company] = []  # companies of one group told apart by the text ("a subsidiary of")

    def find(self, name: str) -> Company | None:
        key = core(name)
        if self._kin:  # a parent and its subsidiary share a core: the one whose own name this is
            plain = plain_name(name)
            for company in self._kin:
                if any(plain_name(n) == plain for n in company.names):
                    return company
        first = self._first_by_core().get(key)  # the first with a name of that core (or that name)
        if first is not None:
            return first
        if len(key) < _MISSPELT_LENGTH or " " in key:
            return None  # too short, or more than one word: no misspelling to look for (`_one_edit_apart`)
        for company in self.companies:  # a misspelling of a long name: "Acmegen" for "Acmegene"
            if any(_one_edit_apart(key, other) for other in company.cores()[0]):
                return company
        return None

    def _first_by_core(self) -> dict[str, Company]:
        """Each `core` of a name -> the first company with a name of that core; kept until a name is added."""
        version, first = self._by_core
        if version != self._names_version:
            first = {}
            for company in self.companies:
                for key in company.cores()[0]:
                    first.setdefault(key, company)
            self._by_core = (self._names_version, first)
        return first

    def find_by_affix(self, name: str) -> Company | None:
        """A shorter or longer form of a known name: "Birch" ~ "Birch Bio", "Acme Pharma" ~ "Acme"."""
        words = core(name).split()
        if not words:
            return None
        for company in self.companies:
            for other_words in company.cores()[1]:
                n = len(words)
                if n < len(other_words) and (other_words[:n] == words or other_words[-n:] == words):
                    return company
                if len(other_words) < n and (words[: len(other_words)] == other_words) and not has_org_word(name):
                    return company
        return None

    def add(self, name: str, start: int, end: int, kin: bool = False) -> Company:
        """`kin`: the sentence tells of a parent or subsidiary: a name of another group word than the company its
        core finds ("Acme Holdings Inc." beside "Acme Biologics Ltd.") is a company of its own."""
        company = self.find(name) or self.find_by_affix(name)
        if company is not None and kin and company not in self._kin and _other_group_word(name, company):
            self._kin += [company]
            company = None
        if company is None:
            company = Company()
            self.companies.append(company)
            if kin and self._kin:
                self._kin.append(company)
        self.add_name(company, name)
        company.mentions.append((start, end))
        self.version += 1
        return company

    def add_name(self, company: Company, name: str) -> None:
        if name not in company.names:
            company.names.append(name)
            self._names_version += 1
            self._keep_first_by_core(company, core(name))

    def _keep_first_by_core(self, company: Company, key: str) -> None:
        """`_first_by_core` kept current for a new name of `company`, where that needs no rebuild: no other company
        holds its core (else which one comes first decides, and the next `find` rebuilds)."""
        version, first = self._by_core
        if version == self._names_version - 1 and first.get(key, company) is company:
            first[key] = company
            self._by_core = (self._names_version, first)

    def absorb(self, company: Company, other: Company) -> None:
        """`other` turns out to be `company` under another name: one company with both's names and mentions."""
        company.names += [n for n in other.names if n not in company.names]
        company.mentions += other.mentions
        self.companies.remove(other)
        self.version += 1
        self._names_version += 1

    def add_mention(self, company: Company, start: int, end: int) -> None:
        company.mentions.append((start, end))
        self.version += 1


class CompanyRecogniser:
    """Finds the company mentions of an article's sentences into a `CompanyBook`."""

    def __init__(self, text: str, is_vocab: Callable[[int, int], bool], title: Sentence | None,
                 terms_in: Callable[[int, int], list[tuple[int, int]]], lowered: str | None = None) -> None:
        """`lowered`: `lower_same_length(text)`, where the caller has it (the text's own lower case where it
        `lowers_exactly`: no character of it lowers to two)."""
        self.text = text
        # its windows stand for the text's
        self._low = (text.lower() if lowered is None else lowered) if lowers_exactly(text) else None
        self._is_vocab = is_vocab
        self._terms_in = terms_in
        self._title = title
        self.book = CompanyBook()
        self._drugs: frozenset[str] = frozenset()
        self._known: set[str] = set()
        self._initials: dict[str, str] = {}  # "BMS" -> "Bristol Myers Squibb", for names met so far
        self._never: dict[str, bool] = {}  # `_never_a_company` of the names met so far
        self._trials: dict[str, bool] = {}  # `_names_a_trial` of the names met so far
        self._dateline_places: frozenset[str] = frozenset()  # "elmhaven" of "ELMHAVEN, Westmark, Sept. 14"

    def scan(self, sentences: list[Sentence]) -> CompanyBook:
        self._drugs = drug_names(self.text)
        self._dateline_places = dateline_places(self.text)
        for sentence in sentences:
            self._scan(sentence)
        self._add_short_mentions(sentences)
        return self.book

    # -- capitalised phrases ------------------------------------------------------------------

    def _phrases(self, sentence: Sentence) -> list[tuple[int, int]]:
        """Runs of capitalised tokens (with ", Co., Ltd." glue), as absolute spans."""
        spans: list[tuple[int, int]] = []
        text = sentence.text
        terms = self._terms_in(sentence.start, sentence.end)  # vocabulary spans here: usually none or few
        for run in _runs(text):
            if run.end("first") == run.end():  # a single token, the common case: `_trim` of it, written out
                token = run.group()
                word = trimmed_word(token) if token[-1:] in _TRIMMABLE else token
                if word in _NOT_ORG or token == "&":
                    continue
                s, e = run.span()
                # with no piece before it, only these can end a name at this token (`_ends_name`)
                if (terms or "-" in word or word[-1:].isdigit() or word in _NEVER_IN_NAME or text[e : e + 1] == "$") \
                        and self._ends_name(text, [(s, e)], [], s, e, token, word, word.lower(), sentence.start, terms):
                    continue
                spans += _piece_span(text, [(s, e)], sentence.start)
                continue
            tokens = [match.span() for match in _TOKEN.finditer(text, run.start(), run.end())]
            parts = _comma_parts(text, tokens) if "," in run.group() else [tokens]
            for part in parts:
                while part and text[part[0][0]] == "&":  # a run never starts with "&"
                    del part[0]
                if part:
                    spans.extend(self._trim(text, part, sentence.start, terms))
        return _join_institution_names(self.text, spans) if spans else spans

    def _trim(self, text: str, run: list[tuple[int, int]], base: int, terms: list[tuple[int, int]]
              ) -> list[tuple[int, int]]:
        """A run cut at words that cannot be part of a company name (vocabulary terms, "The", "US$" …)."""
        spans: list[tuple[int, int]] = []
        piece: list[tuple[int, int]] = []
        # a run in capitals ("LICENSE AGREEMENT WITH ACME S.A."): its ordinary words are written in capitals too
        shouting = len(run) >= 2 and text[run[0][0] : run[-1][1]].isupper()
        for number, (s, e) in enumerate(run):
            token = text[s:e]
            word = trimmed_word(token) if token[-1:] in _TRIMMABLE else token
            low = word.lower()
            if shouting and word in _SHOUTED_LINKS:
                if piece:
                    spans += _piece_span(text, piece, base)
                    piece = []
                continue
            if not piece and low in _STOP_VERBS and self._leading_verb(text, run, number, word):
                continue  # "… to Buy Birch Bio": the verb before a name; "Launch Therapeutics" stays whole
            # only these can end a name at this token (`_ends_name`, whose call costs more than these tests)
            if (terms or word in _NEVER_IN_NAME or "-" in word or word[-1:].isdigit() or text[e : e + 1] == "$"
                    or (piece and low in _STOP_VERBS)) \
                    and self._ends_name(text, run, piece, s, e, token, word, low, base, terms):
                if piece:
                    spans += _piece_span(text, piece, base)
                    piece = []
                continue
            piece.append((s, e))
            if token[-2:] in _POSSESSIVE:
                spans += _piece_span(text, piece, base)
                piece = []
        return spans + _piece_span(text, piece, base) if piece else spans

    def _ends_name(self, text: str, run: list[tuple[int, int]], piece: list[tuple[int, int]], s: int, e: int,
                   token: str, word: str, low: str, base: int, terms: list[tuple[int, int]]) -> bool:
        """A token that is no part of a company name: a word never in one, a currency, a biomarker adjective, a
        headline verb after a name, or a vocabulary term other than a region inside a name that goes on."""
        if (word in _NEVER_IN_NAME and not (piece and word in _CLOSING_WORDS)) or text[e : e + 1] == "$" or (
                word[-1:].isdigit() and _CURRENCY_AMOUNT.match(word) is not None):
            return True
        if "-" in word and _BIOMARKER_WORD.search(word):
            return True
        if piece and low in _STOP_VERBS and (low not in ORG_WORDS or _VERB_PREPOSITION.match(text, e) is not None):
            return True  # "Birch Enters …", "Acme Completes …"; an industry noun ("Partners") only before "With"
        if not terms or not _covered(terms, base + s, base + s + len(token.rstrip(".,"))):
            return False
        # "Japan Tobacco Inc.", "Shanghai Acme Pharma": a region heads or sits inside a name that goes on
        region = is_region(token.rstrip(".,"))
        return not (region and text[e : e + 2] not in _POSSESSIVE and (
            bool(piece) or trimmed_word(text[run[-1][0] : run[-1][1]]).lower() in ORG_WORDS))

    @staticmethod
    def _leading_verb(text: str, run: list[tuple[int, int]], number: int, word: str) -> bool:
        """A headline verb opening a run that goes on with a distinctive word of its own."""
        if word.lower() not in _STOP_VERBS or number + 1 >= len(run):
            return False
        rest = [trimmed_word(text[s:e]).lower() for s, e in run[number + 1 :]]
        return any(w not in ORG_WORDS for w in rest)

    # -- evidence -----------------------------------------------------------------------------

    def _scan(self, sentence: Sentence) -> None:
        tells_kin: bool | None = None  # whether the sentence tells of a parent or subsidiary, read once if needed
        for start, end in self._phrases(sentence):
            name = self.text[start:end]
            known = name in self._known and not self._never_a_company(name)  # recognised where it met a signal
            initials_of = self._initials.get(name) if name.isupper() else None  # "BMS" after "Bristol Myers Squibb"
            if initials_of is not None:
                company = self.book.add(initials_of, start, end)
                self.book.add_name(company, name)
                continue
            if not known and not self._is_company(sentence, start, end, name):
                continue
            if name not in self._known:
                self._known.add(name)
                for words in (_lettered(name, keep_org_words=True), _lettered(name, keep_org_words=False)):
                    if len(words) >= 2:  # "Harwick Morrow Sciences" -> "HMS" and "HM"
                        self._initials.setdefault("".join(w[0] for w in words).upper(), name)
            kin = has_org_word(name)
            if kin and tells_kin is None:
                tells_kin = _KIN.search(sentence.text, lower_same_length(sentence.text)) is not None
            self.book.add(name, start, end, kin=kin and bool(tells_kin))
            self._add_introduced_alias(name, end)

    def _is_company(self, sentence: Sentence, start: int, end: int, name: str) -> bool:
        if self._never_a_company(name):
            return False
        if name.lower() in _PLACES and (_PLACE_AS_MODIFIER.match(self.text, end)
                                        or not self._strong_context(start, end)):
            return False  # "a Hamburg company": the city says where a firm is; "based in Cambridge, England, …": a
            # city alone names no firm without a ticker or an appositive
        if has_org_word(name):
            return not self._is_source_tag(sentence, start, end)
        if name.lower() in self._dateline_places:
            return False  # "ELMHAVEN, Westmark, Sept. 14 …", then "moved to Elmhaven": the dateline's city
        if self._looks_like_person(sentence, start, end, name) or self._is_source(sentence, start, end):
            return False
        if self._names_a_trial(name):
            return False  # "the Phase 3 HORIZON-1 trial", then "from HORIZON-1": a trial's name, not its sponsor
        if self._strong_context(start, end):
            return True
        if self._looks_like_drug(end, name):
            return False
        if sentence.is_title and not self._named_elsewhere(sentence, name):
            return False  # a title-case headline capitalises every word: its weak cues need the body's word
        if name.isupper() and sentence.text.isupper() and not self._written_in_prose(sentence, name):
            return False  # a heading in capitals ("VOLUNTARY ANNOUNCEMENT"): its weak cues need the prose's word
        return (self._in_deal_position(sentence, start, end) or self._headline_subject(sentence, start)
                or self._after_region_possessive(sentence, start) or self._listed_with_company(sentence, start, end))

    def _never_a_company(self, name: str) -> bool:
        never = self._never.get(name)
        if never is None:
            never = self._never[name] = _never_a_company(name)
        return never

    def _names_a_trial(self, name: str) -> bool:
        """The text calls `name` a trial somewhere: "the Phase 3 HORIZON-1 trial", "HORIZON-1, a Phase 3 study"."""
        trial = self._trials.get(name)
        if trial is None:
            trial = False
            position = self.text.find(name)
            while position >= 0 and not trial:
                end = position + len(name)
                trial = _TRIAL_AFTER.match(self.text, end) is not None or _after_trial_word(self.text, position)
                position = self.text.find(name, end)
            self._trials[name] = trial
        return trial

    def _written_in_prose(self, sentence: Sentence, name: str) -> bool:
        """A name in capitals that the text writes elsewhere, any case, on a line not all in capitals; one led by an
        article ("AN EXCLUSIVE") only where the prose capitalises it too ("an exclusive" there is no name)."""
        low = self._low if self._low is not None else self.text.lower()
        key = name.lower()
        determined = key.split(" ", 1)[0] in _DETERMINERS
        position = low.find(key)
        while position >= 0:
            if not sentence.start <= position < sentence.end:
                line_start = self.text.rfind("\n", 0, position) + 1
                line_end = self.text.find("\n", position)
                if (self.text[position].isupper() or not determined) and \
                        not self.text[line_start : line_end if line_end >= 0 else len(self.text)].isupper():
                    return True
            position = low.find(key, position + 1)
        return False

    def _named_elsewhere(self, sentence: Sentence, name: str) -> bool:
        """The body writes the name too, capitalised as in the headline."""
        position = self.text.find(name)
        while position >= 0:
            if not sentence.start <= position < sentence.end:
                return True
            position = self.text.find(name, position + 1)
        return False

    def _strong_context(self, start: int, end: int) -> bool:
        following = self.text[end : end + 2]
        if "(" in following:
            return _TICKER_AFTER.match(self.text[end : end + 80]) is not None
        return following[:1] == "," and _APPOSITIVE_AFTER.match(*self._window(end, end + 120)) is not None

    def _window(self, start: int, end: int) -> tuple[str, str | None]:
        """The text between two offsets, and its lower case (None where the whole text's does not stand for it)."""
        return self.text[start:end], self._low[start:end] if self._low is not None else None

    def _looks_like_drug(self, end: int, name: str) -> bool:
        return holds_inn(name) or bool(_DRUG_AFTER.match(self.text, end)) or name in self._drugs

    def _is_source_tag(self, sentence: Sentence, start: int, end: int) -> bool:
        """"(Acme Newswire) - …": the agency that reports the news, at the head of the story."""
        return self.text[end : end + 1] == ")" and self.text[sentence.start : start].strip() == "("

    def _is_source(self, sentence: Sentence, start: int, end: int) -> bool:
        """The agency or outlet that reports the news: "(Acme News) - …", "according to Acme News"."""
        if self._is_source_tag(sentence, start, end):
            return True
        return _SOURCE_BEFORE.search(self.text, max(sentence.start, start - 30), start) is not None

    def _listed_with_company(self, sentence: Sentence, start: int, end: int) -> bool:
        """"Acme Perpetual and Birch Investment Management": a name listed beside a company."""
        after = self.text[end : min(sentence.end, end + 80)]
        match = _LIST_NEXT.match(after)
        if match and has_org_word(match.group("next")):
            return True
        before = self.text[max(sentence.start, start - 200) : start].rstrip()
        if not before.endswith((",", " and")):
            return False
        head = _LIST_SEPARATOR.split(before)  # the separator right before this name counts too
        return len(head) > 1 and _LIST_INTRO.search(head[0]) is not None  # "investors including A, B and C"

    def _in_deal_position(self, sentence: Sentence, start: int, end: int) -> bool:
        """Where a deal puts a company (not a drug name): subject of "acquires", object of "with" …"""
        after_end, before_start = min(sentence.end, end + 120), max(sentence.start, start - 40)
        low = self._low
        if low is not None and _DEAL_AFTER_LOWER is not None and _DEAL_BEFORE_REVERSED_LOWER is not None:
            # the patterns' own lower-case forms over windows of the lower-cased text, as their `match` would run
            return _DEAL_AFTER_LOWER.match(low[end:after_end]) is not None or \
                _DEAL_BEFORE_REVERSED_LOWER.match(low[before_start:start][::-1]) is not None
        if _DEAL_POSITION_AFTER.match(*self._window(end, after_end)):
            return True
        before, low = self._window(before_start, start)
        return DEAL_POSITION_BEFORE_REVERSED.match(before[::-1], low and low[::-1]) is not None

    def _after_region_possessive(self, sentence: Sentence, start: int) -> bool:
        if self.text[max(sentence.start, start - 3) : start].rstrip()[-2:] not in ("'s", "’s") and \
                self.text[start - 2 : start - 1] not in ("'", "’"):
            return False
        match = _REGION_POSSESSIVE_BEFORE.search(self.text, max(sentence.start, start - 40), start)
        return match is not None and is_region(match.group("region"))

    def _headline_subject(self, sentence: Sentence, start: int) -> bool:
        """The first name of a headline, before its verb: "Acme Licenses …", "Acme to Buy …"."""
        if not sentence.is_title or start - sentence.start > 40:
            return False
        return not self.text[sentence.start : start].strip(" \"'“‘:-")

    def _looks_like_person(self, sentence: Sentence, start: int, end: int, name: str) -> bool:
        words = name.split()
        if not ORG_WORDS.isdisjoint([w.rstrip(".").lower() for w in words]):
            return False
        after_end = min(sentence.end, end + 40)
        after = self.text[end:after_end]
        before = self.text[max(sentence.start, start - 30) : start]
        if self._low is not None and _PERSON_CONTEXT_LOWER is not None:  # as `_in_deal_position`
            person_after = _PERSON_CONTEXT_LOWER.match(self._low[end:after_end])
        else:
            person_after = _PERSON_CONTEXT.match(after, self._low[end:after_end] if self._low is not None else None)
        if person_after or PERSON_BEFORE_REVERSED.match(before[::-1]):
            return True
        personal = 2 <= len(words) <= 3 and all(w[:1].isupper() and w[1:].isalpha() for w in words)
        if personal and words[0] in _GIVEN_NAMES:
            return True
        return personal and all(w[1:].islower() for w in words) and bool(_SAID_AFTER.match(after))

    def _add_introduced_alias(self, name: str, end: int) -> None:
        if "(" not in self.text[end : end + 4]:
            return
        tail = self.text[end : end + 90]
        match = _HEREINAFTER.match(tail) or _HEREINAFTER.match(tail.lstrip(" ,"))
        paren = _PAREN_ALIAS.match(tail)
        alias = match.group("alias") if match else None
        if alias is None and paren and not is_code(paren.group("alias").strip()):
            candidate = paren.group("alias").strip()
            if not re.fullmatch(r"[A-Z]{2,6}:?\s?\d+.*|\w+\.\w+", candidate) and not is_region(candidate):
                alias = candidate
        if alias:
            company = self.book.find(name)
            if company is not None:
                self.book.add_name(company, alias)
            other = self.book.find(alias)
            if company is not None and other is not None and other is not company:
                self.book.absorb(company, other)  # "Acme (Acme Pharma Co.)" after a headline's "Acme Pharma"

    # -- later mentions -----------------------------------------------------------------------

    def _add_short_mentions(self, sentences: list[Sentence]) -> None:
        """Every later mention of a known name or alias, found by a case-insensitive whole-word search."""
        names = {n for c in self.book.companies for n in c.names}
        surfaces = sorted(names | {core(n) for n in names if len(core(n)) >= 3}, key=len, reverse=True)
        if not surfaces:
            return
        body_end = max((s.end for s in sentences), default=0)
        seen = {m for c in self.book.companies for m in c.mentions}
        inside_seen = _inside_any(seen)
        for span in whole_word_matches(self.text, body_end, surfaces, self._low):
            if span in seen or inside_seen(span[0]):
                continue
            surface = self.text[span[0] : span[1]]
            if self._is_vocab(*span) or not surface[:1].isupper():
                continue
            company = self.book.find(surface) or self.book.find_by_affix(surface)
            if company is not None:
                self.book.add_mention(company, *span)


def _after_trial_word(text: str, start: int) -> bool:
    """`_TRIAL_BEFORE` in the 40 characters before `start`, looked for only where they hold one of its words (every
    match holds "hase", "ivotal" or "egistrational"; substring searches fail far faster than the pattern)."""
    low = max(0, start - 40)
    if text.find("hase", low, start) < 0 and text.find("ivotal", low, start) < 0 and \
            text.find("egistrational", low, start) < 0:
        return False
    return _TRIAL_BEFORE.search(text, low, start) is not None


def _never_a_company(name: str) -> bool:
    """A name that is never a company's, wherever it stands: a code, an amount, a region, a lone verb."""
    if is_code(name) or len(name) < 2 or name.isdigit() or not _has_distinctive_word(name):
        return True
    if name in _CURRENCY_CODES or (_DIGIT.search(name) and _CURRENCY_AMOUNT.match(name)):
        return True  # "USD", "RMB1.2"
    if not has_org_word(name) and (names_regulator_or_region(name) or (name.isupper() and name.lower() in _PLACES)):
        return True  # "China", "the FDA", a dateline's city ("BOSTON, May 4")
    words = words_of(name)
    if len(words) == 1 and _shouted_ordinary_word(trimmed_word(words[0])):
        return True  # "ANNOUNCEMENT": an ordinary word of a heading in capitals
    if len(words) == 1 and "-" in name and _LETTER_NOUN.match(words[0]):
        return True  # "T-cells", "X-ray": a common noun after a letter
    return len(words) == 1 and words[0].lower() in _STOP_VERBS  # a lone headline verb: "… to Develop …"


@lru_cache(maxsize=4096)
def _shouted_ordinary_word(word: str) -> bool:
    """A word in capitals that, in ordinary case, is never in a name ("WITH", "AGREEMENT"); not a legal form ("AS")."""
    return len(word) >= 2 and word.isupper() and word not in _LEGAL and word.capitalize() in _NEVER_IN_NAME


def _inside_any(spans: set[tuple[int, int]]) -> Callable[[int], bool]:
    """A test of whether an offset lies inside one of `spans` (`any(s <= offset < e …)`), by bisection: the spans
    by start, and the furthest end of those up to each."""
    ordered = sorted(spans)
    starts = [s for s, _ in ordered]
    reach = list(accumulate((e for _, e in ordered), max))

    def inside(offset: int) -> bool:
        position = bisect_right(starts, offset) - 1
        return position >= 0 and offset < reach[position]

    return inside


def _one_edit_apart(a: str, b: str) -> bool:
    """Two spellings of one long word, one letter inserted, dropped or changed."""
    if a == b or min(len(a), len(b)) < _MISSPELT_LENGTH or abs(len(a) - len(b)) > 1 or " " in a or " " in b:
        return False
    if len(a) > len(b):
        a, b = b, a
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return a[i + 1 :] == b[i + 1 :] if len(a) == len(b) else a[i:] == b[i + 1 :]
    return True


def drug_names(text: str) -> frozenset[str]:
    """Brands the text introduces with their code or INN in brackets ("Acmeva (AC-101)"), or a generic name with
    its dosage form ("ACMEVA (acmeprant nasal spray)", an INN of a stem `assets.INN` does not know): drugs wherever
    met."""
    return frozenset(m.group("brand") for m in brand_parens(text)
                     if bracketed_drug(m.group("inner")) or _DOSED_GENERIC.fullmatch(m.group("inner").strip()))


def _runs(text: str) -> list[re.Match[str]]:
    """Capitalised runs; a double hyphen is a dash between two words ("DATELINE--Acme Pharma"), not inside one."""
    if "--" not in text:
        return list(_RUN.finditer(text))
    runs: list[re.Match[str]] = []
    for match in _RUN.finditer(text):
        if "--" not in match.group():
            runs.append(match)
            continue
        position = match.start()
        for piece in match.group().split("--"):
            runs.extend(_RUN.finditer(text, position, position + len(piece)))
            position += len(piece) + 2
    return runs


def plain_name(name: str) -> str:
    """A name's words in lower case without its legal forms ("Acme Holdings Inc." -> "acme holdings")."""
    return " ".join(w.rstrip(".,").lower() for w in words_of(name) if w.rstrip(".,").lower() not in _LEGAL_FORMS)


def _group_words(name: str) -> frozenset[str]:
    return frozenset(w.rstrip(".,").lower() for w in words_of(name)[1:]) & ORG_WORDS - _LEGAL_FORMS


def _other_group_word(name: str, company: Company) -> bool:
    """`name` ends in another industry or group noun than each of `company`'s names that has one."""
    own = _group_words(name)
    others = [_group_words(n) for n in company.names]
    return bool(own) and any(others) and all(not _same_noun(own, o) for o in others if o)


def _same_noun(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two sets of industry nouns that share one, or one's shortening ("biopharm" ~ "biopharmaceutical")."""
    return any(x.startswith(y) or y.startswith(x) for x in a for y in b)


def dateline_places(text: str) -> frozenset[str]:
    """The lower-cased places of the text's datelines ("ELMHAVEN, Westmark, Sept. 14" -> elmhaven, westmark)."""
    places: set[str] = set()
    for match in _DATELINE.finditer("\n" + text):  # each match at a line start, as "(?m)^" finds them
        places.update(p.lower() for p in _DATELINE_SPLIT.split(match.group("places").rstrip(".")) if p)
    return frozenset(places)


def _join_institution_names(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Neighbouring pieces that are one institution's name across its small words: "the Foundation for Brain
    Health and Aging", "Cancer Research and Treatment Institute of Westmark", "Institute of Neurology and Aging",
    "Foundation for Parkinson's Research". A head noun ("Institute", "Foundation") goes on through "of" / "for";
    its topic goes on through "and" (not a place's: "Institute of Westmark and Acme" is two) and a possessive;
    "and" also joins two pieces of ordinary words whose second ends with a head noun ("Research and Development
    Authority"), never a piece that is a company already ("Acme Pharma and Birch Institute" stays two). Two pieces
    joined by "and" that name a document ("Loan and Security Agreement") are no name at all."""
    joined = [spans[0]]
    state = ""  # how the last piece was joined: "topic" lets it go on with "and" or a possessive
    documents: set[int] = set()
    for start, end in spans[1:]:
        previous_start, previous_end = joined[-1]
        glue = text[previous_end:start]
        if _INSTITUTION_GLUE.fullmatch(glue) is None:
            joined.append((start, end))
            state = ""
            continue
        word = glue.split()[0]
        before, after = text[previous_start:previous_end], text[start:end]
        before_words, after_words = words_of(before), words_of(after)
        if not after_words:
            joined.append((start, end))
            state = ""
            continue
        if word == "and" and _DOCUMENT_AFTER.match(text, end):
            joined[-1] = (previous_start, end)  # "the Loan and Security Agreement": a document's name
            documents.add(len(joined) - 1)
            state = ""
            continue
        if word in ("of", "for"):
            join = bool(before_words) and before_words[-1] in _INSTITUTION_HEADS
            topic = word == "for" or not (is_region(after) or after.lower() in _PLACES)
        elif word != "and":  # a possessive: "Foundation for Parkinson's Research"
            join = topic = state == "topic"
        elif state == "topic":
            join = topic = not has_org_word(after) and after_words[0].lower() not in ORG_WORDS
        else:
            join = (not state and len(before_words) >= 2 and not has_org_word(before)
                    and after_words[-1] in _INSTITUTION_HEADS)
            topic = False
        if join:
            joined[-1] = (previous_start, end)
            state = "topic" if topic else "joined"
        else:
            joined.append((start, end))
            state = ""
    for number, (start, end) in enumerate(joined):
        if _DOCUMENT_AFTER.match(text, end) and all(_written_lower(text, w) for w in words_of(text[start:end])):
            documents.add(number)  # "the Loan Agreement" beside "term loans": an ordinary word, capitalised
    return [span for number, span in enumerate(joined) if number not in documents] if documents else joined


def _written_lower(text: str, word: str) -> bool:
    """`word` written in lower case somewhere in `text` (singular or plural): an ordinary word."""
    low = word.lower()
    return low != word and re.search(r"\b" + re.escape(low) + r"s?\b", text) is not None


def _lettered(name: str, keep_org_words: bool) -> list[str]:
    """The words of a name that its initials are made of: no legal form ("Inc."), industry nouns at will."""
    words = [w for w in words_of(name) if w[0].isalpha() and w.rstrip(".,") not in _LEGAL]
    return words if keep_org_words else [w for w in words if w.rstrip(".,").lower() not in ORG_WORDS]


def _covered(terms: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether a term of `terms` (sorted by start, as `_TermSpans.within` gives them) holds [start, end)."""
    for s, e in terms:  # a loop: asked for every token of a run, it stops at the first term past the token
        if s > start:
            return False
        if end <= e:
            return True
    return False


def _comma_parts(text: str, tokens: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """A run cut at each comma that does not introduce a legal form: "Acme, Birch Bio" is two names."""
    parts: list[list[tuple[int, int]]] = [[]]
    for number, (s, e) in enumerate(tokens):
        token = text[s:e]
        legal = token in _LEGAL or token.rstrip(".,") in _LEGAL
        if number and not legal and "," in text[tokens[number - 1][1] : s]:
            parts.append([])
        parts[-1].append((s, e))
    return parts


def _piece_span(text: str, piece: list[tuple[int, int]], base: int) -> list[tuple[int, int]]:
    """The absolute span of a piece of a run, without a trailing "&", possessive or punctuation (none for "&")."""
    while piece and text[piece[-1][0] : piece[-1][1]] == "&":
        piece.pop()
    if not piece:
        return []
    start, end = piece[0][0], piece[-1][1]
    surface = text[start:end]
    if surface.endswith(_POSSESSIVE):
        end -= 2
    punctuation = len(surface) - len(surface.rstrip(".,"))
    if punctuation and not _ends_with_legal(surface):
        end -= punctuation
    elif not punctuation:
        lower_legal = _LOWER_CASE_LEGAL.match(text, end)  # "Acme plc": a legal form no capital starts
        end = lower_legal.end() if lower_legal else end
    return [(base + start, base + end)]


def whole_word_matches(text: str, stop: int, surfaces: list[str], lowered: str | None = None) -> list[tuple[int, int]]:
    """Non-overlapping, case-insensitive, whole-word matches of `surfaces` in `text[:stop]`: the leftmost
    first and, where several start at one place, the first surface in order, as a regular expression
    alternation of them would find. Plain substring search on the lower-cased text does it without
    compiling a pattern for every article. `lowered`: `lower_same_length(text)`, where the caller has it."""
    window = text[:stop]
    if not (all(s.isascii() for s in surfaces) and lowers_exactly(window)):
        pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(s) for s in surfaces) + r")(?![\w-])", re.I)
        return [match.span() for match in pattern.finditer(text, 0, stop)]
    low = lower_prefix(window, lowered)
    size = len(window)
    first_end: dict[int, int] = {}
    for key in (s.lower() for s in surfaces if s):
        position = low.find(key)
        while position >= 0:
            if position not in first_end:
                # a whole word: neither a word character nor a hyphen right before it or right after it
                end = position + len(key)
                before = window[position - 1] if position > 0 else " "
                after = window[end] if end < size else " "
                if not (before.isalnum() or before in "_-" or after.isalnum() or after in "_-"):
                    first_end[position] = end
            position = low.find(key, position + 1)
    matches: list[tuple[int, int]] = []
    for position in sorted(first_end):
        if not matches or position >= matches[-1][1]:
            matches.append((position, first_end[position]))
    return matches


def trimmed_word(token: str) -> str:
    """A token without trailing punctuation or possessive: "Acme's" -> "Acme"."""
    return token.rstrip(".,'’").removesuffix("'s").removesuffix("’s")


_TRIMMABLE = ".,'’s"  # a token whose last character is none of these is its own `trimmed_word` (no call needed)


@lru_cache(maxsize=4096)
def _has_distinctive_word(name: str) -> bool:
    words = [w.rstrip(".,") for w in words_of(name)]
    if words and words[-1] in _NOT_COMPANY_HEADS:
        return False
    return any(w.lower() not in ORG_WORDS and w not in ("Co", "Ltd", "&") for w in words)


def _ends_with_legal(surface: str) -> bool:
    words = surface.split()
    last = words[-1] if words else ""
    return last in _LEGAL or last.rstrip(",") in _LEGAL
