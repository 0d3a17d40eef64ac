"""Drug assets named in an article: development codes ("AC-101", "BT-X204"), INN-stem names ("…mab",
"…tinib"), brands written "Brand (inn)", brands in product lists and approvals; and who owns each.

`AssetRecogniser` runs after the companies are known: a capitalised word inside a company name is never
a drug.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import ahocorasick

from dealwire.services.extract.engine.text import Sentence
from dealwire.services.extract.engine.vocab import VOCAB_DIR, has_digit, holds_any, load, lower_prefix, verb_forms

_VOCAB = load()
_NOT_ORG = frozenset(_VOCAB.cues["not_org_words"])
_VERBS = verb_forms(VOCAB_DIR / "name_stop_verbs.tsv")  # "FDA Approves Acmezumab": no brand "Approves"
_CURRENCY_PREFIX = re.compile(
    "^(?:" + "|".join(re.escape(f) for iso, forms in _VOCAB.currencies for f in (iso, *forms) if f.isupper()) + r")\d"
)
# A capital, not right after a word character, ".", "-" or "/"; then letters and digits. The capital comes
# first so that the scan can skip everything else quickly; the look-behind checks the character before it.
CODE = re.compile(
    r"[A-Z](?<![\w.\-/].)(?:[A-Za-z]{0,5}-?[A-Z]{0,3}\d[\dA-Z]{0,7}|[A-Z]{0,5}\d{2,7}[A-Z]?)"
    r"(?:/[A-Z]{2,6}-?\d{2,7}[A-Z]?)?(?![\w\-])"
)
# a code with two or three capitals after its hyphen ("OR-DNB01"), and what says it names a trial
_LETTERS_AFTER_HYPHEN = re.compile(r"[A-Za-z]+-[A-Z]{2,3}\d")
_TRIAL_AFTER = re.compile(r"\s+(?:study|studies|trial|trials)\b")
_SHORT_CODE = re.compile(r"[A-Z]{2,3}-\d")  # "OKN-9", a drug; but "COX-2", "MMP-9" are targets written with a hyphen
NOT_CODE = re.compile(
    r"^(?:NCT\d+|Q[1-4]|H[12]|FY\d+|Ph[1-4]|COVID-\d+|SARS-CoV-\d|CD\d+[A-Z]?|IL-?\d+\w*|PD-?L?\d|HER\d|"
    rf"(?!{_SHORT_CODE.pattern}$)"
    r"[A-Z]{2,8}-?[A-Z]?\d{1}|(?:ESMO|ASCO|ASH|AACR|WCLC|SABCS|EHA|GMT|UTC|BST)\d*|(?:19|20)\d\d|[A-Z]\d{1,2})$"
)
_INN_STEMS = (r"mab|tinib|ciclib|parib|lisib|rafenib|metostat|tecan|taxel|platin|gliflozin|glutide|tide|cept|siran|"
              r"rsen|leucel|gene\w*cel|degib|sertib|zomib|lutamide|stat|vir|ximab|zole|gliptin|sartan|pril|olol|vec|"
              r"tamig|bart|tug|oxetine|setron|parin|dronate|arotene|vedotin|dotin|tansine|tesirine|afil|gatran|xaban|lukast|"
              r"cycline|mycin|floxacin|dipine|imod|kinra|fusp|ercept")
# a cell therapy's INN is two words, "…cabtagene autoleucel": the first is kept with the stem-ended second
INN = re.compile(
    rf"(?<![\w-])(?:(?P<brand>[A-Z][a-z]{{2,}})\s+)?(?P<inn>(?:[a-z]{{3,}}tagene\s+)?[A-Za-z][a-z]{{3,}}"
    rf"(?:{_INN_STEMS}))(?![\w-])")
# the second word of a two-word INN, right after the first: "… deruxtecan", "… vedotin", "… pegol"
_PAYLOAD = re.compile(r" (?P<word>[a-z]{2,}(?:tecan|dotin|tansine|tesirine|duocarmazine|pegol))(?![\w-])")
_INN_END = re.compile(rf"(?:{_INN_STEMS})(?![\w-])")  # where an INN can end: found much faster than an INN
_PRODUCT_LIST = re.compile(
    r"\b(?:products?|candidates?|drugs|programs|programmes|assets|therapies|medicines)[,:]\s+"
    r"(?P<names>[A-Z][a-z]{3,}\w*(?:(?:,\s+|,?\s+and\s+)[A-Z][a-z]{3,}\w*)+)\b"
)
_APPROVED_BRAND = re.compile(
    r"\b(?:approval|approved|approves|designation|clearance|rights|license|licence) (?:for|to|of) (?:the )?"
    r"(?:drug |product )?(?P<brand>[A-Z][a-z]{3,}[a-z]*)(?=[,.;]| \()"
)
# "Acme's lead drug, Galvira, …", "its marketed product Zorvia": a brand told as a company's lead or marketed drug
_LEAD_BRAND = re.compile(
    r"\b(?:lead|main|key|flagship|approved|marketed|top-selling|best-selling)\s+(?:[a-z-]+\s+)?(?:drug|product|"
    r"medicine|therapy|treatment|brand),?\s+(?P<brand>[A-Z][a-z]{3,}[a-z]*)(?=[,.;]|\s+\(|\s+(?:is|was|has|for)\b)")
# What every match of the two patterns above holds (the list of names; what follows the word before a brand),
# found far faster, by a scan that skips to a comma or a space, than the patterns, which are tried at every word
_PRODUCT_NAMES = re.compile(r"[,:]\s+[A-Z][a-z]{3,}\w*(?:,\s+|,?\s+and\s+)[A-Z][a-z]{3,}")
_BRAND_AFTER = re.compile(r" (?:for|to|of) (?:the )?(?:drug |product )?[A-Z][a-z]{3,}[a-z]*(?=[,.;]| \()")
# what every match of `_PRODUCT_LIST` and of `_APPROVED_BRAND` holds: substring tests, faster still than the scans above
_LIST_NOUNS = ("product", "candidate", "drugs", "program", "assets", "therapies", "medicines")
_GRANT_NOUNS = ("approv", "designation", "clearance", "rights", "licen")
_OWNER_BRACKET = re.compile(
    r"\s*\((?P<names>[A-Z][\w-]+(?:\s?[A-Z][\w-]+)?(?:\s?[/,]\s?[A-Z][\w-]+(?:\s[A-Z][\w-]+)?)*)\)")
_DEVELOPED_BY = re.compile(r",?\s*(?:(?:which |that )?(?:was|is|has been|had been) (?:originally |independently )?|"
                           r"a [\w -]{0,40}?)?(?:developed|discovered|invented|originated|owned) by\s+(?P<who>)")
_CAPITALISED_BEFORE = re.compile(r"(?<![\w-])[A-Z][\w&-]*(?:\s[A-Z][\w&-]*){0,3}$")
_POSSESSIVE_BEFORE = re.compile(r"(?:’s|'s)\s+(?:[\w-]+\s+){0,3}$")
_BRACKET_OPEN = re.compile(r"\s*\(\s*(?:also known as|formerly|aka|a\.k\.a\.|or)?\s*|,\s*(?:also known as|"
                           r"formerly|the active (?:component|ingredient|substance|moiety) of|marketed as|"
                           r"sold (?:as|under the (?:brand|trade) name))\s+")
# "Brand (inn)"; the letters of a name are taken whole (possessively): giving one back never lets a "(" follow
BRAND_PAREN = re.compile(r"(?P<brand>[A-Z][A-Za-z]{3,}+(?:\s[A-Z][a-z]++)?)\s*\(\s*(?P<inner>[\w\-/ ]{3,40}?)\s*\)")
# what a bracket may add after the drug's name: "Brand (acmetinib topical gel)", "(belzumab injection)",
# "(acmetide-XR)"
_DOSAGE_FORM = re.compile(r"(?:\s+(?:topical|oral|nasal|ophthalmic|inhaled|extended-release|delayed-release|"
                          r"subcutaneous|intravenous|for|injection|infusion|tablets?|capsules?|gel|cream|ointment|"
                          r"solution|suspension|spray|patch|foam|lotion|powder))+$|-(?:XR|ER|SR|CR|LA|IR)$", re.I)


# "SY-22, which targets B7-H3, is not part of the collaboration", "… which is not included in the agreement",
# "are excluded from the licence": a drug the article names beside a deal as outside it
_EXCLUDED_FROM_DEAL = re.compile(
    r"\b(?:is|are|was|were|remains?|will\s+remain|will\s+be)\s+(?:not\s+(?:(?:a\s+)?part\s+of|included\s+in|"
    r"covered\s+by|subject\s+to)|excluded\s+from|outside(?:\s+the\s+scope\s+of)?)\s+(?:the|this|that|today['’]s)\s+"
    r"(?:[\w-]+\s+){0,2}?(?:agreements?|deal|collaboration|partnership|licen[cs]e|transaction|alliance|pact)\b", re.I)


def excluded_from_deal(text: str) -> bool:
    """Whether a sentence tells that a drug it names is not part of the deal."""
    return ("not" in text or "exclud" in text or "outside" in text) and _EXCLUDED_FROM_DEAL.search(text) is not None


def bracketed_drug(inner: str) -> str | None:
    """The drug a bracket after a brand names: its code or INN, with any dosage form after it dropped."""
    inner = inner.strip()
    if is_asset_name(inner):
        return inner
    bare = _DOSAGE_FORM.sub("", inner)
    return bare if bare != inner and is_asset_name(bare) else None


@dataclass(eq=False)  # one object per asset: compared by identity, which is cheap
class Asset:
    names: list[str] = field(default_factory=list)
    mentions: list[tuple[int, int]] = field(default_factory=list)

    @property
    def name(self) -> str:
        codes = [n for n in self.names if is_code(n)]
        return codes[0] if codes else self.names[0]


@lru_cache(maxsize=4096)
def is_code(name: str) -> bool:
    """A development code such as "AC-101" or "BT3001", the whole of `name`."""
    return CODE.fullmatch(name) is not None


_BIOLOGIC_INN = re.compile(r"[a-z]{4,}(?:ase|mab|cept|kin|tide)?\s+(?:alfa|beta|gamma|pegol|alfa-\w+|beta-\w+)")


@lru_cache(maxsize=1024)
def _hyphenated_target(name: str) -> bool:
    if not _SHORT_CODE.fullmatch(name):
        return False
    joined = name.replace("-", "")
    return any(h.start == 0 and h.end == len(joined) for h in _VOCAB.targets.find(joined))


def is_asset_name(name: str) -> bool:
    """A development code or an INN ("acmezumab", "cerlinase alfa"), the whole of `name`."""
    if NOT_CODE.match(name):
        return False
    return bool(is_code(name) or INN.fullmatch(name) or _BIOLOGIC_INN.fullmatch(name))


class AssetRecogniser:
    """Every drug asset of an article, given where its company names and vocabulary terms lie."""

    def __init__(self, text: str, is_company_text: Callable[[int], bool], is_vocab: Callable[[int, int], bool],
                 vocab_words: set[str], lowered: str | None = None) -> None:
        """`lowered`: `lower_same_length(text)`, where the caller has it."""
        self.text = text
        self._lowered = lowered
        self._is_company_text = is_company_text
        self._is_vocab = is_vocab
        self._vocab_words = vocab_words
        self.assets: list[Asset] = []

    def scan(self, sentences: list[Sentence]) -> list[Asset]:
        for sentence in sentences:
            self._scan(sentence)
        self._add_later_mentions(sentences[-1].end if sentences else 0)
        self._merge_bracketed()
        return self.assets

    def _scan(self, sentence: Sentence) -> None:
        text, base = sentence.text, sentence.start
        for match in brand_parens(text):
            brand, inner = match.group("brand"), bracketed_drug(match.group("inner"))
            if inner and not self._is_company_text(base + match.start()):
                self._add([brand if _brand_ok(brand) else inner, inner], base + match.start(), base + match.end())
        for match in CODE.finditer(text) if has_digit(text) else ():  # a code holds a digit
            name = match.group()
            if NOT_CODE.match(name) or self._is_vocab(base + match.start(), base + match.end()):
                continue
            if self._is_company_text(base + match.start()) or name.lower() in self._vocab_words:
                continue
            if _CURRENCY_PREFIX.match(name) or _hyphenated_target(name):
                continue
            if _LETTERS_AFTER_HYPHEN.match(name) and _TRIAL_AFTER.match(text, match.end()):
                continue  # "the Phase 2 ARC-FL1 study": a trial's name, written as a drug code might be
            self._add([name], base + match.start(), base + match.end())
        for match in _PRODUCT_LIST.finditer(text) if ("," in text or ":" in text) and holds_any(text, _LIST_NOUNS) \
                and _PRODUCT_NAMES.search(text) else ():
            for name in re.findall(r"[A-Z][a-z]{3,}\w*", match.group("names")):
                offset = base + match.start("names") + match.group("names").find(name)
                if self._may_be_brand(name, offset):
                    self._add([name], offset, offset + len(name))
        for match in _APPROVED_BRAND.finditer(text) if holds_any(text, _GRANT_NOUNS) and _BRAND_AFTER.search(text) \
                else ():
            brand = match.group("brand")
            start = base + match.start("brand")
            if self._may_be_brand(brand, start):
                self._add([brand], start, start + len(brand))
        for match in _LEAD_BRAND.finditer(text) if ("lead" in text or "market" in text or "approved" in text
                                                     or "selling" in text or "main" in text or "key" in text
                                                     or "flagship" in text) else ():
            brand = match.group("brand")
            start = base + match.start("brand")
            if self._may_be_brand(brand, start) and brand.lower() not in _VERBS:
                self._add([brand], start, start + len(brand))
        matches = inn_matches(text)
        payload_end = -1
        for number, match in enumerate(matches):
            inn = match.group("inn")
            brand = match.group("brand")
            if self._is_company_text(base + match.start("inn")) or self._is_vocab(base + match.start("inn"),
                                                                                  base + match.end("inn")):
                continue  # a company's word, or a modality such as "oligonucleotide" that ends like an INN
            if number and match.start() <= payload_end:
                continue  # the payload half of "acmezumab deruxtecan", named with its antibody above
            end = match.end()
            payload = _PAYLOAD.match(text, end)
            if payload:  # an ADC's INN: "acmezumab vedotin"
                inn, end = f"{inn} {payload.group('word')}", payload.end()
                payload_end = end
            names = [inn]
            if brand and brand not in _NOT_ORG and brand.lower() not in _VERBS \
                    and not self._is_company_text(base + match.start("brand")):
                names = [f"{brand} {inn}", inn]
            self._add(names, base + match.start(), base + end)

    def _may_be_brand(self, name: str, start: int) -> bool:
        if name in _NOT_ORG or self._is_company_text(start):
            return False
        return not self._is_vocab(start, start + len(name))

    def _add(self, names: list[str], start: int, end: int) -> None:
        keys = {n.lower() for n in names}
        for asset in self.assets:
            if keys & {n.lower() for n in asset.names}:
                for n in names:
                    if n.lower() not in {x.lower() for x in asset.names}:
                        asset.names.append(n)
                asset.mentions.append((start, end))
                return
        self.assets.append(Asset(list(dict.fromkeys(names)), [(start, end)]))

    def _add_later_mentions(self, end: int) -> None:
        """Later mentions of a drug by a name the article gave it once (a brand met in "Brand (inn)")."""
        low = lower_prefix(self.text[:end], self._lowered)
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

    def _merge_bracketed(self) -> None:
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


# -- owners -------------------------------------------------------------------------------------


def bracketed_owner_names(text: str, end: int) -> list[tuple[str, int]]:
    """"Acmezumab (Acme/Birch)": the names in the bracket right after a drug, with their offsets."""
    match = _OWNER_BRACKET.match(text, end)
    if not match:
        return []
    names: list[tuple[str, int]] = []
    for part in re.finditer(r"[^/,]+", match.group("names")):
        name = part.group().strip()
        start = match.start("names") + part.start() + (len(part.group()) - len(part.group().lstrip()))
        if is_asset_name(name) or name in _NOT_ORG:
            return []
        names.append((name, start))
    return names


def developer_offset(text: str, end: int) -> int | None:
    """"AC-101, developed by Acme": where the developer's name starts."""
    match = _DEVELOPED_BY.match(text, end)
    return match.start("who") if match else None


