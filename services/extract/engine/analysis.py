"""Per-sentence facts: event cues, regulatory actions, money, dates, stages, regions, vocabulary hits."""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import pairwise

from dealwire.services.extract.engine.dates import DateMention, find_dates
from dealwire.services.extract.engine.money import MoneyMention, find_money
from dealwire.services.extract.engine.text import Sentence
from dealwire.services.extract.engine.vocab import (
    CuePatterns,
    Hit,
    caseless,
    has_digit,
    holds_any,
    load,
    lower_same_length,
)

_VOCAB = load()
_CUES = _VOCAB.cues
TYPE_CUES = {kind: CuePatterns(entries, _CUES["triggers"][kind]) for kind, entries in _CUES["event_types"].items()}
# (action, pattern, words one of which the sentence must hold before the pattern is tried)
ACTION_CUES = [(action, caseless(pattern), tuple(gate)) for action, pattern, gate in _CUES["regulatory_actions"]]
HYPOTHETICAL = caseless(_CUES["hypothetical"])
# The modal "may" keeps its case ("(?-i:may)": not the month), which keeps the whole cue from running over the
# lower-cased text; searched for apart, the rest runs there. A sentence holds the cue where it holds either.
_MODAL_MAY = "|(?-i:may)|"
_HYPOTHETICAL_BUT_MAY = caseless(_CUES["hypothetical"].replace(_MODAL_MAY, "|", 1))
_MAY = re.compile(r"\bmay\b")
DENIAL = caseless(_CUES["denial"])

_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV", "one": "I", "two": "II", "three": "III", "four": "IV"}
# a development stage named in a sentence; `stage_name` of a match gives its name ("Phase II/III")
# After the "P" of "Phase": the phase written out ("Phase 2", "Phase IIb"), shortened ("Ph2", "Ph. 1b", "Ph1b/2")
# or as "P" and a digit where a trial follows ("a P2 trial", "P1/2 study"; "P2X7" is a target)
_PHASE_AFTER_P = (
    r"(?:hase[\s-]*(?P<a>[1-4]|IV|I{1,3}|one|two|three|four)|h\.?[\s-]?(?P<ab>[1-4])"
    r"|(?<=P)(?P<ap>[1-4])(?=[ab]?(?:/[1-4][ab]?)?\s+(?:trials?|stud(?:y|ies)|data|results|readout|program(?:me)?s?|"
    r"development|cohorts?|portion|part)\b))"
    r"(?P<as>[abAB])?(?![\w])"
    r"(?:\s*/\s*(?:[Pp]hase\s*|Ph\.?\s?|P)?(?P<b>[1-4]|IV|I{1,3})(?P<bs>[abAB])?(?![\w]))?"
)
STAGE_MENTION_PLAIN = (
    r"\b[Pp]" + _PHASE_AFTER_P
    + r"|\b(?P<pre>pre-?clinical)\b|\b(?P<pivotal>[Pp]ivotal)\s+(?:development|trials?|stud(?:y|ies)|phase|program)"
)
# The same written to start with the "P" or "p" all three alternatives open with, which the scanner skips to (a
# pattern opening with "\b" is tried at every position); "pre" and "pivotal" then hold the word without that letter.
STAGE_MENTION = re.compile(
    r"[Pp](?<!\w[Pp])(?:" + _PHASE_AFTER_P
    + r"|(?<=p)(?P<pre>re-?clinical)\b|(?P<pivotal>ivotal)\s+(?:development|trials?|stud(?:y|ies)|phase|program))",
)
_HISTORY = caseless(
    r"\b(?:previously|earlier|originally|in (?:19|20)\d\d|since|last (?:year|week|month)|first (?:strategic|deal)|"
    r"already|had been|other recent|follows? (?:a|an|other)|prior to|just prior)\b"
)


