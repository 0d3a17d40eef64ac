"""Licence or collaboration: how the text frames a deal, over every sentence that tells it.

A grant of rights paid for with royalties is a licence even when the press release calls it a
partnership; shared costs or profits, or joint development without a grant of rights, make a
collaboration even when one side pays the other upfront (`../shared/eval/GOLD_SCHEMA.md`,
"licensing vs collaboration").
"""

from __future__ import annotations

from collections.abc import Callable

from dealwire.services.extract.engine.analysis import SentenceFacts
from dealwire.services.extract.engine.drafts import Article, Draft
from dealwire.services.extract.engine.vocab import CuePatterns, caseless, load

_FRAMING = {kind: CuePatterns(entries, []) for kind, entries in load().cues["framing"].items()}
_GRANT = _FRAMING["grant"]
_ROYALTIES = _FRAMING["royalties"]
_SHARED_WORK = _FRAMING["shared_work"]
_SHARED_COSTS = _FRAMING["shared_costs"]
# "Should Birch exercise its option, royalties would be added": royalties of a licence not granted yet
_CONDITIONAL = caseless(r"^(?:should|if|once|upon|in the event)\b|\bwould\b")


def deal_kind(article: Article, event: Draft) -> str:
    """The event's type once all its sentences are known: acquisitions and financings stay as stated."""
    if event.type not in ("licensing", "collaboration", "deal"):
        return event.type
    first = event.facts[0]
    if _says(article, first, "grant") and not (_says(article, first, "shared_work") or _says(article, first,
                                                                                           "shared_costs")):
        return "licensing"  # described first as a grant of rights
    grant = any(_says(article, f, "grant") for f in event.facts)
    royalties = any(_says(article, f, "royalties") for f in event.facts)
    shared_costs = any(_says(article, f, "shared_costs") for f in event.facts)
    shared_work = any(_says(article, f, "shared_work") for f in event.facts)
    if shared_costs and not royalties:
        return "collaboration"
    if grant and royalties:
        return "licensing"
    if shared_work or shared_costs:
        return "collaboration"
    if grant:
        return "licensing"
    return "collaboration" if event.type == "deal" else event.type


def _grant(facts: SentenceFacts) -> bool:
    return _GRANT.search(facts.sentence.text, facts.lowered) is not None


def _royalties(facts: SentenceFacts) -> bool:
    text, low = facts.sentence.text, facts.lowered
    return _ROYALTIES.search(text, low) is not None and _CONDITIONAL.search(text, low) is None


def _shared_costs(facts: SentenceFacts) -> bool:
    return _SHARED_COSTS.search(facts.sentence.text, facts.lowered) is not None


def _shared_work(facts: SentenceFacts) -> bool:
    return _SHARED_WORK.search(facts.sentence.text, facts.lowered) is not None


_SIGNALS: dict[str, Callable[[SentenceFacts], bool]] = {
    "grant": _grant, "royalties": _royalties, "shared_costs": _shared_costs, "shared_work": _shared_work}


def _says(article: Article, facts: SentenceFacts, signal: str) -> bool:
    """Whether a sentence frames a deal so; told once per sentence (each event built asks again)."""
    key = (id(facts), signal)
    said = article.framing.get(key)
    if said is None:
        said = article.framing[key] = _SIGNALS[signal](facts)
    return said
