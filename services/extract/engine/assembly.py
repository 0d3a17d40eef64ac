"""From candidates to events: candidates that tell the same event merge into one, and each event then
gathers the sentences that go on about it (its terms, its drug), the headline event more widely than the rest.
"""

from __future__ import annotations

import re

from dealwire.services.extract.engine.analysis import SentenceFacts
from dealwire.services.extract.engine.drafts import (
    CONTINUATION,
    DEAL_TYPES,
    MAX_PARTIES,
    PRONOUN_ASSET,
    THE_COMPANY,
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
    is_site,
    mentions_any,
    names_any,
    parent_companies,
)
from dealwire.services.extract.engine.entities import Asset, Company, related
from dealwire.services.extract.engine.framing import deal_kind
from dealwire.services.extract.engine.money import deal_money
from dealwire.services.extract.engine.roles import LISTED, assign_roles, role_at
from dealwire.services.extract.engine.vocab import VOCAB_DIR, caseless, read_tsv
from dealwire.shared.schemas import DealPayload, Party, Territory

_DEAL_KINDS = (*DEAL_TYPES, "deal")  # a deal of a known kind, or one whose kind is not told yet
_AGREEMENTS = ("licensing", "collaboration", "deal")  # one family: framing tells them apart once merged
_TERMS = re.compile(r"\b(?:rights|royalt\w*|upfront|milestones?|deal|agreement|terms|territor\w*)\b", re.I)
_PRONOUN_START = re.compile(r"(?:it|its|this drug|the drug|the candidate|the compound|the therapy|the asset)\b",
                            re.I)
_ROUND = caseless(r"\b(?:the round|this round|the financing|the offering|the placement|the share sale|"
                    r"investors? (?:in|include)|"
                    r"led the (?:round|financing|offering|placement|share sale|investment)|"
                    r"led by|joining|joined by|participation (?:from|of|by)|cornerstone investors?|"
                    r"(?:participated|participating) in|(?:existing|new|returning|other) "
                    r"(?:investors|backers|shareholders)|^(?:they|these) include)\b")
_ANOTHER_DEAL = re.compile(r"\b(?:also|another|second|separate(?:ly)?|option|additional (?:options?|programs?|"
                           r"candidates?|assets?|deals?|agreements?|licen[cs]es?))\b", re.I)
_MAX_FOLLOW = 3
_THE_DEAL = re.compile(r"(?:the|this) (?:agreement|deal|contract|licen[cs]e|transaction|collaboration|pact)\b", re.I)
# what tells a date the day of signing: "was signed on", "The agreement, signed on", "inked the deal for X on",
# "reached the agreement on", "signed March 3" (no announcing verb between: "signed … and announced on …")
_SIGNED_ON = re.compile(r"(?:\b(?:signed|inked|executed|entered into|concluded|struck|sealed|finali[sz]ed|"
                        r"became effective|effective as of|(?:is|was) dated(?: as of)?)\b|"
                        r"\b(?:transaction|acquisition|merger|purchase|deal|round|financing|offering)\b[^.;,]{0,40}?\s"
                        r"(?:closed|completed)\b|"
                        r"\breached\s+(?:an?|the|this|its|their)\s+(?:[\w-]+\s+){0,2}?(?:agreement|deal))"
                        r"(?:(?:(?!announc|said|says|report|disclos)[^.;]){0,60}?\s)?(?:on|in|dated)?\s*$", re.I)
_SIGNING_WORDS = ("signed", "entered into", "executed", "inked", "concluded", "struck", "sealed", "finalized",
                  "finalised", "reached", "effective", "dated", "closed", "completed")


# -- merging ------------------------------------------------------------------------------------


def merge(article: Article, candidates: list[Draft], reference: str | None) -> list[Draft]:
    """Candidates folded into events in reading order: a later telling of an event joins the first."""
    events: list[Draft] = []
    for candidate in candidates:
        candidate.stated_in = candidate.stated_in or [candidate.facts[0]]
        if any(_refers_back(e, candidate) for e in events):
            continue
        target = None if candidate.distinct else next(
            (e for e in events if _same_event(article, e, candidate, reference)), None)
        if target is None:
            events.append(candidate)
            continue
        _absorb(target, candidate)
    return events


# "… will continue to receive royalties after the takeover": the deal already told, named again in passing
_BACK_TO_THE_DEAL = caseless(r"\b(?:after|following|upon|once|since|through|before) the (?:takeover|acquisition|"
                             r"merger|buyout)\b(?!\s+(?:of|by|with)\b)")


def _refers_back(event: Draft, candidate: Draft) -> bool:
    """A takeover told before, recalled by "the takeover" in a sentence about another company of it (the seller of
    its drug): no deal of that company's."""
    if event.type != candidate.type or candidate.type != "acquisition" or candidate.distinct:
        return False
    facts = candidate.stated_in[0]
    if not _BACK_TO_THE_DEAL.search(facts.sentence.text, facts.lowered):
        return False
    return 0 < _companies_in_common(event, candidate) < len(candidate.companies)


def tell(article: Article, events: list[Draft]) -> list[Draft]:
    """Each deal event with the sentences that go on about it, its kind framed by them; events naming no
    company are dropped (a line such as "drugmakers signed a burst of deals" is no deal of its own)."""
    told: list[Draft] = []
    # a bare terms sentence ("Acme received a $60 million upfront …", type "deal") goes on about a deal before it
    stating = {id(f): e for e in events if e.companies and e.type != "deal" for f in e.stated_in}
    for event in events:
        if event.type in _DEAL_KINDS:
            if not event.companies and not event.distinct:
                continue
            others = {k for k, e in stating.items() if e is not event}
            event.facts += [f for f in _following(article, event, others) if f not in event.facts]
            event.type = deal_kind(article, event)
        told.append(event)
    return told


def fold_into(article: Article, primaries: list[Draft], others: list[Draft], reference: str | None) -> list[Draft]:
    """The other events, completed, without those that turn out to tell a headline event again."""
    kept: list[Draft] = []
    for event in others:
        target = None if event.distinct else next(
            (p for p in primaries if _retells(article, p, event, reference)), None)
        if target is None:
            kept.append(event)
        else:
            target.facts += [f for f in event.facts if f not in target.facts]
            target.regulator = target.regulator or event.regulator
            if target.type == event.type == "financing" and target.companies:  # the body's round names its investors
                target.companies += [c for c in event.companies if c not in target.companies]
    return merge(article, kept, reference)


