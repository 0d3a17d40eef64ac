"""Shared pieces of event assembly: the article as analysed, an event being built (`Draft`), and
the sentence-level tests the headline and the secondary events both use."""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import pairwise

from dealwire.services.extract.engine.analysis import SentenceFacts
from dealwire.services.extract.engine.companies import names_regulator_or_region
from dealwire.services.extract.engine.entities import Asset, Company, EntityIndex
from dealwire.services.extract.engine.text import Sentence
from dealwire.services.extract.engine.vocab import GatedPattern, caseless, compile_cue, load

_VOCAB = load()


DEAL_TYPES = ("acquisition", "licensing", "collaboration", "financing")
# "It was approved …", "acquired a licence for the drug": the drug named elsewhere
PRONOUN_ASSET = re.compile(r"\b(?:it|its|the drug|the product|the candidate|the therapy|the company's|the trial)\b",
                           re.I)
THE_COMPANY = caseless(r"\b(?:the|this) (?:company|firm|group|start-?up|biotech)\b")


_COMPARATOR = caseless(r"\b(?:including|such as|plus|versus|vs\.?|than|over|combination with|after|prior|"
                       r"with|and)\s+(?:[\w-]+\s+){0,3}$")


_RECENTLY = GatedPattern(re.compile(r"\brecently\b", re.I), ("recently",))

MAX_PARTIES = 4


_OUTCOME_VERB = caseless(
    r"\b(?:received?|receives|granted|approved|accepted|obtained|cleared|secured|gained|won|achieved)\b")
_SUBMITTED = caseless(r"\b(?:submitted|submits|filed|files|sought|seeks|applied for|applies for|validated|"
                      r"adopted a positive opinion|positive opinion)\b")
_CODED_NAME = re.compile(r"[A-Z][\w-]*\d[\w-]*")
_PERFECT_VERB = re.compile(r"\b(?:has|have|had|was|were|been|received|obtained|granted)\b")
_WEEKDAY = re.compile(r"(?:on\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day", re.I)
_SAID_ON = re.compile(r"\b(?:announc\w*|said|says|reported|disclosed|stated)\s+on\s+$", re.I)
_ANNOUNCED_BEFORE = re.compile(r"\b(?:announc\w*|said|says|reported|disclosed|stated)\s*$", re.I)


@dataclass
class Draft:
    type: str
    primary: bool
    facts: list[SentenceFacts]
    context: list[SentenceFacts] = field(default_factory=list)  # more sentences on the asset: indications etc.
    profile: list[SentenceFacts] = field(default_factory=list)  # sentences on the asset: its modality, targets
    companies: list[Company] = field(default_factory=list)
    assets: list[Asset] = field(default_factory=list)
    action: str | None = None
    regulator: str | None = None
    date: str | None = None
    distinct: bool = False  # "a second alliance": never the same event as an earlier one
    span: tuple[int, int] | None = None  # the clause of `facts[0]` that states a deal, when cut from a longer one
    stated_in: list[SentenceFacts] = field(default_factory=list)  # every sentence that states this event
    issuer_less: bool = False  # a financing sentence naming only investors: "the round was led by Birch"