@dataclass(eq=False)  # one object per sentence: compared by identity, which is cheap
class SentenceFacts:  # every field given (`analyse`): no defaults, whose checks its __init__ would run each time
    sentence: Sentence
    types: set[str]
    actions: list[str]
    hypothetical: bool
    money: list[MoneyMention]
    dates: list[DateMention]
    stages: list[str]
    regulators: list[Hit]
    regions: list[Hit]
    targets: list[Hit]
    modalities: list[Hit]
    indications: list[Hit]
    historical: bool
    denied: bool  # "X denies a report that …": the events it names did not happen
    lowered: str  # the sentence's `str.lower()`


def stage_name(match: re.Match[str]) -> str:
    if match.group("pre"):
        return "Preclinical"
    if match.group("pivotal"):
        return "Pivotal"

    def part(num: str, suffix: str | None) -> str:
        num = _ROMAN.get(num.lower(), num)
        return num + (suffix.lower() if suffix else "")

    text = "Phase " + part(match.group("a") or match.group("ab") or match.group("ap"), match.group("as"))
    if match.group("b"):
        text += "/" + part(match.group("b"), match.group("bs"))
    return text


def find_stages(text: str) -> list[str]:
    return [stage_name(m) for m in STAGE_MENTION.finditer(text)]


_CONDITIONAL_APPROVAL = re.compile(r"\bconditional(?:ly)?\s+(?:marketing\s+)?(?:approv\w*|authori[sz]ation)", re.I)
_PLAIN_APPROVAL = re.compile(r"\bapprov(?:ed|al)\b", re.I)
_APPROVED_BY_OWNERS = caseless(
    r"\b(?:approved|approval)\s+(?:unanimously\s+)?(?:by|of|from)\s+(?:the\s+|both\s+|each\s+|its\s+|their\s+)?"
    r"(?:(?:two\s+)?companies['’]?\s+|company['’]s\s+)?(?:boards?|shareholders|stockholders|directors)\b"
    r"|\b(?:boards?|shareholders|stockholders)\b[^.;]{0,60}\bapprov")
_APPROVED_BY = caseless(r"\bapproved (?:by|for marketing|in)\b")


def regulatory_actions(text: str, low: str | None = None) -> list[str]:
    """Regulatory actions stated in a sentence; 'approved' only when no more specific action explains it."""
    found: list[str] = []
    low = text.lower() if low is None else low
    for action, cue, gate in ACTION_CUES:
        if holds_any(low, gate) and cue.search(text, low):
            found.append(action)
    if "approved" in found and ("ind_cleared" in found or (
            "conditional_approval" in found and not _PLAIN_APPROVAL.search(_CONDITIONAL_APPROVAL.sub(" ", text)))):
        found.remove("approved")  # unless the sentence also tells a plain approval: "approval for X and conditional …"
    if "approved" in found and _APPROVED_BY_OWNERS.search(text, low):
        found.remove("approved")  # "approved by both companies' boards": no regulator's act
    if "nda_accepted" in found and "bla_accepted" in found:
        found.remove("nda_accepted")
    if "other" in found:  # a submission or an opinion: the approval it asks for is not granted yet
        if "approved" in found:
            found.remove("approved")
        if len(found) > 1:
            found.remove("other")
    designation = {"breakthrough_designation", "orphan_designation", "fast_track"} & set(found)
    if designation and "approved" in found and not _APPROVED_BY.search(text, low):
        found.remove("approved")  # "granted orphan designation … approved indications": the designation is the news
    return found


_ORG_WORDS = _VOCAB.legal_words | _VOCAB.sector_words
_DISEASE_NOUN = ("cancer", "tumo", "carcinoma", "disease", "malignanc")