def _retells(article: Article, primary: Draft, event: Draft, reference: str | None) -> bool:
    if _describes_filing(primary, event) or _path_to_decision(primary, event):
        return True
    if not _same_event(article, primary, event, reference):
        return False
    if event.type in _DEAL_KINDS:
        moved_on = event.date and event.date[:7] != (primary.date or "")[:7]
        if moved_on or is_past(event.facts[0], reference):
            return False
    return not (event.date and not primary.date and reference and event.date[:7] < reference)


# "The approval follows a positive opinion from the CHMP in October": the step before the headline's decision, told
# as its background
_FOLLOWS = caseless(r"^(?:the|this|its|that) (?:[\w-]+\s+)?(?:approval|decision|authori[sz]ation|clearance|"
                    r"designation)\s+(?:follows|followed|comes after|came after)\b")


def _path_to_decision(primary: Draft, event: Draft) -> bool:
    """An opinion or filing told as what the headline's decision follows: not a regulatory event of its own."""
    if primary.type != "regulatory" or event.type != "regulatory" or event.action != "other":
        return False
    first = event.stated_in[0] if event.stated_in else event.facts[0]
    return _FOLLOWS.search(first.sentence.text, first.lowered) is not None


_ACCEPTED_FILING = ("nda_accepted", "bla_accepted", "priority_review")
# "The application seeks approval for …", "The NDA submission is supported by …": the filing itself
_FILING_WORDS = caseless(r"\b(?:applications?|submissions?|filings?|NDA|BLA|MAA|dossier)\b")


def _describes_filing(primary: Draft, event: Draft) -> bool:
    """An undated filing told beside the headline's acceptance of it ("… accepted its new drug application for
    X. The application seeks approval for …"): the application accepted, not a regulatory event of its own."""
    if primary.type != "regulatory" or event.type != "regulatory" or event.action != "other" or event.date:
        return False
    if primary.action not in _ACCEPTED_FILING or not set(map(id, primary.assets)) & set(map(id, event.assets)):
        return False
    first = event.stated_in[0] if event.stated_in else event.facts[0]
    return _FILING_WORDS.search(first.sentence.text, first.lowered) is not None


def _family(kind: str) -> str:
    return "agreement" if kind in _AGREEMENTS else kind


def _title_only(event: Draft) -> bool:
    return all(f.sentence.is_title for f in event.stated_in)


def _same_event(article: Article, a: Draft, b: Draft, reference: str | None) -> bool:
    if _family(a.type) != _family(b.type):
        return _retitled(article, a, b) or _terms_of(a, b) or _rights_bought(a, b)
    if a.type in _DEAL_KINDS and _terms_of(a, b):
        return True  # "Under the terms of the merger agreement, which was announced on January 12, …": its terms
    if a.action != b.action and not (_title_only(a) and not _title_only(b)):
        return False  # a headline's loose wording ("gets … approved") yields to the body's action
    if a.regulator and b.regulator and a.regulator != b.regulator and not (
            set(_REGULATOR_REGION.get(a.regulator, ())) & set(_REGULATOR_REGION.get(b.regulator, ()))):
        return False  # the FDA's decision and the EMA's are two events; the CDE's and the NMPA's are one
    if a.date and b.date and a.date[:7] != b.date[:7]:
        return False
    if a.type == "regulatory" and _regions(a) and _regions(b) and not _regions(a) & _regions(b):
        return False
    if _title_only(a) and not a.assets and not a.companies and not _title_only(b):
        return True  # a headline that names no one ("Regulator Approves Two Drugs") is the body's first telling
    shared_assets = set(map(id, a.assets)) & set(map(id, b.assets))
    shared_companies = set(map(id, a.companies)) & set(map(id, b.companies))
    if a.type in _DEAL_KINDS:
        if _told_as_past(article, a, reference) != _told_as_past(article, b, reference):
            return False  # "the companies first partnered in 2019": an earlier deal of the same pair
        if a.assets and b.assets and not shared_assets and not _title_only(a) and (
                a.span or b.span or _ANOTHER_DEAL.search(b.stated_in[0].sentence.text)):
            return False  # "… has also granted Birch an option on AC-3 and AC-4": a deal of its own
        if a.type == b.type == "financing" and b.issuer_less:
            return True  # "Birch Capital led the offering": the round already told
        if not shared_companies:
            return _headline_of_drug(a, b, shared_assets)
        if len(shared_companies) >= min(2, len(a.companies), len(b.companies)):
            return True
        return _related_rest(article, a.companies, b.companies)
    return bool(shared_assets) or ((not a.assets or not b.assets) and bool(shared_companies))


def _headline_of_drug(a: Draft, b: Draft, shared_assets: set[int]) -> bool:
    """"ENTRY INTO AN EXCLUSIVE LICENSE AGREEMENT FOR JH-1" over the body's "the Company entered into an exclusive
    license agreement with Birch … JH-1": a headline naming the drug and no party the body names is the body's deal
    (the body names its parties)."""
    return bool(shared_assets) and _title_only(a) and not _title_only(b) and len(b.companies) >= 2


_RETITLED = ("acquisition", *_AGREEMENTS)
_AGREEMENT_WORD = caseless(r"\b(?:licen[cs]\w*|collaborat\w*|partnership|co-develop\w*)")


def _retitled(article: Article, a: Draft, b: Draft) -> bool:
    """A headline that words the body's deal as another kind ("Acme Acquires Ex-U.S. Rights to BX-1" over "an
    exclusive license agreement granting Acme rights"): one deal of the same two companies, as the body frames it."""
    if a.type not in _RETITLED or b.type not in _RETITLED or not _title_only(a) or b.stated_in[0] not in article.lead:
        return False
    if b.type != "acquisition" and not _AGREEMENT_WORD.search(b.stated_in[0].sentence.text, b.stated_in[0].lowered):
        return False  # "agreed to acquire the rights to X" under "to Acquire Rights": an asset purchase
    return _companies_in_common(a, b) >= 2


def _companies_in_common(a: Draft, b: Draft) -> int:
    return len(set(map(id, a.companies)) & set(map(id, b.companies)))