@dataclass
class Article:
    text: str
    text_length: int  # offsets at or past this belong to a title given apart from the text
    title: Sentence | None
    sentences: list[Sentence]
    facts: list[SentenceFacts]
    index: EntityIndex
    published: dt.date | None
    framing: dict[tuple[int, str], bool] = field(default_factory=dict)  # `framing.py`: what each sentence says
    # filled by `parent_companies`, one entry per sentence asked about
    parents_by_sentence: dict[int, set[Company]] = field(default_factory=dict, repr=False, compare=False)
    # what the properties below read once (not `cached_property`: the compiled engine would read it anew each time)
    _by_start_read: tuple[list[int], list[SentenceFacts]] | None = field(default=None, repr=False, compare=False)
    _positions_read: dict[int, int] | None = field(default=None, repr=False, compare=False)
    _parents_read: dict[int, set[int]] | None = field(default=None, repr=False, compare=False)
    _lead_read: list[SentenceFacts] | None = field(default=None, repr=False, compare=False)

    @property
    def _by_start(self) -> tuple[list[int], list[SentenceFacts]]:
        if self._by_start_read is None:
            ordered = sorted(self.facts, key=lambda f: f.sentence.start)
            self._by_start_read = [f.sentence.start for f in ordered], ordered
        return self._by_start_read

    def facts_at(self, offset: int) -> SentenceFacts | None:
        """The sentence holding a character offset."""
        starts, ordered = self._by_start
        position = bisect_right(starts, offset) - 1
        while position >= 0:
            if ordered[position].sentence.start <= offset < ordered[position].sentence.end:
                return ordered[position]
            position -= 1
            if position >= 0 and ordered[position].sentence.end < offset - 2_000:
                break
        return None

    @property
    def _positions(self) -> dict[int, int]:
        if self._positions_read is None:
            self._positions_read = {id(f): i for i, f in enumerate(self.facts)}
        return self._positions_read

    def position(self, facts: SentenceFacts) -> int:
        """Where a sentence stands in reading order (the title first)."""
        return self._positions[id(facts)]

    @property
    def parents(self) -> dict[int, set[int]]:
        """Company id -> the ids of companies the article names as its parent ("Acme's Birch unit")."""
        if self._parents_read is None:
            links: dict[int, set[int]] = {}
            for facts in self.facts:
                for child, parent in parent_links(self, facts):
                    links.setdefault(id(child), set()).add(id(parent))
            self._parents_read = links
        return self._parents_read

    @property
    def lead(self) -> list[SentenceFacts]:
        """The title and the first two body sentences of substance."""
        if self._lead_read is None:
            head = [f for f in self.facts if f.sentence.is_title]
            body = [f for f in self.facts if not f.sentence.is_title and len(f.sentence.text.split(None, 5)) >= 6]
            self._lead_read = head + body[:2]
        return self._lead_read


def is_regulatory(facts: SentenceFacts) -> bool:
    actions = facts.actions
    if not actions:
        return False
    text = facts.sentence.text
    if actions == ["other"] and _SUBMITTED.search(text, facts.lowered):
        return True  # "has sought European approval": the submission is the event
    if facts.hypothetical and not _PERFECT_VERB.search(text):
        return False
    return bool(facts.regulators) or bool(_OUTCOME_VERB.search(text, facts.lowered))


def is_comparator(article: Article, asset: Asset) -> bool:
    if any(_CODED_NAME.fullmatch(n) for n in asset.names) or len(asset.names) > 1:
        return False
    return all(_COMPARATOR.search(article.text[max(0, s - 40) : s]) for s, _ in asset.mentions)


def event_assets(article: Article, draft: Draft) -> list[Asset]:
    seen: list[Asset] = []
    for facts in draft.facts:
        for asset in article.index.assets_in(facts.sentence.start, facts.sentence.end):
            if asset not in seen and not is_comparator(article, asset):
                seen.append(asset)
    return seen


def companies_of(article: Article, facts_list: list[SentenceFacts], limit: int = MAX_PARTIES) -> list[Company]:
    counts: dict[int, tuple[int, int, Company]] = {}
    for rank, facts in enumerate(facts_list):
        for pos, company in article.index.companies_in(facts.sentence.start, facts.sentence.end):
            if id(company) not in counts:
                counts[id(company)] = (rank, pos, company)
    ordered = sorted(counts.values(), key=lambda t: (t[0], t[1]))
    return [c for _, _, c in ordered][:limit]


def date_of(facts: SentenceFacts, article: Article, kind: str, span: tuple[int, int] | None = None) -> str | None:
    """The date a sentence gives its event (in `span` only, for a clause cut from a longer sentence)."""
    if _RECENTLY.search(facts.sentence.text, facts.lowered):
        return None
    for mention in facts.dates:
        if span is not None and not span[0] <= mention.start < span[1]:
            continue
        weekday = mention.relative and _WEEKDAY.fullmatch(article.text[mention.start : mention.end])
        announced = _ANNOUNCED_BEFORE.search(article.text, max(0, mention.start - 25), mention.start)
        if weekday and (article.published is None or (kind in ("regulatory", "clinical") and announced)):
            continue  # "announced on Thursday that the NMPA accepted": the announcement's day, not the decision's
        if article.published and mention.value > article.published.isoformat() and len(mention.value) == 10:
            continue
        dateline = mention.start - facts.sentence.start < 40 and _DATELINE.match(article.text, mention.end)
        if dateline or (mention.relative and len(mention.value) == 10):  # "said Monday that it signed … on March 13"
            return _told_after_dateline(facts, article, mention.value) or mention.value
        return mention.value
    return None


