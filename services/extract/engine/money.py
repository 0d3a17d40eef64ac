"""Money mentions as news writes them ("US$1.25 billion", "RMB200 million", "€50m", "1.2tn won",
"Rs 500 crore"), as exact whole units and an ISO code; what each figure is (upfront, milestones…) from
the payment words around it; and the money fields of one deal from the sentences that describe it.

Amounts are parsed with `Decimal` and kept as integers: "1.093 billion" is 1093000000, never a float.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple, Protocol, TypeVar

from dealwire.services.extract.engine.text import Sentence
from dealwire.services.extract.engine.vocab import caseless, compile_cue, load

_VOCAB = load()

_SCALES = {
    "trillion": Decimal(10) ** 12, "tn": Decimal(10) ** 12, "tr": Decimal(10) ** 12,
    "billion": Decimal(10) ** 9, "bn": Decimal(10) ** 9, "b": Decimal(10) ** 9, "bln": Decimal(10) ** 9,
    "million": Decimal(10) ** 6, "mn": Decimal(10) ** 6, "mln": Decimal(10) ** 6, "m": Decimal(10) ** 6,
    "mio": Decimal(10) ** 6, "mm": Decimal(10) ** 6,
    "thousand": Decimal(10) ** 3, "k": Decimal(10) ** 3,
    "lakh crore": Decimal(10) ** 12, "crore": Decimal(10) ** 7, "lakh": Decimal(10) ** 5,
}
_ONE = Decimal(1)
_SYMBOL_TO_ISO: dict[str, str] = {}
for _code, _forms in _VOCAB.currencies:
    for _form in (_code, *_forms):
        _SYMBOL_TO_ISO.setdefault(_form, _code)
        _SYMBOL_TO_ISO.setdefault(_form.lower(), _code)


def _alternation(forms: list[str]) -> str:
    return "|".join(re.escape(f) for f in sorted(set(forms), key=len, reverse=True))


# before the number: symbols ("$", "HK$", "₩"), codes ("USD") and short abbreviations ("Rs", "Rs.")
_PREFIX_FORMS = [f for f in _SYMBOL_TO_ISO if not f[:1].isalpha() or f.isupper()
                 or (f[:1].isupper() and len(f.rstrip(".")) <= 2)]
_SUFFIX_FORMS = [f for f in _SYMBOL_TO_ISO if f[:1].isalpha()]
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"trillion|billion|million|thousand|lakh crore|crore|lakh|bln|mln|mio|tn|tr|bn|mn|mm|b|m|k"
# Figures are found number first (a scan for digits is far cheaper than one for every currency form at
# every position), then a currency form is looked for right before the number, or after it and its scale.
_DIGITS = re.compile(r"\d[\d,.]*")  # a run of digits and separators; the number is at its start
_NUMBER_AT = re.compile(_NUMBER)
_PREFIX_BEFORE = caseless(rf"(?<![\w$€£¥₩₹])(?:{_alternation(_PREFIX_FORMS)})\s?$")
_SCALE_AFTER = caseless(rf"(?:\s|-(?=[a-z]{{3}}))?(?:{_SCALE})\b")  # "$1.2 billion", "$1.2-billion"
_SUFFIX_AFTER = caseless(rf"\s?(?:(?P<scale>{_SCALE})\b\s?)?(?P<post>{_alternation(_SUFFIX_FORMS)})\b")
_LONGEST_PREFIX = max(map(len, _PREFIX_FORMS)) + 1


class _Figure(NamedTuple):
    start: int
    end: int
    symbol: str
    number: str
    scale: str
    symbol_after: bool


def _figures(text: str, lowered: str) -> Iterator[_Figure]:
    """Numbers with a currency: "US$1.2 billion" (symbol before), "1.2tn won" (word after). `lowered` is
    `text.lower()`; the words are read from `text`."""
    last_end = 0
    for digits in _DIGITS.finditer(text):
        start = digits.start()
        if start < last_end:
            continue
        number = _NUMBER_AT.match(text, start)
        assert number is not None  # a run of digits starts with a number
        end = number.end()
        window = max(last_end, start - _LONGEST_PREFIX)
        prefix = _PREFIX_BEFORE.search(text, lowered, window, start)
        if prefix is not None:
            scale = _SCALE_AFTER.match(text, lowered, end)
            last_end = scale.end() if scale else end
            yield _Figure(prefix.start(), last_end, text[prefix.start() : prefix.end()].rstrip(), number.group(),
                          text[end : scale.end()].strip().lstrip("-") if scale else "", False)
            continue
        if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
            continue  # "v2", "H1"
        suffix = _SUFFIX_AFTER.match(text, lowered, end)
        if suffix is not None:
            last_end = suffix.end()
            scale_word = text[suffix.start("scale") : suffix.end("scale")] if suffix.start("scale") >= 0 else ""
            yield _Figure(start, last_end, text[suffix.start("post") : suffix.end("post")], number.group(),
                          scale_word, True)
_FX = {iso: Decimal(str(rate)) for iso, rate in _VOCAB.fx["usd_per_unit"].items()}
# smaller than this in US dollars (or in units of a currency without a rate), a figure is a price, not a deal
_SMALLEST_DEAL = 10_000

_MONEY_CUES = _VOCAB.cues["money"]
_CUES = {kind: caseless(p) for kind, p in _MONEY_CUES.items() if not kind.startswith("_")}
# "$24.00 per share", "$25 each", "¥6,350 a share" — after an optional bracketed conversion
_PER_UNIT = caseless(rf"\s*(?:\([^)]{{0,40}}\)\s*)?(?:{_MONEY_CUES['_per_unit']})")
# what sits between a figure and its conversion: "(", "(~", "(about ", ", or about "
_CONVERSION_GAP = caseless(rf"\s*(?:\(\s*(?:{_MONEY_CUES['_hedge']})?\s*|,?\s*or\s+(?:{_MONEY_CUES['_hedge']})\s*)")
_PRIORITY = ("upfront", "royalties", "equity", "milestones", "total_value", "raised")
_UP_TO = caseless(r"\b(?:up to|as much as|a maximum of|maximum|more than|over|exceeding|exceed)\s*$")


@dataclass(frozen=True, slots=True)
class MoneyMention:
    amount: int  # whole units of `currency`
    currency: str
    start: int
    end: int
    up_to: bool = False
    converted: tuple[int, str] | None = None  # the conversion written right after it: "(US$1.1 billion)"

    @property
    def amount_usd(self) -> int | None:
        """Whole US dollars at the dated rate table's rate (`fx_rates.json`)."""
        rate = _FX.get(self.currency)
        return None if rate is None else int((self.amount * rate).quantize(_ONE, ROUND_HALF_UP))