# "has bought the rights to an inhaled asthma candidate from Birch", "agreed to acquire the rights to X": rights
# bought, told with no word of a licence or partnership
_RIGHTS_BOUGHT = caseless(r"\b(?:acquir\w*|buy\w*|bought|purchas\w*)\s+(?:[\w-]+\s+){0,4}?rights\b")


def _rights_bought(a: Draft, b: Draft) -> bool:
    """An acquisition and a licence of the same two companies (and drug, where both name one), one told as rights
    bought: the acquisition of those rights, told twice."""
    buy, rights = (a, b) if a.type == "acquisition" else (b, a)
    if buy.type != "acquisition" or rights.type != "licensing" or not _buys_rights(rights):
        return False
    if buy.assets and rights.assets and not set(map(id, buy.assets)) & set(map(id, rights.assets)):
        return False
    return _companies_in_common(a, b) >= 2


def _buys_rights(event: Draft) -> bool:
    first = event.stated_in[0] if event.stated_in else event.facts[0]
    text, low = first.sentence.text, first.lowered
    return _RIGHTS_BOUGHT.search(text, low) is not None and _AGREEMENT_WORD.search(text, low) is None


_TERMS_OF = caseless(r"^(?:under|as part of|pursuant to) (?:the (?:financial )?terms of )?(?:the|this) "
                     r"(?:[\w-]+\s+){0,2}?(?:agreement|deal|transaction|acquisition|purchase|contract)\b")


def _terms_of(a: Draft, b: Draft) -> bool:
    """"Under the terms of the agreement, Acme will pay Birch …" after "Acme has acquired X from Birch": the terms
    of the deal already told, whatever kind the words of its terms suggest."""
    if a.type not in _RETITLED or b.type not in _RETITLED:
        return False
    first = b.stated_in[0]
    return bool(_TERMS_OF.search(first.sentence.text, first.lowered)) and _companies_in_common(a, b) >= 2


def _told_as_past(article: Article, event: Draft, reference: str | None) -> bool:
    """Stated as history; the lead tells the current event, whatever history its clauses recall."""
    return all(f not in article.lead and is_past(f, reference) for f in event.stated_in)


def _related_rest(article: Article, a: list[Company], b: list[Company]) -> bool:
    """"Acme" and "Acme Biologics, an affiliate of Acme": the companies not shared belong to one group (by
    name, or because the article names one the parent of the other)."""
    rest_a = [c for c in a if c not in b]
    rest_b = [c for c in b if c not in a]
    parents = article.parents

    def same_group(x: Company, y: Company) -> bool:
        return related(x, y) or id(x) in parents.get(id(y), ()) or id(y) in parents.get(id(x), ())

    return bool(rest_a) and all(any(same_group(x, y) for y in rest_b) for x in rest_a)


def _absorb(event: Draft, candidate: Draft) -> None:
    if _title_only(event) and not _title_only(candidate):  # the body tells it in full: its sentence leads
        spurious = [c for c in event.companies if c not in candidate.companies]
        if event.type in _DEAL_KINDS and spurious and not _companies_in_common(event, candidate):
            # the headline's drug, its parties named by the body alone
            event.companies, event.stated_in = [], []
        event.facts = [*candidate.facts, *(f for f in event.facts if f not in candidate.facts)]
        event.stated_in = [*candidate.stated_in, *event.stated_in]
        event.action = candidate.action
        event.regulator = candidate.regulator or event.regulator
        event.date = candidate.date or event.date
        event.span = candidate.span
        # the body frames the deal; rights bought under an acquisition's headline stay that acquisition
        if _family(event.type) != _family(candidate.type) and not (
                event.type == "acquisition" and _buys_rights(candidate)):
            event.type = candidate.type
    event.stated_in += [f for f in candidate.stated_in if f not in event.stated_in]
    event.facts.extend(f for f in candidate.facts if f not in event.facts)
    event.context.extend(f for f in candidate.context if f not in event.context and f not in event.facts)
    event.companies += [c for c in candidate.companies if c not in event.companies]
    event.assets += [a for a in candidate.assets if a not in event.assets]
    event.regulator = event.regulator or candidate.regulator
    event.date = event.date or candidate.date
    if event.type == "deal" and candidate.type != "deal":
        event.type = candidate.type


def _regions(draft: Draft) -> set[str]:
    found = {h.canonical for f in draft.facts[:1] for h in f.regions if h.canonical != "worldwide"}
    if draft.regulator:
        found |= set(_REGULATOR_REGION.get(draft.regulator, ()))
    return found


_REGULATOR_REGION = {regulator: tuple(regions) for regulator, regions in read_tsv(VOCAB_DIR / "regulator_regions.tsv")}


# -- completing the headline event --------------------------------------------------------------


def complete_primary(article: Article, event: Draft, reference: str | None, others: list[Draft]) -> None:
    """The headline event: the lead, and every later sentence while the story is still on it, except the
    sentences that state the article's other events."""
    stated = _stating_order(event)
    if event.type == "regulatory":
        _complete_regulatory(article, event)
        return
    if event.type != "clinical":
        event.companies = _deal_parties(article, event, stated)
    elif not event.companies:
        event.companies = [c for c in companies_of(article, article.lead, limit=4)
                           if not is_regulator_name(c) and not is_site(c)][:2]
    taken = {id(f) for other in others for f in other.stated_in if other is not event and has_parties(other)}
    taken -= {id(f) for f in stated}
    counterparties = _other_counterparties(article, event, others, reference)
    other_financing = _other_financing(event, others)
    taken |= {id(f) for f in article.facts if f not in event.stated_in and (
        (bool(counterparties) and names_any(article, f, counterparties))
        or (other_financing and _PROCEEDS.search(f.sentence.text) is not None))}
    _gather_zone(article, event, stated, reference, taken)
    if event.type == "financing":
        event.companies = _with_investors(article, event, reference)
    theirs = _headline_partners_drugs(article, event, others, reference)
    assets = [a for a in event_assets(article, event) if id(a) not in theirs and (
        a in event.assets or not (_other_clauses(event, a.mentions) or _another_drug(article, a)))]
    event.assets = assets[: 1 if event.type == "clinical" else 3] or _asset_named_next(article, stated)
    event.type = deal_kind(article, event)
    event.context = _asset_context(article, event)
    event.date = event.date or _first_date(article, event, stated)
    announced = event.date is None or (article.published and event.date == article.published.isoformat())
    if announced and event.type in _DEAL_KINDS:  # "announced today … The agreement was signed on March 3"
        event.date = _signing_date(article, event) or event.date


