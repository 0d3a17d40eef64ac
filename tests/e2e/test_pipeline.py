"""The three services as separate processes over the real broker and real PostgreSQL.

Every test gets its own topics, consumer groups and database, so tests never see each other's data.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from dealwire.stack import ServiceProcesses
from tests.conftest import REPO
from tests.support.pipeline import (
    ingest,
    query,
    read_topic,
    snapshot,
    wait_for_projection,
    wait_until_applied,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
SEEDS = REPO / "seeds"


def ingest_and_wait(services: ServiceProcesses, paths: list[Path] | None = None,
                    bodies: list[dict] | None = None) -> set[str]:
    outcomes = ingest(services, paths, bodies=bodies)
    ids = {o.article_id for o in outcomes if o.article_id}
    asyncio.run(wait_for_projection(services, ids))
    return ids


def deal_rows(database_url: str) -> set[tuple[str, str, str, str]]:
    """(deal type, lead asset, company, role) for every party of every primary deal."""
    return {row for row in asyncio.run(query(database_url, """
        SELECT d.type, d.lead_asset, c.name, p.role
        FROM deals d JOIN deal_parties p ON p.deal_key = d.deal_key
        JOIN companies c ON c.company_id = p.company_id
        WHERE d.is_primary
    """))}


def seed_variant(seed: str, marker: str) -> dict:
    """The same story told by another feed: a different article (new id) about the same deal."""
    return {"text": (SEEDS / seed).read_text() + f"\n\nSyndicated copy {marker}.", "source": "e2e-feed"}


def test_seed_articles_become_deals_with_parties_and_roles(pipeline: ServiceProcesses) -> None:
    ids = ingest_and_wait(pipeline, [SEEDS])
    url = pipeline.config.database_url

    assert len(ids) == 4
    assert asyncio.run(query(url, "SELECT count(*) FROM articles")) == [(4,)]
    rows = deal_rows(url)
    parties = {(kind, asset.upper(), company.split()[0].upper(), role) for kind, asset, company, role in rows}
    assert ("licensing", "KQ-2003", "NOVATIM", "licensor") in parties
    assert ("licensing", "KQ-2003", "ERIGEN", "licensee") in parties
    assert ("licensing", "SHR-A1811", "GLENMARK", "licensee") in parties
    assert any(kind == "licensing" and asset == "SHR-A1811" and "HENGRUI" in company.upper()
               and role == "licensor" for kind, asset, company, role in rows)
    assert {("collaboration", "KXBS001")} <= {(kind, asset.upper()) for kind, asset, *_ in parties}
    regulatory = asyncio.run(query(url, """
        SELECT regulator, regulatory_action FROM deals WHERE is_primary AND type = 'regulatory'
        AND upper(lead_asset) = 'KN026'"""))
    assert regulatory == [("NMPA", "nda_accepted")]
    upfront = asyncio.run(query(url, """
        SELECT upfront_amount, upfront_currency FROM deals WHERE is_primary AND upper(lead_asset) = 'KQ-2003'"""))
    assert upfront == [(15_000_000, "USD")]


def test_ingesting_the_seeds_again_changes_no_read_model_table(pipeline: ServiceProcesses) -> None:
    ingest_and_wait(pipeline, [SEEDS])
    url = pipeline.config.database_url
    before = asyncio.run(snapshot(url))

    # A fresh ingest process has no memory of what it published: the articles really go out again.
    pipeline.stop("ingest")
    pipeline.start("ingest")
    outcomes = ingest(pipeline, [SEEDS])
    assert {o.status for o in outcomes} == {"published"}
    again = {o.article_id for o in outcomes}
    events_per_article = dict(asyncio.run(query(
        url, "SELECT article_id, count(*) FROM deal_events GROUP BY article_id")))

    def both_copies_seen(records: list) -> bool:
        seen: dict[str, int] = {}
        for record in records:
            article_id = dict(record.headers)["article_id"].decode()
            seen[article_id] = seen.get(article_id, 0) + 1
        return all(seen.get(a, 0) >= 2 * events_per_article[a] for a in again)

    bootstrap = pipeline.config.bootstrap_servers
    article_records = asyncio.run(read_topic(bootstrap, pipeline.config.topic_articles, lambda rs: len(rs) >= 8))
    deal_records = asyncio.run(read_topic(bootstrap, pipeline.config.topic_deals, both_copies_seen))
    asyncio.run(wait_until_applied(url, f"{pipeline.config.name}-store", article_records + deal_records))

    assert asyncio.run(snapshot(url)) == before


@pytest.mark.parametrize("service", ["extract", "store"])
def test_a_killed_consumer_resumes_where_it_left_and_loses_nothing(
    pipeline: ServiceProcesses, service: str
) -> None:
    ingest_and_wait(pipeline, [SEEDS / "seed-000.txt"])
    pipeline.kill(service)

    outcomes = ingest(pipeline, bodies=[seed_variant(s, service) for s in ("seed-001.txt", "seed-003.txt")])
    pipeline.start(service)
    new_ids = {o.article_id for o in outcomes}
    asyncio.run(wait_for_projection(pipeline, new_ids))

    assets = {a.upper() for _, a, _, _ in deal_rows(pipeline.config.database_url)}
    assert {"KQ-2003", "SHR-A1811", "KXBS001"} <= assets
    counts = dict(asyncio.run(query(pipeline.config.database_url,
                                    "SELECT article_id, count(*) FROM deal_events GROUP BY article_id")))
    assert new_ids <= set(counts)


def test_a_killed_ingest_comes_back_and_accepts_articles(pipeline: ServiceProcesses) -> None:
    pipeline.kill("ingest")
    pipeline.start("ingest")
    ids = ingest_and_wait(pipeline, [SEEDS / "seed-002.txt"])
    assert len(ids) == 1
    assert asyncio.run(query(pipeline.config.database_url, "SELECT count(*) FROM articles")) == [(1,)]


def test_a_poison_article_is_dead_lettered_and_the_stream_goes_on(pipeline: ServiceProcesses) -> None:
    from aiokafka import AIOKafkaProducer

    async def publish_garbage() -> None:
        producer = AIOKafkaProducer(bootstrap_servers=pipeline.config.bootstrap_servers, acks="all")
        await producer.start()
        try:
            await producer.send_and_wait(pipeline.config.topic_articles, b"\x00not an article", key=b"bad")
        finally:
            await producer.stop()

    asyncio.run(publish_garbage())
    ingest_and_wait(pipeline, [SEEDS / "seed-003.txt"])

    # Both consumers of the raw topic (extract, and the store's article projection) dead-letter it, in
    # whichever order they get to it.
    def services_of(records: list) -> set[str]:
        return {dict(record.headers)["dlq.service"].decode() for record in records}

    dead = asyncio.run(read_topic(pipeline.config.bootstrap_servers, f"{pipeline.config.topic_articles}.dlq",
                                  lambda records: services_of(records) >= {"extract", "store"}))
    assert services_of(dead) == {"extract", "store"}
    for value, headers in [(record.value, {k: v.decode() for k, v in record.headers}) for record in dead]:
        assert value == b"\x00not an article"
        assert headers["dlq.source.topic"] == pipeline.config.topic_articles
        assert headers["dlq.error.type"] == "PoisonMessage"


def test_the_store_resumes_from_its_own_positions_whatever_the_group_committed(pipeline: ServiceProcesses) -> None:
    from aiokafka import AIOKafkaConsumer

    from dealwire.shared.kafka import end_offsets

    ingest_and_wait(pipeline, [SEEDS / "seed-000.txt"])
    pipeline.stop("store")
    outcomes = ingest(pipeline, bodies=[seed_variant("seed-001.txt", "while the store was away")])
    new_ids = {o.article_id for o in outcomes}
    config = pipeline.config
    topics = [config.topic_articles, config.topic_deals,
              config.topic_articles.replace("articles.raw.v1", "articles.extracted.v1")]
    asyncio.run(read_topic(config.bootstrap_servers, topics[2],
                           lambda rs: new_ids <= {r.key.decode() for r in rs}))  # extract is done with it

    async def commit_the_ends() -> None:
        """As a mistaken offset reset would: the store's group marked as having read everything."""
        ends = await end_offsets(config.bootstrap_servers, topics)
        consumer = AIOKafkaConsumer(*topics, bootstrap_servers=config.bootstrap_servers, enable_auto_commit=False,
                                    group_id=f"{config.name}-store", session_timeout_ms=config.kafka_session_timeout_ms
                                    or 10_000, heartbeat_interval_ms=(config.kafka_session_timeout_ms or 10_000) // 5)
        await consumer.start()
        try:
            while set(consumer.assignment()) != set(ends):  # joins the group in place of the store
                await consumer.getmany(timeout_ms=200)
            await consumer.commit(ends)
        finally:
            await consumer.stop()

    asyncio.run(commit_the_ends())
    pipeline.start("store")

    asyncio.run(wait_for_projection(pipeline, new_ids, timeout_s=60))
