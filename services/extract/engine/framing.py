"""Licence or collaboration: how the text frames a deal, over every sentence that tells it.

A grant of rights paid for with royalties is a licence even when the press release calls it a
partnership; shared costs or profits, or joint development without a grant of rights, make a
collaboration even when one side pays the other upfront (`../shared/eval/GOLD_SCHEMA.md`,
"licensing vs collaboration").
"""

from __future__ import annotations

import re

from services.extract.engine.drafts import Article, Draft
from services.extract.engine.vocab import compile_cue, load

_FRAMING = load().cues["framing"]
_GRANT = compile_cue(_FRAMING["grant"])
_ROYALTIES = compile_cue(_FRAMING["royalties"])
_SHARED_WORK = compile_cue(_FRAMING["shared_work"])
_SHARED_COSTS = compile_cue(_FRAMING["shared_costs"])
# "Should Birch exercise its option, royalties would be added": royalties of a licence not granted yet
_CONDITIONAL = re.compile(r"^(?:should|if|once|upon|in the event)\b|\bwould\b", re.I)


def deal_kind(article: Article, event: Draft) -> str:
    """The event's type once all its sentences are known: acquisitions and financings stay as stated."""
    if event.type not in ("licensing", "collaboration", "deal"):
        return event.type
    texts = [f.sentence.text for f in event.facts]
    grant = any(_GRANT.search(t) for t in texts)
    royalties = any(_ROYALTIES.search(t) and not _CONDITIONAL.search(t) for t in texts)
    shared_costs = any(_SHARED_COSTS.search(t) for t in texts)
    shared_work = any(_SHARED_WORK.search(t) for t in texts)
    if shared_costs and not royalties:
        return "collaboration"
    if grant and royalties:
        return "licensing"
    if shared_work or shared_costs:
        return "collaboration"
    if grant:
        return "licensing"
    return "collaboration" if event.type == "deal" else event.type