def analyse_article(
    text: str, sentences: list[Sentence], published: dt.date | None, fallback_year: int | None,
    lowered: str | None = None,
) -> list[SentenceFacts]:
    """Facts of every sentence. Vocabularies and trigger words are matched once over the whole text;
    the slower cue patterns then run only on sentences that hold one of their trigger words. `lowered`:
    `lower_same_length(text)`, where the caller has it."""
    # hits past the last sentence count for nothing, nor do they decide between hits before it: those that overlap
    # one ending in a sentence are found, as every form is at most `longest` characters long
    last = max((s.end for s in sentences), default=0) + _VOCAB.all_terms.longest
    spans = _SentenceSpans(sentences)
    triggers: list[set[str]] = [set() for _ in sentences]
    # sentences one after another (no title inside the text): the scan puts each trigger word's groups in place
    bins = None if spans.overlapping else (spans.starts, spans.ends, triggers)
    lowered = lower_same_length(text) if lowered is None else lowered
    found, triggered = _VOCAB.all_terms.scan(text, lowered, 0, last, bins)
    for start, end, groups in triggered:
        for position in spans.holding(start, end):
            triggers[position] |= groups
    hits = _hits_by_sentence(found, spans)
    return [
        analyse(sentence, published, fallback_year, triggers[i], hits[i] or _no_hits())
        for i, sentence in enumerate(sentences)
    ]


def _no_hits() -> dict[str, list[Hit]]:
    """A sentence's vocabulary hits where it holds none (fresh lists: the facts keep them)."""
    return {"targets": [], "modalities": [], "indications": [], "regulators": [], "regions": []}


def _hits_by_sentence(found: dict[str, list[Hit]], spans: _SentenceSpans) -> list[dict[str, list[Hit]] | None]:
    """Each sentence's vocabulary hits by vocabulary; None for a sentence without any (most of them)."""
    by_sentence: list[dict[str, list[Hit]] | None] = [None] * len(spans.sentences)
    starts, ends = spans.starts, spans.ends
    for name, vocabulary_hits in found.items():
        for hit in vocabulary_hits:
            if spans.overlapping:
                positions = spans.holding(hit.start, hit.end)
            else:  # `spans.holding` written out
                position = bisect_right(starts, hit.start) - 1
                positions = [position] if position >= 0 and hit.end <= ends[position] else []
            for position in positions:
                sentence_hits = by_sentence[position]
                if sentence_hits is None:
                    sentence_hits = by_sentence[position] = _no_hits()
                sentence_hits[name].append(hit)
    return by_sentence


def _stands_for_other(sentence: Sentence, hit: Hit, vocab_hits: dict[str, list[Hit]]) -> bool:
    """"spindle assembly blocker (SAB)": an abbreviation the article defines as something else."""
    text, start, end = sentence.text, hit.start - sentence.start, hit.end - sentence.start
    if not (hit.surface.isupper() and start > 0 and text[start - 1] == "(" and text[end : end + 1] == ")"):
        return False
    words = re.findall(r"[A-Za-z]+", text[max(0, start - 120) : start - 1])[-len(hit.surface) :]
    if "".join(w[0] for w in words).lower() != hit.surface.lower():
        return False
    long_form_end = hit.start - 1
    return not any(h.end >= long_form_end - 2 and h.end <= long_form_end for h in vocab_hits["indications"])


# "its hypertension franchise", "an inflammatory bowel disease portfolio": a company's line of business, no disease
# an event's drug treats
_LINE_WORDS = ("franchise", "portfolio", "business", "division", "segment")
_BUSINESS_LINE = re.compile(r"\s+(?:franchise|portfolio|business|division|segment)s?\b", re.I)
_NAME_CONTINUES = re.compile(r"\s+((?:[A-Z][\w&-]*\s+){0,2}[A-Z][\w&-]*)")


def _in_company_name(sentence: Sentence, hit: Hit) -> bool:
    """"Birch Capital Management", "Acme Cancer Institute": part of a name, not a disease."""
    if not hit.surface[:1].isupper() or sentence.is_title:
        return False
    match = _NAME_CONTINUES.match(sentence.text, hit.end - sentence.start)
    if match is None:
        return False
    if hit.surface.isupper():
        return any(w.rstrip(".,") in _ORG_WORDS for w in match.group(1).split())
    return hit.start > sentence.start  # a capitalised disease word inside a run of capitalised words


