"""`dealwire migrate`: the store's database to the newest revision (what the store also does on start)."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from dealwire.shared.settings import Settings


def migrate_command(
    database_url: Annotated[str | None, typer.Option(envvar="DEALWIRE_DATABASE_URL", help="the store's database")] = (
        None
    ),
) -> None:
    """Create or upgrade the read-model tables (Alembic, `services/store/migrations/`)."""
    from dealwire.services.store.migrate import upgrade

    url = database_url or Settings().database_url
    shown = make_url(url).render_as_string(hide_password=True)
    try:
        before, after = asyncio.run(upgrade(url))
    except (DBAPIError, OSError) as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()
        typer.echo(f"error: cannot migrate {shown}: {reason[0] if reason else type(error).__name__}", err=True)
        raise typer.Exit(1) from None
    change = "already up to date" if before == after else f"upgraded from {before or 'an empty database'}"
    typer.echo(f"{shown}: revision {after}, {change}")
