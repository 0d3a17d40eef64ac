"""`dealwire dlq` against the running services: a record class poisoned by a database rule the test
controls is dead-lettered by the store; after the rule is dropped, `dlq replay` brings every one of
those records into the read models exactly once (acceptance 8.6)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from dealwire.services.store.db import migrate
from dealwire.stack import ServiceProcesses, StackConfig
from tests.conftest import REPO
from tests.support.infra import Infra, create_database, unique_name
from tests.support.lag import wait_for_no_lag
from tests.support.pipeline import expected_event_ids, ingest, query, read_topic, snapshot, wait_for_projection

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
SEEDS = REPO / "seeds"
LONG_ARTICLE_CHARS = 6000  # seed-002 is longer, the other seeds are shorter
POISON_RULES = {
    "articles": f"CHECK (text_chars < {LONG_ARTICLE_CHARS})",
    "deal_events": "CHECK (type <> 'collaboration')",
}


async def execute(database_url: str, *statements: str) -> None:
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as connection:
            for statement in statements:
                await connection.execute(text(statement))
    finally:
        await engine.dispose()


@pytest.fixture
def poisoned_stack(infra: Infra, tmp_path: Path) -> Iterator[ServiceProcesses]:
    """The three services on a database that refuses long articles and collaboration events."""
    name = unique_name("dlq")
    database_url = asyncio.run(create_database(infra.database_url, name))
    asyncio.run(migrate(database_url))
    asyncio.run(execute(database_url, *(f"ALTER TABLE {table} ADD CONSTRAINT test_poison {rule}"
                                        for table, rule in POISON_RULES.items())))
    config = StackConfig(
        infra.bootstrap_servers, database_url, log_dir=tmp_path / "logs", name=name,
        enable_idempotence=infra.enable_idempotence,
        topic_articles=f"{name}.articles.raw.v1", topic_deals=f"{name}.deals.events.v1",
    )
    with ServiceProcesses(config) as services:
        services.start_all()
        yield services


def dealwire(config: StackConfig, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DEALWIRE_KAFKA_BOOTSTRAP_SERVERS": config.bootstrap_servers,
           "DEALWIRE_KAFKA_ENABLE_IDEMPOTENCE": str(config.enable_idempotence).lower(),
           "DEALWIRE_TOPIC_ARTICLES": config.topic_articles or "", "DEALWIRE_TOPIC_DEALS": config.topic_deals or ""}
    if args[1] in ("list", "replay"):  # which groups remember what was replayed: this stack's own
        args = (*args, "--replay-group-prefix", config.name)
    return subprocess.run([sys.executable, "-m", "dealwire", *args],
                          env=env, capture_output=True, text=True, timeout=120)


def wait_until_settled(config: StackConfig) -> None:
    """Both consumers have processed (projected or dead-lettered) everything on their topics."""
    both = [config.topic_articles or "", config.topic_deals or ""]
    asyncio.run(wait_for_no_lag(config.bootstrap_servers, f"{config.name}-extract", both[:1]))
    asyncio.run(wait_for_no_lag(config.bootstrap_servers, f"{config.name}-store", both))


def test_dead_lettered_valid_records_reach_the_read_models_exactly_once_after_replay(
    poisoned_stack: ServiceProcesses,
) -> None:
    config = poisoned_stack.config
    url = config.database_url
    article_ids = {o.article_id for o in ingest(poisoned_stack, [SEEDS])}
    event_ids = asyncio.run(expected_event_ids(config.bootstrap_servers, config.topic_articles or "", article_ids))
    asyncio.run(read_topic(config.bootstrap_servers, config.topic_deals or "", lambda rs: len(rs) >= len(event_ids)))
    wait_until_settled(config)

    listed = dealwire(config, "dlq", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    letters = [json.loads(line) for line in listed.stdout.splitlines()]
    stored_events = {row[0] for row in asyncio.run(query(url, "SELECT event_id FROM deal_events"))}
    refused_events = event_ids - stored_events
    assert refused_events, "the collaboration seed should have been refused"
    assert {(x["service"], x["source_topic"], x["error_type"]) for x in letters} == {
        ("store", config.topic_articles, "IntegrityError"), ("store", config.topic_deals, "IntegrityError"),
    }
    assert sum(x["source_topic"] == config.topic_deals for x in letters) == len(refused_events)
    assert asyncio.run(query(url, "SELECT count(*) FROM articles")) == [(len(article_ids) - 1,)]
    assert all("test_poison" in x["error_message"] and not x["replayed"] for x in letters)

    article_letter = next(x for x in letters if x["source_topic"] == config.topic_articles)
    shown = dealwire(config, "dlq", "show", str(article_letter["dlq_offset"]), "--topic", config.topic_articles or "",
                     "--json")
    assert shown.returncode == 0, shown.stderr
    assert "CheckViolation" in json.loads(shown.stdout)["trace"]
    assert json.loads(shown.stdout)["preview"].startswith("{")

    asyncio.run(execute(url, *(f"ALTER TABLE {table} DROP CONSTRAINT test_poison" for table in POISON_RULES)))
    replayed = dealwire(config, "dlq", "replay", "--json")
    assert replayed.returncode == 0, replayed.stderr
    assert json.loads(replayed.stdout)["sent_by_topic"] == {config.topic_articles: 1,
                                                            config.topic_deals: len(refused_events)}

    asyncio.run(wait_for_projection(poisoned_stack, article_ids))
    wait_until_settled(config)  # the replayed article was extracted again: its events arrived twice
    counts = asyncio.run(query(url, "SELECT count(*), count(DISTINCT event_id) FROM deal_events"))
    assert counts == [(len(event_ids), len(event_ids))]
    assert {row[0] for row in asyncio.run(query(url, "SELECT event_id FROM deal_events"))} == event_ids
    assert asyncio.run(query(url, "SELECT count(*) FROM articles")) == [(len(article_ids),)]
    assert asyncio.run(query(url, "SELECT count(*) FROM deals WHERE type = 'collaboration'"))[0][0] >= 1

    before = asyncio.run(snapshot(url))
    again = dealwire(config, "dlq", "replay", "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["sent"] == []
    relisted = [json.loads(line) for line in dealwire(config, "dlq", "list", "--json").stdout.splitlines()]
    assert len(relisted) == len(letters) and all(x["replayed"] for x in relisted)
    assert asyncio.run(snapshot(url)) == before
