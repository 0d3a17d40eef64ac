"""The read-only role `dealwire_reader`: what the read API and `dealwire deals` run as.

SELECT on every table of the schema, now and later (default privileges of the migrating role), and
nothing else; the store's own role becomes a member so its URL can serve reads as the reader. Roles
belong to the whole server, so the role is created only if missing and is never dropped here.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 07:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

READER = "dealwire_reader"


def upgrade() -> None:
    op.execute(f"""
        DO $$
        BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{READER}') THEN
                CREATE ROLE {READER} NOLOGIN;
            END IF;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;  -- another database's migration created it at the same moment
        END $$
    """)
    op.execute(f"ALTER ROLE {READER} SET default_transaction_read_only = on")
    op.execute(f"GRANT USAGE ON SCHEMA public TO {READER}")
    op.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {READER}")
    op.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {READER}")
    op.execute(f"""
        DO $$
        BEGIN
            IF NOT pg_has_role(current_user, '{READER}', 'MEMBER') THEN
                EXECUTE format('GRANT {READER} TO %I', current_user);
            END IF;
        END $$
    """)


def downgrade() -> None:
    op.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT ON TABLES FROM {READER}")
    op.execute(f"REVOKE SELECT ON ALL TABLES IN SCHEMA public FROM {READER}")
    op.execute(f"REVOKE USAGE ON SCHEMA public FROM {READER}")