class _SentenceSpans:
    """Which sentences hold a span of the text. Sentences follow one another; only a title found in the
    text overlaps the one or two sentences it was split into, hence the short look back then."""

    def __init__(self, sentences: list[Sentence]) -> None:
        self.sentences = sentences
        self.starts = [s.start for s in sentences]
        self.ends = [s.end for s in sentences]
        self.overlapping = any(b.start < a.end for a, b in pairwise(sentences))

    def holding(self, start: int, end: int) -> list[int]:
        """Indexes of the sentences that hold the non-empty span [start, end)."""
        position = bisect_right(self.starts, start) - 1
        if not self.overlapping:
            return [position] if position >= 0 and end <= self.sentences[position].end else []
        return [p for p in (position, position - 1, position - 2)
                if p >= 0 and self.sentences[p].start <= start and end <= self.sentences[p].end]


def analyse(
    sentence: Sentence, published: dt.date | None, fallback_year: int | None, triggers: set[str],
    vocab_hits: dict[str, list[Hit]],
) -> SentenceFacts:
    text, start = sentence.text, sentence.start
    low = text.lower()
    denied = "denial" in triggers and bool(DENIAL.search(text, low))
    # only the kinds whose trigger words the sentence holds (`types` is only ever asked what it holds)
    types = set() if denied else {kind for kind in triggers & TYPE_CUES.keys() if TYPE_CUES[kind].search(text, low)}
    actions = regulatory_actions(text, low) if "regulatory" in triggers and not denied else []
    digits = has_digit(text)
    targets = vocab_hits["targets"]
    if "receptor" in low or "agonist" in low or "kinase" in low:
        targets = _with_coded_targets(text, targets, start)
    if "target" in low or "direct" in low or "against" in low or "inhibit" in low or "block" in low:
        targets = _with_unlisted_targets(text, targets, start)
    if targets and ("mouse" in low or "mice" in low or "model" in low):
        targets = [h for h in targets if _ANIMAL_MODEL.match(text, h.end - start) is None]
    indications = [h for h in vocab_hits["indications"]
                   if not _stands_for_other(sentence, h, vocab_hits) and not _in_company_name(sentence, h)]
    if indications and any(map(low.__contains__, _LINE_WORDS)):  # "its ageing hypertension franchise"
        indications = [h for h in indications if _BUSINESS_LINE.match(text, h.end - start) is None]
    if "disease_head" in triggers:
        indications = _with_unlisted_diseases(text, indications, start)
    if "coordinated" in triggers and holds_any(low, _DISEASE_NOUN) and _COORDINATED_TAIL.search(text):
        indications = _with_coordinated(text, indications, start)
    if indications and "/" in text:
        indications = _with_slashed(text, indications, start)
    if indications and "-" in text:
        indications = [_with_marker(text, h, start) for h in indications]
    modalities = vocab_hits["modalities"]
    if modalities and targets:  # "calcitonin gene-related peptide (CGRP)": a word of a target's name, not a modality
        modalities = [m for m in modalities if not any(t.start <= m.start and m.end <= t.end for t in targets)]
    return SentenceFacts(
        sentence,
        types=types,
        actions=actions,
        hypothetical="hypothetical" in triggers and is_hypothetical(text, low),
        money=find_money(text, start) if "money" in triggers and digits else [],
        dates=find_dates(text, published, start, fallback_year, low) if digits or "date" in triggers else [],
        stages=find_stages(text) if "stage" in triggers else [],
        regulators=vocab_hits["regulators"],
        regions=vocab_hits["regions"],
        targets=targets,
        modalities=modalities,
        indications=indications,
        historical="history" in triggers and _tells_history(text, low, published),
        denied=denied,
        lowered=low,
    )


def hypothetical_start(text: str, lowered: str) -> int | None:
    """Where the first `HYPOTHETICAL` cue of `text` starts, or None."""
    starts = [m.start() for m in (_HYPOTHETICAL_BUT_MAY.search(text, lowered),
                                  _MAY.search(text) if "may" in text else None) if m is not None]
    return min(starts) if starts else None


def is_hypothetical(text: str, lowered: str) -> bool:
    """Whether `HYPOTHETICAL` finds a cue in `text` (`lowered`: its lower case)."""
    return _HYPOTHETICAL_BUT_MAY.search(text, lowered) is not None or ("may" in text and _MAY.search(text) is not None)


