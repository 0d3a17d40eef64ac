"""Which of a sentence's development stages is the stage its drug is at now.

`analysis.find_stages` finds every stage a sentence names. A phase the drug will only reach ("plans to start a
Phase 3 trial", "to advance it through Phase 2", "a Phase 2 study is planned") is not its stage, nor is one
the sentence gives another program ("Acme also has a preclinical program"). Stages are asked for only in the
few sentences an event is built from, so one regex over such a sentence is all this costs.
"""

from __future__ import annotations

import re

from dealwire.services.extract.engine.analysis import STAGE_MENTION, STAGE_MENTION_PLAIN, SentenceFacts, stage_name

# A stage mention: the ones `analysis` finds, and "completed IND-enabling studies" and "plans to file an IND",
# which tell the preclinical stage without the word, and "a first-in-human trial", Phase I.
_MENTION = re.compile(
    STAGE_MENTION_PLAIN
    + r"|\b(?P<enabling>IND-enabling)\b|\b(?P<first>first[- ]in[- ]human)\s+(?:trials?|stud(?:y|ies)|dosing)"
    r"|\b(?P<ind>(?:plans?|expects?|intends?|aims?|will|to)\s+(?:[\w-]+\s+){0,3}?(?:file|submit)\s+(?:an?\s+|its\s+)?"
    r"(?:IND|investigational new drug))\b"
)
# Words before a phase, in its clause, that put the phase ahead: an intention or a modal before a verb of
# starting ("plans to start a", "will begin its", "expects to move into"), or "through" / "planned" just before.
_AHEAD_BEFORE = re.compile(
    r"\b(?:plans?|planned|planning|intends?|intended|aims?|expects?|expected|hopes?|prepares?|preparing|will|"
    r"would|could|should|to|set to)\b[^;:]{0,90}?\b(?:start|begin|initiate|commence|launch|enter|advance|move|"
    r"progress|proceed|run|conduct|take|bring|push)\s+(?:[\w-]+\s+){0,5}$"
    r"|\b(?:through|planned|upcoming|next|future|subsequent|potential|fund|funds|funding|finance|support|cover|"
    r"covering|prepar(?:e|es|ing)(?:\s+for)?|design(?:s|ing)?)\s+(?:(?:a|an|the|its|their|global|registrational|"
    r"planned)\s+)*$",
    re.I,
)
# Words after a phase, in its clause, that put it ahead: "a Phase 2 trial is planned for 2027", "… will start".
# "Phase 2-ready": the drug is ready to enter it.
_AHEAD_AFTER = re.compile(
    r"^[^;:.]{0,60}?\b(?:(?:is|are)\s+(?:planned|(?:(?:expected|due|set)\s+)?to\s+(?:start|begin)|scheduled|"
    r"slated)|will\s+(?:start|begin|commence))\b|^-ready\b",
    re.I,
)
# "Acme also has a preclinical program", "a second candidate in Phase 1": the stage of another program
_OTHER_PROGRAM = re.compile(
    r"\b(?:also|another|second|third|other|separate)\b[^;:]{0,30}$",
    re.I,
)
# "with Acme responsible for discovery and preclinical work", "will lead Phase 3 development": a partner's share
# of the work, not the stage of a drug
_ROLE_BEFORE = re.compile(r"\b(?:responsib(?:le|ility)\s+for|in\s+charge\s+of|will\s+(?:lead|handle|conduct|"
                          r"fund|pay\s+for))\b[^;:]{0,60}$", re.I)
# "completed a Phase II trial", "following completion of a Phase 1 study": a stage the drug has left when the
# article goes on to a later one
_COMPLETED_BEFORE = re.compile(r"\b(?:completed|finished|concluded|(?:completion|conclusion)\s+of)\s+"
                               r"(?:(?:a|an|the|its|their|global)\s+)*$", re.I)
# "X is an approved product", "Y is a marketed drug": the drug is on the market
_APPROVED_PRODUCT = re.compile(r"\b(?:is|are)\s+(?:an?\s+)?(?:already\s+)?(?:approved|marketed)\s+(?:[\w-]+\s+)?"
                               r"(?:products?|drugs?|medicines?|therap(?:y|ies)|treatments?)\b", re.I)
_CLAUSE_START = re.compile(r"[;:]|,\s+(?:and|but|while|whereas|with)\s|\s(?:and|but|while|whereas)\s+(?=\w+\s+"
                           r"(?:plans?|will|expects?|intends?|aims?|is|are|has|have)\b)")


def current_stages(facts: SentenceFacts) -> list[str]:
    """The stages a sentence gives for where its drug is now, in the order written."""
    return [name for name, _ in stage_mentions(facts)]


def stage_mentions(facts: SentenceFacts) -> list[tuple[str, bool]]:
    """The stages a sentence gives for where its drug is now, each with whether it is told as completed."""
    return [(name, done) for name, done, _, _ in stage_spans(facts)]


def stage_spans(facts: SentenceFacts) -> list[tuple[str, bool, int, int]]:
    """`stage_mentions`, each with where it is written in the sentence (start and end, relative to it)."""
    low = facts.lowered
    if not facts.stages and "ind" not in low and "investigational new drug" not in low and "human" not in low:
        if ("approved" in low or "marketed" in low) and (m := _APPROVED_PRODUCT.search(facts.sentence.text)):
            return [("Approved", False, m.start(), m.end())]
        return []
    text = facts.sentence.text
    found: list[tuple[str, bool, int, int]] = []
    # the mentions beyond `STAGE_MENTION`'s hold "IND", "human" or "investigational new drug" (in that case): where
    # none is there, the phases alone are all there is to find, with the pattern that skips to them
    phases_only = "IND" not in text and "human" not in text and "investigational new drug" not in text
    for match in (STAGE_MENTION if phases_only else _MENTION).finditer(text):
        before = _clause_before(text, match.start())
        after = text[match.end() : match.end() + 80]
        ind = None if phases_only else match.group("ind")
        preclinical = ind or (not phases_only and match.group("enabling"))
        ahead = not ind and (_AHEAD_BEFORE.search(before) or _AHEAD_AFTER.search(after))
        if ahead or _OTHER_PROGRAM.search(before) or _ROLE_BEFORE.search(before):
            continue
        done = _COMPLETED_BEFORE.search(before) is not None
        first = not phases_only and match.group("first")
        name = "Preclinical" if preclinical else "Phase I" if first else stage_name(match)
        found.append((name, done, match.start(), match.end()))
    return found


def stage_rank(stage: str) -> float:
    """Order of stages: "Phase II" after "Phase Ib", "Phase II/III" after "Phase II"."""
    if stage == "Preclinical":
        return 0.0
    if not stage.startswith("Phase "):
        return 3.0  # "Pivotal"
    first, _, second = stage[6:].partition("/")
    return _phase_rank(first) + (0.5 if second else 0.0)


def _phase_rank(part: str) -> float:
    numeral = part.rstrip("ab")
    value = {"I": 1.0, "II": 2.0, "III": 3.0, "IV": 4.0}.get(numeral, 0.0)
    return value + (0.2 if part.endswith("b") else 0.1 if part.endswith("a") else 0.0)


def _clause_before(text: str, position: int) -> str:
    """The words of the clause before `position` (at most 80 characters of it)."""
    window = text[max(0, position - 80) : position]
    ends = [cut.end() for cut in _CLAUSE_START.finditer(window)]
    return window[ends[-1] :] if ends else window