def _iso(symbol: str) -> str | None:
    return _SYMBOL_TO_ISO.get(symbol) or _SYMBOL_TO_ISO.get(symbol.lower())


def _amount(number: str, scale_word: str) -> int:
    value = Decimal(number.replace(",", "")) * _SCALES.get(" ".join(scale_word.lower().split()), _ONE)
    return int(value.quantize(_ONE, ROUND_HALF_UP))


def _too_small(amount: int, currency: str) -> bool:
    rate = _FX.get(currency)
    return (amount * rate if rate is not None else amount) < _SMALLEST_DEAL


def find_money(text: str, offset: int = 0) -> list[MoneyMention]:
    """Deal-sized money in `text`. Not counted: prices per share or per unit, figures too small to be a
    deal, and a conversion written right after a figure ("(US$1.1 billion)", ", or about €90 million"),
    which is recorded on the figure it converts."""
    found: list[MoneyMention] = []
    previous: tuple[int, str, MoneyMention | None] | None = None  # the last figure's end, currency, mention
    lowered = text.lower()
    for figure in _figures(text, lowered):
        currency = _iso(figure.symbol)
        if currency is None:
            continue
        if figure.symbol_after and figure.symbol.islower() and not figure.scale and currency not in ("JPY", "KRW"):
            continue  # "3 dollars" style small talk, or "12 pounds" of weight
        amount = _amount(figure.number, figure.scale)
        start, end = figure.start, figure.end
        if previous is not None and previous[1] != currency and \
                _CONVERSION_GAP.fullmatch(text, lowered, previous[0], start):
            converts = previous[2]
            if converts is not None and found and converts is found[-1] and converts.converted is None:
                found[-1] = replace(converts, converted=(amount, currency))
            previous = (end, currency, None)
            continue
        kept = not _PER_UNIT.match(text, lowered, end) and not _too_small(amount, currency)
        mention = None
        if kept:
            up_to = bool(_UP_TO.search(text[max(0, start - 25) : start]))
            mention = MoneyMention(amount, currency, offset + start, offset + end, up_to)
            found.append(mention)
        previous = (end, currency, mention)
    return found


