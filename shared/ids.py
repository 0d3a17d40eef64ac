"""Deterministic identifiers: the same input always yields the same id, so replays never mint new ones."""

from __future__ import annotations

import hashlib
import re

from dealwire.shared.names import company_key
from dealwire.shared.schemas import ArticleExtracted, DealEvent, DealPayload, RawArticle


def _digest(*parts: str, length: int = 24) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:length]


def article_id_for(normalised_text: str) -> str:
    return "art_" + _digest(normalised_text)


def event_id_for(article_id: str, extractor_version: str, position: int) -> str:
    return "evt_" + _digest(article_id, extractor_version, str(position))


def deal_key_for(deal: DealPayload) -> str:
    """Same type, same parties and same lead asset means the same deal, whichever article told it."""
    parties = sorted({company_key(p.name) for p in deal.parties})
    asset = company_key(deal.assets[0]) if deal.assets else ""  # the lead asset by the same rule, as ever
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
