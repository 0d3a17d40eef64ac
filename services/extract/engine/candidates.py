"""Event candidates: every sentence that states an event yields one candidate per event it states.

All six types are detected here, the same way for the headline and for everything else: the headline is
chosen later, by ranking (`primary.py`). A sentence holding several deals ("X bought A, while Y bought B")
is cut into clauses first, so that distinct deals stay apart.
"""

from __future__ import annotations

import re
from itertools import pairwise

from dealwire.services.extract.engine.analysis import TYPE_CUES, SentenceFacts, hypothetical_start
from dealwire.services.extract.engine.drafts import (
    DEAL_TYPES,
    MAX_PARTIES,
    THE_COMPANY,
    Article,
    Draft,
    companies_of,
    date_of,
    event_assets,
    is_comparator,
    is_quote,
    is_regulator_name,
    is_regulatory,
    is_site,
    parent_companies,
)
from dealwire.services.extract.engine.entities import Asset, Company
from dealwire.services.extract.engine.money import classify
from dealwire.services.extract.engine.roles import role_at
from dealwire.services.extract.engine.vocab import GatedPattern, caseless, load

_VOCAB = load()
_CONDITIONAL = caseless(
    r"^(?:if|before|once|unless|should|upon)\b|\b(?:if|before|once|unless)\b[^,.]{0,60}\bapprov|"
    r"\b(?:would|could|may|might|expected to|anticipated to|pursuing|plans? to|hopes? to|aims? to)\b[^,.]{0,40}\b"
    r"(?:approv|designation|clearance|accept)")
# a party's duty under a licence: "shall be responsible for obtaining regulatory approval", "will use commercially
# reasonable efforts to seek approval": no regulator has acted
_DUTY = caseless(r"\b(?:responsible for|obligat\w* to|obligations? to|undertak\w* to|efforts to|in charge of)\s+"
                 r"(?:\w+\s+){0,3}?(?:obtain|seek|secur|pursu|maintain|apply)\w*\b")
# "approved in the United States since 2023", "has been approved in Europe since 2024": a standing, not a decision
_APPROVED_SINCE = caseless(r"\bapproved\b[^.;]{0,60}?\bsince\s+(?:19|20)\d\d\b")
_MILESTONE = caseless(r"\bmilestones?\b")
_APPOSITIVE_APPROVAL = caseless(r"[,(]\s*(?:already |conditionally |recently |fully )?approved\b|"
                                # "X, a kappa opioid receptor agonist approved in the United States for …"
                                r",\s+an?\s+(?:[\w()-]+\s+){1,8}?approved\s+(?:in|for)\b")
# "X is approved for the long-term treatment of …", "is currently approved in 40 countries": what the drug is
_DESCRIPTIVE_APPROVAL = caseless(r"\b(?:is|are) (?:already |currently |now |also )?approved (?:to treat|for|in \d+)\b")
_FINITE = caseless(r"\b(?:was|were|is|are|has|have|had|received?|receives|granted|obtained|secured|won|gained|"
                   r"issued|accepted|placed|cleared|approves|grants|accepts)\b")
_FACT_VERB = caseless(r"\b(?:was|were|has been|had been|have been|received|receive|granted|obtained|secured|"
                      r"won|gained|approved|sought|submitted|filed)\b")
_THE_PARTIES = caseless(r"(?:the (?:two )?(?:companies|partners|parties)|both (?:companies|parties))\b")
_ANOTHER = caseless(r"\b(?:second|third|another|further|new)\s+(?:[\w-]+\s+){0,2}?(?:deal|agreement|alliance|"
                    r"collaboration|partnership|licen[cs]e|licensing|tie-up|pact)")
# "The deal is the third such agreement this year": the count describes the deal at hand, not another one
_SAME_DEAL = caseless(r"^(?:the|this) (?:deal|agreement|transaction|partnership|pact|collaboration|licen[cs]e|"
                      r"licensing deal|tie-up)\s+(?:is|was|marks|marked|represents|represented|becomes|became)\b")
# where a sentence holding two deals is cut: "…, while Y bought B", "…; Y also …"
_CLAUSE_BREAK = caseless(_VOCAB.cues["clause_breaks"])
# "licensed AB-1 to Birch for Europe and AB-2 to Cedar for Japan", "… to Birch for Europe and to Cedar for
# Japan": one grant per recipient, cut before the second one; the subject (and, naming none, the asset) is shared
# "out-licensing AB-1 to Birch and co-developing AB-2 with Cedar": a second deal told by its verb alone, the subject
# shared (a headline's way of telling two deals)
_GERUND_BREAK = caseless(r",?\s+and\s+(?=(?:co-develop|co-commerciali[sz]|(?:out-|in-)?licens|acquir|buy|"
                         r"partner|team)ing\b)")
