"""One ingest server (a real uvicorn process) per module, on the session's broker, with its own topics."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dealwire.stack import ServiceProcesses, StackConfig
from tests.support.infra import Infra, unique_name


@pytest.fixture(scope="module")
def ingest_service(infra: Infra, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceProcesses]:
    name = unique_name("ingest")
    config = StackConfig(infra.bootstrap_servers, infra.database_url, log_dir=tmp_path_factory.mktemp("ingest"),
                         name=name, enable_idempotence=infra.enable_idempotence,
                         topic_articles=f"{name}.articles", topic_deals=f"{name}.deals")
    with ServiceProcesses(config) as services:
        services.start("ingest")
        yield services
