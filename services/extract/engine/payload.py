"""From a built event (`Draft`) to the `DealPayload` contract: money, royalties, territory, stage,
descriptive lists and the evidence behind each field."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace

from dealwire.services.extract.engine.analysis import SentenceFacts
from dealwire.services.extract.engine.assets import Asset, excluded_from_deal
from dealwire.services.extract.engine.drafts import (
    DEAL_TYPES,
    Article,
    Draft,
    is_past,
    is_quote,
    mentions_any,
    names_any,
)
from dealwire.services.extract.engine.money import MONEY_FIELDS, MoneyMention, deal_money
from dealwire.services.extract.engine.roles import assign_roles
from dealwire.services.extract.engine.stages import current_stages, stage_mentions, stage_rank, stage_spans
from dealwire.services.extract.engine.territory import territory_of
from dealwire.services.extract.engine.vocab import GatedPattern, Hit, compile_cue, holds_any, load, lowers_exactly
from dealwire.shared.schemas import DealPayload, Money, Party, Royalties, Territory

_VOCAB = load()


_ROYALTY = GatedPattern(re.compile(r"\broyalt(?:y|ies)\b", re.I), ("royalt",))


_TIERED = re.compile(r"\btiered\b", re.I)


_ROYALTY_RATE = re.compile(r"\b(?:(?:low|mid|high)[- ](?:single|double)[- ]digit|\d+(?:\.\d+)?\s?%|"
                           r"\d+ per ?cent)", re.I)


def _named_drug_modalities(draft: Draft, hits: list[Hit]) -> list[Hit]:
    """A named drug's modality is told in the singular ("an ADC"); beside that, "a portfolio of small molecules"
    or "its ADCs" tell a kind of drug in general. Plurals stay where nothing else is told ("called bispecific
    antibodies") and for a deal on a platform rather than a drug ("to discover radiopharmaceuticals")."""
    if not draft.assets:
        return hits
    singular = [h for h in hits if not _plural(h)]
    return singular or hits


def _plural(hit: Hit) -> bool:
    surface, canonical = hit.surface.lower(), hit.canonical.lower()
    return surface.endswith("s") and not canonical.endswith("s") and surface[: len(canonical) - 1] == canonical[:-1]


_ABSENT = re.compile(r"[- ](?:negative|null)\b", re.I)


# "CLDN18.2xCD3", "PD-1xVEGF": the two targets of a bispecific joined by an x, which no word boundary parts
_PAIRED = re.compile(r"(?<![\w-])(?P<a>[A-Z][\w.-]*[A-Z0-9])x(?P<b>[A-Z][\w.-]*[\w])")
# what every `_PAIRED` match holds: a capital or digit, the x, a capital; written to start with the x, which the
# scanner skips to, where the pattern tries every capital of the sentence
_PAIR_GATE = re.compile(r"x(?<=[A-Z0-9]x)[A-Z]")


def _with_paired(facts: SentenceFacts) -> list[Hit]:
    """The sentence's targets, with those of a pair written with an x."""
    if "x" not in facts.sentence.text or _PAIR_GATE.search(facts.sentence.text) is None:
        return facts.targets
    extra: list[Hit] = []
    for match in _PAIRED.finditer(facts.sentence.text):
        for part in ("a", "b"):
            offset = facts.sentence.start + match.start(part)
            found = _VOCAB.targets.find(match.group(part))
            extra += [Hit(offset + h.start, offset + h.end, h.canonical, h.surface) for h in found
                      if h.start == 0 and h.end == len(match.group(part))]
    if not extra:
        return facts.targets
    kept = [h for h in facts.targets if not any(e.start <= h.start < e.end or h.start <= e.start < h.end
                                                for e in extra)]
    return sorted(kept + extra, key=lambda h: h.start)


# "to combine it with its own PD-1 antibody", "compared with a CD20 antibody": another drug's kind and target
_PARTNER_DRUG = re.compile(r"(?:\bcombin\w*\s+(?:[\w-]+\s+){0,3}?with|\b(?:its|their)\s+own|\bversus|\bvs\.?|"
                           r"\bcompared\s+(?:with|to))\s+[^.;]{0,30}$", re.I)


# a word every `_PARTNER_DRUG` match holds, in lower case
_PARTNER_WORDS = ("combin", "own", "versus", "vs", "compared")


def _partner_drug(facts: SentenceFacts, hit: Hit) -> bool:
    if not holds_any(facts.lowered, _PARTNER_WORDS) and lowers_exactly(facts.sentence.text):
        return False  # no sentence without one of the words can match (`GatedPattern`)
    start = hit.start - facts.sentence.start
    return _PARTNER_DRUG.search(facts.sentence.text, max(0, start - 70), start) is not None


# "progressed after anti-PD-1 therapy", "previously treated with an EGFR inhibitor", "refractory to PD-1 blockade":
# a therapy the patients had before, whose target is not the drug's
_PRIOR_BEFORE = re.compile(r"\b(?:after|following|(?:progress\w*|relaps\w*)\s+on|(?:previously\s+|pre-?)?treated\s+"
                           r"with|refractory\s+to|resistant\s+to|failed|intoleran\w+\s+(?:of|to))\s+"
                           r"(?:(?:an?|one|two|prior|previous|standard|at\s+least\s+one)\s+){0,2}(?:anti-)?$", re.I)
_PRIOR_AFTER = re.compile(r"[- ]?(?:targeted\s+)?(?:therap(?:y|ies)|inhibitors?|blockade|treatments?|antibod(?:y|ies)|"
                          r"agents?|regimens?|drugs?)\b", re.I)
_PRIOR_WORDS = ("after", "following", " on ", "treated", "refractory", "resistant", "failed", "intoleran")


def _prior_therapy(facts: SentenceFacts, hit: Hit) -> bool:
    if not holds_any(facts.lowered, _PRIOR_WORDS):
        return False
    text, start, end = facts.sentence.text, hit.start - facts.sentence.start, hit.end - facts.sentence.start
    return _PRIOR_BEFORE.search(text, max(0, start - 60), start) is not None and \
        _PRIOR_AFTER.match(text, end) is not None


def _absent_marker(facts: SentenceFacts, hit: Hit) -> bool:
    """"HER2-negative breast cancer": a marker the patients lack, which no drug for them targets."""
    end = hit.end - facts.sentence.start
    return _ABSENT.match(facts.sentence.text, end) is not None


# "non-small cell lung cancer with EGFR mutations", "tumours that express PD-L1", "regardless of PD-L1 status"
_MARKER_AFTER = re.compile(r"(?:[- ](?:positive|expressing|overexpressing|mutant|mutated|amplified|deleted|high|low)\b|"
                           r"\s+(?:expression|overexpression|mutations?|status|amplification|alterations?|levels?)\b)",
                           re.I)
_MARKER_BEFORE = re.compile(r"\b(?:express(?:es|ing)?|overexpress(?:es|ing)?|harbou?ring)\s+(?:high\s+)?$", re.I)


def _without_markers(found: list[tuple[SentenceFacts, Hit]]) -> list[Hit]:
    """Without a target named only as the patients' biomarker, where the drug's own target is named too: "an
    anti-TIGIT antibody for tumours that express PD-L1" targets TIGIT."""
    if not found:
        return []
    marker = {id(h): _is_marker(f, h) for f, h in found}
    drug_targets = {h.canonical for _, h in found if not marker[id(h)]}
    if not drug_targets:
        return [h for _, h in found]
    return [h for _, h in found if not marker[id(h)] or h.canonical in drug_targets]


def _is_marker(facts: SentenceFacts, hit: Hit) -> bool:
    text, start, end = facts.sentence.text, hit.start - facts.sentence.start, hit.end - facts.sentence.start
    if _MARKER_AFTER.match(text, end) is not None:
        return True
    return _MARKER_BEFORE.search(text, max(0, start - 25), start) is not None


def _unique(hits: list[Hit]) -> list[str]:
    return list(dict.fromkeys(h.canonical for h in hits))


# a name of a cancer: "cancer" beside one ("melanoma") is an umbrella term, beside none ("infectious diseases and
# cancer") a field of its own
_ONCOLOGY = re.compile(r"cancer|tumou?r|carcinoma|lymphoma|leuka?emia|myeloma|melanoma|malignanc|sarcoma|glioma|"
                       r"blastoma|mesothelioma|neoplas|oncolog")


def _diseases(hits: list[Hit], umbrellas: frozenset[str] = frozenset()) -> list[str]:
    """One name per disease, as the article first writes it, without umbrella terms or a disease whose name
    another one's holds ("NSCLC" beside "metastatic non-small cell lung cancer"); "cancer" (and the like) beside
    diseases none of which is a cancer ("infectious diseases and cancer") is one of them. `umbrellas`: the canonical
    names of umbrella terms that stay, as the field of a company bought or funded (`_field_umbrellas`)."""
    first: dict[str, str] = {}
    for hit in hits:
        first.setdefault(hit.canonical, hit.surface)
    canonicals = list(first)
    kept: list[str] = []
    for canonical in canonicals:
        low = canonical.lower()
        if canonical not in umbrellas and first[canonical].lower() in _GENERIC_INDICATIONS and len(canonicals) > 1 and (
                _ONCOLOGY.search(low) is None or any(_ONCOLOGY.search(other.lower()) for other in canonicals
                                                     if other != canonical)):
            continue
        if any(other != canonical and f" {low} " in f" {other.lower()} " for other in canonicals):
            continue
        kept.append(first[canonical])
    return list(dict.fromkeys(kept))


def _short_names(hits: list[Hit]) -> list[str]:
    """One name per entry: the shortest symbol the article writes it as ("cMET" as written rather than "MET",
    "B7H3" rather than "B7-H3"), else the shortest of its canonical form and the names written ("VEGFR" for "VEGF
    receptor", "CLDN18.2" for "claudin 18.2")."""
    forms: dict[str, list[str]] = {}
    for hit in hits:
        forms.setdefault(hit.canonical, [hit.canonical]).append(hit.surface)
    names = []
    for canonical, *written in forms.values():
        symbols = [w for w in written if _SYMBOL.fullmatch(w)]
        names.append(min(symbols, key=len) if symbols else min([canonical, *written], key=len))
    return names


# "cMET", "PD-L1", "IL-23R": a symbol as the article writes it; not a name spelled out ("VEGF receptor",
# "interleukin-23")
_SYMBOL = re.compile(r"(?=.*[A-Z0-9])(?!.*[a-z]{4})[^\s]+")


def _most_specific(names: list[str]) -> list[str]:
    """A target once: "KRAS G12D" without "KRAS", "EGFR exon 20 insertion" without "EGFR", "IL-17A" without
    "IL-17"."""
    words = {name: " ".join(re.findall(r"[a-z0-9]+", name.lower())) for name in names}
    return [name for name in names
            if not any(other != name and (f" {words[name]} " in f" {words[other]} " or _member_of(name, other))
                       for other in names)]


def _member_of(family: str, name: str) -> bool:
    """"IL-17" beside "IL-17A", "FGFR" beside "FGFR2", "FGFR2" beside "FGFR2b": a family named beside the one
    member targeted (a ligand beside its receptor, "GLP-1" beside "GLP-1R", stays: the labels name the receptor
    "GLP-1 receptor", which the ligand's name is in; "CD3" beside "CD30" is another protein)."""
    if not name.startswith(family) or not family[-1:].isalnum():
        return False
    rest = name[len(family):]
    if len(rest) == 1 and ((rest.isupper() and rest != "R") or rest.islower()):
        return True  # "IL-17" beside "IL-17A", "FGFR2" beside "FGFR2b"
    return rest.isdigit() and len(rest) <= 2 and family[-1].isalpha() and family.isupper()  # "FGFR" beside "FGFR2"


_GENERIC_MODALITIES = frozenset(_VOCAB.cues["generic_modalities"])
_MODALITY_PARTS = {k: v for k, v in _VOCAB.cues["modality_parts"].items() if not k.startswith("_")}


def _with_parts(modalities: list[str]) -> list[str]:
    """"bispecific ADC": reported as the kinds it combines, an ADC and a bispecific antibody."""
    return list(dict.fromkeys(part for name in modalities for part in _MODALITY_PARTS.get(name, [name])))


_GENERIC_INDICATIONS = frozenset(_VOCAB.cues["generic_indications"])


def _specific(names: list[str], generic: frozenset[str]) -> list[str]:
    """Drop umbrella terms and names contained in a longer one: "cancer" beside "lung cancer"."""
    kept = []
    for name in names:
        low = name.lower()
        if low in generic and len(names) > 1:
            continue
        if any(other != name and f" {low} " in f" {other.lower()} " for other in names):
            continue
        kept.append(name)
    return kept


def _described(article: Article, draft: Draft) -> list[SentenceFacts]:
    """Sentences that describe the event's drug: the headline ones, those naming its assets, those about its
    trial (a clinical event) and, for a deal with no named drug, those telling what a party develops."""
    if not draft.primary:
        return draft.facts + draft.context
    lead = article.lead
    names = {n.lower() for a in draft.assets for n in a.names}
    chosen = [f for f in draft.facts + draft.context if f in lead or f in draft.stated_in
              or (names and mentions_any(f, names)) or f in draft.context or _describes_work(article, draft, f)]
    if not draft.assets and draft.type in DEAL_TYPES:  # what the parties develop, wherever the article says it
        chosen += [f for f in article.facts if f not in chosen and _describes_work(article, draft, f)]
    return chosen or draft.facts[:1]


def _describes_work(article: Article, draft: Draft, facts: SentenceFacts) -> bool:
    if not (facts.indications or facts.modalities) or is_quote(facts) or facts.historical:
        return False
    if facts.types and facts not in draft.facts:
        return False  # a sentence that tells another deal
    if draft.type == "clinical":
        return _TRIAL.search(facts.sentence.text, facts.lowered) is not None
    return not draft.assets and _WORK.search(facts.sentence.text, facts.lowered) is not None \
        and names_any(article, facts, draft.companies)


_TRIAL = GatedPattern(re.compile(r"\b(?:trials?|stud(?:y|ies))\b", re.I), ("trial", "stud"))
_WORK = GatedPattern(compile_cue(_VOCAB.cues["describes_work"][0]), tuple(_VOCAB.cues["describes_work"][1]))


def _money(m: MoneyMention) -> Money:
    return Money(amount=m.amount, currency=m.currency, amount_usd=m.amount_usd)


def _royalties(
    facts_list: list[SentenceFacts], cap: tuple[MoneyMention, SentenceFacts] | None
) -> tuple[Royalties, SentenceFacts] | None:
    for facts in facts_list:
        text = facts.sentence.text
        if _ROYALTY.search(text, facts.lowered):
            rate = _ROYALTY_RATE.search(text)
            royalties = Royalties(tiered=bool(_TIERED.search(text)), rate=rate.group() if rate else None,
                                  cap=_money(cap[0]) if cap else None)
            return royalties, facts
    return (Royalties(cap=_money(cap[0])), cap[1]) if cap else None


def _evidence(field_name: str, facts: SentenceFacts, text_length: int) -> dict[str, str | int]:
    """The fields of an `Evidence`: the payload validates them into one with the rest of itself (cheaper than
    validating each apart)."""
    s = facts.sentence
    if s.start >= text_length:  # the title, given apart from the text: no span in it
        return {"field": field_name, "sentence": s.text, "start": 0, "end": 0}
    return {"field": field_name, "sentence": s.text, "start": s.start, "end": s.end}


def _stage(draft: Draft, article: Article) -> tuple[str | None, SentenceFacts | None]:
    """Development stage, and the sentence that gives it: the stage the event's drug is at now, told in a
    sentence naming it before any other of the event's sentences (which may give another program's)."""
    if draft.type == "financing":
        return _asset_stage(article, draft) if draft.primary else (None, None)
    if draft.type == "regulatory":
        if draft.action in ("approved", "conditional_approval"):
            return "Approved", draft.facts[0]
        accepted = next((f for f in draft.facts if {"nda_accepted", "bla_accepted"} & set(f.actions)), None)
        # the filing accepted is the stage the drug was at then; an earlier NDA acceptance told in passing too
        if accepted and (draft.action == "nda_accepted" or (
                draft.primary and draft.action in ("priority_review", "bla_accepted"))):
            return ("BLA" if "nda_accepted" not in accepted.actions else "NDA"), accepted  # a biologic's filing
        if draft.primary and draft.action in _DESIGNATIONS:
            return _asset_stage(article, draft)  # "granted Fast Track … it is in a Phase 3 study"
        if draft.action in _DESIGNATIONS and draft.assets:
            return _stage_told_next(article, draft)
        return None, None
    names = {n.lower() for a in draft.assets for n in a.names}
    own = draft.facts + draft.context
    if not draft.primary and draft.type != "clinical":
        # a deal told in passing: only a stage its own sentences tell
        own = [f for f in draft.stated_in if f in draft.facts] or draft.facts[:1]
        stated = next(((stages[0], f) for f in own if (stages := current_stages(f))), None)
        now = article.published.isoformat()[:7] if article.published else None
        if stated is not None or not names or any(is_past(f, now) for f in own):
            return stated or (None, None)  # a past deal: the drug's stage now is not the stage it was licensed at
        # "… rights to HB-1 to Birch. HB-1 is in a Phase 3 trial.": a sentence of the deal's that names its drug
        return next(((mentions[0][0], f) for f in draft.facts if f not in own and mentions_any(f, names)
                     and (mentions := _own_stage_mentions(article, draft, f, names)) and not mentions[0][1]),
                    (None, None))
    for facts in own:
        if names and mentions_any(facts, names) and (mentions := _own_stage_mentions(article, draft, facts, names)):
            told, done = mentions[0]
            # "has completed a Phase 1 study and is in a Phase 2a trial": the later phase of the same sentence
            later = next((n for n, d in mentions[1:] if not d and stage_rank(n) > stage_rank(told)), None) \
                if done else None
            return (later, facts) if later else _moved_on(article, facts, told) if done else (told, facts)
    if draft.primary and draft.assets:
        stage, found = _asset_stage(article, draft)
        if stage:
            return stage, found
    for facts in own:
        if _names_other_asset(article, facts, names):
            continue
        stages = [n for n, _ in _own_stage_mentions(article, draft, facts, names)] \
            if names and mentions_any(facts, names) else current_stages(facts)
        if stages:
            return stages[0], facts
    if draft.primary and draft.assets:
        for facts in article.facts:
            if not facts.hypothetical and mentions_any(facts, names) and (filed := _filed_application(facts)):
                return filed, facts
    if draft.primary and draft.assets:
        for facts in article.facts:
            if not facts.hypothetical and mentions_any(facts, names) and (
                    ("approved" in facts.actions and (_MARKETING_APPROVAL.search(facts.sentence.text)
                                                      or bool(facts.regulators)
                                                      or _WAS_APPROVED.search(facts.sentence.text)))
                    or _ON_THE_MARKET.search(facts.sentence.text, facts.lowered)):
                return "Approved", facts
    return None, None


# "has an NDA under review", "submitted a biologics license application", "the NMPA accepted the NDA": the drug
# has a marketing application filed (told with no phase the drug is in)
_APPLICATION = re.compile(r"\b(?:(?P<bla>BLA|biologics?\s+licen[cs]e\s+application)|NDA|new\s+drug\s+application|"
                          r"marketing\s+(?:authori[sz]ation\s+)?application)s?\b", re.I)
_FILED = re.compile(r"\b(?:submitted|filed|accepted|under\s+(?:(?:regulatory|priority|NDA|BLA)\s+)?review|"
                    r"pending)\b", re.I)
_NOT_YET = re.compile(r"\b(?:plans?|planned|planning|intends?|expects?|expected|aims?|will|would|to\s+(?:submit|file)|"
                      r"prepar\w*|ahead\s+of|before|support(?:ing)?|enable|towards?)\b", re.I)


def _filed_application(facts: SentenceFacts) -> str | None:
    low = facts.lowered
    if "application" not in low and "nda" not in low and "bla" not in low:
        return None
    text = facts.sentence.text
    if (app := _APPLICATION.search(text)) is None or _FILED.search(text) is None or _NOT_YET.search(text):
        return None
    return "BLA" if app.group("bla") else "NDA"


def _own_stage_mentions(article: Article, draft: Draft, facts: SentenceFacts, names: set[str]
                        ) -> list[tuple[str, bool]]:
    """The stages of a sentence naming the event's drug; where it names another drug too ("X, in late-stage
    development, and the Phase 2 asset Y"), only those written nearer the event's drug than the other's (a stage
    told after a drug counts a little nearer than one told before it, "X is in Phase 3, while Y …")."""
    spans = stage_spans(facts)
    if not spans:
        return []
    s = facts.sentence
    found = article.index.assets_in(s.start, s.end)
    # of an event's several drugs, the first (its lead) where the sentence names it
    lead = {n.lower() for n in draft.assets[0].names} if draft.assets else names
    if any(a for a in found if any(n.lower() in lead for n in a.names)):
        names = lead
    others = [a for a in found if not any(n.lower() in names for n in a.names)]
    if not others:
        return [(name, done) for name, done, _, _ in spans]
    own_places = _places([a for a in found if a not in others], s.start, s.end)
    other_places = _places(others, s.start, s.end)
    return [(name, done) for name, done, start, end in spans
            if _gap(start, end, own_places) <= _gap(start, end, other_places)]


def _places(assets: list[Asset], start: int, end: int) -> list[tuple[int, int]]:
    """Where the drugs are named in the sentence at [start, end), relative to it."""
    return [(b - start, e - start) for a in assets for b, e in a.mentions if start <= b < end]


def _gap(start: int, end: int, places: list[tuple[int, int]]) -> float:
    """How far a stage written at [start, end) is from the nearest of `places`: after a drug, the characters
    between; before one, half as much again."""
    return min((float(start - e) if e <= start else 1.5 * (b - end) if b >= end else 0.0 for b, e in places),
               default=float("inf"))


def _moved_on(article: Article, facts: SentenceFacts, stage: str) -> tuple[str, SentenceFacts]:
    """A stage told as completed ("completed a Phase II trial"), or the later one the next sentence says the
    drug is in now ("… started a Phase III program")."""
    position = article.position(facts)
    for later in article.facts[position + 1 : position + 2]:
        if later.sentence.is_title or _names_other_asset(article, later, set()):
            continue
        for name, done in stage_mentions(later):
            if not done and stage_rank(name) > stage_rank(stage):
                return name, later
    return stage, facts


def _names_other_asset(article: Article, facts: SentenceFacts, names: set[str]) -> bool:
    """Whether the sentence names a drug the event is not about (and none it is about); for an event with no
    drug named, no sentence does."""
    if not names:
        return False
    found = article.index.assets_in(facts.sentence.start, facts.sentence.end)
    return bool(found) and not any(n.lower() in names for a in found for n in a.names)


# "X was approved in Japan in 2025" (or by a regulator the sentence names): a decision the drug has had
_WAS_APPROVED = re.compile(r"\b(?:was|were|had been)\s+approved\s+(?:by|in)\b")
_MARKETING_APPROVAL = re.compile(r"\bapproved for marketing\b|\bmarketing approval\b", re.I)
# "X is a marketed peptide", "Acme's marketed product X", "X is already approved in China", "was launched in Japan
# in 2024", "gained approval in Korea": a drug on the market
# every match holds one of the words after the pattern: tried only on sentences holding one
_ON_THE_MARKET = GatedPattern(re.compile(
                            r"\b(?:is|are|has been|have been)\s+(?:already\s+|currently\s+)?(?:approved|marketed|"
                            r"commercially available|on the market)\b|\b(?:a|an|the|its|their|[\w-]+['’]s)\s+marketed\b"
                            r"|\b(?:is|are|was|were|has been|have been)\s+(?:already\s+|currently\s+|first\s+)?"
                            r"(?:launched|commerciali[sz]ed|sold|on sale)\s+in\s+(?!(?:19|20)\d\d)"
                            r"|\b(?:gained|received|won|obtained|secured)\s+(?:(?:full|marketing|regulatory)\s+)?"
                            r"(?:approval|marketing authori[sz]ation)\s+(?:in|from)\s+(?!(?:an?|the)\s+(?:Phase|"
                            r"clinical|trial))(?![^.;]{0,60}\bto\s+(?:begin|start|initiate|conduct|run|commence|enter)\b)"
                            r"|\b[\w-]+,\s+(?:already\s+|currently\s+)?(?:approved|marketed)\s+in\s+(?!(?:19|20)\d\d)",
                            re.I), ("approv", "market", "commerciali", "launched", "sold", "on sale"))
_DESIGNATIONS = ("fast_track", "breakthrough_designation", "orphan_designation")
# "The designation was based on data from an ongoing Phase 1b cohort": a regulator's word on the drug goes on about it
# "Earlier this year, the drug …", "Last year it …", "The antibody is …": a leading adverbial, then the drug told
# by a pronoun or a noun of its kind
_ABOUT_IT = re.compile(r"(?:(?:[\w-]+\s+){0,3}?[\w-]+,\s+|(?:last|this|earlier this|later this)\s+(?:year|month|"
                       r"quarter)\s+|(?:[A-Z][\w-]*\s+){1,3}(?:said|says|added|noted)(?:\s+(?:in|on)\s+[\w ]{3,20}?)?"
                       r"\s+that\s+)?"
                       r"(?:it|the company|the (?:[\w-]+ )?(?:drug|candidate|therapy|asset|compound|product|molecule|"
                       r"antibody|inhibitor|agent|medicine|program|programme|treatment|vaccine|therapeutic|designation)"
                       r")\b", re.I)


def _without_others_terms(article: Article, draft: Draft, found: list[tuple[SentenceFacts, Hit]]
                          ) -> list[tuple[SentenceFacts, Hit]]:
    """"Acme licenses TSLP antibody; separately wins fast track for NLRP3 pill": a target told beside the event's
    drug's own one, in a sentence that names none of the event's drugs, is not the event's where the article gives
    it only to another drug."""
    names = {n.lower() for a in draft.assets for n in a.names}
    if not names or all(mentions_any(f, names) for f, _ in found):
        return found
    own: set[str] = set()
    others: set[str] = set()
    for facts in article.facts:
        if not facts.targets:
            continue
        drugs = article.index.assets_in(facts.sentence.start, facts.sentence.end)
        if drugs:
            (own if any(n.lower() in names for a in drugs for n in a.names) else others).update(
                h.canonical for h in facts.targets)
    foreign = others - own
    # only in a sentence that gives the event's drug its own target too (it tells of both drugs)
    return [(f, h) for f, h in found if h.canonical not in foreign or mentions_any(f, names)
            or not any(t.canonical in own for t in f.targets)]


def _asset_indications(article: Article, draft: Draft, specific: bool = False) -> list[Hit]:
    """Where the event's own sentences name no disease: the first the article gives its drug, in a sentence
    naming it or going on about it ("LK-1 … The company plans to start a trial in lupus"); `specific`: the first
    sentence that names more than an umbrella term ("cancer")."""
    for facts in _on_the_drug(article, draft, trials=True):
        if facts.indications and not is_quote(facts) and not (specific and all(map(_is_generic, facts.indications))):
            return facts.indications
    return []


def _on_the_drug(article: Article, draft: Draft, *, trials: bool = False) -> Iterator[SentenceFacts]:
    """The sentences of a headline event's drug: those naming it and those going on about it ("It …", "The
    designation …"; with `trials`, a trial or IND filing told right after, `_trial_of_it`), in article order."""
    names = {n.lower() for a in draft.assets for n in a.names}
    if not names or not draft.primary:
        return
    about = False
    for facts in article.facts:
        about = mentions_any(facts, names) or (about and (_ABOUT_IT.match(facts.sentence.text) is not None or (
            trials and _trial_of_it(article, facts))))
        if about:
            yield facts


def _trial_of_it(article: Article, facts: SentenceFacts) -> bool:
    """"OBX-07 is … With the IND cleared, Acme plans to begin a Phase 1/2 trial in …": a trial (or an IND filing)
    told right after a sentence on the drug, in a sentence naming no drug, is the drug's."""
    return (_TRIAL.search(facts.sentence.text, facts.lowered) is not None or _FILING.search(facts.sentence.text)
            is not None) and not facts.historical and not article.index.assets_in(facts.sentence.start,
                                                                                  facts.sentence.end)


# "plans to file an investigational new drug application … for gastric cancer": what the drug is to be tried for
_FILING = re.compile(r"\b(?:file|files|filed|filing|submit|submits|submitted|submission)\b[^.;]{0,40}"
                     r"\b(?:IND|CTA|investigational new drug|clinical trial application)\b", re.I)


def _asset_modalities(article: Article, draft: Draft) -> list[Hit]:
    """Where no sentence of the event tells what kind of drug it is about: the kind the article first gives the
    drug, in a sentence naming it or going on about it ("About AC-101: AC-101 is an oral small molecule …")."""
    return [h for f, h in _asset_described(article, draft, lambda f: f.modalities)]


def _asset_targets(article: Article, draft: Draft) -> list[tuple[SentenceFacts, Hit]]:
    """The same for what the drug targets ("AC-101 is an antibody against … ligand (RANKL)")."""
    return _asset_described(article, draft, _with_paired)


def _asset_described(article: Article, draft: Draft, terms: Callable[[SentenceFacts], list[Hit]]
                     ) -> list[tuple[SentenceFacts, Hit]]:
    names = {n.lower() for a in draft.assets for n in a.names}
    for facts in _on_the_drug(article, draft):
        if terms(facts) and not is_quote(facts) and not _names_other_asset(article, facts, names):
            return [(facts, h) for h in terms(facts) if not _partner_drug(facts, h) and not _absent_marker(facts, h)
                    and not _prior_therapy(facts, h)]
    return []


def _zone_indications(article: Article, draft: Draft) -> list[Hit]:
    """Where neither the sentences describing a headline event nor those about its drug name a disease: the first
    one the event's other sentences give for a trial ("Acme plans to begin a Phase 1 trial in solid tumors")."""
    if not draft.primary or not draft.assets:
        return []
    names = {n.lower() for a in draft.assets for n in a.names}
    for facts in draft.facts:
        if facts.indications and not is_quote(facts) and not facts.historical and \
                not _names_other_asset(article, facts, names) and _TRIAL.search(facts.sentence.text, facts.lowered):
            return facts.indications
    return []


def _is_generic(hit: Hit) -> bool:
    return hit.surface.lower() in _GENERIC_INDICATIONS


# ", a clinical-stage company developing antibodies for inflammatory disease,", "a kidney disease specialist": what
# a company works on, told to introduce it; the drug of the event may treat one disease of that field
_COMPANY_FIELD = GatedPattern(re.compile(
    r",\s+(?:a|an)\s+(?:[\w-]+\s+){0,4}?(?:company|biotech|biotechnology|biopharma|biopharmaceutical|drugmaker|firm|"
    r"developer|start-?up)\b(?:(?!\b(?:today|said|says|announced|announces|has|have|had|will|would|that|which|who|is|"
    r"was|and\s+(?:its|their))\b)[^,;()]|\([^()]*\))*"
    r"|\b(?:[\w'-]+\s+){1,3}?(?:drug\s+)?(?:developer|specialist|drugmaker)\b", re.I),
    ("company", "biotech", "biopharma", "drugmaker", "firm", "developer", "start", "specialist"))  # what a match holds


_FIELD_NOUNS = frozenset({"disease", "diseases", "disorder", "disorders", "conditions", "indications", "cancers",
                          "tumors", "tumours", "malignancies", "oncology", "dementia", "infections"})


def _in_company_field(facts: SentenceFacts, hit: Hit) -> bool:
    """A field of medicine ("metabolic diseases", not "Duchenne muscular dystrophy") named as a company's."""
    if hit.surface.lower().rsplit(" ", 1)[-1] not in _FIELD_NOUNS:
        return False
    text = facts.sentence.text
    start, end = hit.start - facts.sentence.start, hit.end - facts.sentence.start
    return any(m.start() <= start and end <= m.end() for m in _COMPANY_FIELD.finditer(text, facts.lowered))


# "… in a Phase II trial in obesity. A second Phase II study in type 2 diabetes is to start": a further trial, told
# right after a sentence on the drug and naming no drug, is the drug's too
_FURTHER_TRIAL = re.compile(r"(?:a|an)\s+(?:second|third|further|additional|separate|parallel)\s+(?:[\w/-]+\s+){0,3}?"
                            r"(?:trials?|stud(?:y|ies))\b|another\s+(?:[\w/-]+\s+){0,3}?(?:trials?|stud(?:y|ies))\b",
                            re.I)


def _further_trials(article: Article, draft: Draft, hits: list[Hit]) -> list[Hit]:
    """The diseases of a further trial ("A second study in …") told in the sentence right after one naming a disease
    the event gives."""
    if not hits or not draft.primary or not draft.assets:
        return []
    names = {n.lower() for a in draft.assets for n in a.names}
    added: list[Hit] = []
    told = {h.canonical for h in hits}
    facts_list = article.facts
    for i in range(1, len(facts_list)):
        facts, before = facts_list[i], facts_list[i - 1]
        if not facts.indications or not any(h.canonical in told for h in before.indications) or is_quote(facts) \
                or _FURTHER_TRIAL.match(facts.sentence.text) is None \
                or article.index.assets_in(facts.sentence.start, facts.sentence.end) \
                or _names_other_asset(article, facts, names):
            continue
        added += [h for h in facts.indications if h.canonical not in told and not _is_generic(h)]
        told |= {h.canonical for h in facts.indications}
    return added


def _indications(article: Article, draft: Draft, described: list[SentenceFacts]) -> list[Hit]:
    found = _own_indications(article, draft, described)
    return [h for h in found + _further_trials(article, draft, found) if not _outcome_measure(article, h)]


# "reduced pruritus scores", "on a fatigue scale": a symptom measured as an outcome, not a disease the drug is for
_OUTCOME_AFTER = re.compile(r"\s+(?:scores?|scales?|endpoints?|questionnaires?|(?:severity|intensity)\s+scores?)\b",
                            re.I)


def _outcome_measure(article: Article, hit: Hit) -> bool:
    return _OUTCOME_AFTER.match(article.text[hit.end : hit.end + 40]) is not None


def _own_indications(article: Article, draft: Draft, described: list[SentenceFacts]) -> list[Hit]:
    """The diseases the sentences describing the event name; where they name only an umbrella term ("a cancer
    drug"), with those the article tells of the event's drug elsewhere ("… developed for gastric cancer"). The
    field a company works on, named to introduce it ("Acme, a company developing antibodies for metabolic
    diseases, …"), goes where the event names a disease of its own."""
    found = [(f, h) for f in described for h in f.indications]
    if not found:
        return _asset_indications(article, draft) or _zone_indications(article, draft)
    # a round funds the company, whose field it is; a deal or a regulator's decision is on a drug
    own = [h for f, h in found if draft.type == "financing" or not _in_company_field(f, h)]
    if own and not all(map(_is_generic, own)):
        return own
    elsewhere = [h for h in _asset_indications(article, draft, specific=True) if h not in own]
    if not own:  # only the company's field: the drug's own disease, where the article tells it
        return elsewhere or [h for _, h in found]
    return own + elsewhere


def _field_umbrellas(article: Article, draft: Draft, hits: list[Hit]) -> frozenset[str]:
    """Umbrella terms told as the field of a company bought or funded ("Birch, a company developing cell therapies
    for cancer and autoimmune diseases"): the company is what the deal is on, and its field an indication of it;
    "a cancer drug in a Phase 1 study in melanoma" tells a drug's disease, under which "cancer" is no more."""
    if draft.type not in ("acquisition", "financing"):
        return frozenset()
    kept: set[str] = set()
    for hit in hits:
        if not _is_generic(hit):
            continue
        facts = article.facts_at(hit.start)
        if facts is None:
            continue
        text, start = facts.sentence.text, hit.start - facts.sentence.start
        end = hit.end - facts.sentence.start
        if any(m.start() <= start and end <= m.end() for m in _COMPANY_FIELD.finditer(text, facts.lowered)):
            kept.add(hit.canonical)
    return frozenset(kept)


def _stage_told_next(article: Article, draft: Draft) -> tuple[str | None, SentenceFacts | None]:
    """A designation told in passing: the stage its own sentence or the one right after it gives the drug it names
    ("… granted Fast Track designation to AC-3. AC-3 is in a Phase 2 study.")."""
    names = {n.lower() for a in draft.assets for n in a.names}
    position = article.position(draft.facts[0])
    for facts in article.facts[position : position + 2]:
        if mentions_any(facts, names) and not facts.hypothetical and (
                stages := [n for n, _ in _own_stage_mentions(article, draft, facts, names)]):
            return stages[0], facts
    return None, None


def _asset_stage(article: Article, draft: Draft) -> tuple[str | None, SentenceFacts | None]:
    """The stage the article gives the event's drug now: in a sentence naming it, or going on about it ("The
    drug is in Phase I trials")."""
    names = {n.lower() for a in draft.assets for n in a.names}
    if not names:
        return None, None
    about = False
    for facts in article.facts:
        named = mentions_any(facts, names)
        about = named or (about and _ABOUT_IT.match(facts.sentence.text) is not None)
        if not about or facts.hypothetical:
            continue
        stages = [n for n, _ in _own_stage_mentions(article, draft, facts, names)] if named else current_stages(facts)
        if stages:
            return stages[0], facts
    return None, None


def to_payload(article: Article, draft: Draft) -> DealPayload:
    """The contract for one built event; each field found comes with the sentence it was found in.

    The models are built validated: pydantic-core's validation is cheaper than `model_construct`.
    """
    fields: dict[str, object] = {}
    evidence: list[dict[str, str | int]] = []
    if draft.type in DEAL_TYPES:
        draft = _without_excluded_drugs(article, draft)

    def cite(field_name: str, facts: SentenceFacts | None) -> None:
        if facts is not None:
            evidence.append(_evidence(field_name, facts, article.text_length))

    cite("type", draft.facts[0])
    if draft.type in DEAL_TYPES:
        _deal_terms(article, draft, fields, cite)
    elif draft.type == "regulatory":
        terr = territory_of(draft.facts, deal=False, span=draft.span)
        if terr:
            fields["territory"] = Territory(include=terr[0], exclude=terr[1])
            cite("territory", draft.facts[0])
    parties = _parties(article, draft)
    spans = [(f.sentence.start, f.sentence.end, f) for f in draft.facts + draft.context]  # once for every name
    for company in draft.companies:
        cite("parties", _first_mention(article, spans, company.mentions))
    for asset in draft.assets:
        cite("assets", _first_mention(article, spans, asset.mentions))
    described = _described(article, draft)
    lists = {
        "modality": _named_drug_modalities(draft, [h for f in described + draft.profile for h in f.modalities
                                                   if not _partner_drug(f, h)] or _asset_modalities(article, draft)),
        "targets": _without_markers(_without_others_terms(article, draft, [
            (f, h) for f in described + draft.profile for h in _with_paired(f)
            if not _absent_marker(f, h) and not _partner_drug(f, h) and not _prior_therapy(f, h)])
                                    or _asset_targets(article, draft)),
        "indications": _indications(article, draft, described),
    }
    for name, hits in lists.items():
        if hits:
            cite(name, article.facts_at(hits[0].start))
    if draft.regulator or draft.action:
        cite("regulatory_action", draft.facts[0])
    stage, stage_facts = _stage(draft, article)
    cite("stage", stage_facts)
    if draft.date:
        cite("date", next((f for f in [*article.lead, *draft.facts] if any(
            d.value.startswith(draft.date) for d in f.dates)), None))
    return DealPayload(
        primary=draft.primary,
        type=draft.type,  # type: ignore[arg-type]
        parties=parties,
        assets=[a.name for a in draft.assets],
        modality=_with_parts(_specific(_unique(lists["modality"]), _GENERIC_MODALITIES)),
        targets=_most_specific(_short_names(lists["targets"])),
        indications=_diseases(lists["indications"], _field_umbrellas(article, draft, lists["indications"])),
        regulator=draft.regulator,
        regulatory_action=draft.action,  # type: ignore[arg-type]
        stage=stage,
        date=draft.date,
        evidence=evidence,  # type: ignore[arg-type]
        **fields,  # type: ignore[arg-type]
    )


def _without_excluded_drugs(article: Article, draft: Draft) -> Draft:
    """A deal without the drugs the article says are not part of it, nor the sentences saying so."""
    excluded = [f for f in draft.facts[1:] if excluded_from_deal(f.sentence.text)
                and article.index.assets_in(f.sentence.start, f.sentence.end)]
    if not excluded:
        return draft
    facts = [f for f in draft.facts if f not in excluded]
    kept = [(f.sentence.start, f.sentence.end) for f in facts + draft.context]
    out = [(f.sentence.start, f.sentence.end) for f in excluded]
    assets = [a for a in draft.assets if not any(s <= b < e for b, _ in a.mentions for s, e in out)
              or any(s <= b < e for b, _ in a.mentions for s, e in kept)]
    return replace(draft, facts=facts, assets=assets, stated_in=[f for f in draft.stated_in if f not in excluded])


def _deal_terms(article: Article, draft: Draft, fields: dict[str, object], cite: Callable[..., None]) -> None:
    """Money, royalties and territory of a deal."""
    money = deal_money(draft.facts, draft.type, draft.span)
    for kind in MONEY_FIELDS:
        if kind in money and (draft.type != "financing" or kind in ("total_value", "equity")):
            mention, facts = money[kind]
            fields[kind] = _money(mention)
            cite(kind, facts)
    if draft.type == "acquisition":
        _acquired_rights_territory(article, draft, fields, cite)
    if draft.type not in ("licensing", "collaboration"):
        return  # an acquisition or a financing has no royalties; a financing no territory either
    royalties = _royalties(draft.facts, money.get("royalties"))
    if royalties is not None:
        fields["royalties"] = royalties[0]
        cite("royalties", royalties[1])
    about = _about_event(article, draft)
    # "“… bring it to patients in Europe and China,” said the CEO": a quote's regions are no grant; only where
    # nothing else tells the territory
    terr = territory_of([f for f in about if not is_quote(f)], deal=True, span=draft.span) \
        or territory_of([f for f in about if is_quote(f)], deal=True, span=draft.span)
    if terr:
        fields["territory"] = Territory(include=terr[0], exclude=terr[1])
        cite("territory", next((f for f in about if f.regions), None))


# "acquired the rights to X in …", "buys global rights": rights the acquirer buys, not those a company it buys holds
_RIGHTS_BOUGHT = GatedPattern(re.compile(
    r"\b(?:acquir\w*|buy\w*|bought|purchas\w*|obtain\w*|gain\w*|giv\w*|gave|secur\w*|receiv\w*|tak\w*|took|"
    r"get\w*|got|grant\w*|transfer\w*)\b[^.;]{0,100}?\brights?\b", re.I), ("right",))


def _acquired_rights_territory(article: Article, draft: Draft, fields: dict[str, object],
                               cite: Callable[..., None]) -> None:
    """An acquisition of rights to a drug in a region ("acquired the rights to X in the United States and
    Canada") has the territory of those rights; a company bought outright has none."""
    about = [f for f in _about_event(article, draft) if _RIGHTS_BOUGHT.search(f.sentence.text, f.lowered)]
    terr = territory_of(about, deal=True, span=draft.span) if about else None
    if terr:
        fields["territory"] = Territory(include=terr[0], exclude=terr[1])
        cite("territory", next((f for f in about if f.regions), None))


def _first_mention(article: Article, spans: list[tuple[int, int, SentenceFacts]], mentions: list[tuple[int, int]]
                   ) -> SentenceFacts | None:
    """The event's sentence (`spans`: start, end and facts of each) of the first mention it holds, else the
    article's sentence of the first mention."""
    for start, _ in sorted(mentions):
        for s, e, facts in spans:
            if s <= start < e:
                return facts
    return article.facts_at(min(mentions)[0]) if mentions else None


def _about_event(article: Article, draft: Draft) -> list[SentenceFacts]:
    names = {n.lower() for a in draft.assets for n in a.names}
    return [f for f in draft.facts if names_any(article, f, draft.companies) or (names and mentions_any(f, names))]


def _parties(article: Article, draft: Draft) -> list[Party]:
    sentences = [f.sentence for f in draft.facts]
    roles = assign_roles(draft.type, draft.companies, sentences, article.index, article.text, draft.assets)
    return [Party(name=c.name, role=r, aliases=c.aliases()) for c, r in roles if r]  # type: ignore[arg-type]
