"""Which events the article is about (`primary: true`): the events ranked by how the headline and the
lead tell them; the best one, the others stated in its sentence, and the other deals of a round-up."""

from __future__ import annotations

import re
from functools import lru_cache

from dealwire.services.extract.engine.analysis import ACTION_CUES
from dealwire.services.extract.engine.drafts import DEAL_TYPES, Article, Draft, is_past, is_quote
from dealwire.services.extract.engine.text import Sentence
from dealwire.services.extract.engine.vocab import caseless, load

_TITLE_WORDS = {
    kind: caseless(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b")
    for kind, words in load().cues["title_type_words"].items()
}
_MIN_SCORE = 1.0
_CUES = load().cues
_OFF_TOPIC_TITLE = re.compile(_CUES["off_topic_title"], re.I)  # "Acme reports Q3 revenue", "Acme names new CEO"
_DEAL_IN_TITLE = re.compile(_CUES["title_deal_words"], re.I)
_RESULTS_TITLE = re.compile(_CUES["results_title"], re.I)  # "Acme Reports Third Quarter 2026 Financial Results"
_PERIOD_MONTHS = 6  # how far before a results release its period's events may lie


def rank(article: Article, events: list[Draft], reference: str | None) -> list[Draft]:
    """The events in order of how much the article is about each; ties go to the one told first."""
    scored = [(_score(article, e, reference), -i, e) for i, e in enumerate(events)]
    return [e for _, _, e in sorted(scored, key=lambda t: (t[0], t[1]), reverse=True)]


def _score(article: Article, event: Draft, reference: str | None) -> float:
    lead = article.lead
    score = 0.0
    body_rank = 0
    describes = event.type == "licensing" and _describes_licensed_drug(article)
    for facts in lead:
        if facts.sentence.is_title:
            weight = 0.0 if describes else 3.0
        else:
            weight = 2.0 if body_rank <= 1 else 1.5
            body_rank += 1
        if facts in event.stated_in:
            score += weight + (0.5 if event.type == "regulatory" else 0.0)
    title = article.title
    if title is not None:
        if _TITLE_WORDS.get(_title_kind(event.type), _NEVER).search(title.text) and not describes:
            score += 1.0
        if _named_in(article, event, title.start, title.end):
            score += 1.0
    if score == 0.0:
        score = 0.5  # stated only past the lead: the headline may be a summary ("X's deals this year reach …")
    if title is not None and _is_off_topic_title(title.text):
        score -= 2.0  # the article is about earnings or a new chief; the deal it recalls is not its story
    anchor = event.stated_in[0]
    if is_past(anchor, reference) or (event.date and reference and event.date[:7] < reference):
        score -= 2.0
    if anchor.hypothetical:
        score -= 1.0
    return score


_NEVER = caseless(r"(?!x)x")
# "EC clears Acme's in-licensed cough drug": the licence names what the drug is, the headline tells another event
_LICENSED_DRUG = re.compile(r"(?:['’]s|\bits|\bthe|\ban?)\s+(?:newly\s+)?in-licen[sc]ed\b", re.I)


def _describes_licensed_drug(article: Article) -> bool:
    """Whether the headline speaks of a licence only to say what a drug is ("… Acme's in-licensed drug")."""
    title = article.title
    if title is None or not (match := _LICENSED_DRUG.search(title.text)):
        return False
    rest = title.text[: match.start()] + title.text[match.end() :]
    return not _TITLE_WORDS["licensing"].search(rest)


def _title_kind(kind: str) -> str:
    return "collaboration" if kind == "deal" else kind


def _named_in(article: Article, event: Draft, start: int, end: int) -> bool:
    in_title = {id(c) for _, c in article.index.companies_in(start, end)}
    if any(id(c) in in_title for c in event.companies):
        return True
    return any(start <= s < end for a in event.assets for s, _ in a.mentions)


@lru_cache(maxsize=64)  # an article's title, asked once per event
def _is_off_topic_title(title: str) -> bool:
    return _OFF_TOPIC_TITLE.search(title) is not None and not _DEAL_IN_TITLE.search(title)


def choose(article: Article, ranked: list[Draft], reference: str | None) -> list[Draft]:
    """The primary events: the best-ranked one, the other events stated in its sentence, and the further
    deals of the same kind with terms of their own (a round-up)."""
    if not ranked:
        return []
    if _score(article, ranked[0], reference) < _MIN_SCORE and not _only_event_after_lead(article, ranked, reference):
        period = _period_event(article, ranked, reference)
        return [period] if period is not None else []
    best = ranked[0]
    chosen = [best]
    for event in ranked[1:]:
        same_sentence = event.stated_in[0] is best.stated_in[0] and event.type == best.type
        if (same_sentence and (event.type == "regulatory" or _same_grantor(best, event))) or _both_in_title(
                article, best, event, reference):
            chosen.append(event)
    return chosen


def _period_event(article: Article, ranked: list[Draft], reference: str | None) -> Draft | None:
    """A results release names no event in its headline; the first event its highlights tell of the period (dated in
    the months before the release, not told as history, hedged or quoted) is the one it reports."""
    title = article.title
    if title is None or reference is None or not _RESULTS_TITLE.search(title.text):
        return None
    for event in sorted(ranked, key=lambda e: (article.position(e.stated_in[0]), _action_at(e))):
        anchor = event.stated_in[0]
        if anchor.sentence.is_title or anchor.historical or anchor.hypothetical or is_quote(anchor):
            continue
        if len(event.companies) < (2 if event.type in DEAL_TYPES[:3] else 1):
            continue
        if event.date and 0 <= _months(reference) - _months(event.date) <= _PERIOD_MONTHS:
            return event
    return None


def _action_at(event: Draft) -> int:
    """Where the event's regulatory action is told in its sentence ("accepted the BLA and granted Priority Review":
    the acceptance first)."""
    facts = event.stated_in[0]
    for action, pattern, _ in ACTION_CUES:
        if action == event.action and (match := pattern.search(facts.sentence.text, facts.lowered)):
            return match.start()
    return 0


def _months(date: str) -> int:
    return int(date[:4]) * 12 + int(date[5:7])


def _only_event_after_lead(article: Article, ranked: list[Draft], reference: str | None) -> bool:
    """The article's one event, told after a lead that recalls history ("Two years ago Acme bet on … Now it has
    licensed …"): still what the article reports, unless it is dated earlier, hedged or beside an earnings story."""
    if len(ranked) != 1:
        return False
    event = ranked[0]
    anchor = event.stated_in[0]
    if any(f in event.stated_in for f in article.lead) or is_past(anchor, reference) or anchor.hypothetical:
        return False
    if event.date and reference and event.date[:7] < reference:
        return False
    title = article.title
    return title is None or not _is_off_topic_title(title.text)


def _both_in_title(article: Article, best: Draft, event: Draft, reference: str | None) -> bool:
    """Two regulatory actions the headline names ("wins breakthrough therapy and orphan drug designations"), or two
    current deals it names each by a drug of its own ("out-licensing X to Birch and co-developing Y with Cedar")."""
    title = article.lead[0] if article.lead and article.lead[0].sentence.is_title else None
    if title is None or title not in event.stated_in or title not in best.stated_in:
        return False
    if event.type == best.type == "regulatory":
        return event.action != best.action
    if event.type not in DEAL_TYPES or best.type not in DEAL_TYPES or is_past(event.stated_in[0], reference):
        return False
    return _own_drug_in_title(article, event, best) and _own_drug_in_title(article, best, event)


def _own_drug_in_title(article: Article, event: Draft, other: Draft) -> bool:
    title = article.title
    if title is None:
        return False
    shared = {id(a) for a in other.assets}
    return any(id(a) not in shared and any(title.start <= s < title.end for s, _ in a.mentions) for a in event.assets)


def _same_grantor(best: Draft, event: Draft) -> bool:
    """Clauses of one sentence with a company in common: "licensed X to Birch for Europe and to Cedar for Japan"."""
    return bool(best.span and event.span and {id(c) for c in best.companies} & {id(c) for c in event.companies})


def is_another_headline(article: Article, event: Draft, primary: Draft, reference: str | None) -> bool:
    """A round-up article reports several deals of the same kind, each with its own terms; one whose headline singles
    out the primary deal ("Deals of the week: Acme's gene therapy pact leads a busy week") reports the others only
    in passing, unless its lead tells them too."""
    if event.type != primary.type or event.type not in DEAL_TYPES:
        return False
    if {id(c) for c in event.companies} == {id(c) for c in primary.companies}:
        return False  # the same partners again: an option or an earlier deal, not another story
    title = article.title
    if title is not None and _singles_out(article, primary, title.start, title.end) and not any(
            f in article.lead for f in event.stated_in):
        return False
    return any(f.money for f in event.facts) and not is_past(event.facts[0], reference) and not event.date


def _singles_out(article: Article, event: Draft, start: int, end: int) -> bool:
    """Whether the headline names the event by its drug or by a party the body names too (a capitalised headline's
    words that read as a name of their own do not count)."""
    if any(start <= s < end for a in event.assets for s, _ in a.mentions):
        return True
    in_title = {id(c) for _, c in article.index.companies_in(start, end)}
    return any(id(c) in in_title and any(not start <= s < end for s, _ in c.mentions) for c in event.companies)


def in_roundup_title(article: Article, event: Draft, primary: Draft, reference: str | None) -> bool:
    """A round-up's headline lists its deals ("A licenses X; B and C team up; D raises $90M"): a deal named in
    a part of the headline that does not name the primary event's companies is a headline event too."""
    title = article.title
    if title is None or event.type not in DEAL_TYPES or ";" not in title.text or is_past(event.stated_in[0], reference):
        return False
    theirs = {id(c) for c in event.companies}
    ours = {id(c) for c in primary.companies}
    if not theirs or theirs & ours:
        return False
    for start, end in _title_parts(title.text):
        named = {id(c) for _, c in article.index.companies_in(title.start + start, title.start + end)}
        if named & theirs and not named & ours:
            return _under_own_heading(article, event)
    return False


_END_MARK = re.compile(r"[.!?:;]\s*$")
_MAX_HEADING_WORDS = 12


def _under_own_heading(article: Article, event: Draft) -> bool:
    """Whether a round-up gives the deal a heading of its own ("Birch and Cedar to co-develop bispecific" above its
    paragraph), as it gives its first: then it is one of the stories the round-up reports, not one it tells after the
    first ("Elsewhere, Birch agreed to acquire Cedar …")."""
    position = article.position(event.stated_in[0])
    if position < 1:
        return False
    anchor, before = event.stated_in[0].sentence, article.facts[position - 1].sentence
    if _is_heading(article, anchor):
        return True  # the heading tells the deal itself ("Birch licenses Cedar antibody")
    own_line = before.end < anchor.start and "\n" in article.text[before.end : anchor.start]
    return own_line and _is_heading(article, before)


def _is_heading(article: Article, sentence: Sentence) -> bool:
    """A short line of its own without a closing stop, below the headline."""
    if sentence.is_title or _END_MARK.search(sentence.text) or len(sentence.text.split()) > _MAX_HEADING_WORDS:
        return False
    after = article.text[sentence.end : sentence.end + 3]
    return after.startswith("\n") or not after


def _title_parts(text: str) -> list[tuple[int, int]]:
    """The spans of a headline between semicolons outside brackets ("Acme (HKG: 1; SHA: 2) …" is one part)."""
    parts, start, depth = [], 0, 0
    for i, char in enumerate(text):
        depth += (char == "(") - (char == ")")
        if char == ";" and depth <= 0:
            parts.append((start, i))
            start = i + 1
    return [*parts, (start, len(text))] if parts else []