_ON_DAY = re.compile(r"\bon\s+$")


def _told_after_dateline(facts: SentenceFacts, article: Article, dateline: str) -> str | None:
    """"SEATTLE, Nov. 24 -- Acme announced that the first patient was dosed on November 18": the day the
    sentence gives its event, before the dateline's day."""
    for mention in facts.dates:
        if len(mention.value) == 10 and mention.value < dateline and \
                _ON_DAY.search(article.text, max(0, mention.start - 5), mention.start):
            return mention.value
    return None


def mentions_any(facts: SentenceFacts, names: set[str]) -> bool:
    low = facts.lowered
    return any(name in low for name in names)  # a native loop when compiled (`vocab.holds_any`)


CONTINUATION = compile_cue(_VOCAB.cues["continuation"])


def names_any(article: Article, facts: SentenceFacts, companies: list[Company]) -> bool:
    present = article.index.companies_in(facts.sentence.start, facts.sentence.end)
    return any(c in companies for _, c in present)


# "US$" is not "us"; `\b(?:[Ww]e|[Oo]ur|us)\b`, opening with the set of first letters (the scanner skips to one far
# faster than it tries a boundary at every position), the boundary before it as a look-behind
_FIRST_PERSON = GatedPattern(re.compile(r"[WwOou](?<!\w.)(?:(?<=[Ww])e|(?<=[Oo])ur|(?<=u)s)\b"), ("we", "our", "us"))


def is_quote(facts: SentenceFacts) -> bool:
    text = facts.sentence.text.strip()
    return text[:1] in "\"“”" or text[-1:] in "\"“”" or bool(_FIRST_PERSON.search(text, facts.lowered))


def reference_month(article: Article, lead: list[SentenceFacts], kind: str) -> str | None:
    date = lead_date(article, lead, kind)
    if date:
        return date[:7]
    if article.published:
        return (_signed_just_before(article) or article.published.isoformat())[:7]
    return None


_JUST_BEFORE_DAYS = 7  # a filing or release tells a deal signed a few days before it ("On June 30, … entered into")


def _signed_just_before(article: Article) -> str | None:
    """The day of the first deal the body tells, when it lies in the days just before publication: a filing dated
    July 1 reporting an agreement of June 30 tells a current deal, not history."""
    assert article.published is not None
    first = next((f for f in article.facts if not f.sentence.is_title and f.types and f.dates), None)
    if first is None:
        return None
    day = next((d.value for d in first.dates if len(d.value) == 10 and not d.relative), None)
    if day is None:
        return None
    gap = (article.published - dt.date.fromisoformat(day)).days
    return day if 0 < gap <= _JUST_BEFORE_DAYS else None


def is_past(facts: SentenceFacts, reference: str | None) -> bool:
    """A sentence about an earlier time than the headline event: dated before it, or worded as history."""
    if reference is not None and any(d.value[:7] >= reference for d in facts.dates):
        return False  # dated now: history words belong to an aside ("X, founded in 2006, signed on May 2 …")
    if facts.historical:
        return True
    if reference is None:
        return False
    if any(d.value[:7] < reference for d in facts.dates):
        return True
    return any(year < reference[:4] for year in _BARE_YEAR.findall(facts.sentence.text))  # "a 2011 acquisition"


# "(?<![\w$€£¥-])((?:19|20)\d\d)(?![\w%-])", starting with the digit (the scanner skips to one)
_BARE_YEAR = re.compile(r"((?:1(?<![\w$€£¥-].)9|2(?<![\w$€£¥-].)0)\d\d)(?![\w%-])")
# matched at a date's end: "Jan. 2 (Reuters) -", "Dec. 5, 2026 /PRNewswire/ --"
_DATELINE = re.compile(r"\s*(?:\([^)]*\)|/[\w .-]{1,30}/)?\s*[-–—]+")


