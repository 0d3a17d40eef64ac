"""The headline event(s) of an article (`primary: true`): its type from the title and lead, its
parties, and the sentences that tell it."""

from __future__ import annotations

import re

from services.extract.engine.analysis import SentenceFacts
from services.extract.engine.drafts import (
    CONTINUATION,
    DEAL_TYPES,
    MAX_PARTIES,
    Article,
    Draft,
    companies_of,
    date_of,
    event_assets,
    is_comparator,
    is_foreign,
    is_past,
    is_quote,
    is_regulator_name,
    is_regulatory,
    lead_date,
    mentions_any,
    names_any,
    reference_month,
)
from services.extract.engine.entities import Company
from services.extract.engine.roles import mention_role
from services.extract.engine.vocab import load

_VOCAB = load()


_TITLE_WORDS = {
    kind: re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.I)
    for kind, words in _VOCAB.cues["title_type_words"].items()
}


_TYPE_ORDER = ("regulatory", "acquisition", "licensing", "collaboration", "financing", "clinical")


def _type_scores(article: Article) -> dict[str, float]:
    scores = dict.fromkeys(_TYPE_ORDER, 0.0)
    for rank, facts in enumerate(article.lead):
        weight = 3.0 if facts.sentence.is_title else (2.0 if rank <= 1 else 1.5)
        for kind in facts.types:
            scores[kind] += weight
        if facts.sentence.is_title:
            for kind, words in _TITLE_WORDS.items():
                if words.search(facts.sentence.text):
                    scores[kind] += 1.0
        if is_regulatory(facts):
            scores["regulatory"] += weight + 0.5
    return scores


def primary_type(article: Article) -> str | None:
    scores = _type_scores(article)
    best = max(_TYPE_ORDER, key=lambda k: (scores[k], -_TYPE_ORDER.index(k)))
    if scores[best] < 2.0:
        return None
    deal_best = max(DEAL_TYPES, key=lambda k: (scores[k], -DEAL_TYPES.index(k)))
    if best == "collaboration" and scores["licensing"] >= scores["collaboration"] - 1.0 and scores["licensing"] >= 3:
        return "licensing"
    if best in ("regulatory", "clinical") and scores[deal_best] > scores[best] + 1:
        return deal_best
    return best


def build_primary(article: Article) -> list[Draft]:
    kind = primary_type(article)
    if kind is None:
        return []
    lead = article.lead
    drafts = _primary_regulatory(article, lead) if kind == "regulatory" else _primary_deal(article, lead, kind)
    for draft in drafts:
        draft.date = draft.date or lead_date(article, lead, kind, draft.action)
    return drafts


def _primary_deal(article: Article, lead: list[SentenceFacts], kind: str) -> list[Draft]:
    anchor = next((f for f in lead if kind in f.types and not f.sentence.is_title), None) or next(
        (f for f in lead if kind in f.types), lead[0])
    # a financing's investors come from the sentences about the round, not from the whole lead
    companies = companies_of(article, [anchor] if kind == "financing" else [anchor, *lead],
                             limit=2 if kind != "financing" else MAX_PARTIES)
    if not companies:
        return []
    draft = Draft(kind, True, [anchor])
    draft.companies = _deal_companies(article, kind, [anchor, *lead], companies)
    reference = reference_month(article, lead, kind)
    previous_in_zone = True
    for facts in article.facts:
        if facts is anchor:
            previous_in_zone = True
            continue
        # a sentence naming no company belongs to the headline only while the story is still on it
        in_zone = facts in lead or (not is_past(facts, reference) and not is_quote(facts) and (
            (names_any(article, facts, draft.companies) and not is_foreign(facts, article, draft.companies))
            or (previous_in_zone and _unattributed(article, facts, kind))
            or (previous_in_zone and CONTINUATION.match(facts.sentence.text) is not None)))
        if in_zone:
            draft.facts.append(facts)
        previous_in_zone = in_zone
    if kind == "financing":
        draft.companies = _with_investors(article, draft, reference)
    draft.assets = event_assets(article, draft)[:3]
    draft.context = _asset_context(article, draft)
    return [draft]