_RECIPIENT_BREAK = re.compile(r",?\s+and\s+(?:(?P<asset>[A-Z][\w-]*\d[\w-]*)\s+)?to\s+(?=[A-Z])")
_REGULATOR_CLAUSE = re.compile(r";\s+|,\s+(?:and|while|whereas)\s+|\s+while\s+")
_LIST_GLUE = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")
_PRICED = re.compile(r"\s*(?:\([^)]{0,40}\)\s*)?,?\s*for\s+(?:about\s+|approximately\s+|around\s+|up to\s+)?")
_COUNTED_DEALS = caseless(r"\b(?:two|three|four|both|separate|respective)\b[^.]{0,30}\b(?:deals|acquisitions|"
                          r"transactions|agreements|buyouts)\b")
_INTENT = caseless(r"\b(?:enable|allow|fund|finance|support|help)\w*\s+(?:\w+\s+){0,4}?(?:to\s+)?(?:launch|start|"
                   r"begin|initiate|commence|conduct|complete)\b")  # what money will pay for
# a trial still to come: "plans to start a Phase 2 trial", "plans to dose the first patient …", "topline data are
# expected in 2027"
_PLANNED_TRIAL = caseless(
    r"\b(?:plans?|planned|intends?|aims?|hopes?|prepares?|is set|are set|is scheduled|are scheduled)\s+to\s+"
    r"(?:[\w-]+\s+){0,12}?(?:launch|start|begin|initiate|commence|conduct|run|enter|dose|enrol|enroll|randomi[sz]e)\b"
    r"|\b(?:results|data|readouts?)\b[^.;]{0,60}?\b(?:(?:are|is)\s+)?(?:expected|due|anticipated|scheduled)\b")
_EVIDENCE = caseless(
    r"\b(?:supported by|based on|backed by|on the basis of)\b[^.;]{0,40}\b"
    r"(?:data|results|findings|trials?|stud(?:y|ies))\b")
_THE_STUDY = re.compile(r"(?:the|this|that) (?:pivotal |registrational )?(?:study|trial)\b", re.I)
_POSSESSED = re.compile(r"['’]s\s+(?:[\w-]+\s+){0,3}")  # "Acme's blockbuster pill " before a drug
# "which references Swiss-based Acme's Acmeva", "a biosimilar of Acme's …": the reference product's owner
_REFERENCE_BEFORE = re.compile(r"\b(?:referenc(?:es|ing|ed)|reference product of|biosimilar (?:to|of|version of))\s+"
                               r"(?:[\w-]+\s+){0,2}$", re.I)
# a deal someone guesses at: "Acme could acquire Birch", "Birch may seek a partner", "is exploring a sale", "is
# weighing a bid": no deal was made
_SPECULATIVE = GatedPattern(re.compile(
    r"\b(?:could|might|(?-i:may))\s+(?:(?:also|yet|eventually|soon|still|well|now)\s+)?"
    r"(?:acquire|buy|bid|seek|look for|pursue|in-license|out-license|license|licence|partner|merge|sell|team up|"
    r"strike|make an? (?:offer|bid))\b|"
    r"\b(?:exploring|considering|weighing|mulling)\s+(?:a\s+|an\s+)?(?:possible\s+|potential\s+)?"
    r"(?:sale|bid|takeover|merger|offer|strategic alternatives)\b", re.I),
    ("could", "might", "may", "exploring", "considering", "weighing", "mulling"))
# background told in passing, no deal of the article's: a party's owner in an aside ("Acme, which Birch Group acquired
# in 2019, …"; not "Acme, which acquired AC-1 in 2022": a deal of its own) and a vague past tie with no terms or date
# ("previously partnered with Birch on …", "previously signed a research agreement with Cedar")
_OWNERSHIP_ASIDE = re.compile(r",\s+(?:which|who)\s+(?:[A-Z][\w&.'’-]*\s+){1,4}(?:had\s+|has\s+)?(?:acquired|bought|"
                              r"purchased|spun\s+(?:off|out)|took\s+over|carved\s+out)\b[^,;.]{0,60}(?=[,;.])")
# an investor's earlier round in an aside, no terms: "backed by Birch Capital, which led its Series C in 2022"
_ROUND_ASIDE = re.compile(r",\s+(?:which|who)\s+(?:also\s+)?(?:led|co-led|joined|backed|participated\s+in|"
                          r"invested\s+in)\s+(?:its|their|the\s+company['’]s|[A-Z][\w-]*['’]s)\s+(?:[\w-]+\s+){0,3}?"
                          r"(?:round|financing|raise|IPO|offering)\b[^,;.]{0,40}(?=[,;.])")
