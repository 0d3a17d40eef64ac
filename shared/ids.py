"""Deterministic identifiers: the same input always yields the same id, so replays never mint new ones."""

from __future__ import annotations

import functools
import hashlib
import re

from shared.schemas import ArticleExtracted, DealEvent, DealPayload, RawArticle

_LEGAL_SUFFIXES = frozenset({
    "co", "ltd", "inc", "llc", "sa", "ag", "plc", "gmbh", "limited", "corp", "corporation", "company",
    "holdings", "group", "bv", "nv", "ab", "as", "kk", "spa", "srl", "the",
    "pharma", "pharmaceutical", "pharmaceuticals", "biotech", "biotechnology", "therapeutics",
})


def _digest(*parts: str, length: int = 24) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:length]


def article_id_for(normalised_text: str) -> str:
    return "art_" + _digest(normalised_text)


def event_id_for(article_id: str, extractor_version: str, position: int) -> str:
    return "evt_" + _digest(article_id, extractor_version, str(position))


@functools.lru_cache(maxsize=65_536)  # company names repeat across events; this runs for every party
def org_key(name: str) -> str:
    """A company name reduced to its distinctive words: 'ERIGEN LLC' and 'Erigen' agree."""
    words = re.sub(r"[^a-z0-9]+", " ", re.sub(r"\(.*?\)", " ", name.lower())).split()
    return " ".join(w for w in words if w not in _LEGAL_SUFFIXES) or " ".join(words)


def deal_key_for(deal: DealPayload) -> str:
    """Same type, same parties and same lead asset means the same deal, whichever article told it."""
    parties = sorted({org_key(p.name) for p in deal.parties})
    asset = org_key(deal.assets[0]) if deal.assets else ""
    extra = f"{deal.regulator or ''}:{deal.regulatory_action or ''}" if deal.type == "regulatory" else ""
    return "deal_" + _digest(deal.type, "|".join(parties), asset, extra)


_ARTICLE_ID = re.compile(r"art_[0-9a-f]{24}")


def key_for(message: RawArticle | DealEvent | ArticleExtracted) -> bytes:
    """The Kafka key a message is published under: the deal for events, the article otherwise."""
    return (message.deal_key if isinstance(message, DealEvent) else message.article_id).encode()


def identity_problem(message: RawArticle | DealEvent | ArticleExtracted) -> str | None:
    """Why the ids a message carries are not the ones derived from its content (None when they are).

    Consumers check this instead of trusting the producer: ids are what idempotence rests on.
    """
    if isinstance(message, RawArticle):
        expected = article_id_for(message.text)
        return None if message.article_id == expected else f"article_id is not the hash of the text ({expected})"
    if not _ARTICLE_ID.fullmatch(message.article_id):
        return "article_id is not an article id (art_ + 24 hex digits)"
    if isinstance(message, ArticleExtracted):
        expected_ids = [event_id_for(message.article_id, message.extractor_version, position)
                        for position in range(len(message.event_ids))]
        return None if message.event_ids == expected_ids else "event_ids do not derive from article and version"
    if message.event_id != event_id_for(message.article_id, message.extractor_version, message.position):
        return "event_id does not derive from article_id, extractor_version and position"
    if message.deal_key != deal_key_for(message):
        return "deal_key does not derive from the event's type, parties and lead asset"
    return None