_PREVIOUS_HEAD = re.compile(
    r"^[\s)]*(?:in\s+)?(?:an?\s+)?(?:up-?front|milestones?|royalt\w+)(?:\s+(?:cash\s+)?payments?)?", re.I)
_CONVERSION = re.compile(r"^\s*\([^)]{0,40}\)")
_OVERALL = caseless(r"\b(?:combined|total|totaling|totalling|aggregate|and potential|in addition)\b")
_HEAD_CHARS = 40
# "… totaling $X": sums the phrase before it; "milestone payments could total $X": the milestones
_TOTALLING = caseless(r"total(?:ing|ling|s)?|worth|valued")
# what ends the words after a figure: the next figure, or the next item of a list ("… of $5 million and milestones
# tied to …": the milestones' words name no figure before them)
_NEXT_ITEM = re.compile(r"[$€£¥₩₹]|\b(?:US|USD|RMB|EUR|plus|as well as|and (?:an?|the) )\b|;|"
                        r"\band (?:potential |additional |further |future )?(?:milestones?|royalt(?:y|ies))\b")
_HEAD_END = re.compile(r",|\b(?:and|with|to|from|for|over|if|which|that)\b")  # ends the words naming a figure
_CLAUSE_BREAK = re.compile(r"[,;]")
# "$1.9 billion in discovery, development, regulatory and commercial milestones": what it pays for, listed first
_LISTED_MILESTONES = caseless(r"^\s*(?:in|of)\s+(?:potential\s+)?(?:[\w-]+,?\s+){1,6}?milestones?\b")
_INCLUDING_TERMS = caseless(r"^[\s,(]*(?:including|includ(?:es|ed)|inclusive of)\s+(?:the\s+|an?\s+)?"
                            r"(?:up-?front|milestones?|royalt)")
# "as much as $320 million, including $20 million upfront": an "up to" figure whose parts follow with their sums
_INCLUDING_UPFRONT = caseless(r"^[\s,(]*(?:including|inclusive of)\s+(?:an?\s+)?\S{0,4}\d[\d.,]*\s*(?:[a-z]{1,8}\s+)?"
                              r"(?:in\s+)?(?:up-?front|up front)\b")
_IN_TOTAL = caseless(r"^\s*in (?:total|aggregate)\b")  # "milestone payments of up to €65 million in aggregate"
# a figure made payable on milestones by the words after it: "$45 million more tied to clinical milestones",
# "$60 million in additional payments contingent on the achievement of regulatory milestones"
_TIED_TO_MILESTONES = caseless(r"^[^,;.]{0,40}?\b(?:tied|linked|contingent|payable|subject|dependent|conditional|"
                               r"based)\s+(?:up)?(?:on|to)\s+(?:[\w-]+\s+){0,5}?(?:milestones?|goals|targets)\b|"
                               r"^[^,;.]{0,30}?\b(?:if|when|once|should)\s+(?:[\w-]+\s+){0,6}?(?:milestones?|goals|"
                               r"targets)\s+(?:are|is|be)\s+(?:met|hit|reached|achieved)\b|"
                               r"^[^,;.]{0,30}?\b(?:if|when|once|should)\s+(?:[\w-]+\s+){0,4}?(?:hits?|meets?|"
                               r"reach(?:es)?|achieves?)\s+(?:certain\s+|its\s+|some\s+)?(?:[\w-]+\s+){0,3}?"
                               r"(?:milestones?|goals|targets)\b|"
                               r"^[^,;.]{0,40}?\b(?:up)?on\s+(?:the\s+)?achievement\s+of\s+(?:(?:certain|specified|"
                               r"future)\s+)?(?:[\w-]+,?\s+){0,5}?(?:milestones?|goals|targets|events)\b")
_DEAL_NOUN = caseless(_VOCAB.cues["money_deal_noun"])
# "$800 million in royalties", "$50 million of royalty payments": a royalty amount is joined by a preposition;
# "… up to CHF 400 million tiered royalties" is the next item of a list that lost its "and"
_JOINED = caseless(r"^\s*(?:in|of|worth of)\b")
# a total whose parts an "including" phrase lists before the figure: the parts' cue does not name the figure
_TOTAL_INCLUDING = caseless(r"\b(?:total|overall|aggregate|entire)\b[^,;]{0,40}?,?\s*\b(?:including|includes|"
                            r"inclusive of)\b[^;]{0,60}$")


