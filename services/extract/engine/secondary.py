"""Events the article mentions besides its headline: earlier deals, designations, competitors' events.

Each sentence outside the headline's anchor may state an event of its own; one that turns out to be
the headline event again (same type, parties or asset, no other date) is folded into it instead.
"""

from __future__ import annotations

import re

from services.extract.engine.analysis import SentenceFacts
from services.extract.engine.drafts import (
    DEAL_TYPES,
    TRIAL_ACTION,
    Article,
    Draft,
    companies_of,
    date_of,
    event_assets,
    is_comparator,
    is_past,
    is_regulator_name,
    is_regulatory,
    names_any,
    reference_month,
)
from services.extract.engine.entities import Company
from services.extract.engine.vocab import VOCAB_DIR, compile_cue, load

_VOCAB = load()
_CONDITIONAL = re.compile(
    r"^(?:if|before|once|unless|should|upon)\b|\b(?:if|before|once|unless)\b[^,.]{0,60}\bapprov|"
    r"\b(?:would|could|may|might|expected to|anticipated to|pursuing|seeking|plans? to)\b[^,.]{0,40}\b"
    r"(?:approv|designation|clearance|accept)",
    re.I,
)
_MILESTONE = re.compile(r"\bmilestones?\b", re.I)
_APPOSITIVE_APPROVAL = re.compile(r"[,(]\s*(?:already |conditionally |recently |fully )?approved\b", re.I)
_FINITE = re.compile(r"\b(?:was|were|is|are|has|have|had|received?|receives|granted|obtained|secured|won|gained|"
                     r"issued|accepted|placed|cleared|approves|grants|accepts)\b", re.I)
_FACT_VERB = re.compile(r"\b(?:was|were|has been|had been|have been|received|receive|granted|obtained|secured|"
                        r"won|gained|approved)\b", re.I)
_PRONOUN_ASSET = re.compile(r"\b(?:it|its|the drug|the product|the candidate|the therapy|the company's|the trial)\b",
                            re.I)
CONTINUATION = compile_cue(_VOCAB.cues["continuation"])
_TERMS = re.compile(r"\b(?:rights|royalt\w*|upfront|milestones?|deal|agreement|terms|territor\w*)\b", re.I)
_THE_COMPANY = re.compile(r"\b(?:the|this) (?:company|firm|group|start-?up|biotech)\b", re.I)
_THE_PARTIES = re.compile(r"(?:the (?:two )?(?:companies|partners|parties)|both (?:companies|parties))\b", re.I)
_ANOTHER = re.compile(r"\b(?:second|third|another|further|new)\b", re.I)
_MAX_FOLLOW = 3


def build_secondary(article: Article, primaries: list[Draft]) -> list[Draft]:
    anchors = {id(d.facts[0]) for d in primaries}
    primary = primaries[0] if primaries else None
    reference = reference_month(article, article.lead, primary.type if primary else "")
    out: list[Draft] = []
    previous_regulator: str | None = None
    for position, facts in enumerate(article.facts):
        if facts.sentence.is_title or id(facts) in anchors:
            continue
        drafts = _regulatory(article, facts, primary, previous_regulator)
        previous_regulator = drafts[0].regulator if drafts else None
        drafts += _deal(article, position, primary, reference, out)
        for draft in drafts:
            _describe(article, draft, primary)
            if not _absorbed(draft, primaries, out, reference):
                out.append(draft)
    promoted = [d for d in out if _is_another_headline(d, primary, reference)]
    for draft in promoted:
        draft.primary = True
    return promoted + [d for d in out if d not in promoted]


def _is_another_headline(draft: Draft, primary: Draft | None, reference: str | None) -> bool:
    """A round-up article reports several deals of the same kind, each with its own terms."""
    if primary is None or draft.type != primary.type or draft.type not in DEAL_TYPES:
        return False
    facts = draft.facts[0]
    return any(f.money for f in draft.facts) and not is_past(facts, reference) and not draft.date


# -- regulatory ---------------------------------------------------------------------------------