def possessor_offset(text: str, start: int) -> int | None:
    """"Acme's lead drug AC-101": where the possessive "'s" before a drug starts."""
    before = text[max(0, start - 60) : start]
    match = _POSSESSIVE_BEFORE.search(before)
    return start - len(before) + match.start() if match else None


def capitalised_before(text: str, offset: int) -> re.Match[str] | None:
    return _CAPITALISED_BEFORE.search(text, max(0, offset - 60), offset)


def brand_parens(text: str) -> list[re.Match[str]]:
    """What `BRAND_PAREN.finditer(text)` finds, searched for from the words right before each bracket (every match
    is a brand's letters, maybe a second word after one space, maybe spaces, then the bracket, and holds no other
    bracket), not tried at every capital of the text."""
    found: list[re.Match[str]] = []
    position = 0
    bracket = text.find("(")
    while bracket >= 0:
        start = bracket
        while start > position and text[start - 1].isspace():
            start -= 1
        while start > position and _ascii_letter(text[start - 1]):
            start -= 1
        if start > position and text[start - 1].isspace():  # the brand's second word ("Brand Name (inn)")
            start -= 1
            while start > position and _ascii_letter(text[start - 1]):
                start -= 1
        match = BRAND_PAREN.search(text, start)
        if match is None:
            break
        found.append(match)
        position = match.end()
        bracket = text.find("(", position)
    return found


