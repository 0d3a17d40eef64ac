"""Batches change how records are applied, never what the read models hold.

The reference is the plainest way to apply a stream: every record on its own, in topic order, each
its own transaction (a batch of one). The batched way gets the same records shuffled, with
duplicates, over three partitions of each topic, in batches of up to 64 records per partition
applied by two consumers at the same time.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest
from store_helpers import rows, snapshot

from bench.articles import generate_articles
from dealwire.services.extract.engine_worker import deal_events_for
from dealwire.services.store.projection import Batch, Position, Sessions, apply_batch
from dealwire.shared.schemas import ArticleExtracted, DealEvent, Party, RawArticle

pytestmark = pytest.mark.integration

CONSUMER = "dealwire-store"
Record = RawArticle | DealEvent | ArticleExtracted


def realistic_records(count: int, seed: int) -> list[Record]:
    """Generated articles, the events the engine finds in them and the records that it is done; some
    articles re-extracted by a newer engine version (keeping some events, or finding none), and some
    companies spelled differently by a second article about the same deal."""
    received = datetime(2025, 1, 1, tzinfo=UTC)
    articles = [g.as_raw(received + timedelta(seconds=i)) for i, g in enumerate(generate_articles(count, seed))]
    events = [e for article in articles for e in deal_events_for(article, now=received)]
    rng = random.Random(seed)
    extractions = {(e.article_id, e.extractor_version): [] for e in events}
    for event in events:
        extractions[(event.article_id, event.extractor_version)].append(event.event_id)
    for event in rng.sample(events, len(events) // 10):  # re-extracted by a newer engine: some events kept
        newer = event.model_copy(update={"extractor_version": "9.0.0", "stage": "Phase 3",
                                         "event_id": event.event_id.replace("evt_", "evt_v9_")})
        events.append(newer)
        extractions.setdefault((event.article_id, "9.0.0"), []).append(newer.event_id)
    for article in rng.sample(articles, len(articles) // 20):  # a newer engine finds nothing in these
        extractions.setdefault((article.article_id, "9.0.0"), [])
    for event in rng.sample(events, len(events) // 10):
        events.append(event.model_copy(update={
            "article_id": event.article_id + "_copy", "event_id": event.event_id + "_copy",
            "parties": [Party(name=p.name.split()[0], role=p.role, aliases=[p.name]) for p in event.parties],
        }))
    done = [ArticleExtracted(article_id=article_id, extractor="rules", extractor_version=version, event_ids=ids,
                             extracted_at=received) for (article_id, version), ids in extractions.items()]
    return [*articles, *events, *done]


def topic_of(record: Record) -> str:
    return {RawArticle: "articles.raw.v1", DealEvent: "deals.events.v1",
            ArticleExtracted: "articles.extracted.v1"}[type(record)]


async def apply_one_at_a_time(sessions: Sessions, records: list[Record]) -> None:
    offsets = {"articles.raw.v1": 0, "deals.events.v1": 0, "articles.extracted.v1": 0}
    for record in records:
        topic = topic_of(record)
        await apply_batch(sessions, Batch.of(Position(CONSUMER, topic, 0, offsets[topic]), record))
        offsets[topic] += 1


async def apply_in_batches(sessions: Sessions, records: list[Record], *, partitions: int, size: int,
                           first_offset: int = 0, consumers: int = 2) -> None:
    """Records dealt round-robin to partitions of both topics; the partitions split between `consumers`
    applying at the same time, each batch up to `size` records of each of its partitions."""
    streams: dict[tuple[str, int], list[Record]] = {}
    for index, record in enumerate(records):
        streams.setdefault((topic_of(record), index % partitions), []).append(record)
    owned = [sorted(streams)[c::consumers] for c in range(consumers)]

    async def consume(keys: list[tuple[str, int]]) -> None:
        for start in range(0, max(len(streams[k]) for k in keys), size):
            sources = [((topic, partition, first_offset + start + i), record)
                       for topic, partition in keys
                       for i, record in enumerate(streams[(topic, partition)][start:start + size])]
            if not sources:
                continue
            ends: dict[tuple[str, int], int] = {}
            for (topic, partition, offset), _ in sources:
                ends[(topic, partition)] = max(ends.get((topic, partition), -1), offset)
            await apply_batch(sessions, Batch(
                CONSUMER, ends, articles=[(s, r) for s, r in sources if isinstance(r, RawArticle)],
                events=[(s, r) for s, r in sources if isinstance(r, DealEvent)],
                extractions=[(s, r) for s, r in sources if isinstance(r, ArticleExtracted)],
            ))

    await asyncio.gather(*(consume(keys) for keys in owned if keys))


DANGLING = {
    "party without deal": "SELECT count(*) FROM deal_parties p WHERE NOT EXISTS "
                          "(SELECT 1 FROM deals d WHERE d.deal_key = p.deal_key)",
    "party without company": "SELECT count(*) FROM deal_parties p WHERE NOT EXISTS "
                             "(SELECT 1 FROM companies c WHERE c.company_id = p.company_id)",
    "asset link without deal": "SELECT count(*) FROM deal_assets a WHERE NOT EXISTS "
                               "(SELECT 1 FROM deals d WHERE d.deal_key = a.deal_key)",
    "asset link without asset": "SELECT count(*) FROM deal_assets a WHERE NOT EXISTS "
                                "(SELECT 1 FROM assets s WHERE s.asset_id = a.asset_id)",
    "deal without its source event": "SELECT count(*) FROM deals d WHERE NOT EXISTS "
                                     "(SELECT 1 FROM deal_events e WHERE e.event_id = d.source_event_id "
                                     "AND e.deal_key = d.deal_key)",
    "deal without events": "SELECT count(*) FROM deals d WHERE NOT EXISTS "
                           "(SELECT 1 FROM deal_events e WHERE e.deal_key = d.deal_key)",
    "placeholder name": "SELECT (SELECT count(*) FROM companies WHERE name = '') "
                        "+ (SELECT count(*) FROM assets WHERE name = '')",
}


async def dangling_rows(sessions: Sessions) -> dict[str, int]:
    """Rows that point at nothing (the tables have no foreign keys: the projection keeps them whole)."""
    found = {}
    for what, sql in DANGLING.items():
        [(count,)] = await rows(sessions, sql)
        if count:
            found[what] = count
    return found


def read_models(tables: dict[str, list[str]]) -> dict[str, list[str]]:
    return {name: rows for name, rows in tables.items() if name != "projection_positions"}


async def test_batches_shuffled_with_duplicates_give_the_read_models_of_one_record_at_a_time(
    sessions_factory: Callable[[], Awaitable[Sessions]],
) -> None:
    records = realistic_records(120, seed=11)
    rng = random.Random(5)
    shuffled_with_duplicates = rng.sample(records, len(records)) + rng.sample(records, len(records) // 5)
    reference, batched = await sessions_factory(), await sessions_factory()

    await apply_one_at_a_time(reference, records)
    await apply_in_batches(batched, shuffled_with_duplicates, partitions=3, size=64)

    assert await dangling_rows(batched) == {}
    expected = read_models(await snapshot(reference, row_versions=False))
    assert sum(map(len, expected.values())) > 400, "a realistic amount of rows in every table"
    assert all(expected.values()), "every table holds rows"
    assert read_models(await snapshot(batched, row_versions=False)) == expected


async def test_the_whole_stream_again_in_big_batches_changes_no_row(sessions: Sessions) -> None:
    records = realistic_records(60, seed=3)
    await apply_in_batches(sessions, records, partitions=2, size=500)
    before = await snapshot(sessions)

    # As after a consumer group reset: every record once more, at new offsets, in other batches.
    await apply_in_batches(sessions, random.Random(1).sample(records, len(records)), partitions=2, size=7,
                           first_offset=10_000)

    assert read_models(await snapshot(sessions)) == read_models(before)