def _regulatory(article: Article, facts: SentenceFacts, primary: Draft | None, inherited: str | None) -> list[Draft]:
    if not facts.actions or not is_regulatory(facts):
        return []
    text = facts.sentence.text
    if _CONDITIONAL.search(text) or (facts.hypothetical and not _FACT_VERB.search(text)):
        return []
    if facts.money or _MILESTONE.search(text):
        return []  # "milestones tied to development, regulatory approval and sales": contingent, not an event
    if _APPOSITIVE_APPROVAL.search(text) and not _FINITE.search(text) and not facts.dates:
        return []  # "Birchtra, approved for psoriasis": a description, not a dated event
    companies = [c for c in companies_of(article, [facts]) if not is_regulator_name(c)]
    draft = Draft("regulatory", False, [facts], action=facts.actions[0])
    draft.assets = [a for a in event_assets(article, draft) if not is_comparator(article, a)][:2]
    if not draft.assets and primary is not None and (not companies or _PRONOUN_ASSET.search(text)):
        draft.assets = primary.assets[:1]
    if not draft.assets and not companies:
        return []
    if not companies:
        companies = _owners(article, draft, primary)
    draft.companies = companies[:2]
    draft.regulator = facts.regulators[0].canonical if facts.regulators else None
    if draft.regulator is None and not facts.regions:
        draft.regulator = inherited
    draft.date = date_of(facts, article, "regulatory")
    draft.context = _elaboration(article, facts)
    return [draft]


def _owners(article: Article, draft: Draft, primary: Draft | None) -> list[Company]:
    for asset in draft.assets:
        owners = article.index.owners_of(asset)
        if owners:
            return owners
    if primary is None or (draft.assets and not set(map(id, draft.assets)) & set(map(id, primary.assets))):
        return []
    sponsors = 2 if primary.type in ("regulatory", "clinical", "collaboration") else 1  # a licensor owns the drug
    return primary.companies[:sponsors]


def _elaboration(article: Article, facts: SentenceFacts) -> list[SentenceFacts]:
    """'It is indicated for …' right after the sentence that states the event."""
    position = article.facts.index(facts)
    if position + 1 < len(article.facts):
        after = article.facts[position + 1]
        if not after.actions and not after.dates and re.match(r"(?:it|this|the drug)\b", after.sentence.text, re.I):
            return [after]
    return []


# -- deals and trials ----------------------------------------------------------------------------


def _deal(article: Article, position: int, primary: Draft | None, reference: str | None,
          earlier: list[Draft]) -> list[Draft]:
    facts = article.facts[position]
    kinds = [k for k in ("acquisition", "licensing", "collaboration", "financing") if k in facts.types]
    if not kinds:
        if primary is not None and not facts.hypothetical and TRIAL_ACTION.search(facts.sentence.text, facts.lowered):
            return _clinical(article, facts, primary)
        return _earlier_terms(article, facts, primary, reference)
    kind = "licensing" if "licensing" in kinds and kinds[0] == "collaboration" else kinds[0]
    companies = [c for c in companies_of(article, [facts]) if not is_regulator_name(c)]
    distinct = False
    if not companies and _ANOTHER.search(facts.sentence.text):
        companies = next((d.companies for d in reversed(earlier) if d.type == kind), [])
        distinct = True
    elif primary is not None and _THE_PARTIES.match(facts.sentence.text):
        # "The companies originally entered into the collaboration in 2023": the headline's parties
        companies = [*primary.companies, *(c for c in companies if c not in primary.companies)]
    if kind == "financing" and primary is not None and primary.type == "financing" and primary.companies \
            and _THE_COMPANY.search(facts.sentence.text) and primary.companies[0] not in companies:
        companies = [primary.companies[0], *companies]  # "invested in the company": the headline issuer
    if len(companies) < (1 if kind == "financing" else 2):
        return []
    draft = Draft(kind, False, [facts], companies=companies, distinct=distinct)
    draft.facts += _following(article, position, companies, kind)
    draft.assets = event_assets(article, draft)[:2]
    if not draft.assets and primary is not None and _PRONOUN_ASSET.search(facts.sentence.text):
        draft.assets = primary.assets[:1]  # "acquired a license for the drug"
    draft.date = date_of(facts, article, kind)
    return [draft]


def _earlier_terms(article: Article, facts: SentenceFacts, primary: Draft | None,
                   reference: str | None) -> list[Draft]:
    """Money of the headline parties dated before the headline: the terms of their earlier deal."""
    if primary is None or primary.type not in DEAL_TYPES or not facts.money or not is_past(facts, reference):
        return []
    if not names_any(article, facts, primary.companies) or not facts.dates:
        return []
    companies = [c for c in companies_of(article, [facts]) if c in primary.companies] or primary.companies
    draft = Draft(primary.type, False, [facts], companies=list(primary.companies))
    draft.date = date_of(facts, article, primary.type)
    return [draft] if companies else []


