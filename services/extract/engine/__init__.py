"""dealwire extraction engine: article text in, structured deal events out.

Pure and deterministic: vocabularies and cue words are data files under `vocab/`, loaded once at
import; no network, no model, no I/O at call time. Work is bounded: only the first
`text.MAX_CHARS` characters and `text.MAX_SENTENCES` sentences of an input are read.
"""

from __future__ import annotations

import datetime as dt

from services.extract.engine.analysis import analyse_article
from services.extract.engine.dates import infer_published, latest_year
from services.extract.engine.drafts import Article
from services.extract.engine.entities import EntityIndex
from services.extract.engine.headline import build_primary
from services.extract.engine.payload import to_payload
from services.extract.engine.secondary import build_secondary
from services.extract.engine.text import Sentence, body_end, clean, split_sentences
from shared.schemas import DealPayload

EXTRACTOR_NAME = "dealwire-rules"
EXTRACTOR_VERSION = "0.2.0"

__all__ = ["EXTRACTOR_NAME", "EXTRACTOR_VERSION", "extract"]


def extract(text: str, *, title: str | None = None, published: dt.date | None = None) -> list[DealPayload]:
    """Deal events of one article; the headline event(s) first, with `primary=True`.

    Never raises on any `str` input (the property tests hold it to that); there is no catch-all, so an
    engine bug surfaces instead of silently costing events.
    """
    return _extract(text, title, published)


def _title_sentence(body: str, title: str | None, sentences: list[Sentence]) -> tuple[str, Sentence | None]:
    """The title as a sentence; a title not found in the text is appended after it (offsets past the end)."""
    if title and title.strip():
        title = clean(title.strip())[:500]
        position = body.find(title)
        if position >= 0:
            return body, Sentence(title, position, position + len(title), -1, -1, is_title=True)
        start = len(body) + 2
        return body + "\n\n" + title, Sentence(title, start, start + len(title), -1, -1, is_title=True)
    first = next((s for s in sentences if len(s.text.split()) >= 4), None)
    if first is not None and first.index <= 2 and not first.text.rstrip().endswith((".", ":")):
        return body, Sentence(first.text, first.start, first.end, first.index, first.paragraph, is_title=True)
    return body, None


def _extract(text: str, title: str | None, published: dt.date | None) -> list[DealPayload]:
    if not isinstance(text, str) or not text.strip():
        return []
    body = clean(text)
    sentences = split_sentences(body, body_end(body))
    work, title_sentence = _title_sentence(body, title, sentences)
    if title_sentence is not None:
        sentences = [s for s in sentences if (s.start, s.end) != (title_sentence.start, title_sentence.end)]
    published = published or infer_published(body)
    fallback_year = latest_year(body) if published is None else None  # only an undated article needs it
    ordered = ([title_sentence] if title_sentence else []) + sentences
    by_position = sorted(ordered, key=lambda s: s.start)
    facts_by_id = {id(f.sentence): f for f in analyse_article(work, by_position, published, fallback_year)}
    facts = [facts_by_id[id(s)] for s in ordered]
    vocab_hits = [h for f in facts for h in (*f.targets, *f.indications, *f.regulators, *f.regions, *f.modalities)]
    index = EntityIndex(work, by_position, vocab_hits)
    article = Article(work, len(body), title_sentence, sentences, facts, index, published)
    primaries = build_primary(article)
    secondaries = build_secondary(article, primaries)
    return [to_payload(article, draft) for draft in (*primaries, *secondaries)]
