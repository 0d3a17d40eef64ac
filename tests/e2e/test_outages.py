"""Infrastructure that goes away is waited for: PostgreSQL really stopped mid-stream loses nothing."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest

from bench.articles import generate_articles
from dealwire.shared.kafka import end_offsets
from dealwire.stack import ServiceProcesses
from tests.e2e.conftest import StackFactory
from tests.support.infra import create_database, restartable_postgres, unique_name
from tests.support.pipeline import (
    current_checksum,
    ingest,
    published_articles,
    reference_checksum,
    wait_for_extractions,
    wait_for_projection,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
OUTAGE_S = 15


def test_postgresql_stopped_for_15_s_mid_stream_loses_and_dead_letters_nothing(
    stack_config: StackFactory, tmp_path: Path
) -> None:
    bodies = [a.as_post() for a in generate_articles(240, seed=15)]
    with restartable_postgres(tmp_path / "postgres") as postgres:
        url = asyncio.run(create_database(postgres.url, unique_name("outage")))
        config = stack_config(database_url=url)
        with ServiceProcesses(config) as services:
            services.start_all()
            outcomes = ingest(services, bodies=bodies[:60])
            stopped = threading.Event()

            def outage() -> None:
                postgres.stop()
                stopped.set()
                time.sleep(OUTAGE_S)
                postgres.start()

            down = threading.Thread(target=outage)
            down.start()
            stopped.wait(30)
            for start in range(60, len(bodies), 20):  # the stream goes on while the database is away
                outcomes += ingest(services, bodies=bodies[start:start + 20])
                time.sleep(0.5)
            down.join()
            ids = {o.article_id for o in outcomes if o.article_id}
            asyncio.run(wait_for_extractions(services, ids, timeout_s=180))
            asyncio.run(wait_for_projection(services, ids, timeout_s=180))
            store_log = services.log_path("store").read_text()

        articles = asyncio.run(published_articles(config.bootstrap_servers, config.topic_articles, ids))
        expected = asyncio.run(reference_checksum(postgres.url, articles))
        assert current_checksum(url) == expected
        dead = asyncio.run(end_offsets(config.bootstrap_servers, [f"{config.topic_articles}.dlq",
                                                                   f"{config.topic_deals}.dlq"]))
        assert sum(dead.values()) == 0, "nothing dead-lettered"
        assert '"waiting_for": "postgresql"' in store_log  # the store said it was waiting
        assert len(ids) == len(bodies)