# where a company's technology came from, told in passing: "formed Acme in 2025 with technology licensed from the
# University of Birch" (no terms: no licence of the article's)
_LICENSED_FROM = GatedPattern(re.compile(
    r"\b(?:technology|technologies|platform|patents?|intellectual property|IP)\s+(?:originally\s+)?"
    r"(?:licensed|in-licensed|spun out|acquired)\s+from\b[^,;.]*", re.I), ("from",))
_PAST_TIE = GatedPattern(re.compile(
    r"\bpreviously\s+(?:partnered|worked|collaborated|teamed\s+up|allied|signed\s+an?\s+(?:[\w-]+\s+){0,2}?"
    r"(?:agreement|deal|collaboration|partnership|alliance))\b[^,;.]*", re.I), ("previously",))
# what a company has raised in all, not a round: "has raised more than RMB 1.5 billion", "had raised $150 million
# from investors", "has raised about €210 million to date" -- the words before and after a sum the money module
# found (so every currency it knows); and a round that "brings total funding raised since 2022 to $140 million"
_HEDGE = r"(?:(?:more than|about|over|nearly|some|roughly|approximately|around|almost|a total of|in total)\s+)?"
_CUMULATIVE_BEFORE = caseless(r"\b(?:has|have|had)\s+(?:so far\s+|already\s+)?raised\s+" + _HEDGE + r"$")
_CUMULATIVE_AFTER = caseless(r"(?:\s*(?:m|mn|bn|million|billion)\b)?(?:\s+(?:in total|to date|since\b|"
                             r"from (?:investors|backers)|and\b)|\s*[.,;]|\s*$)")
_TOTAL_BEFORE = caseless(r"\b(?:bring|brings|bringing|brought|tak(?:e|es|ing)|took|lift(?:s|ing)?|boost(?:s|ing)?)\s+"
                         r"(?:the\s+|its\s+|their\s+|[\w-]+['’]s\s+)?(?:company['’]s\s+)?total\s+(?:funding|financing|"
                         r"capital|amount|proceeds|investment|raised)\b[^.;]{0,60}?\bto\s+" + _HEDGE + r"$")
_SUM_LEAD = 120  # characters before a sum searched for the words that make it a total
_ROUND_WORD = caseless(r"\b(?:series|round|financing|offering|placement|ipo|listing|tranche|notes|loan)\b")
_EXPANDED_DATED = caseless(
    r"\b(?:expand|extend|amend|broaden|renew|upgrad)\w*\s+(?:an?|its|the|their)\s+(?P<deal>(?:[\w,.-]+\s+){1,4}?)"
    r"(?:contract|agreement|deal|collaboration|partnership|licen[cs]e|alliance)\b")


def event_candidates(article: Article) -> list[Draft]:
    """Candidates in reading order (the title first); each holds its stating sentence as `facts[0]`."""
    out: list[Draft] = []
    previous_regulator: str | None = None
    for facts in article.facts:
        if facts.denied or _shouted(facts):
            continue
        regulatory = _regulatory(article, facts, previous_regulator)
        previous_regulator = regulatory[0].regulator if regulatory else None
        out += regulatory
        out += _deals(article, facts)
        if not regulatory:
            out += _clinical(article, facts)
    return out


def _shouted(facts: SentenceFacts) -> bool:
    """A heading in capitals inside the text ("ENTRY INTO AN EXCLUSIVE LICENSE AGREEMENT WITH ACME"): its
    names cannot be told from its other words; the text below tells the same deal in ordinary case. One with
    a sum ("ACME BUYS BIRCH FOR $1 BILLION") may be all there is, and stays."""
    text = facts.sentence.text
    if facts.sentence.is_title or facts.money or not text.isupper():
        return False
    return len(text.split()) >= 5


# -- regulatory ---------------------------------------------------------------------------------