def classify(sentence: str, mention: MoneyMention, sentence_start: int, previous_end: int) -> str | None:
    """The deal component a money figure is: upfront, milestones, royalties, equity, total_value, or
    raised (money raised in a financing).

    In order: the words right after the figure ("$85 million upfront", "USD 1 billion in milestone
    payments"); an upfront cue in the phrase before it ("upfront payment of"); the nearest cue before
    it, back to the previous figure; the first cue after it.
    """
    rel_start, rel_end = mention.start - sentence_start, mention.end - sentence_start
    whole_after = _CONVERSION.sub("", sentence[rel_end : rel_end + 90])
    after = _NEXT_ITEM.split(whole_after, 1)[0]
    before_start = max(0, previous_end - sentence_start, rel_start - 110)
    before = sentence[before_start:rel_start]
    if previous_end > sentence_start:  # the previous figure's head, past its conversion: "$4m (₩5.8bn) upfront"
        before = _PREVIOUS_HEAD.sub("", _CONVERSION.sub("", before))
    clause = _CLAUSE_BREAK.split(before)[-1]
    if _CUES["ignore"].search(after[:_HEAD_CHARS]):
        return None
    if _CUES["ignore"].search(before[-45:]) and not _CUES["upfront"].search(clause):
        return None  # "research payments of $5 million"; but "upfront and research payments of …" is upfront
    if _SEVERAL_DEALS_COMBINED.search(before):
        return None  # "two separate deals with a combined value of up to 1.9 trillion won": no one deal's value
    if _INCLUDING_TERMS.match(after) or (mention.up_to and _INCLUDING_UPFRONT.match(whole_after)):
        return "total_value"  # "620 billion won including upfront and milestones": the parts it sums follow
    head_text = _HEAD_END.split(after[:_HEAD_CHARS], 1)[0]
    head = _nearest(head_text, from_end=False)
    if head == "royalties" and not _JOINED.match(head_text):
        head = None
    elif head == "total_value" and _IN_TOTAL.match(head_text):
        head = None  # "a contingent value right worth up to $300 million in total": the words before name it
    if head:
        return head
    if (_TIED_TO_MILESTONES.match(after) or _LISTED_MILESTONES.match(after)) and not _OVERALL.search(clause):
        return "milestones"  # "up to $45 million more tied to clinical and regulatory milestones"; not "the total
        # value being about $1.2 billion if the milestone is achieved"
    if _DEAL_NOUN.match(head_text):
        return "total_value"
    if _CUES["upfront"].search(clause) and not _OVERALL.search(clause):
        return "upfront"  # "a near-term milestone payment of", "the upfront cash portion … represents"
    window = before[-80:]
    nearest = _last_cue(window)
    if nearest is None:
        return _nearest(after, from_end=False)
    if nearest.lastgroup == "total_value" and nearest.group()[:3].lower() == "for" and _STAKE_BOUGHT.search(clause):
        return "equity"  # "will also buy a 4.9 percent stake in Birch for ₩20 billion"
    listed = before[: len(before) - len(window) + nearest.start()]  # all before the cue, "total" included
    if nearest.lastgroup != "total_value" and _TOTAL_INCLUDING.search(listed):
        return "total_value"  # "the total contract size including … milestones reaches up to …"
    if nearest.lastgroup == "total_value" and _TOTALLING.fullmatch(nearest.group()):
        summed = before[: len(before) - len(window) + nearest.start()]  # all the phrase before "totaling"
        return _totalled(_summed_phrase(summed)) or "total_value"
    return nearest.lastgroup


# "two deals with a combined value of", "signs two out-licensing deals worth 1.9 trillion won": several deals' sum
_SEVERAL_DEALS_COMBINED = caseless(
    r"\b(?:deals|agreements|transactions|pacts|partnerships|licen[cs]es)\b[^.;:]{0,40}?\bcombined\s+(?:value|worth|"
    r"size)\b[^.;:]{0,20}$|\b(?:two|three|four|five|both)\s+(?:[\w-]+\s+){0,3}(?:deals|agreements|transactions|pacts)"
    r"\s+(?:worth|valued\s+at)\s+(?:up\s+to\s+|a\s+combined\s+|about\s+|nearly\s+|over\s+)?$")
