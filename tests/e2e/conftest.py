"""The pipeline as separate processes: each test its own topics, consumer groups and database."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dealwire.stack import ServiceProcesses, StackConfig
from tests.support.infra import Infra, create_database, unique_name

StackFactory = Callable[..., StackConfig]


@pytest.fixture
def stack_config(infra: Infra, tmp_path: Path) -> StackFactory:
    """Makes the configuration of a fresh stack: new topics and groups, a new database unless given."""

    def make(database_url: str | None = None, **changes: object) -> StackConfig:
        name = unique_name("e2e")
        url = database_url or asyncio.run(create_database(infra.database_url, name))
        fields: dict = {
            "name": name, "enable_idempotence": infra.enable_idempotence,
            "kafka_session_timeout_ms": infra.session_timeout_ms,
            "topic_articles": f"{name}.articles.raw.v1", "topic_deals": f"{name}.deals.events.v1",
        } | changes
        return StackConfig(infra.bootstrap_servers, url, log_dir=tmp_path / f"logs-{name}", **fields)

    return make


@pytest.fixture
def pipeline(stack_config: StackFactory) -> Iterator[ServiceProcesses]:
    with ServiceProcesses(stack_config()) as services:
        services.start_all()
        yield services