def _regulatory(article: Article, facts: SentenceFacts, inherited: str | None) -> list[Draft]:
    if not facts.actions or not is_regulatory(facts):
        return []
    text = facts.sentence.text
    actions = [a for a in facts.actions if a == "other" or not _contingent(facts)]
    if not actions:
        return []
    if _MILESTONE.search(text, facts.lowered) or (facts.money and (not facts.regulators or _deal_money(facts))):
        return []  # "milestones tied to development, regulatory approval and sales": contingent, not an event
    if "approved" in actions and (_descriptive_approval(facts) or _attributive_approval(facts)):
        actions.remove("approved")  # "Birchtra, approved for psoriasis": a description, not a dated event
    drafts: list[Draft] = []
    companies = [c for c in companies_of(article, [facts]) if not is_regulator_name(c)]
    for action in actions:
        draft = Draft("regulatory", False, [facts], action=action)
        draft.assets = [a for a in event_assets(article, draft) if not is_comparator(article, a)][:2]
        draft.companies = _sponsors(article, facts, companies, draft.assets)
        draft.regulator = facts.regulators[0].canonical if facts.regulators else None
        if draft.regulator is None and not facts.regions:
            draft.regulator = inherited
        draft.date = date_of(facts, article, "regulatory")
        draft.context = _elaboration(article, facts)
        drafts.append(draft)  # even naming neither drug nor company: "It was approved in Japan" names it elsewhere
    if len(drafts) == 1:
        drafts = _per_regulator(article, facts, drafts[0]) or _per_region(facts, drafts[0])
    return drafts


def _deal_money(facts: SentenceFacts) -> bool:
    """A figure of the sentence is a deal's ("$20 million upon approval"), not sales or cash ("won FDA approval
    in 2025 and brought in $31 million in sales")."""
    text, start = facts.sentence.text, facts.sentence.start
    previous = [start, *(m.end for m in facts.money)]
    return any(classify(text, m, start, end) is not None for m, end in zip(facts.money, previous, strict=False))


def _per_regulator(article: Article, facts: SentenceFacts, draft: Draft) -> list[Draft]:
    """"The FDA approved Acme's AC-1 …, and the EMA approved Birch's BR-2 …": one event per regulator's clause,
    each with its own drug, company and date."""
    hits = [h for number, h in enumerate(facts.regulators)
            if number == 0 or h.canonical != facts.regulators[number - 1].canonical]
    if len(hits) < 2 or len({h.canonical for h in hits}) < len(hits):
        return []
    starts = [facts.sentence.start]
    for previous, hit in pairwise(hits):
        glue = list(_REGULATOR_CLAUSE.finditer(article.text, previous.end, hit.start))
        if not glue:
            return []  # "approved by the FDA and the EMA": one decision told for two regulators
        starts.append(glue[-1].start())
    out: list[Draft] = []
    for hit, start, end in zip(hits, starts, [*starts[1:], facts.sentence.end], strict=True):
        span = (start, end)
        assets = [a for a in draft.assets if any(start <= s < end for s, _ in a.mentions)]
        companies = [c for c in draft.companies if any(start <= s < end for s, _ in c.mentions)]
        if not assets and not companies:
            return []
        part = Draft("regulatory", False, [facts], action=draft.action, companies=companies, assets=assets,
                     regulator=hit.canonical, date=date_of(facts, article, "regulatory", span), span=span)
        part.context = draft.context
        out.append(part)
    return out


def _per_region(facts: SentenceFacts, draft: Draft) -> list[Draft]:
    """"approved in Macau in March last year, and in Hong Kong in May": one event per region and date."""
    pairs: list[tuple[int, str]] = []  # (where the region's clause starts, its date)
    for number, region in enumerate(facts.regions):
        stop = facts.regions[number + 1].start if number + 1 < len(facts.regions) else facts.sentence.end
        mention = next((d for d in facts.dates if region.end <= d.start < min(stop, region.end + 30)), None)
        if mention is not None:
            pairs.append((region.start, mention.value))
    if len(pairs) < 2 or len({d for _, d in pairs}) < len(pairs):
        return [draft]
    out: list[Draft] = []
    ends = [start for start, _ in pairs[1:]] + [facts.sentence.end]
    for (start, date), end in zip(pairs, ends, strict=True):
        part = Draft("regulatory", False, [facts], action=draft.action, companies=draft.companies,
                     assets=draft.assets, regulator=draft.regulator, date=date, span=(start, end))
        part.context = draft.context
        out.append(part)
    return out


def _contingent(facts: SentenceFacts) -> bool:
    text = facts.sentence.text
    low = facts.lowered
    if _DUTY.search(text, low):
        return True
    return bool(_CONDITIONAL.search(text, low)) or (facts.hypothetical and not _FACT_VERB.search(text, low))


def _descriptive_approval(facts: SentenceFacts) -> bool:
    text = facts.sentence.text
    if _DESCRIPTIVE_APPROVAL.search(text, facts.lowered) and not facts.regulators:
        return True
    if _APPROVED_SINCE.search(text, facts.lowered):
        return True
    low = facts.lowered
    return bool(_APPOSITIVE_APPROVAL.search(text, low)) and not _FINITE.search(text, low) and not facts.dates