# "expects to start the trial in 2025", "is on track to file in 2026": a year told after these words is a plan
_FUTURE = re.compile(r"\b(?:will|expects?|expected|hopes?|plans?|planned|aims?|anticipates?|anticipated|intends?|"
                     r"scheduled|slated|on track)\b", re.I)


def _tells_history(text: str, lowered: str, published: dt.date | None) -> bool:
    """History words, of which "in 2019" counts only for a year before the article's ("hopes … in 2027" is no
    history) and told after no word of a plan ("expects to report data in 2025")."""
    for match in _HISTORY.finditer(text, lowered):
        word = text[match.start() : match.end()]
        if not (word[:3] == "in " and word[3:].isdigit()):
            return True
        if _FUTURE.search(text, 0, match.start()) is not None:
            continue
        if published is None or int(word[3:]) < published.year:
            return True
    return False


# A target the vocabulary lacks, told as one: "a RANKL-targeting antibody", "an antibody against receptor activator of
# nuclear factor kappa-B ligand (RANKL)" (a protein's name spelled out, then its symbol)
_UNLISTED_CODE = (r"(?<![\w-])(?P<code>[A-Z][A-Za-z0-9]{1,9}(?:-[A-Z0-9]{1,4})?)"
                  r"-(?:targeting|targeted|directed|specific)\b")
_UNLISTED_SYMBOL = (
    r"\b(?:against|targeting|targets|inhibitors?\s+of|inhibits|inhibiting|blocks|blocking|directed\s+(?:at|against))"
    r"\s+(?:the\s+)?(?P<name>(?:[\w-]+\s+){0,8}?(?:[\w-]*(?:ligand|receptor|protein|kinase|factor|antigen|enzyme|"
    r"channel|transporter|hormone|ase|poietin|interleukin|integrin|cytokine)s?)(?:\s+[\w-]{1,5})?)\s+"
    r"\((?P<symbol>[A-Z][A-Za-z0-9-]{1,9})\)")
_UNLISTED_TARGET = re.compile(f"{_UNLISTED_CODE}|{_UNLISTED_SYMBOL}")
# each alternative alone, for a text that holds what every match of the other holds not: "-targeted" and the
# like (the code's), or "(" (the symbol's); an alternative that cannot match anywhere changes no match of the other
_UNLISTED_CODE_ONLY = re.compile(_UNLISTED_CODE)
_UNLISTED_SYMBOL_ONLY = re.compile(_UNLISTED_SYMBOL)
_CODE_SUFFIXES = ("-target", "-directed", "-specific")


def _with_unlisted_targets(text: str, hits: list[Hit], offset: int) -> list[Hit]:
    extra = []
    codes, symbols = holds_any(text, _CODE_SUFFIXES), "(" in text
    if not (codes or symbols):
        return hits
    pattern = _UNLISTED_TARGET if codes and symbols else _UNLISTED_CODE_ONLY if codes else _UNLISTED_SYMBOL_ONLY
    for match in pattern.finditer(text):
        group = "code" if codes and match.group("code") else "symbol"
        code = match.group(group)
        if sum(ch.isupper() or ch.isdigit() for ch in code) < 2:
            continue  # a symbol is written in capitals and digits ("RANKL", "B7H4"), not "Liver-targeted"
        start, end = offset + match.start(group), offset + match.end(group)
        if any(h.start < end and start < h.end for h in hits) or (
                group == "symbol" and any(h.start < end and offset + match.start("name") < h.end for h in hits)):
            continue  # the vocabulary knows it, or the name spelled out before it
        extra.append(Hit(start, end, code, code))
    return sorted(hits + extra, key=lambda h: h.start) if extra else hits


# "extended survival in TDP-43 mouse models": the gene names the animals' disease model, not the drug's target
_ANIMAL_MODEL = re.compile(r"[\s-]+(?:(?:transgenic|knock-?out|knock-?in|mutant)\s+)?(?:mouse|mice|rats?|animal|"
                           r"xenograft|disease)\s+models?\b|[\s-]+(?:transgenic|knock-?out|knock-?in)?\s*mice\b")


