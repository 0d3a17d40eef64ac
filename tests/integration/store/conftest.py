"""The session's PostgreSQL server (see tests/conftest.py); a fresh, migrated database for every test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from dealwire.services.store.db import make_sessions, migrate
from dealwire.services.store.projection import Sessions
from tests.support.infra import Infra, create_database, unique_name


@pytest.fixture
def empty_database_factory(infra: Infra) -> Callable[[], Awaitable[str]]:
    """Creates a new, empty database on the session's PostgreSQL server and returns its SQLAlchemy URL."""

    async def create() -> str:
        return await create_database(infra.database_url, unique_name("store"))

    return create


@pytest.fixture
async def sessions_factory(
    empty_database_factory: Callable[[], Awaitable[str]],
) -> AsyncIterator[Callable[[], Awaitable[Sessions]]]:
    """Sessions on a new migrated database each call; their engines are disposed after the test."""
    created: list[Sessions] = []

    async def create() -> Sessions:
        url = await empty_database_factory()
        await migrate(url)
        created.append(make_sessions(url))
        return created[-1]

    yield create
    for sessions in created:
        await sessions.kw["bind"].dispose()


@pytest.fixture
async def sessions(sessions_factory: Callable[[], Awaitable[Sessions]]) -> AsyncIterator[Sessions]:
    yield await sessions_factory()


@pytest.fixture
def database_url(sessions: Sessions) -> str:
    return sessions.kw["bind"].url.render_as_string(hide_password=False)
