"""Engine and session factories for the read models, and schema migration on start."""

from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

# Any constant will do; it only has to be the same in every store process.
MIGRATION_LOCK_ID = 0x6465616C77697265  # "dealwire"


def create_engine(url: str, *, schema: str | None = None, **kwargs: object) -> AsyncEngine:
    """An engine on `url`; with `schema`, its sessions find the dealwire tables in that schema."""
    if schema is not None:
        connect_args = dict(kwargs.pop("connect_args", None) or {})  # type: ignore[call-overload]
        connect_args["server_settings"] = {**connect_args.get("server_settings", {}), "search_path": schema}
        kwargs["connect_args"] = connect_args
    return create_async_engine(url, pool_pre_ping=True, **kwargs)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def make_sessions(url: str, *, schema: str | None = None, **engine_kwargs: object) -> async_sessionmaker[AsyncSession]:
    """Sessions on a new engine; `await sessions.kw["bind"].dispose()` closes its pool."""
    return session_factory(create_engine(url, schema=schema, **engine_kwargs))


def alembic_config(url: str) -> Config:
    """Alembic configured in code: the scripts ship inside the package, no alembic.ini needed."""
    config = Config()
    config.set_main_option("script_location", str(files("dealwire.services.store") / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def migrate(url: str, *, schema: str | None = None) -> None:
    """Upgrade the database at `url` (the tables in `schema`, by default the search path's) to the newest
    revision.

    The advisory lock is taken in the same transaction as the DDL, so a second store starting at
    the same moment waits, then finds the schema already at head and does nothing.
    """
    engine = create_engine(url, schema=schema)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID})
            await connection.run_sync(_upgrade_to_head, alembic_config(url))
    finally:
        await engine.dispose()


def _upgrade_to_head(connection: Connection, config: Config) -> None:
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


READER_ROLE = "dealwire_reader"  # created by migration 0002: SELECT only, read-only transactions


def make_read_sessions(url: str, **engine_kwargs: object) -> async_sessionmaker[AsyncSession]:
    """Sessions that run as the read-only role, whatever role `url` logs in as (it must be a member).

    The role is set in the connection's startup packet, so every statement, the first included, runs
    with the reader's privileges; a write fails with "permission denied" or "read-only transaction".
    """
    settings = {"role": READER_ROLE, "default_transaction_read_only": "on", "statement_timeout": "10s"}
    connect_args = {**engine_kwargs.pop("connect_args", {}), "server_settings": settings}  # type: ignore[dict-item]
    return make_sessions(url, connect_args=connect_args, **engine_kwargs)
