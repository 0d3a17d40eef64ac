"""`dealwire deals` against a real database, and against none."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable

import pytest
import typer
from store_helpers import novatim_event
from typer.testing import CliRunner, Result

from dealwire.services.store.projection import Position, Sessions, apply_deal_event
from dealwire.store_commands import deals_command

pytestmark = pytest.mark.integration


async def run_deals(*args: str) -> Result:
    """Runs the command in a thread: it starts its own event loop, as it does from the shell."""
    app = typer.Typer()
    app.command()(deals_command)
    return await asyncio.to_thread(CliRunner().invoke, app, list(args), env={"COLUMNS": "240"})


@pytest.fixture
async def seeded_url(sessions: Sessions, database_url: str) -> str:
    await apply_deal_event(sessions, novatim_event(), Position("dealwire-store", "deals.events.v1", 0, 0))
    return database_url


async def test_prints_the_deal_terms_as_a_table(seeded_url: str) -> None:
    result = await run_deals("--database-url", seeded_url)

    assert result.exit_code == 0, result.output
    assert "1 deal" in result.output
    assert "ERIGEN LLC (licensee)" in result.output
    assert "USD 15.0M upfront / 1.32B milestones / tiered royalties" in result.output
    assert "worldwide excl. Greater China, India, Turkey, Russia" in result.output


async def test_prints_json_lines(seeded_url: str) -> None:
    result = await run_deals("--json", "--database-url", seeded_url)

    assert result.exit_code == 0, result.output
    [deal] = [json.loads(line) for line in result.output.splitlines()]
    assert deal["deal_key"] == novatim_event().deal_key
    assert deal["upfront"] == {"amount": 15_000_000, "currency": "USD", "amount_usd": 15_000_000}


async def test_an_unreachable_database_is_one_line_and_exit_code_1(tmp_path) -> None:
    url = f"postgresql+asyncpg://postgres:secret@/postgres?host={tmp_path / 'no-server-here'}"

    result = await run_deals("--database-url", url)

    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert result.output.startswith("dealwire deals: cannot reach the database at")
    assert "secret" not in result.output


async def test_a_database_without_tables_says_so(
    empty_database_factory: Callable[[], Awaitable[str]],
) -> None:
    result = await run_deals("--database-url", await empty_database_factory())

    assert result.exit_code == 1
    assert "has no dealwire tables yet" in result.output
