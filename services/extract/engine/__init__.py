"""dealwire extraction engine: article text in, structured deal events out.

Pure and deterministic: vocabularies and cue words are data files under `vocab/`, loaded once at
import; no network, no model, no I/O at call time. Work is bounded: only the first
`text.MAX_CHARS` characters and `text.MAX_SENTENCES` sentences of an input are read.
"""

from __future__ import annotations

import datetime as dt

from dealwire.services.extract.engine_build import use_compiled

# The modules compiled by mypyc when built from exactly the sources on disk, else these .py files (engine_build.py):
# "compiled <key>" or "pure (why)"; `dealwire extract --version` prints it.
ENGINE_BUILD = use_compiled(__path__)

from dealwire.services.extract.engine.analysis import analyse_article
from dealwire.services.extract.engine.assembly import (
    complete_co_headline,
    complete_primary,
    complete_secondary,
    earlier_terms,
    fold_into,
    has_parties,
    merge,
    settle_sponsors,
    tell,
)
from dealwire.services.extract.engine.candidates import event_candidates
from dealwire.services.extract.engine.dates import infer_published, latest_year
from dealwire.services.extract.engine.drafts import Article, Draft, lead_date, reference_month
from dealwire.services.extract.engine.entities import EntityIndex
from dealwire.services.extract.engine.payload import to_payload
from dealwire.services.extract.engine.primary import choose, in_roundup_title, is_another_headline, rank
from dealwire.services.extract.engine.text import Sentence, body_end, clean, split_sentences, unwrap_lines
from dealwire.services.extract.engine.vocab import lower_same_length
from dealwire.shared.schemas import DealPayload

EXTRACTOR_NAME = "dealwire-rules"
EXTRACTOR_VERSION = "0.3.17"  # every change of output on any article: new event ids, so a re-extraction supersedes

__all__ = ["ENGINE_BUILD", "EXTRACTOR_NAME", "EXTRACTOR_VERSION", "extract"]


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
    body = unwrap_lines(clean(text))
    sentences = split_sentences(body, body_end(body))
    work, title_sentence = _title_sentence(body, title, sentences)
    if title_sentence is not None:
        sentences = [s for s in sentences if (s.start, s.end) != (title_sentence.start, title_sentence.end)]
    published = published or infer_published(body)
    fallback_year = latest_year(body) if published is None else None  # only an undated article needs it
    ordered = ([title_sentence] if title_sentence else []) + sentences
    by_position = sorted(ordered, key=lambda s: s.start)
    lowered = lower_same_length(work)  # read by the vocabulary scan and the company recogniser
    facts_by_id = {id(f.sentence): f for f in analyse_article(work, by_position, published, fallback_year, lowered)}
    facts = [facts_by_id[id(s)] for s in ordered]
    vocab_hits = [h for f in facts for h in (*f.targets, *f.indications, *f.regulators, *f.regions, *f.modalities)]
    index = EntityIndex(work, by_position, vocab_hits, lowered)
    article = Article(work, len(body), title_sentence, sentences, facts, index, published)
    drafts = _events(article)
    return settle_sponsors(article, drafts, [to_payload(article, draft) for draft in drafts])


def _events(article: Article) -> list[Draft]:
    """Every sentence's candidates, merged into events, ranked; the headline ones completed widely."""
    candidates = event_candidates(article)
    lead_kind = next((c.type for c in candidates if c.facts[0] in article.lead), "")
    reference = reference_month(article, article.lead, lead_kind)
    events = tell(article, merge(article, candidates, reference))
    primaries = choose(article, rank(article, events, reference), reference)
    for event in primaries:
        event.primary = True
        complete_primary(article, event, reference, events)
        event.date = event.date or lead_date(article, article.lead, event.type, event.action)
    headline = primaries[0] if primaries else None
    others = [e for e in events if e not in primaries]
    for event in others:
        complete_secondary(article, event, headline)
    others = [e for e in others if e.stated_in]  # an event told only by the headline is the headline's
    if headline is not None:
        stated = {id(f) for e in events for f in e.stated_in}
        others += earlier_terms(article, headline, reference, stated)
    others = fold_into(article, primaries, others, reference)
    if headline is not None:
        for event in others:
            if is_another_headline(article, event, headline, reference) or in_roundup_title(
                    article, event, headline, reference):
                event.primary = True
                complete_co_headline(article, event, headline)
    others = _one_action_per_sentence(others, primaries)
    kept = [e for e in (*primaries, *others) if has_parties(e) and e.type != "deal"]
    return sorted(kept, key=lambda e: (not e.primary, article.position(e.stated_in[0])))


def _one_action_per_sentence(events: list[Draft], primaries: list[Draft]) -> list[Draft]:
    """A sentence the article only mentions in passing counts for its first regulatory action; the headline's sentence
    for the headline's."""
    seen = {(id(e.stated_in[0]), e.span) for e in primaries if e.type == "regulatory" and e.stated_in}
    kept: list[Draft] = []
    for event in events:
        if event.type == "regulatory" and not event.primary:
            key = (id(event.stated_in[0]), event.span)  # a sentence cut per region counts once per region
            if key in seen:
                continue
            seen.add(key)
        kept.append(event)
    return kept
