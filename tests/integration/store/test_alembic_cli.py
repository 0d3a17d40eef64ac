"""Alembic from a checkout (pyproject's [tool.alembic]) and `dealwire migrate`, on a real PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Awaitable, Callable

import pytest
from alembic.script import ScriptDirectory

from dealwire.services.store.db import alembic_config, migrate
from tests.conftest import REPO

pytestmark = pytest.mark.integration


def run(args: list[str], database_url: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=REPO, env={**os.environ, "DEALWIRE_DATABASE_URL": database_url},
                          capture_output=True, text=True, timeout=120)


def alembic(*args: str) -> list[str]:
    return [str(REPO / ".venv" / "bin" / "alembic") if (REPO / ".venv").exists() else "alembic", *args]


async def test_alembic_check_finds_no_drift_between_models_and_migrations(
    empty_database_factory: Callable[[], Awaitable[str]],
) -> None:
    url = await empty_database_factory()
    await migrate(url)

    result = run(alembic("check"), url)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "No new upgrade operations detected" in result.stdout + result.stderr


async def test_alembic_check_refuses_a_database_behind_the_scripts(
    empty_database_factory: Callable[[], Awaitable[str]],
) -> None:
    result = run(alembic("check"), await empty_database_factory())

    assert result.returncode != 0
    assert "not up to date" in result.stdout + result.stderr


async def test_dealwire_migrate_upgrades_an_empty_database_then_has_nothing_to_do(
    empty_database_factory: Callable[[], Awaitable[str]],
) -> None:
    url = await empty_database_factory()

    first = run([sys.executable, "-m", "dealwire", "migrate"], url)
    second = run([sys.executable, "-m", "dealwire", "migrate"], url)

    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    assert first.returncode == 0, first.stderr
    assert f"revision {head}, upgraded from an empty database" in first.stdout
    assert second.returncode == 0, second.stderr
    assert f"revision {head}, already up to date" in second.stdout


def test_dealwire_migrate_says_which_database_it_cannot_reach() -> None:
    result = run([sys.executable, "-m", "dealwire", "migrate"],
                 "postgresql+asyncpg://dealwire:secret@127.0.0.1:9/dealwire")

    assert result.returncode == 1
    assert "error: cannot migrate postgresql+asyncpg://dealwire:***@127.0.0.1:9/dealwire" in result.stderr
    assert "secret" not in result.stderr and "Traceback" not in result.stderr