_STAKE_BOUGHT = caseless(r"\b(?:stake|shares|equity interest)\b")


def _summed_phrase(before: str) -> str:
    """The clause a "totaling" sums, back past a list of what milestones pay for ("milestones tied to development,
    regulatory and commercial goals totaling …": the milestones)."""
    clauses = _CLAUSE_BREAK.split(before)
    phrase = clauses.pop()
    while clauses and _ANY_CUE.search(phrase) is None and any(c.search(phrase) for c in _MILESTONE_KINDS.values()):
        phrase = clauses.pop() + "," + phrase
    return phrase


def _totalled(phrase: str) -> str | None:
    """What "totaling" / "worth" sums: "an equity investment … totaling €105 million" is the equity; the
    upfront and milestones together ("upfront and milestone payments worth up to …") are the total value."""
    kinds = {cue.lastgroup for cue in _ANY_CUE.finditer(phrase)} - {"raised"}
    return kinds.pop() if len(kinds) == 1 and "total_value" not in kinds else None


# every kind's cue in one pattern, in order of priority: where two start at the same place, the first wins
_ANY_CUE = caseless("|".join(f"(?P<{kind}>{_MONEY_CUES[kind]})" for kind in _PRIORITY))


def _nearest(window: str, from_end: bool) -> str | None:
    """The kind of the cue nearest the end of `window` (`from_end`) or its start."""
    if not from_end:
        first = _ANY_CUE.search(window)
        return first.lastgroup if first else None
    last = _last_cue(window)
    return last.lastgroup if last else None


def _last_cue(window: str) -> re.Match[str] | None:
    last = None
    for cue in _ANY_CUE.finditer(window):
        if last is None or cue.end() > last.end():
            last = cue
    return last


class HasMoney(Protocol):
    @property
    def sentence(self) -> Sentence: ...
    @property
    def money(self) -> list[MoneyMention]: ...


F = TypeVar("F", bound=HasMoney)

MONEY_FIELDS = ("upfront", "milestones", "total_value", "equity")
# a figure followed by one of these is a total whose breakdown follows: "$5.5 billion include $3.8 billion …"
_BREAKDOWN = compile_cue(_MONEY_CUES["_breakdown"])
_MILESTONE_KINDS = {kind: caseless(p) for kind, p in _MONEY_CUES["_milestone_kinds"].items()}
_PAYMENT_TERMS = caseless(r"\b(?:payments?|up-?front|milestones?|royalt(?:y|ies))\b")
_TOTAL_WORDS = caseless(r"\b(?:total|totaling|totalling|in total|aggregate|combined|up to|maximum)\b")


@dataclass(frozen=True, slots=True)
class _Milestones:
    """The milestone figure of one sentence: one stated total, or the sum of the parts it lists."""

    mention: MoneyMention
    kinds: frozenset[str]  # development, regulatory, commercial: what the parts pay for; empty for a total


def _in_span(facts: F, span: tuple[int, int] | None) -> Sequence[MoneyMention]:
    sentence = facts.sentence
    if span is None or not sentence.start <= span[0] < sentence.end:
        return facts.money
    return [m for m in facts.money if span[0] <= m.start < span[1]]