_APPROVAL_WORD = caseless(r"\bapprov(?:ed|al|als|es)\b")
# "rights to its approved migraine antibody", "licenses approved drug X": the word describes a drug before its noun
_BEFORE_A_NOUN = re.compile(r"approved\s+(?!(?:by|for|in|on|as|to|under|with|and|or|the|a|an|its|their|this|"
                            r"these|it|them|two|three|last|earlier|early|late|today|yesterday)\b)[a-z][\w-]*")
_VERB_BEFORE = re.compile(r"(?:\b(?:was|were|is|are|be|been|being|has|have|had|get|gets|got|regulators|authorities|"
                          r"agency|agencies|it|they|who|which|that)|[A-Z][\w.-]*)\s+(?:\w+ly\s+)?$")


def _attributive_approval(facts: SentenceFacts) -> bool:
    """Every "approv…" of the sentence is "approved" before a noun, after no subject or auxiliary ("handed rights to
    its approved migraine antibody"): a kind of drug, not a decision the sentence tells."""
    text = facts.sentence.text
    words = list(_APPROVAL_WORD.finditer(text, facts.lowered))
    return bool(words) and all(
        _BEFORE_A_NOUN.match(text, w.start()) and not _VERB_BEFORE.search(text, max(0, w.start() - 40), w.start())
        for w in words)


def _sponsors(article: Article, facts: SentenceFacts, companies: list[Company], assets: list[Asset] | None = None
              ) -> list[Company]:
    """The companies a regulatory or clinical event is about: the sentence's own, without parents named as such,
    the hospitals and institutes that run a trial, or the owner of another drug ("referencing Acme's Acmeva")."""
    parents = parent_companies(article, facts)
    kept = [c for c in companies if c not in parents and not is_site(c)]
    others = _owners_of_other_drugs(article, facts, assets or []) | _partners_named_by(article, facts)
    return ([c for c in kept if c not in others] or kept)[:3]


# "Acme's U.S. partner Birch received FDA clearance": Birch acts, Acme only names it
_PARTNER_OF = re.compile(r"['’]s\s+(?:[\w.-]+\s+){0,2}?(?:partner|licensee|licensing partner|collaborator)\s+")


def _partners_named_by(article: Article, facts: SentenceFacts) -> set[Company]:
    mentions = article.index.mentions_in(facts.sentence.start, facts.sentence.end)
    starts = {s: c for s, _, c in mentions}
    named: set[Company] = set()
    for _, end, company in mentions:
        partner = _PARTNER_OF.match(article.text, end)
        if partner and starts.get(partner.end()) not in (None, company):
            named.add(company)
    return named


def _owners_of_other_drugs(article: Article, facts: SentenceFacts, assets: list[Asset]) -> set[Company]:
    owners: set[Company] = set()
    drugs = article.index.assets_in(facts.sentence.start, facts.sentence.end)
    for start, end, company in article.index.mentions_in(facts.sentence.start, facts.sentence.end):
        possessed = _POSSESSED.match(article.text, end)
        if possessed and (any(a not in assets and any(s == possessed.end() for s, _ in a.mentions) for a in drugs)
                          or _REFERENCE_BEFORE.search(article.text, max(facts.sentence.start, start - 60), start)):
            owners.add(company)
    return owners


def _elaboration(article: Article, facts: SentenceFacts) -> list[SentenceFacts]:
    """'It is indicated for …' right after the sentence that states the event."""
    position = article.position(facts)
    if position + 1 < len(article.facts):
        after = article.facts[position + 1]
        if not after.actions and not after.dates and re.match(r"(?:it|this|the drug)\b", after.sentence.text, re.I):
            return [after]
    return []


# -- deals --------------------------------------------------------------------------------------


def _deals(article: Article, facts: SentenceFacts) -> list[Draft]:
    if not facts.types:
        return []
    kinds = [k for k in DEAL_TYPES if k in facts.types]
    if not kinds and "deal" in facts.types:
        kinds = ["deal"]  # "signed an agreement with …": the kind follows from how the deal is told
    if not kinds:
        return []
    drafts: list[Draft] = []
    for start, end, shared_subject in _clauses(article, facts):
        drafts += _deal_in(article, facts, start, end, kinds, shared_subject)
    return drafts + _expanded_originals(article, facts, drafts)


