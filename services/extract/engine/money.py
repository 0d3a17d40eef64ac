"""Money mentions as news writes them ("US$1.25 billion", "RMB200 million", "€50m", "1.2tn won"),
normalised to whole units and an ISO code, and classified by the payment words around them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from services.extract.engine.vocab import compile_cue, load

_VOCAB = load()

_SCALES = {
    "trillion": 1e12, "tn": 1e12, "tr": 1e12,
    "billion": 1e9, "bn": 1e9, "b": 1e9, "bln": 1e9,
    "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6, "mio": 1e6, "mm": 1e6,
    "thousand": 1e3, "k": 1e3,
    "crore": 1e7, "lakh": 1e5,
}
_SYMBOL_TO_ISO: dict[str, str] = {}
for _iso, _forms in _VOCAB.currencies:
    for _form in (_iso, *_forms):
        _SYMBOL_TO_ISO.setdefault(_form, _iso)
        _SYMBOL_TO_ISO.setdefault(_form.lower(), _iso)


def _alternation(forms: list[str]) -> str:
    return "|".join(re.escape(f) for f in sorted(set(forms), key=len, reverse=True))


_PREFIX_FORMS = [f for f in _SYMBOL_TO_ISO if (not f[:1].islower() and not f[:1].isalpha()) or f.isupper()]
_SUFFIX_FORMS = [f for f in _SYMBOL_TO_ISO if f[:1].isalpha()]
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"trillion|billion|million|thousand|crore|lakh|bln|mln|mio|tn|tr|bn|mn|mm|b|m|k"
_MONEY = re.compile(
    rf"(?<![\w$€£¥₩])(?P<pre>{_alternation(_PREFIX_FORMS)})\s?(?P<num>{_NUMBER})(?:\s?(?P<scale>{_SCALE})\b)?"
    rf"|(?<![\w.])(?P<num2>{_NUMBER})\s?(?:(?P<scale2>{_SCALE})\b\s?)?(?P<post>{_alternation(_SUFFIX_FORMS)})\b",
    re.IGNORECASE,
)
_FX = _VOCAB.fx["usd_per_unit"]

_CUES = {kind: compile_cue(p) for kind, p in _VOCAB.cues["money"].items()}
_PRIORITY = ("upfront", "royalties", "equity", "milestones", "total_value")
_UP_TO = re.compile(r"\b(?:up to|as much as|a maximum of|maximum|more than|over|exceeding|exceed)\s*$", re.I)


@dataclass(frozen=True, slots=True)
class MoneyMention:
    amount: float
    currency: str
    start: int
    end: int
    up_to: bool = False

    @property
    def amount_usd(self) -> float | None:
        rate = _FX.get(self.currency)
        return round(self.amount * rate, 2) if rate is not None else None


def _iso(symbol: str) -> str | None:
    return _SYMBOL_TO_ISO.get(symbol) or _SYMBOL_TO_ISO.get(symbol.lower())


def find_money(text: str, offset: int = 0) -> list[MoneyMention]:
    """Money in `text`; a figure in brackets right after another one (a conversion) is dropped."""
    found: list[MoneyMention] = []
    for match in _MONEY.finditer(text):
        symbol = match.group("pre") or match.group("post")
        number = match.group("num") or match.group("num2")
        scale_word = (match.group("scale") or match.group("scale2") or "").lower()
        currency = _iso(symbol)
        if currency is None:
            continue
        if match.group("post") and symbol.islower() and not scale_word and currency not in ("JPY", "KRW"):
            continue  # "3 dollars" style small talk, or "12 pounds" of weight
        amount = float(number.replace(",", "")) * _SCALES.get(scale_word, 1.0)
        if amount < 10_000:  # per-share prices, percentages of something: not deal money
            continue
        before = text[max(0, match.start() - 3) : match.start()]
        if found and "(" in before and match.start() - found[-1].end < 6:
            continue
        up_to = bool(_UP_TO.search(text[max(0, match.start() - 25) : match.start()]))
        found.append(MoneyMention(amount, currency, offset + match.start(), offset + match.end(), up_to))
    return found


_PREVIOUS_HEAD = re.compile(
    r"^[\s)]*(?:in\s+)?(?:an?\s+)?(?:up-?front|milestones?|royalt\w+)(?:\s+(?:cash\s+)?payments?)?", re.I)
_CONVERSION = re.compile(r"^\s*\([^)]{0,40}\)")
_OVERALL = re.compile(r"\b(?:combined|total|totaling|totalling|aggregate|and potential|in addition)\b", re.I)
_HEAD_CHARS = 40
_CLAUSE_BREAK = re.compile(r"[,;]")
_DEAL_NOUN = compile_cue(_VOCAB.cues["money_deal_noun"])


def classify(sentence: str, mention: MoneyMention, sentence_start: int, previous_end: int) -> str | None:
    """The deal component a money figure is: upfront, milestones, royalties, equity, total_value.

    In order: the words right after the figure ("$85 million upfront", "USD 1 billion in milestone
    payments"); an upfront cue in the phrase before it ("upfront payment of"); the nearest cue before
    it, back to the previous figure; the first cue after it.
    """
    rel_start, rel_end = mention.start - sentence_start, mention.end - sentence_start
    after = _CONVERSION.sub("", sentence[rel_end : rel_end + 90])
    after = re.split(r"[$€£¥₩]|\b(?:US|USD|RMB|EUR|plus|as well as|and (?:an?|the) )\b|;", after)[0]
    before_start = max(0, previous_end - sentence_start, rel_start - 110)
    before = sentence[before_start:rel_start]
    if previous_end > sentence_start:
        before = _PREVIOUS_HEAD.sub("", before)
    if _CUES["ignore"].search(after[:_HEAD_CHARS]) or _CUES["ignore"].search(before[-45:]):
        return None
    head_text = re.split(r",|\b(?:and|with|to|from|for|over|if|which|that)\b", after[:_HEAD_CHARS])[0]
    head = _nearest(head_text, from_end=False)
    if head:
        return head
    if _DEAL_NOUN.match(head_text):
        return "total_value"
    clause = _CLAUSE_BREAK.split(before)[-1]
    if _CUES["upfront"].search(clause) and not _OVERALL.search(clause):
        return "upfront"  # "a near-term milestone payment of", "the upfront cash portion … represents"
    nearest = _nearest(before[-80:], from_end=True)
    return nearest or _nearest(after, from_end=False)


def _nearest(window: str, from_end: bool) -> str | None:
    best: tuple[int, int, str] | None = None
    for rank, kind in enumerate(_PRIORITY):
        for cue in _CUES[kind].finditer(window):
            distance = len(window) - cue.end() if from_end else cue.start()
            if best is None or (distance, rank) < best[:2]:
                best = (distance, rank, kind)
    return best[2] if best else None