def deal_money(facts_list: Sequence[F], deal_type: str, span: tuple[int, int] | None = None
               ) -> dict[str, tuple[MoneyMention, F]]:
    """Upfront, milestones, total value, equity and the royalty cap ("royalties") of one deal, each with
    the sentence that states it.

    Milestones listed in parts are summed: within a sentence, and across sentences when each pays for
    something else ("$210 million in development milestones" … "$180 million in sales milestones").
    Money raised counts only for a financing; in an acquisition or a financing the equity bought is the
    deal's value. A figure the article writes in its own currency beats a headline's
    conversion of it; a "total" equal to the upfront of a deal with milestones is the upfront restated.
    In the sentence a deal's clause (`span`) was cut from, only the clause's figures count.
    """
    out: dict[str, tuple[MoneyMention, F]] = {}
    milestones: list[tuple[_Milestones, F]] = []
    near_term: list[tuple[MoneyMention, F]] = []  # "$15 million on near-term milestones"
    total_of_terms = False  # whether the total kept so far is told with the deal's payments
    valuing = False  # whether a takeover's "valuing Acme at …" was seen; its total, unless its own sentence names
    total_of_valuing = False  # another ("…, which values Acme at €1bn, is its largest since it bought Brio for €2bn")
    for facts in facts_list:
        text, start = facts.sentence.text, facts.sentence.start
        previous_end = start
        parts: list[MoneyMention] = []
        for mention in _in_span(facts, span):
            kind = classify(text, mention, start, previous_end)
            previous_start, previous_end = previous_end, mention.end
            if kind == "raised":
                kind = "total_value" if deal_type == "financing" else None
            elif kind == "equity" and deal_type in ("acquisition", "financing"):
                kind = "total_value"  # the price of the stake bought, or of the shares issued
            elif kind is None and deal_type == "acquisition" and not valuing and "valu" in text \
                    and _VALUING.search(text, None, max(0, previous_start - start, mention.start - start - 150),
                                        mention.start - start):
                valuing = True  # "$18 a share in cash, valuing the drugmaker at about $950 million"
                if "total_value" not in out:
                    out["total_value"] = (mention, facts)
                    total_of_valuing = True
            if kind == "upfront" and _near_term_milestone(text, mention, start, previous_start):
                if not _BREAKDOWN.search(text, max(0, mention.start - start - 30), mention.start - start):
                    near_term.append((mention, facts))  # "… milestones, including $20 million near-term": held
                continue
            if kind == "milestones":
                parts.append(mention)
            elif kind in out and _restates(out[kind][0], mention):
                out[kind] = (mention, facts)  # the article's own "¥160 billion" for the headline's "$1.1B"
            elif kind == "total_value" and kind in out and (
                    _states_total(facts, mention, out[kind][0]) or (not total_of_terms and _of_terms(facts, mention))
                    or (total_of_valuing and out[kind][1] is facts)):
                # "total potential value of $9.5 billion" beats "equity value of $9.1bn"; "upfront and milestone
                # payments worth up to …" beats a figure told without the deal's terms ("transfers exceed $9bn")
                out[kind] = (mention, facts)
                total_of_terms = _of_terms(facts, mention)
                total_of_valuing = False
            elif kind and kind not in out:
                out[kind] = (mention, facts)
                total_of_terms = kind == "total_value" and _of_terms(facts, mention)
        if parts:
            milestones.append((_sentence_milestones(text, start, parts), facts))
    if milestones:
        out["milestones"] = _milestones_of_deal(milestones)
    if near_term and "upfront" not in out:
        out["upfront"] = near_term.pop(0)  # "a near-term milestone payment of $15 million" and no upfront told
    if near_term:
        _add_near_term(out, near_term)
    total, upfront = out.get("total_value"), out.get("upfront")
    if total and upfront and "milestones" in out and _same_money(total[0], upfront[0]):
        del out["total_value"]
    return out


# "valuing the drugmaker at about", "a deal that values Acme at": in a takeover, the price of the whole company
# "values the entire issued and to be issued ordinary share capital of Acme at approximately £412 million" too
_VALUING = caseless(r"\bvalu(?:es|ed|ing)\s+(?:the\s+(?:entire|whole|total)\s+(?:[\w'’.-]+\s+){0,8}?"
                    r"(?:share capital|equity)\s+of\s+)?(?:[\w'’.-]+\s+){0,4}?at\s+(?:(?:about|around|"
                    r"approximately|roughly|nearly|some|almost|more than|over|up to)\s+)?$")


# "$15m on near-term milestones", "a $10 million near-term milestone": a milestone paid soon, which the deal's
# milestones hold beside an upfront; told with no upfront, the upfront itself
_NEAR_TERM = caseless(r"\bnear-?term\b[^,;.]{0,40}?\bmilestones?\b")
_TRUE_UPFRONT = caseless(r"\bup-?front\b|\bup front\b|\binitial payment\b|\bsigning fee\b|\bat closing\b|"
                         r"\bupon signing\b")


def _near_term_milestone(text: str, mention: MoneyMention, start: int, previous_end: int) -> bool:
    """Whether an upfront figure is a near-term milestone: the words naming it say so ("$30 million upon a
    near-term clinical milestone", "a near-term milestone payment of $15 million") and no upfront word."""
    rel_start, rel_end = mention.start - start, mention.end - start
    after = _NEXT_ITEM.split(_CONVERSION.sub("", text[rel_end : rel_end + 70]), 1)[0]
    before = _CLAUSE_BREAK.split(text[max(0, previous_end - start, rel_start - 80) : rel_start])[-1]
    return any(_NEAR_TERM.search(part) and not _TRUE_UPFRONT.search(part) for part in (after, before))