# "Alderon intends to use the proceeds to fund its Phase 3 trial of ALD-9": what a financing's money pays for
_PROCEEDS = re.compile(r"\bproceeds\b", re.I)


def _other_financing(event: Draft, others: list[Draft]) -> bool:
    return event.type != "financing" and any(
        o is not event and o.type == "financing" and has_parties(o) for o in others)


def _other_counterparties(article: Article, event: Draft, others: list[Draft], reference: str | None
                          ) -> list[Company]:
    """The companies of the article's other current deals that are no party of this one: "Separately, Acme granted
    Birch rights to X … Birch will pay ¥4.5 billion" tells Birch's deal, not the headline's."""
    return [c for other in others if other is not event and other.type in DEAL_TYPES and has_parties(other)
            and not _told_as_past(article, other, reference) for c in other.companies if c not in event.companies]


def _headline_partners_drugs(article: Article, event: Draft, others: list[Draft], reference: str | None) -> set[int]:
    """"… out-licensing X to Birch and co-developing Y with Cedar": the drugs of another deal the same headline tells,
    named by the body in that deal's sentences and not in this one's."""
    title = next((f for f in event.stated_in if f.sentence.is_title), None)
    own = {id(a) for a in event.assets if any(a in _body_assets(f, event) for f in event.stated_in)}
    titled = {id(a) for a in event.assets if title is not None and a.mentions and any(
        title.sentence.start <= s < title.sentence.end for s, _ in a.mentions)}
    theirs: set[int] = set()
    for other in others:
        if other is event or other.type not in DEAL_TYPES:
            continue
        drugs = {id(a) for a in other.assets if any(a in _body_assets(f, other) for f in other.stated_in)}
        if title is not None and title in other.stated_in:
            theirs |= drugs
        elif has_parties(other) and any(c not in event.companies for c in other.companies) and not _told_as_past(
                article, other, reference):
            theirs |= drugs - titled  # another deal with another counterparty: its drug, unless our headline names it
    return theirs - own


def _body_assets(facts: SentenceFacts, event: Draft) -> list[Asset]:
    if facts.sentence.is_title:
        return []
    return [a for a in event.assets if any(facts.sentence.start <= s < facts.sentence.end for s, _ in a.mentions)]


# "… rights to a once-daily pill. The asset, QL-9, is …", "Acme's lead drug, QL-9, …", "The antibody, QL-9, …": the
# deal's drug, named in a sentence shortly after it
# "It gives the buyer X, …", "The money will fund the development of X": the same, told by what the deal brings
_THE_DRUG = re.compile(r"(?:The|This|[A-Z][\w-]*(?:\s[A-Z][\w-]*){0,2}['’]s) (?:(?:lead|main|key|most advanced)\s+)?"
                       r"(?:asset|drug|candidate|compound|program|programme|therapy|molecule|product|prize|pill|"
                       r"antibody|vaccine|medicine|treatment|conjugate)\b,?\s*(?:[\w-]+\s+){0,2}?(?=[A-Z]|[a-z][\w-]{3,},)"
                       r"|(?:It|The\s+(?:deal|acquisition|transaction|purchase))\s+(?:gives|brings|adds|hands)\s"
                       r"|(?:The\s+)?(?:money|proceeds|funds|net\s+proceeds)\s+will\s+(?:be\s+used\s+to\s+)?"
                       r"(?:fund|finance|support|advance|take|push|bring)\s")
_NEXT_SENTENCES = 3  # how far after the deal's sentence "The asset, X, …" may follow (datelines, quotes between)


def _asset_named_next(article: Article, stated: list[SentenceFacts]) -> list[Asset]:
    """For a deal whose sentences name no drug, the one a "The asset, X, …" sentence shortly after names ("The
    lead programme, X, …", "The prize is X, …")."""
    for facts in stated:
        position = article.position(facts)
        if facts.sentence.is_title or position + 1 >= len(article.facts):
            continue
        for following in article.facts[position + 1 : position + 1 + _NEXT_SENTENCES]:
            if _THE_DRUG.match(following.sentence.text):
                named = article.index.assets_in(following.sentence.start, following.sentence.end)
                return [a for a in named if not is_comparator(article, a)][:1]
    return []


def _signing_date(article: Article, event: Draft) -> str | None:
    """A date the event's sentences, or a "The deal …" sentence right after one of them, give its signing ("was
    signed on March 3, 2025", "entered into the agreement in May"); a calendar date, not after the publication."""
    published = article.published.isoformat() if article.published else "9999"
    for facts in [*event.facts, *_about_the_deal(article, event)]:
        if not any(map(facts.lowered.__contains__, _SIGNING_WORDS)):
            continue
        for mention in facts.dates:
            before = _SIGNED_ON.search(article.text, max(facts.sentence.start, mention.start - 80), mention.start)
            calendar = any(ch.isdigit() for ch in article.text[mention.start : mention.end])  # not "on Monday"
            if before and calendar and mention.value <= published:
                return mention.value
    return None


def _about_the_deal(article: Article, event: Draft) -> list[SentenceFacts]:
    """"The deal was signed on October 6.": a sentence naming no other company one or two after one of the event's."""
    out: list[SentenceFacts] = []
    for number, facts in enumerate(article.facts):
        if facts in event.facts or not _THE_DEAL.match(facts.sentence.text):
            continue
        if not any(f in event.facts for f in article.facts[max(0, number - 2) : number]):
            continue
        named = article.index.companies_in(facts.sentence.start, facts.sentence.end)
        if all(c in event.companies for _, c in named):
            out.append(facts)
    return out


def _gather_zone(article: Article, event: Draft, stated: list[SentenceFacts], reference: str | None,
                 taken: set[int]) -> None:
    """The lead, the sentences that state the event, and each later one that names its companies (or, naming
    none, carries its money or goes on from the sentence before)."""
    previous_in_zone = True
    for facts in article.facts:
        if facts in event.stated_in:
            previous_in_zone = True
            if facts not in event.facts:
                event.facts.append(facts)
            continue
        if id(facts) in taken:
            previous_in_zone = False
            continue
        lead = facts in article.lead and not facts.historical  # a lead that opens with history does not count
        in_zone = lead or (not is_past(facts, reference) and not is_quote(facts) and (
            (names_any(article, facts, event.companies) and not is_foreign(facts, article, event.companies))
            or (previous_in_zone and _unattributed(article, facts, event.type))
            or (previous_in_zone and CONTINUATION.match(facts.sentence.text) is not None)
            or (event.type == "financing" and _ROUND.search(facts.sentence.text, facts.lowered) is not None)))
        if in_zone and facts not in event.facts:
            event.facts.append(facts)
        previous_in_zone = in_zone
    event.facts.sort(key=article.position)
    event.facts.remove(stated[0])
    event.facts.insert(0, stated[0])