def _ascii_letter(ch: str) -> bool:
    return "a" <= ch <= "z" or "A" <= ch <= "Z"


def inn_matches(text: str) -> list[re.Match[str]]:
    """What `INN.finditer(text)` finds, tried only where a word ends in an INN stem: an INN is one whole word,
    maybe after a capitalised brand word, so it starts at that word or at the brand before it."""
    starts: set[int] = set()
    for end in _inn_ends(text):
        word = _word_start(text, end)
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
        match = INN.match(text, start)
        if match:
            matches.append(match)
    return matches


_PLAIN_STEMS = tuple(stem for stem in _INN_STEMS.split("|") if stem.isalpha())
_PATTERN_STEMS = re.compile("(?:" + "|".join(stem for stem in _INN_STEMS.split("|") if not stem.isalpha()) + r")$")


def _stem_automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for stem in (*_PLAIN_STEMS, "cel"):  # "cel" ends the patterned stems ("gene…cel")
        automaton.add_word(stem, len(stem))
    automaton.make_automaton()
    return automaton


_STEM_ENDINGS = _stem_automaton()


def _inn_ends(text: str) -> list[int]:
    """Where a stem that can end an INN starts, as `_INN_END.finditer` finds them: in each word (three or more
    word characters, no hyphen after them) that ends in a stem. The words are those where an automaton of the
    stems finds one ending right before a character that ends a word: far fewer than all words."""
    found: list[int] = []
    size = len(text)
    last_end = -1
    for end_index, _ in _STEM_ENDINGS.iter(text):
        end = end_index + 1
        if end == last_end or (end < size and (text[end].isalnum() or text[end] in "_-")):
            continue  # inside a word, or a word seen already
        last_end = end
        start = _word_start(text, end)
        tail = text[start:end]
        if tail.endswith(_PLAIN_STEMS) or (tail.endswith("cel") and _PATTERN_STEMS.search(tail)):
            match = _INN_END.search(text, start, end)
            if match:
                found.append(match.start())
    return found


def _word_start(text: str, position: int) -> int:
    """Where the run of word characters holding (or ending right before) `position` starts: the word characters
    (`\\w`, which is `str.isalnum()` or "_") before it, matched on the reversed text before it, a window at a time."""
    while position > 0:
        window = text[max(0, position - _WORD_WINDOW) : position][::-1]
        match = _WORD_RUN.match(window)  # "\w*" matches everywhere, if only the empty string
        run = match.end() if match else 0
        position -= run
        if run < len(window):
            break
    return position


_WORD_RUN = re.compile(r"\w*")
_WORD_WINDOW = 32  # characters: longer than nearly every word


def _brand_ok(brand: str) -> bool:
    from dealwire.services.extract.engine.companies import has_org_word

    return brand not in _NOT_ORG and not has_org_word(brand)