def _add_near_term(out: dict[str, tuple[MoneyMention, F]], near_term: list[tuple[MoneyMention, F]]) -> None:
    """Near-term milestones beside an upfront: added to the deal's milestones (in their currency)."""
    if "milestones" not in out:
        first, facts = near_term[0]
        total = sum(m.amount for m, _ in near_term if m.currency == first.currency)
        out["milestones"] = (replace(first, amount=total), facts)
        return
    current, facts = out["milestones"]
    extra = sum(m.amount for m, _ in near_term if m.currency == current.currency)
    out["milestones"] = (replace(current, amount=current.amount + extra), facts)


def _same_money(a: MoneyMention, b: MoneyMention) -> bool:
    return a.currency == b.currency and a.amount == b.amount


def _restates(current: MoneyMention, mention: MoneyMention) -> bool:
    """Whether `mention` is the original of `current`, a conversion: "¥160 billion (US$1.1 billion)"."""
    if mention.converted is None or mention.currency == current.currency:
        return False
    amount, currency = mention.converted
    return currency == current.currency and abs(amount - current.amount) <= current.amount // 100


def _of_terms(facts: HasMoney, mention: MoneyMention) -> bool:
    """Whether a total is told with the deal's payments: "upfront and milestone payments worth up to …"."""
    start = mention.start - facts.sentence.start
    return _PAYMENT_TERMS.search(facts.sentence.text, None, max(0, start - 80), start) is not None


def _states_total(facts: HasMoney, mention: MoneyMention, current: MoneyMention) -> bool:
    """Whether `mention` states the deal's full value more plainly than the figure kept so far."""
    if mention.currency != current.currency or mention.amount <= current.amount:
        return False
    start = mention.start - facts.sentence.start
    return mention.up_to or bool(_TOTAL_WORDS.search(facts.sentence.text[max(0, start - 60) : start]))


def _sentence_milestones(text: str, start: int, parts: list[MoneyMention]) -> _Milestones:
    """One sentence's milestones: the parts in the first part's currency summed, unless a figure is a total
    its breakdown follows ("payments of up to $5.5 billion include $3.8 billion …")."""
    kinds: set[str] = set()
    same = [p for p in parts if p.currency == parts[0].currency]
    for number, part in enumerate(same):
        following = same[number + 1].start if number + 1 < len(same) else part.end + 40
        if number + 1 < len(same) and _BREAKDOWN.search(text, part.end - start, following - start):
            return _Milestones(part, frozenset(_kinds(text, start, part, same, number)))
        kinds |= _kinds(text, start, part, same, number)
    total = sum(p.amount for p in same)
    summed = MoneyMention(total, same[0].currency, same[0].start, same[-1].end, True)
    return _Milestones(summed if len(same) > 1 else same[0], frozenset(kinds))


def _kinds(text: str, start: int, part: MoneyMention, parts: list[MoneyMention], number: int) -> set[str]:
    """What a milestone figure pays for, from the words between the figures around it."""
    left = parts[number - 1].end - start if number else max(0, part.start - start - 60)
    right = parts[number + 1].start - start if number + 1 < len(parts) else part.end - start + 60
    window = text[left:right]
    return {kind for kind, cue in _MILESTONE_KINDS.items() if cue.search(window)}


def _milestones_of_deal(found: list[tuple[_Milestones, F]]) -> tuple[MoneyMention, F]:
    """The deal's milestones: the largest sentence figure, or the sum of sentence figures when every one
    pays for something none of the others does (and all are in one currency)."""
    best = max(found, key=lambda item: item[0].mention.amount)
    currency = best[0].mention.currency
    kinds_seen: set[str] = set()
    for milestones, _ in found:
        if not milestones.kinds or kinds_seen & milestones.kinds or milestones.mention.currency != currency:
            return best[0].mention, best[1]
        kinds_seen |= milestones.kinds
    first = found[0][0].mention
    total = sum(m.mention.amount for m, _ in found)
    return MoneyMention(total, first.currency, first.start, first.end, True), best[1]