def _expanded_originals(article: Article, facts: SentenceFacts, drafts: list[Draft]) -> list[Draft]:
    """"In June Acme expanded an April 2020 contract with Birch": the contract of April 2020 is an event too."""
    match = _EXPANDED_DATED.search(facts.sentence.text, facts.lowered)
    if match is None or len(drafts) != 1:
        return []
    offset = facts.sentence.start + match.start("deal")
    date = next((d.value for d in facts.dates if offset <= d.start < facts.sentence.start + match.end()), None)
    if date is None or date == drafts[0].date:
        return []
    original = Draft(drafts[0].type, False, [facts], companies=list(drafts[0].companies), assets=list(drafts[0].assets),
                     date=date, distinct=True)
    return [original]


def _clauses(article: Article, facts: SentenceFacts) -> list[tuple[int, int, bool]]:
    """Spans of the sentence that each may hold a deal of their own; True where the clause goes on with
    the subject of the one before ("Acme bought Birch and linked arms with Cedar")."""
    sentence = facts.sentence
    cuts = [(sentence.start, False)]
    if len(article.index.mentions_in(sentence.start, sentence.end)) < 2:
        return [(sentence.start, sentence.end, False)]  # a cut needs a company mentioned on either side of it
    for match in _CLAUSE_BREAK.finditer(sentence.text, facts.lowered):
        cut = sentence.start + match.start()
        companies_before = article.index.companies_in(cuts[-1][0], cut)
        companies_after = article.index.companies_in(cut, sentence.end)
        if companies_before and len(companies_after) >= 1 and _states_deal(sentence.text[match.end():]):
            cuts.append((cut, match.group("shared") is not None))
    for match in _GERUND_BREAK.finditer(sentence.text, facts.lowered):
        cut = sentence.start + match.start()
        if article.index.companies_in(sentence.start, cut) and article.index.companies_in(cut, sentence.end) \
                and _states_deal(sentence.text[match.end():]):
            cuts = sorted({*cuts, (cut, True)})
    if "licensing" in facts.types:
        cuts = sorted({*cuts, *_recipient_cuts(article, facts)})
    if "acquisition" in facts.types and len(facts.money) >= 2:
        cuts = sorted({*cuts, *_priced_target_cuts(article, facts)})
    cuts = [cut for number, cut in enumerate(cuts) if number == 0 or cut[0] != cuts[number - 1][0]]
    ends = [c for c, _ in cuts[1:]] + [sentence.end]
    return [(start, end, shared) for (start, shared), end in zip(cuts, ends, strict=True)]


def _recipient_cuts(article: Article, facts: SentenceFacts) -> list[tuple[int, bool]]:
    """Where a grant's second recipient begins: a company right after "and (AB-2) to", with a licensor and a
    first recipient named before it."""
    sentence = facts.sentence
    cuts: list[tuple[int, bool]] = []
    for match in _RECIPIENT_BREAK.finditer(sentence.text):
        cut, recipient = sentence.start + match.start(), sentence.start + match.end()
        after = article.index.companies_in(recipient, sentence.end)
        if after and after[0][0] == recipient and len(article.index.companies_in(sentence.start, cut)) >= 2:
            cuts.append((cut, True))
    return cuts


def _priced_target_cuts(article: Article, facts: SentenceFacts) -> list[tuple[int, bool]]:
    """Where the next of several companies bought, each at its own price, begins: "agreed to acquire Birch for
    $300 million, Cedar for $1.2 billion and Dune for $85 million" (the buyer is shared)."""
    mentions = article.index.mentions_in(facts.sentence.start, facts.sentence.end)
    cuts: list[tuple[int, bool]] = []
    for number, (start, end, _) in enumerate(mentions[2:], start=2):
        previous_end = mentions[number - 1][1]
        priced_before = [m for m in facts.money if previous_end <= m.start and m.end <= start]
        if priced_before and _LIST_GLUE.fullmatch(article.text, priced_before[-1].end, start) and any(
                _PRICED.fullmatch(article.text, end, m.start) for m in facts.money if m.start >= end):
            cuts.append((priced_before[-1].end, True))
    return cuts


def _states_deal(text: str) -> bool:
    low = text.lower()
    return any(TYPE_CUES[k].search(text, low) for k in DEAL_TYPES)