# "a P2X7 receptor antagonist": a coded name before "receptor" is a target, wherever the vocabulary lacks it
_CODED_TARGET = re.compile(r"\b(?P<code>[A-Z][A-Za-z]{0,5}\d[A-Za-z0-9]{0,4})[\s-]+"
                           r"(?:receptors?|antagonists?|agonists?|kinases?)\b")


def _with_coded_targets(text: str, hits: list[Hit], offset: int) -> list[Hit]:
    found = [Hit(offset + m.start("code"), offset + m.end("code"), m.group("code"), m.group("code"))
             for m in _CODED_TARGET.finditer(text)]
    known = {(h.start, h.end) for h in hits}
    extra = [h for h in found if (h.start, h.end) not in known and not any(k.start <= h.start < k.end for k in hits)]
    return sorted(hits + extra, key=lambda h: h.start) if extra else hits


# A disease the vocabulary lacks, told by its head noun after the words that introduce a disease: "patients
# with symptomatic neurogenic orthostatic hypotension", "therapies for rare bone disorders"
_DISEASE = re.compile(
    r"\b(?:for|with|of|against|in|treat(?:s|ing|ment of)?|indicated for|diagnosed with)\s+(?:the\s+)?"
    r"(?P<name>(?:[a-z][a-z'-]+\s+){0,3}?(?:[a-z][a-z-]*(?:itis|osis|a?emia|pathy|tension|trophy|plasia)|"
    r"(?:[a-z][a-z-]+\s+)(?:diseases?|disorders?|syndromes?|infections?|deficiency|deficiencies|dystrophy)))\b")
_NOT_DISEASE_WORDS = frozenset(_CUES["not_disease_words"])


def _with_unlisted_diseases(text: str, hits: list[Hit], offset: int) -> list[Hit]:
    extra: list[Hit] = []
    for match in _DISEASE.finditer(text):
        words = match.group("name").split()
        while words and words[0] in _NOT_DISEASE_WORDS:
            words.pop(0)
        if not words or words[-1] in _NOT_DISEASE_WORDS:
            continue
        name = " ".join(words)
        end = offset + match.end("name")
        start = end - len(name)
        if any(h.start < end and start < h.end for h in hits):
            continue  # the vocabulary knows it (or part of it)
        extra.append(Hit(start, end, name, name))
    return sorted(hits + extra, key=lambda h: h.start) if extra else hits


# "EGFR-expressing solid tumors", "HER2-positive gastric cancer", "KRAS-mutant NSCLC": a biomarker subgroup of the
# disease named right after it, reported as one indication
_MARKER_BEFORE = re.compile(
    r"(?<![\w-])(?P<marker>(?P<name>[A-Z][A-Za-z0-9/]*(?:-[A-Z0-9][A-Za-z0-9]*)*)-(?:expressing|overexpressing|positive|negative|"
    r"mutant|mutated|amplified|driven|deficient|deleted|null|rearranged|high|low|altered))\s+$")


def _with_marker(text: str, hit: Hit, offset: int) -> Hit:
    start = hit.start - offset
    if start <= 0 or text[start - 1] != " ":
        return hit
    match = _MARKER_BEFORE.search(text, max(0, start - 40), start)
    if match is None or sum(ch.isupper() or ch.isdigit() for ch in match.group("name")) < 2:
        return hit  # a biomarker is written in capitals and digits ("HER2", "B7H3"), not "Treatment-"
    marker = match.group("marker")
    return Hit(offset + match.start(), hit.end, f"{marker} {hit.canonical}", f"{marker} {hit.surface}")


# "gastric/GEJ cancer", "head/neck cancers": two diseases sharing the noun after the second
_SLASHED = re.compile(r"(?<![\w/-])(?P<first>[A-Za-z][\w-]*)/(?=[A-Za-z])")


