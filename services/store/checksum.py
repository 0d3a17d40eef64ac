"""A digest of the read models' content: equal for equal content, whatever the order rows were written
in, when they were written (`received_at`, `extracted_at`), or which run, rebuild or replay wrote them.

Each table's rows are rendered as PostgreSQL row literals (NULL and '' differ), processing timestamps
left out, large values by their md5, sorted bytewise and hashed; the whole is the md5 of the tables'
digests. The tables have natural keys only (ids derived from content), so no surrogate key enters.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import Table, text

from dealwire.services.store.models import READ_MODEL_TABLES
from dealwire.services.store.projection import Sessions

PROCESSING_TIMES = {"received_at", "extracted_at"}
BY_DIGEST = {("articles", "text")}  # compared by md5: the article text is large and its md5 is enough


@dataclass(frozen=True)
class TableDigest:
    rows: int
    digest: str


@dataclass(frozen=True)
class Checksum:
    tables: dict[str, TableDigest]
    digest: str

    def as_dict(self) -> dict[str, object]:
        return {"digest": self.digest,
                "tables": {name: {"rows": t.rows, "digest": t.digest} for name, t in self.tables.items()}}


def _row_expression(table: Table) -> str:
    parts = []
    for column in table.columns:
        name = column.name
        if name in PROCESSING_TIMES:
            continue
        if (table.name, name) in BY_DIGEST:
            parts.append(f"md5({name})")
        elif name == "payload":  # the event as received: the time it was extracted at is not content
            parts.append("md5(CAST(payload - 'extracted_at' AS text))")
        else:
            parts.append(name)
    return f"ROW({', '.join(parts)})::text"


_QUERIES = {
    table.name: text(
        f"SELECT count(*), md5(coalesce(string_agg(r, E'\\n' ORDER BY r COLLATE \"C\"), '')) "
        f"FROM (SELECT {_row_expression(table)} AS r FROM {table.name}) AS rows"
    )
    for table in READ_MODEL_TABLES
}


async def checksum(sessions: Sessions) -> Checksum:
    """The digest of every read-model table (bookkeeping such as projection positions left out)."""
    tables: dict[str, TableDigest] = {}
    async with sessions() as session:
        for name, query in sorted(_QUERIES.items()):
            count, digest = (await session.execute(query)).one()
            tables[name] = TableDigest(count, digest)
    whole = hashlib.md5("\n".join(f"{n}:{t.rows}:{t.digest}" for n, t in tables.items()).encode()).hexdigest()
    return Checksum(tables, whole)