def _deal_in(article: Article, facts: SentenceFacts, start: int, end: int, kinds: list[str],
             shared_subject: bool) -> list[Draft]:
    whole = start == facts.sentence.start and end == facts.sentence.end
    clause_kinds = kinds if whole else _clause_kinds(article.text[start:end]) or kinds
    kind = _kind(clause_kinds)
    offset = facts.sentence.start
    if _SPECULATIVE.search(article.text[start:end], facts.lowered[start - offset : end - offset]):
        return []  # "Acme could acquire Birch, analysts said": a guess, not a deal
    background = _background(article, facts, start, end)
    if background and not _clause_kinds(_blanked(article.text[start:end], start, background)):
        return []  # "Acme, which Birch Group acquired in 2019, …", "previously partnered with Cedar on …"
    clause, low = article.text[start:end], facts.lowered[start - offset : end - offset]
    if kind == "financing" and _raised_in_all(article, facts, start, end, clause, low):
        return []  # "Founded in 2018, Birch has raised more than RMB 1.5 billion": money raised in all, no round
    if kind == "financing" and facts.historical and not facts.money and is_quote(facts):
        return []  # '"We have backed Acme since its Series A," said …': an investor's word, no round of its own
    parents = parent_companies(article, facts)
    companies = [c for _, c in article.index.companies_in(start, end)
                 if not is_regulator_name(c) and c not in parents]
    if background:  # a company named only in the background is no party
        companies = [c for c in companies if not all(_inside(s, background) for s, _ in c.mentions if start <= s < end)]
    if shared_subject:
        subject = article.index.companies_in(facts.sentence.start, start)[:1]
        companies = [c for _, c in subject if c not in companies] + companies
    distinct = False
    text = facts.sentence.text
    if not companies and _ANOTHER.search(text, facts.lowered) and not _SAME_DEAL.match(text, facts.lowered):
        distinct = True
    elif _THE_PARTIES.match(text, facts.lowered):
        companies = [*_previous_parties(article, facts), *companies]
    if kind == "financing" and THE_COMPANY.search(text, facts.lowered) and not companies:
        companies = _previous_parties(article, facts)[:1]
    companies = list(dict.fromkeys(companies))
    if not companies and not distinct:
        return []  # "Chinese drugmakers signed a burst of licensing deals": no deal of its own
    drafts = [Draft(kind, False, [facts], companies=c, distinct=distinct) for c in _split_counted(
        article, facts, kind, companies, start, end)]
    for draft in drafts:
        draft.span = None if whole else (start, end)
        draft.issuer_less = kind == "financing" and not _names_issuer(article, facts, start, end)
        draft.assets = [a for a in event_assets(article, draft)
                        if whole or any(start <= s < end for s, _ in a.mentions)][:3]
        if not draft.assets and _RECIPIENT_BREAK.match(article.text, start):
            draft.assets = [a for a in event_assets(article, draft)
                            if any(facts.sentence.start <= s < start for s, _ in a.mentions)][:1]
        draft.date = date_of(facts, article, kind, draft.span)
    return drafts


def _raised_in_all(article: Article, facts: SentenceFacts, start: int, end: int, clause: str, low: str) -> bool:
    """A clause whose sums tell what a company has raised in all: "has raised more than RMB 1.5 billion" with no
    round word in the clause, or only sums that a round "brings total funding" to."""
    sums = [m for m in facts.money if start <= m.start < end]
    if not sums:
        return False
    text, offset = article.text, facts.sentence.start
    totals = 0
    cumulative = False
    for money in sums:
        lead = max(start, money.start - _SUM_LEAD)
        before, before_low = text[lead : money.start], facts.lowered[lead - offset : money.start - offset]
        if _TOTAL_BEFORE.search(before, before_low):
            totals += 1
        elif _CUMULATIVE_BEFORE.search(before, before_low) and _CUMULATIVE_AFTER.match(
                text[money.end : end], facts.lowered[money.end - offset : end - offset]) is not None:
            cumulative = True
    return totals == len(sums) or (cumulative and not _ROUND_WORD.search(clause, low))