def _complete_regulatory(article: Article, event: Draft) -> None:
    title = [f for f in article.lead if f.sentence.is_title]
    if not event.companies:
        event.companies = [c for c in companies_of(article, title) if not is_regulator_name(c)][:3]
    if not event.companies and event.assets:
        event.companies = article.index.owners_of(event.assets[0])
    if not event.assets:
        event.assets = [a for a in event_assets(article, Draft(event.type, True, title))
                        if not is_comparator(article, a)][:2]
    event.context = [*event.context, *_following_one(article, event.facts[0], event.companies)]
    if article.published and event.date == article.published.isoformat():
        event.date = _decision_day(article, event) or event.date


# "The FDA notified the company of the clearance on January 9, 2026": the regulator's own day, told after
_DECISION_NOUN = re.compile(r"\b(?:clearance|approval|decision|designation|acceptance)\b[^.;]{0,40}\bon\s+$|"
                            r"\b(?:was|were|been)\s+(?:formally\s+)?(?:accepted|approved|granted|cleared|issued)\s+"
                            r"(?:[\w-]+\s+){0,3}?on\s+$", re.I)
# "The approval was granted on March 3.": a sentence going on about the decision, naming no regulator
_THE_DECISION = re.compile(r"(?:The|This|Its)\s+(?:[\w-]+\s+){0,2}?(?:approval|decision|clearance|designation|"
                           r"acceptance|application|submission|NDA|BLA|filing)\b")


def _decision_day(article: Article, event: Draft) -> str | None:
    """The day the sentence after a regulatory headline dated by its announcement gives the decision."""
    position = article.position(event.facts[0])
    for facts in article.facts[position + 1 : position + 3]:
        if not facts.regulators and not _THE_DECISION.match(facts.sentence.text):
            continue
        if facts.regulators and event.regulator and facts.regulators[0].canonical != event.regulator:
            continue
        for mention in facts.dates:
            if len(mention.value) == 10 and mention.value < event.date and _DECISION_NOUN.search(  # type: ignore[operator]
                    article.text, max(facts.sentence.start, mention.start - 60), mention.start):
                return mention.value
    return None


def _stating_order(event: Draft) -> list[SentenceFacts]:
    """The sentences that state the event, body before title (a body sentence is the fuller telling)."""
    body = [f for f in event.stated_in if not f.sentence.is_title]
    return body + [f for f in event.stated_in if f.sentence.is_title]


def _deal_parties(article: Article, event: Draft, stated: list[SentenceFacts]) -> list[Company]:
    """The two companies of the sentences that state the deal, plus any other they give a licensing role."""
    anchor = stated[0]
    parents = set().union(*(parent_companies(article, f) for f in stated))
    limit = MAX_PARTIES if event.type == "financing" else 2
    clause = [anchor] if event.type == "financing" else stated
    base = [c for c in companies_of(article, clause, limit=MAX_PARTIES + 2)
            if not is_regulator_name(c) and c not in parents][:limit]
    if event.span is not None:
        base = [c for c in event.companies if c not in parents][:MAX_PARTIES] or base
    extra: list[Company] = []
    for facts in stated[:4]:
        previous: tuple[int, Company | None] = (-1, None)
        for start, end, company in article.index.mentions_in(facts.sentence.start, facts.sentence.end):
            if facts is anchor and _other_clauses(event, [(start, end)]):
                continue  # "…, while Cedar licensed …": the other clause's deal has its own parties
            listed = previous[1] in base or previous[1] in extra  # "acquire Birch and Cedar"
            listed = listed and LISTED.fullmatch(article.text, previous[0], start) is not None
            previous = (end, company)
            if company in base or company in extra or company in parents or is_regulator_name(company):
                continue
            if listed or _role_bearing(article, facts, company, event.type):
                extra.append(company)
    return (base + extra)[:MAX_PARTIES]


# "Acme also develops AC-9, …", "to combine it with its own antibody, AC-9": a drug of a party, not the deal's
_ANOTHER_DRUG = caseless(r"(?:\b(?:also|separately)\s+(?:develops|has|is developing|owns|markets|sells)\b|"
                         r"\b(?:its|their) own\b|\banother\b|\b(?:a|its|their|the)\s+(?:second|third|other|next|"
                         r"follow-on)\s+(?:program|programme|candidate|asset|product|compound|molecule)\b)[^.;]{0,50}$")


def _another_drug(article: Article, asset: Asset) -> bool:
    """Whether the text names the drug only as another one of a party's ("Acme also develops AC-9")."""
    return all(_ANOTHER_DRUG.search(article.text[max(0, s - 60) : s]) for s, _ in asset.mentions)


def _other_clauses(event: Draft, mentions: list[tuple[int, int]]) -> bool:
    """Whether all of the mentions in the sentence an event's clause was cut from lie in its other clauses."""
    if event.span is None:
        return False
    sentence = event.stated_in[0].sentence
    inside = [s for s, _ in mentions if sentence.start <= s < sentence.end]
    return bool(inside) and not any(event.span[0] <= s < event.span[1] for s in inside)


def _role_bearing(article: Article, facts: SentenceFacts, company: Company, kind: str) -> bool:
    """A further company the stating sentences give a licensing role ("… has granted Birch the rights")."""
    if kind not in ("licensing", "acquisition"):
        return False
    sentence = facts.sentence
    return any(c is company and role_at(article.index, sentence, s, e, kind) is not None
               for s, e, c in article.index.mentions_in(sentence.start, sentence.end))


def _unattributed(article: Article, facts: SentenceFacts, kind: str) -> bool:
    """A sentence naming no company that carries deal money or the event's own cue."""
    if article.index.companies_in(facts.sentence.start, facts.sentence.end):
        return False
    return bool(facts.money) or kind in facts.types


