"""Schema migrations: found inside the package, safe to run again, and safe to run at the same time."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from store_helpers import novatim_event, snapshot

from dealwire.services.store.db import alembic_config, make_sessions, migrate
from dealwire.services.store.models import Base
from dealwire.services.store.projection import Position, Sessions, apply_deal_event

pytestmark = pytest.mark.integration

SCHEMA = """
    SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable
    FROM information_schema.columns WHERE table_schema = 'public'
    UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'
    UNION ALL SELECT 'version ' || version_num FROM alembic_version
    ORDER BY 1
"""


async def schema(sessions: Sessions) -> list[str]:
    async with sessions() as session:
        return list(await session.scalars(text(SCHEMA)))


def head_revision(url: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


async def test_running_migrations_again_changes_nothing(sessions: Sessions, database_url: str) -> None:
    await apply_deal_event(sessions, novatim_event(), Position("dealwire-store", "deals.events.v1", 0, 0))
    schema_before, rows_before = await schema(sessions), await snapshot(sessions)

    await migrate(database_url)

    assert await schema(sessions) == schema_before
    assert await snapshot(sessions) == rows_before
    assert f"version {head_revision(database_url)}" in schema_before


async def test_stores_starting_together_migrate_once(
    empty_database_factory: Callable[[], Awaitable[str]],
) -> None:
    url = await empty_database_factory()

    await asyncio.wait_for(asyncio.gather(*(migrate(url) for _ in range(4))), timeout=30)

    sessions = make_sessions(url)
    try:
        assert f"version {head_revision(url)}" in await schema(sessions)
    finally:
        await sessions.kw["bind"].dispose()


async def test_the_migrations_create_exactly_the_models(sessions: Sessions) -> None:
    def differences(connection: Connection) -> list[object]:
        return compare_metadata(MigrationContext.configure(connection), Base.metadata)

    async with sessions.kw["bind"].connect() as connection:
        assert await connection.run_sync(differences) == []
