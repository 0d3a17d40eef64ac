"""Which extractor version speaks for each article (events of older versions are retracted).

Filled from the events already stored: for each article the newest version among its events. Older
versions' events stored before this revision stay until a rebuild (`dealwire replay store`) or the
article's next extraction retracts them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from dealwire.services.store.projection import newest

    table = op.create_table(
        "article_extractions",
        sa.Column("article_id", sa.Text(), nullable=False),
        sa.Column("extractor_version", sa.Text(), nullable=False),
        sa.Column("event_ids", postgresql.ARRAY(sa.Text()), nullable=True),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_article_extractions")),
    )
    versions: dict[str, str] = {}
    for article_id, version in op.get_bind().execute(
        sa.text("SELECT DISTINCT article_id, extractor_version FROM deal_events")
    ):
        versions[article_id] = newest(versions.get(article_id), version)
    if versions:
        op.bulk_insert(table, [{"article_id": a, "extractor_version": v} for a, v in sorted(versions.items())])


def downgrade() -> None:
    op.drop_table("article_extractions")