def _following(article: Article, position: int, companies: list[Company], kind: str) -> list[SentenceFacts]:
    """Sentences that go on about the same deal: same parties only, or none named and about its terms."""
    out: list[SentenceFacts] = []
    for facts in article.facts[position + 1 : position + 1 + _MAX_FOLLOW]:
        if facts.dates or (facts.types & set(DEAL_TYPES) and kind not in facts.types):
            break
        present = [c for _, c in article.index.companies_in(facts.sentence.start, facts.sentence.end)]
        same_parties = bool(present) and all(c in companies for c in present)
        about_terms = not present and (bool(facts.money) or bool(_TERMS.search(facts.sentence.text)))
        if not (same_parties or about_terms):
            break
        out.append(facts)
    return out


def _clinical(article: Article, facts: SentenceFacts, primary: Draft) -> list[Draft]:
    draft = Draft("clinical", False, [facts])
    draft.assets = event_assets(article, draft)[:1] or primary.assets[:1]
    companies = [c for c in companies_of(article, [facts]) if not is_regulator_name(c)]
    draft.companies = (companies or _owners(article, draft, primary))[:2]
    draft.date = date_of(facts, article, "clinical")
    if not facts.stages:
        position = article.facts.index(facts)
        draft.context = [f for f in article.facts[max(0, position - 2) : position] if f.stages][-1:]
    return [draft] if draft.assets else []


# -- descriptions and merging -------------------------------------------------------------------


def _describe(article: Article, draft: Draft, primary: Draft | None) -> None:
    """Modality and targets belong to the drug: take them from every sentence about the event's asset
    (or, for an earlier deal of the headline parties without a named drug, from the headline)."""
    if not draft.assets:
        if primary is not None and not primary.assets and _same_parties(draft, primary):
            draft.profile = primary.facts[:1]
        return
    names = {n.lower() for a in draft.assets for n in a.names}
    about = [f for f in article.facts if any(n in f.lowered for n in names)]
    draft.profile = [f for f in about if f not in draft.facts]


def _same_event(a: Draft, b: Draft) -> bool:
    if a.type != b.type or a.action != b.action:
        return False
    if a.regulator and b.regulator and a.regulator != b.regulator:
        return False
    if a.date and b.date and a.date[:7] != b.date[:7]:
        return False
    if a.type == "regulatory" and _regions(a) and _regions(b) and not _regions(a) & _regions(b):
        return False
    shared_assets = set(map(id, a.assets)) & set(map(id, b.assets))
    shared_companies = set(map(id, a.companies)) & set(map(id, b.companies))
    if a.type in DEAL_TYPES:
        return bool(shared_companies) and len(shared_companies) >= min(2, len(a.companies), len(b.companies))
    return bool(shared_assets) or ((not a.assets or not b.assets) and bool(shared_companies))


def _regions(draft: Draft) -> set[str]:
    found = {h.canonical for f in draft.facts[:1] for h in f.regions if h.canonical != "worldwide"}
    if draft.regulator:
        found |= set(_REGULATOR_REGION.get(draft.regulator, ()))
    return found


def _regulator_regions() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    path = VOCAB_DIR / "regulator_regions.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            regulator, _, regions = line.partition("\t")
            table[regulator.strip()] = tuple(r.strip() for r in regions.split("|") if r.strip())
    return table


def _same_parties(a: Draft, b: Draft) -> bool:
    return bool(a.companies) and {id(c) for c in a.companies} == {id(c) for c in b.companies}


def _absorbed(draft: Draft, primaries: list[Draft], secondaries: list[Draft], reference: str | None) -> bool:
    if draft.distinct:
        return False
    for existing in [*primaries, *secondaries]:
        same = _same_event(draft, existing)
        if not same and existing.primary and draft.type in DEAL_TYPES and existing.type in DEAL_TYPES:
            # the headline deal told again in other words ("the tie-up", "the partnership")
            same = _same_parties(draft, existing) and not is_past(draft.facts[0], reference)
        if not same:
            continue
        if existing.primary and draft.date and existing.date and draft.date[:7] != existing.date[:7]:
            continue
        moved_on = draft.date and draft.date[:7] != (existing.date or "")[:7]
        if existing.primary and draft.type in DEAL_TYPES and (moved_on or is_past(draft.facts[0], reference)):
            continue
        if existing.primary and draft.date and not existing.date and reference and draft.date[:7] < reference:
            continue
        existing.facts.extend(f for f in draft.facts if f not in existing.facts)
        existing.regulator = existing.regulator or draft.regulator
        existing.date = existing.date or draft.date
        return True
    return False


_REGULATOR_REGION = _regulator_regions()
