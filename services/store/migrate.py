"""`python -m dealwire.services.store.migrate` (compose's one-shot `migrate` job) and `dealwire migrate`:
bring the store's database to the newest Alembic revision, then exit."""

from __future__ import annotations

import asyncio
import sys

from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from dealwire.services.store.db import create_engine, migrate
from dealwire.shared.settings import DatabaseSettings


async def current_revision(url: str) -> str | None:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalar()
    except ProgrammingError:  # no alembic_version table: an empty database
        return None
    finally:
        await engine.dispose()


async def upgrade(url: str) -> tuple[str | None, str | None]:
    """Revision before and after."""
    before = await current_revision(url)
    await migrate(url)
    return before, await current_revision(url)


def main() -> int:
    before, after = asyncio.run(upgrade(DatabaseSettings().database_url))
    print(f"database at revision {after}" + ("" if before == after else f" (was {before or 'empty'})"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
