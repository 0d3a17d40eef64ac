"""`deals` without its copy of the best event's payload: the read API takes it from `deal_events`.

Every deal row carried the whole 2–4 kB payload of its best event a second time, a third of the
write-ahead log of a replay (measured: 79.7 MB against 53.2 MB over 8,356 events). The payload stays
in `deal_events`, the audit trail, where `deals.source_event_id` points; the projection writes both in
one transaction, so that row is always there. Downgrade copies the payloads back.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 17:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_column("deals", "payload")


def downgrade() -> None:
    op.add_column("deals", sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=True))
    op.execute("UPDATE deals d SET payload = e.payload FROM deal_events e WHERE e.event_id = d.source_event_id")
    op.alter_column("deals", "payload", nullable=False)