def lead_date(article: Article, lead: list[SentenceFacts], kind: str, action: str | None = None) -> str | None:
    """The date of the headline event: in the first sentence that states it (with its regulatory action,
    if it has one), else the dateline."""
    for facts in lead:
        states_it = action in facts.actions if action else bool(facts.types) or is_regulatory(facts)
        if states_it:
            date = date_of(facts, article, kind)
            if date:
                return date
    first_body = next((f for f in article.facts if not f.sentence.is_title), None)
    if first_body is None or _RECENTLY.search(first_body.sentence.text, first_body.lowered):
        return None
    for mention in first_body.dates:
        if mention.start - first_body.sentence.start < 40 and _DATELINE.match(article.text, mention.end):
            return mention.value
    for mention in (m for f in lead if not f.sentence.is_title for m in f.dates[:1]):
        # "Acme said on Oct. 27 it has signed two deals": the day it told them
        if _SAID_ON.search(article.text, max(0, mention.start - 30), mention.start) and \
                any(ch.isdigit() for ch in article.text[mention.start : mention.end]):
            return mention.value
    return None


def is_foreign(facts: SentenceFacts, article: Article, companies: list[Company]) -> bool:
    """A sentence about other companies' business (competitors, earlier deals of others)."""
    present = [c for _, c in article.index.companies_in(facts.sentence.start, facts.sentence.end)]
    return bool(present) and not any(c in companies for c in present)


_SITE_HEADS = ("institute", "center", "centre", "hospital", "university", "college", "clinic", "foundation")


def is_site(company: Company) -> bool:
    """A hospital, university or institute: where a trial runs, not who sponsors it."""
    return company.name.rstrip(".").lower().endswith(_SITE_HEADS)


def is_regulator_name(company: Company) -> bool:
    return any(names_regulator_or_region(n) for n in company.names)


# "Acme's Birch unit", "Acme subsidiaries Birch and Cedar", "Birch, a subsidiary of Acme", "Birch, an Acme company"
_GROUP_NOUN = r"(?:wholly[- ]owned\s+)?(?:\w+\s+)?(?:subsidiar(?:y|ies)|units?|arms?|divisions?|affiliates?)"
_PARENT_BEFORE = re.compile(
    rf"^\)?\s*(?:\([^)]{{0,40}}\)\s*)?(?:['’]s?\s+(?:{_GROUP_NOUN}\s+)?|{_GROUP_NOUN}\s+)$", re.I)
_PARENT_AFTER = re.compile(r"^\s*,?\s*(?:an?|the)\s+(?:wholly[- ]owned\s+)?(?:[\w-]+\s+){0,2}?(?:subsidiary|unit|arm|"
                           r"division|affiliate|business)\s+of\s+(?:the\s+)?$|^\s*,\s*an?\s+$", re.I)
# "Birch, Acme's generics arm, …": the parent named in an apposition after its unit
_APPOSED_PARENT = re.compile(r"^\s*,\s*$")
_PARENT_POSSESSIVE_AFTER = re.compile(r"['’]s?\s+(?:wholly[- ]owned\s+)?(?:[\w-]+\s+){0,2}?(?:subsidiary|unit|arm|"
                                      r"division|affiliate)\s*[,)]", re.I)
_COMPANY_AFTER = re.compile(r"^\s+company\b", re.I)


def parent_companies(article: Article, facts: SentenceFacts) -> set[Company]:
    """Companies a sentence names only as the parent of another one, or as an adviser, underwriter or analyst's
    firm (not parties to its event)."""
    cached = article.parents_by_sentence.get(id(facts))
    if cached is None:
        cached = {parent for _, parent in parent_links(article, facts)}
        if _ADVISER_GATE.search(facts.sentence.text, facts.lowered):
            cached |= advisers(article, facts)
        article.parents_by_sentence[id(facts)] = cached
    return cached


# "Birch LLP acted as legal counsel to Acme", "Cedar Securities served as exclusive placement agent", "Dune & Co.
# and Elm Securities are acting as joint book-running managers", "Birch Capital advised Acme", "… with Dune LLP as
# legal counsel": a firm paid for advice or for selling shares, not a party to the deal
_ADVISER_ROLE = (r"(?:advis[eo]rs?|counsel|placement agents?|placing agents?|underwriters?|book-?runners?|"
                 r"book-?running managers?|(?:lead |joint |global )?(?:lead |global )?managers?|co-managers?|"
                 r"arrangers?|dealer managers?|sales agents?|fairness opinion)")