def _background(article: Article, facts: SentenceFacts, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of a clause that tell background in passing (`_OWNERSHIP_ASIDE`, and `_PAST_TIE` with no sum or
    date in it), as offsets in the article."""
    clause = article.text[start:end]
    spans = [(start + m.start(), start + m.end()) for m in _OWNERSHIP_ASIDE.finditer(clause)]
    terms = [m.start for m in facts.money] + [d.start for d in facts.dates]
    money = [m.start for m in facts.money]
    for match in _ROUND_ASIDE.finditer(clause):  # with no sum in it: a round told with its amount is an event
        span = (start + match.start(), start + match.end())
        if not any(_inside(s, [span]) for s in money):
            spans.append(span)
    lowered = facts.lowered[start - facts.sentence.start : end - facts.sentence.start]
    for match in [*_PAST_TIE.finditer(clause, lowered), *_LICENSED_FROM.finditer(clause, lowered)]:
        span = (start + match.start(), start + match.end())
        if not any(_inside(s, [span]) for s in terms):
            spans.append(span)
    return spans


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= offset < e for s, e in spans)


def _blanked(clause: str, start: int, spans: list[tuple[int, int]]) -> str:
    for s, e in spans:
        clause = clause[: s - start] + " " * (e - s) + clause[e - start :]
    return clause


def _names_issuer(article: Article, facts: SentenceFacts, start: int, end: int) -> bool:
    """Whether a financing clause says who raises the money ("Acme raised …"), not only who invests."""
    return any(role_at(article.index, facts.sentence, s, e, "financing") == "issuer"
               for s, e, _ in article.index.mentions_in(start, end))


def _clause_kinds(clause: str) -> list[str]:
    low = clause.lower()
    return [k for k in DEAL_TYPES if TYPE_CUES[k].search(clause, low)]


def _kind(kinds: list[str]) -> str:
    if "licensing" in kinds and kinds[0] == "collaboration":
        return "licensing"  # framing decides between the two later, over every sentence of the deal
    return kinds[0]


def _split_counted(article: Article, facts: SentenceFacts, kind: str, companies: list[Company],
                   start: int, end: int) -> list[list[Company]]:
    """"Acme bought Birch and Cedar in two deals": one acquisition per company bought."""
    if kind != "acquisition" or len(companies) < 3 or not _COUNTED_DEALS.search(article.text[start:end]):
        return [companies[:MAX_PARTIES]]
    sentence = facts.sentence
    roles = {id(c): role_at(article.index, sentence, s, e, kind)
             for s, e, c in article.index.mentions_in(start, end)}
    buyers = [c for c in companies if roles.get(id(c)) == "acquirer"] or companies[:1]
    bought = [c for c in companies if c not in buyers]
    return [[*buyers, target] for target in bought]


def _previous_parties(article: Article, facts: SentenceFacts) -> list[Company]:
    """The companies of the nearest earlier sentence that names two or more ("the companies", "the company")."""
    position = article.position(facts)
    for earlier in reversed(article.facts[:position]):
        named = [c for c in companies_of(article, [earlier]) if not is_regulator_name(c)]
        if named:
            return named
    return []


# -- clinical -----------------------------------------------------------------------------------


def _backs_a_filing(article: Article, facts: SentenceFacts) -> bool:
    """"The NDA is based on the results of study X. The study met its primary endpoint.": the data behind a
    filing, told again, not a readout of its own."""
    if not _THE_STUDY.match(facts.sentence.text):
        return False
    position = article.position(facts)
    if position == 0:
        return False
    before = article.facts[position - 1]
    return not before.sentence.is_title and _EVIDENCE.search(before.sentence.text, before.lowered) is not None


# "Acme dosed the first patient in September and expects data in 2026": a fact, then a hope in a clause after it
_AND_THEN = re.compile(r"\band\s+(?:\w+\s+)?$|"
                       # "…, data that analysts said could make it a partner": a comment on the result told before
                       r",\s+(?:data|results|findings|figures|news|an? (?:result|outcome|readout)|which)\b[^,;]{0,40}$")


def _fact_then_hope(facts: SentenceFacts) -> bool:
    start = hypothetical_start(facts.sentence.text, facts.lowered)
    if not start:
        return False
    before = facts.sentence.text[:start]
    return bool(_AND_THEN.search(before)) and TYPE_CUES["clinical"].search(before, before.lower()) is not None


# "Following the completion of a Phase 3 trial that met its endpoint, X is NDA-ready": the drug's state, no event
_COMPLETED_BEFORE = re.compile(r"(?:Following|After) (?:the )?(?:successful )?(?:completion|conclusion) of\b"
                               r"[^,;]{0,100},\s+(?:[\w-]+\s+){1,3}?(?:is|are|has|remains)\b")


def _clinical(article: Article, facts: SentenceFacts) -> list[Draft]:
    if "clinical" not in facts.types or (facts.hypothetical and not _fact_then_hope(facts)):
        return []
    text, low = facts.sentence.text, facts.lowered
    if _COMPLETED_BEFORE.match(text):
        return []
    if is_quote(facts) or _INTENT.search(text, low) or _EVIDENCE.search(text, low) or _PLANNED_TRIAL.search(text, low):
        return []  # "the financing will enable us to launch a trial", "approval based on data from a trial"
    if DEAL_TYPES[0] in facts.types or facts.money or _backs_a_filing(article, facts):
        return []
    draft = Draft("clinical", False, [facts])
    draft.assets = event_assets(article, draft)[:1]
    companies = [c for c in companies_of(article, [facts]) if not is_regulator_name(c)]
    draft.companies = _sponsors(article, facts, companies)[:2]
    draft.date = date_of(facts, article, "clinical")
    if not facts.stages:
        position = article.position(facts)
        draft.context = [f for f in article.facts[max(0, position - 2) : position] if f.stages][-1:]
    return [draft]