def _with_slashed(text: str, hits: list[Hit], offset: int) -> list[Hit]:
    """The disease before a slash, where the vocabulary knows it with the noun of the one after the slash."""
    extra: list[Hit] = []
    for match in _SLASHED.finditer(text):
        after = next((h for h in hits if h.start == offset + match.end()), None)
        if after is None:
            continue
        noun = after.surface.rsplit(" ", 1)[-1]
        if " " not in after.surface or not _COORDINATED_NOUN.fullmatch(noun):
            continue
        name = f"{match.group('first')} {noun}"
        found = _VOCAB.indications.find(name)
        if found and found[0].start == 0 and found[0].end == len(name) and not any(
                h.canonical == found[0].canonical for h in hits):
            extra.append(Hit(offset + match.start(), offset + match.end("first"), found[0].canonical, name))
    return sorted(hits + extra, key=lambda h: h.start) if extra else hits


_COORDINATED = re.compile(
    r"\b(?P<heads>(?:[A-Za-z][\w-]*,\s+){0,4}[A-Za-z][\w-]*),?\s+(?:and|or)\s+(?P<last>(?:[\w-]+\s+){0,3}?)"
    r"(?P<noun>cancers?|tumou?rs?|carcinomas?|diseases?|malignancies)\b"
)
# what every match of `_COORDINATED` ends with: looked for first, as it is found far faster
_COORDINATED_TAIL = re.compile(r"\s+(?:and|or)\s+(?:[\w-]+\s+){0,3}?(?:cancers?|tumou?rs?|carcinomas?|diseases?|"
                               r"malignancies)\b")
_COORDINATED_NOUN = re.compile(r"cancers?|tumou?rs?|carcinomas?|diseases?|malignanc(?:y|ies)", re.I)
_SINGULAR = {"cancers": "cancer", "tumors": "tumor", "tumours": "tumour", "carcinomas": "carcinoma",
             "diseases": "disease", "malignancies": "malignancy"}


def _with_coordinated(text: str, hits: list[Hit], offset: int) -> list[Hit]:
    """'breast, gastric, and pancreatic cancers': each conjunct is a disease of its own. A conjunct that is no
    disease with the shared noun keeps what the vocabulary finds in it ("asthma and chronic obstructive pulmonary
    disease")."""
    extra: list[Hit] = []
    spans: list[tuple[int, int]] = []
    own: list[tuple[int, int]] = []  # conjuncts left as written
    for match in _COORDINATED.finditer(text):
        noun = _SINGULAR.get(match.group("noun").lower(), match.group("noun").lower())
        heads = [h.strip() for h in match.group("heads").split(",")]
        phrases = [(h, match.start("heads") + match.group("heads").find(h)) for h in heads]
        phrases.append((match.group("last").strip(), match.start("last")))
        resolved, failed = len(extra), False
        unresolved: list[tuple[int, int]] = []
        for number, (words, start) in enumerate(phrases):
            # the last conjunct is written out ("… and autoimmune diseases"); keep its number if the vocabulary does
            candidates = [f"{words} {match.group('noun')}".strip()] if number == len(phrases) - 1 else []
            for name in [*candidates, f"{words} {noun}".strip()]:
                found = _VOCAB.indications.find(name)
                if found and found[0].start == 0 and found[0].end == len(name):
                    # "breast and pancreatic cancers": one cancer each, in the singular the vocabulary gives it
                    # ("small cell lung cancer and neuroendocrine carcinomas" shares no noun: as written)
                    shared = not any(_COORDINATED_NOUN.fullmatch(h) for h in heads)
                    written = f"{words} {noun}".strip() if shared and not found[0].canonical.endswith("s") else name
                    extra.append(Hit(offset + start, offset + start + len(words), found[0].canonical, written))
                    break
                failed = True
            else:
                unresolved.append((offset + start, offset + start + len(words)))
        if failed:
            spans.append((offset + match.start(), offset + match.end()))
        if len(extra) > resolved:
            own += unresolved
    if not extra:
        return hits
    covered = {h.canonical for h in extra}
    kept = [h for h in hits if h.canonical not in covered and (
        not any(s <= h.start < e for s, e in spans) or any(s <= h.start and h.end <= e for s, e in own))]
    return sorted(extra + kept, key=lambda h: h.start)