def _with_investors(article: Article, event: Draft, reference: str | None,
                    more: list[SentenceFacts] | None = None) -> list[Company]:
    companies = list(event.companies)
    for facts in event.facts + (more or []):
        if _ROUND.search(facts.sentence.text, facts.lowered) and not is_past(facts, reference):
            advisers = parent_companies(article, facts)  # "… served as placement agent for the financing"
            for _, company in article.index.companies_in(facts.sentence.start, facts.sentence.end):
                if company not in companies and not is_regulator_name(company) and company not in advisers:
                    companies.append(company)
    return companies[:8]


def _asset_context(article: Article, event: Draft) -> list[SentenceFacts]:
    """Sentences about the event's drug ("AC-101 is in a Phase Ib trial", then "It is …", "The drug …")."""
    names = {n.lower() for a in event.assets for n in a.names}
    if not names:
        return []
    context: list[SentenceFacts] = []
    previous_about_asset = False
    for facts in article.facts:
        about = mentions_any(facts, names) or (previous_about_asset and _PRONOUN_START.match(facts.sentence.text))
        about = bool(about) and not is_quote(facts) and not is_foreign(facts, article, event.companies)
        if about and facts not in event.facts:
            context.append(facts)
        previous_about_asset = about
    return context


def _first_date(article: Article, event: Draft, stated: list[SentenceFacts]) -> str | None:
    for facts in stated:
        date = date_of(facts, article, event.type)
        if date:
            return date
    return None


def _following_one(article: Article, anchor: SentenceFacts, companies: list[Company]) -> list[SentenceFacts]:
    """The sentence right after the stating one, when it only elaborates (no new action, no other company)."""
    position = article.position(anchor)
    if position + 1 >= len(article.facts):
        return []
    after = article.facts[position + 1]
    if after.actions or is_foreign(after, article, companies) or after.dates:
        return []
    return [after]


# -- completing the other events ----------------------------------------------------------------


def complete_secondary(article: Article, event: Draft, primary: Draft | None) -> None:
    """An event the article mentions besides its headline: its own sentence and the few that follow it."""
    event.facts = [f for f in event.facts if not f.sentence.is_title]  # the headline names the headline event
    event.stated_in = [f for f in event.stated_in if not f.sentence.is_title]
    if not event.facts or not event.stated_in:
        event.companies = []
        return
    text = event.facts[0].sentence.text
    if event.type in _DEAL_KINDS:
        if not event.companies and event.distinct and primary is not None:
            event.companies = list(primary.companies) if primary.type == event.type else []
        if event.type == "financing" and primary is not None and primary.type == "financing" and primary.companies \
                and THE_COMPANY.search(text) and primary.companies[0] not in event.companies:
            event.companies = [primary.companies[0], *event.companies]  # "invested in the company": the issuer
        if not event.assets and _borrows_drug(event, primary, text):
            event.assets = primary.assets[:1]  # type: ignore[union-attr]  # "acquired a license for the drug"
        if not event.assets and event.type == "acquisition":
            # "Birch's lead drug, BR-1, …" told next; not the headline's drug
            event.assets = [a for a in _asset_named_next(article, event.stated_in)
                            if primary is None or a not in primary.assets]
        if event.type == "financing" and event.companies:
            # "… led by Birch, with participation from Cedar"; "… a private placement. Investors in the placement
            # include Birch and Cedar."
            after = [f for stated in event.stated_in
                     for f in article.facts[article.position(stated) + 1 : article.position(stated) + 2]
                     if f not in event.facts and not f.types]
            event.companies = _with_investors(article, event, None, after)
        event.type = deal_kind(article, event)
        event.date = event.date or _signing_date(article, event)
        if event.type in ("licensing", "collaboration") and len(event.companies) == 1 and event.assets:
            # "X is partnered with Birch, which licensed ex-China rights in 2023": the other side owns the drug
            owner = next((c for c in _owners(article, event, primary) if c not in event.companies), None)
            ours = primary.companies if primary is not None else []
            if owner is not None and not (owner in ours and event.companies[0] in ours):  # the headline's pair
                event.companies = [owner, *event.companies]
    elif event.type == "regulatory":
        if not event.assets and primary is not None and (not event.companies or _borrows_drug(event, primary, text)):
            event.assets = primary.assets[:1]
        if not event.companies:
            event.companies = _owners(article, event, primary)
        event.companies = event.companies[:2]
    elif event.type == "clinical":
        event.assets = event.assets or (primary.assets[:1] if primary is not None else [])
        if not event.companies:
            event.companies = _owners(article, event, primary)
    if event.type in ("regulatory", "clinical") and not any(f.indications for f in event.facts + event.context):
        event.context += _indicated_before(article, event)
    _describe(article, event, primary)


def _borrows_drug(event: Draft, primary: Draft | None, text: str) -> bool:
    """"acquired a licence for the drug", "granted it priority review": a word naming the headline's drug, in a
    sentence about one of the headline's companies or none. "Its" and "the company's" are a company's ("Birch raised
    $60M to advance its platform", "its licensing deal with Cedar"), and in a deal's sentence so is "it" ("It
    previously invested in the company")."""
    if primary is None:
        return False
    company_words = _COMPANY_WORDS if event.type == "regulatory" else (*_COMPANY_WORDS, "it")
    if not any(not _SUBJECT_IT.match(text, m.start()) and m.group().lower() not in company_words
               for m in PRONOUN_ASSET.finditer(text)):
        return False
    return not event.companies or any(c in primary.companies for c in event.companies)


_COMPANY_WORDS = ("its", "the company's")
# "after it bought Birch for $640 million": "it" the subject of a deal verb is the company, not the drug
_SUBJECT_IT = re.compile(r"it\s+(?:\w+ly\s+)?(?:bought|acquired|agreed|signed|licensed|paid|sold|struck|inked|"
                         r"entered|completed|closed|took|raised|purchased|has|had|will|would|also)\b", re.I)


def complete_co_headline(article: Article, event: Draft, headline: Draft) -> None:
    """A second headline deal the lead tells beside the first ("Acme … entered into a loan facility. Acme also
    announced a private placement"): the same company's, on the same day, about the same drug unless it names one."""
    if event.stated_in[0] not in article.lead or not event.companies or not headline.companies:
        return
    if event.companies[0] is not headline.companies[0]:
        return
    event.date = event.date or headline.date
    if not event.assets:
        event.assets = headline.assets[:1]