_ADVISER_AFTER = re.compile(
    r"^\s*(?:\([^)]{0,40}\)\s*)?,?\s*(?:(?:is|are|was|were|has|have|had|will|would)\s+)?(?:been\s+)?"
    r"(?:(?:acted|acting|acts?|served|serving|serves?|retained|engaged|appointed|hired)\s+)?(?:(?:as|by)\s+)"
    rf"(?:[\w&'’-]+\s+){{0,5}}?{_ADVISER_ROLE}\b"
    r"|^\s*(?:\([^)]{0,40}\)\s*)?,?\s*(?:(?:is|are|was|were|has|have)\s+)?(?:advised|advises|advising|represented)\b"
    r"(?!\s+by\b)", re.I)
# "Acme was advised by Birch LLP", "represented by Cedar", "analysts at Dune Securities", "law firm Elm & Oak"
_ADVISER_BEFORE = re.compile(
    r"\b(?:advised by|represented by|counselled by|analysts?\s+(?:at|with|from)|bankers?\s+(?:at|with|from)|"
    r"(?:law|advisory|consulting|consultancy|brokerage|accounting|research|investment banking|public relations|"
    r"communications)\s+(?:firm|house|group)s?)\s+(?:the\s+)?$", re.I)
_ADVISER_NOUN_AFTER = re.compile(r"^\s+(?:analysts?|bankers?)\b", re.I)
# the words without which no sentence names an adviser ("agent" alone would let in every "therapeutic agent")
_ADVISER_GATE = GatedPattern(
    re.compile(r"advis|counsel|placement agent|placing agent|sales agent|underwrit|book|manager|arranger|represented|"
               r"analyst|banker|\bfirm", re.I),
    ("advis", "counsel", "placement agent", "placing agent", "sales agent", "underwrit", "book", "manager", "arranger",
     "represented", "analyst", "banker", " firm"))
_LIST_GLUE_AFTER = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+|&\s+)$")


def advisers(article: Article, facts: SentenceFacts) -> set[Company]:
    """Companies a sentence names as advisers, counsel, underwriters or the firms of quoted analysts; a firm listed
    right before one ("Dune & Co. and Elm Securities acted as …") too."""
    mentions = article.index.mentions_in(facts.sentence.start, facts.sentence.end)
    text, end_of_sentence = article.text, facts.sentence.end
    found: set[Company] = set()
    following: Company | None = None
    for number in range(len(mentions) - 1, -1, -1):
        start, end, company = mentions[number]
        after = text[end : min(end_of_sentence, end + 120)]
        before = text[max(facts.sentence.start, start - 40) : start]
        named = bool(_ADVISER_AFTER.match(after) or _ADVISER_BEFORE.search(before) or _ADVISER_NOUN_AFTER.match(after))
        listed = following is not None and following in found and number + 1 < len(mentions) and \
            _LIST_GLUE_AFTER.fullmatch(text, end, mentions[number + 1][0]) is not None
        if named or listed:
            found.add(company)
        following = company
    return found


def parent_links(article: Article, facts: SentenceFacts) -> list[tuple[Company, Company]]:
    """(child, parent) pairs a sentence states: "Acme's Birch unit", "Birch, a subsidiary of Acme"."""
    mentions = article.index.mentions_in(facts.sentence.start, facts.sentence.end)
    links: list[tuple[Company, Company]] = []
    for (_, e1, first), (s2, e2, second) in pairwise(mentions):
        if first is second:
            continue
        between = article.text[e1:s2]
        if _PARENT_BEFORE.match(between):
            links.append((second, first))
        elif (_PARENT_AFTER.match(between) and (not between.rstrip().endswith((" a", " an"))
                                                or _COMPANY_AFTER.match(article.text[e2 : e2 + 12]))) or (
                _APPOSED_PARENT.match(between) and _PARENT_POSSESSIVE_AFTER.match(article.text, e2, e2 + 60)):
            links.append((first, second))  # "Birch, a subsidiary of Acme", "Birch, Acme's generics arm,"
    return links