def _asset_context(article: Article, draft: Draft) -> list[SentenceFacts]:
    """Sentences about the event's drug ("AC-101 is in a Phase Ib trial", then "It is …", "The drug …")."""
    names = {n.lower() for a in draft.assets for n in a.names}
    if not names:
        return []
    context: list[SentenceFacts] = []
    previous_about_asset = False
    for facts in article.facts:
        about = mentions_any(facts, names) or (previous_about_asset and _PRONOUN_START.match(facts.sentence.text))
        about = bool(about) and not is_quote(facts) and not is_foreign(facts, article, draft.companies)
        if about and facts not in draft.facts:
            context.append(facts)
        previous_about_asset = about
    return context


_PRONOUN_START = re.compile(r"(?:it|its|this drug|the drug|the candidate|the compound|the therapy|the asset)\b",
                            re.I)


def _with_investors(article: Article, draft: Draft, reference: str | None) -> list[Company]:
    companies = list(draft.companies)
    for facts in article.facts:
        if _ROUND.search(facts.sentence.text) and not is_past(facts, reference):
            for _, company in article.index.companies_in(facts.sentence.start, facts.sentence.end):
                if company not in companies:
                    companies.append(company)
    return companies[:6]


_ROUND = re.compile(r"\b(?:the round|this round|the financing|investors? (?:in|include)|led by|joining|joined by|"
                    r"participation (?:from|of|by))\b", re.I)


def _unattributed(article: Article, facts: SentenceFacts, kind: str) -> bool:
    """A sentence naming no company that carries deal money or the event's own cue."""
    if article.index.companies_in(facts.sentence.start, facts.sentence.end):
        return False
    return bool(facts.money) or kind in facts.types


def _deal_companies(article: Article, kind: str, facts_list: list[SentenceFacts], base: list[Company]) -> list[Company]:
    """The lead's two companies, plus any other the headline sentences give a role."""
    extra: list[Company] = []
    for facts in facts_list[:4]:
        for _, company in article.index.companies_in(facts.sentence.start, facts.sentence.end):
            if company not in base and company not in extra and _role_bearing(article, facts, company, kind):
                extra.append(company)
    return (base + extra)[:MAX_PARTIES]


def _role_bearing(article: Article, facts: SentenceFacts, company: Company, kind: str) -> bool:
    """A further company the headline sentences give a licensing role ("… has granted Birch the rights")."""
    if kind != "licensing":
        return False
    sentence = facts.sentence
    return any(c is company and mention_role(article.text, sentence, s, e, kind) is not None
               for s, e, c in article.index.mentions_in(sentence.start, sentence.end))


def _primary_regulatory(article: Article, lead: list[SentenceFacts]) -> list[Draft]:
    anchor = next((f for f in lead if is_regulatory(f) and not f.sentence.is_title), None) or next(
        (f for f in lead if is_regulatory(f)), None)
    if anchor is None:
        return []
    companies = [c for c in companies_of(article, [anchor]) if not is_regulator_name(c)]
    if not companies:
        title = [f for f in lead if f.sentence.is_title]
        companies = [c for c in companies_of(article, title) if not is_regulator_name(c)]
    if not companies:
        assets = event_assets(article, Draft("regulatory", True, [anchor]))
        companies = article.index.owners_of(assets[0]) if assets else []
    drafts: list[Draft] = []
    for action in anchor.actions:
        draft = Draft("regulatory", True, [anchor], companies=companies[:3], action=action)
        draft.regulator = anchor.regulators[0].canonical if anchor.regulators else None
        draft.assets = [a for a in event_assets(article, draft) if not is_comparator(article, a)][:2]
        if not draft.assets:
            title = [f for f in lead if f.sentence.is_title]
            draft.assets = event_assets(article, Draft("regulatory", True, title))[:2]
        draft.date = date_of(anchor, article, "regulatory")
        draft.context = _following(article, anchor, companies)
        drafts.append(draft)
    return drafts


def _following(article: Article, anchor: SentenceFacts, companies: list[Company]) -> list[SentenceFacts]:
    """The sentence right after the headline one, when it only elaborates (no new action, no other company)."""
    position = article.facts.index(anchor)
    if position + 1 >= len(article.facts):
        return []
    after = article.facts[position + 1]
    if after.actions or is_foreign(after, article, companies) or after.dates:
        return []
    return [after]