def _indicated_before(article: Article, event: Draft) -> list[SentenceFacts]:
    """The nearest earlier sentence that names the event's drug with a disease: what the drug is for."""
    names = {n.lower() for a in event.assets for n in a.names}
    if not names:
        return []
    position = article.position(event.stated_in[0])
    for facts in reversed(article.facts[:position]):
        if facts.indications and not facts.sentence.is_title and mentions_any(facts, names):
            return [facts]
    return []


def _following(article: Article, event: Draft, others: set[int]) -> list[SentenceFacts]:
    """Sentences that go on about the same deal: same parties only, or none named and about its terms; up to
    a sentence that states another event (`others`: the ids of such sentences)."""
    out: list[SentenceFacts] = []
    position = article.position(event.facts[0])
    for facts in article.facts[position + 1 : position + 1 + _MAX_FOLLOW]:
        if id(facts) in others or facts.dates or (facts.types & set(DEAL_TYPES) and event.type not in facts.types) \
                or is_quote(facts):  # a quote is what someone says, not the deal's terms
            break
        present = [c for _, c in article.index.companies_in(facts.sentence.start, facts.sentence.end)]
        same_parties = bool(present) and all(c in event.companies for c in present)
        about_terms = not present and (bool(facts.money) or bool(_TERMS.search(facts.sentence.text)))
        # "… rights to HB-12. HB-12 is in a Phase 3 trial.": the deal's drug, told about in a sentence of its own
        about_drug = not present and bool(facts.stages) and any(
            facts.sentence.text.startswith(n) for a in event.assets for n in a.names)
        if not (same_parties or about_terms or about_drug):
            break
        out.append(facts)
    return out


def _owners(article: Article, event: Draft, primary: Draft | None) -> list[Company]:
    for asset in event.assets:
        owners = article.index.owners_of(asset)
        if owners:
            return owners
    if primary is None or (event.assets and not set(map(id, event.assets)) & set(map(id, primary.assets))):
        return []
    if primary.type in ("licensing", "acquisition"):  # the licensor, or the company bought, owns the drug
        roles = assign_roles(primary.type, primary.companies, [f.sentence for f in primary.facts], article.index,
                             article.text, primary.assets)
        owner = "licensor" if primary.type == "licensing" else "acquired"
        return [c for c, role in roles if role == owner][:1]
    sponsors = 2 if primary.type in ("regulatory", "clinical", "collaboration") else 1
    return primary.companies[:sponsors]


def _describe(article: Article, event: Draft, primary: Draft | None) -> None:
    """Modality and targets belong to the drug: take them from the sentence that tells what the event's asset is
    (`_profile`; or, for an earlier deal of the headline parties without a named drug, from the headline); not from a
    sentence after its own that goes on about the headline's drug ("It gives Acme AC-101, an antibody …")."""
    if primary is not None and primary.assets and not any(a in primary.assets for a in event.assets):
        theirs = {n.lower() for a in primary.assets for n in a.names}
        event.facts = [f for f in event.facts if f in event.stated_in or not mentions_any(f, theirs)]
    if not event.assets:
        if primary is not None and not primary.assets and _same_parties(event, primary):
            event.profile = primary.facts[:1]
        return
    names = {n.lower() for a in event.assets for n in a.names}
    about = [f for f in article.facts if any(map(f.lowered.__contains__, names))]
    event.profile = _profile(article, event, [f for f in about if f not in event.facts])


def _profile(article: Article, event: Draft, about: list[SentenceFacts]) -> list[SentenceFacts]:
    """The sentence that tells what the event's drug is: the first of those naming it (`about`) that gives a kind
    of drug or a target, not in a quote and naming no other drug ("AC-101 is an antibody against IL-23"); not every
    sentence naming it ("… beat adalimumab, a TNF inhibitor", "… like its PD-1 partner drug")."""
    for facts in about:
        if (facts.modalities or facts.targets) and not is_quote(facts) and not _other_drug_named(article, facts, event):
            return [facts]
    return []


def _other_drug_named(article: Article, facts: SentenceFacts, event: Draft) -> bool:
    """Whether the sentence names a drug the event is not about."""
    return any(a not in event.assets for a in article.index.assets_in(facts.sentence.start, facts.sentence.end))


def _same_parties(a: Draft, b: Draft) -> bool:
    return bool(a.companies) and {id(c) for c in a.companies} == {id(c) for c in b.companies}


def earlier_terms(article: Article, primary: Draft, reference: str | None, taken: set[int]) -> list[Draft]:
    """Money of the headline parties dated before the headline: the terms of their earlier deal."""
    if primary.type not in DEAL_TYPES:
        return []
    out: list[Draft] = []
    for facts in article.facts:
        if id(facts) in taken or facts.types or not facts.money or not is_past(facts, reference):
            continue
        if not names_any(article, facts, primary.companies) or not facts.dates:
            continue
        if not deal_money([facts], primary.type):
            continue  # "Cash was $402 million as of September 30": a balance, not a deal's terms
        draft = Draft(primary.type, False, [facts], companies=list(primary.companies))
        draft.stated_in = [facts]
        draft.date = date_of(facts, article, primary.type)
        out.append(draft)
    return out


# "licensed a MET inhibitor from another U.S. biotech", "struck a research deal with a gene editing startup":
# the counterparty is told, only not by name
_UNNAMED_COUNTERPARTY = caseless(r"\b(?:from|with|to)\s+(?:a|an|another)\s+(?:[\w.-]+\s+){0,3}?(?:biotech|"
                                 r"biotechnology company|biopharma|company|startup|start-up|drugmaker|firm|"
                                 r"developer|partner)s?\b")
# a listing through a shell company ("merged with a blank-check company") is no deal with an unnamed partner
_SHELL_COMPANY = caseless(r"\b(?:spacs?|special[- ]purpose acquisition|blank[- ]check)\b")
# …told as a deal of the past or another one than the article's: "in 2022", "a separate deal", "another biotech"
_EARLIER_OR_OTHER = caseless(r"\b(?:another|separate|earlier|previously|last year|in (?:19|20)\d\d)\b")


def has_parties(event: Draft) -> bool:
    """Whether an event names enough companies to be reported: two for a deal, one for a financing; one for a
    deal told in passing whose counterparty goes unnamed ("licensed a drug from another biotech")."""
    if event.type == "financing":
        return bool(event.companies)
    if event.type in _DEAL_KINDS:
        if len(event.companies) == 1 and not event.primary and event.stated_in:
            facts = event.stated_in[0]
            text = facts.sentence.text
            return bool(_UNNAMED_COUNTERPARTY.search(text, facts.lowered)) and bool(
                _EARLIER_OR_OTHER.search(text, facts.lowered)) and not _SHELL_COMPANY.search(text, facts.lowered)
        return len(event.companies) >= 2
    return bool(event.assets) or bool(event.companies)


# -- who holds the drug where the regulator decides ---------------------------------------------


_REGION_PARTS = {region: tuple(parts) for region, parts in read_tsv(VOCAB_DIR / "region_parts.tsv")}


def _within(region: str, wider: str) -> bool:
    """Whether `region` is `wider` or one of its parts, at any depth ("Macau" within "Greater China")."""
    seen: set[str] = set()
    todo = [wider]
    while todo:
        current = todo.pop()
        if current == region:
            return True
        if current not in seen:
            seen.add(current)
            todo += _REGION_PARTS.get(current, ())
    return False


def _covers(territory: Territory | None, regions: tuple[str, ...]) -> bool | None:
    """Whether a deal's territory takes in the regulator's region (any of `regions`); None when the deal states no
    territory or the region is only partly in it."""
    if territory is None or not territory.include:
        return None
    inside = [any(_within(r, t) for t in territory.include if t != "worldwide") or (
        "worldwide" in territory.include and not any(_within(r, t) for t in territory.exclude)) for r in regions]
    if all(inside):
        return True
    return False if not any(inside) else None


def _event_regions(payload: DealPayload) -> tuple[str, ...]:
    """The regions a regulatory event is about: the regulator's ("China" and "mainland China" for the NMPA), or those
    its sentence names ("approved in Hong Kong")."""
    if payload.regulator:
        return _REGULATOR_REGION.get(payload.regulator, ())
    if payload.territory and payload.territory.include and "worldwide" not in payload.territory.include:
        return tuple(payload.territory.include)
    return ()


def settle_sponsors(article: Article, drafts: list[Draft], payloads: list[DealPayload]) -> list[DealPayload]:
    """A regulator's decision on a licensed drug is the business of whoever holds the drug in the regulator's region:
    the licensee inside its territory, the licensor outside it ("Birch obtained rights in Greater China from Acme …
    the NMPA approved …": Birch's; "… the FDA approved": Acme's). A co-development partner holds a region the deal
    gives it apart from the drug's owner; a deal without such a region leaves the decision to the owner. Companies
    the article names together as the applicants ("Acme and Birch announced that the NMPA accepted …") stay so."""
    deals = [(d, p) for d, p in zip(drafts, payloads, strict=True) if p.type in ("licensing", "collaboration")
             and len(p.parties) == 2]
    if not deals:
        return payloads
    out: list[DealPayload] = []
    for draft, payload in zip(drafts, payloads, strict=True):
        if payload.type == "regulatory" and payload.parties:
            holder = _holder(article, draft, payload, deals)
            if holder is not None and [p.name for p in payload.parties] != [holder.name]:
                payload = payload.model_copy(update={"parties": [holder.model_copy(update={"role": "sponsor"})]})
        out.append(payload)
    return out


def _holder(article: Article, draft: Draft, payload: DealPayload, deals: list[tuple[Draft, DealPayload]]
            ) -> Party | None:
    regions = _event_regions(payload)
    names = {n.lower() for a in draft.assets for n in a.names}
    if not regions:
        return None
    sponsors = {p.name for p in payload.parties}
    for deal, terms in sorted(deals, key=lambda d: d[1].type != "licensing"):
        drugs = {n.lower() for a in deal.assets for n in a.names}
        if drugs and not names & drugs:
            continue  # a deal about another drug (one naming none is about the drug its parties are named for)
        if not sponsors <= {p.name for p in terms.parties} or _named_together(article, draft, terms.parties):
            continue
        if _names_one(article, draft, deal):
            return None  # "Birch filed an NDA with the FDA": the sentence says whose
        covered = _covers(terms.territory, regions)
        since = not terms.primary or bool(payload.date and terms.date and payload.date > terms.date)
        if terms.type == "licensing":
            owner = next((p for p in terms.parties if p.role == "licensor"), None)
            taker = next((p for p in terms.parties if p.role == "licensee"), None)
        else:
            owners = {c.name for a in deal.assets or draft.assets if names & {n.lower() for n in a.names}
                      for c in article.index.owners_of(a)}
            if not owners:  # "AC-101, Acme's gene therapy", "Birch will pay Acme …": the side a licence would grant
                roles = assign_roles("licensing", deal.companies, [f.sentence for f in deal.facts], article.index,
                                     article.text, deal.assets)
                owners = {c.name for c, role in roles if role == "licensor"}
            found = [p for p in terms.parties if p.name in owners]
            owner = found[0] if len(found) == 1 else None
            taker = next((p for p in terms.parties if p is not owner), None) if owner and covered and \
                "worldwide" not in terms.territory.include else None  # type: ignore[union-attr]
        if covered and since and taker is not None:
            return taker
        if covered is False or len(sponsors) > 1:
            return owner
        return None
    return None


def _names_one(article: Article, draft: Draft, deal: Draft) -> bool:
    """Whether the event's own sentences name exactly one of the deal's companies."""
    named = {id(c) for f in draft.stated_in
             for _, c in article.index.companies_in(f.sentence.start, f.sentence.end)}
    return sum(id(c) in named for c in deal.companies) == 1


def _named_together(article: Article, draft: Draft, parties: list[Party]) -> bool:
    """"Acme and Birch announced …", "Acme/Birch's KN-1": the two told as one side in the event's own sentences."""
    texts = [f.sentence.text for f in draft.stated_in]
    forms = [[re.escape(n) for n in (p.name, *p.aliases)] for p in parties]
    if len(forms) != 2:
        return False
    first, second = "|".join(forms[0]), "|".join(forms[1])
    pattern = re.compile(rf"(?:{first})\s*(?:and|&|/)\s*(?:{second})|(?:{second})\s*(?:and|&|/)\s*(?:{first})")
    return any(pattern.search(t) for t in texts)
