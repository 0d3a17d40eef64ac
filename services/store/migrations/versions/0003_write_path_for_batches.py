"""Tables tuned for the batched write path: no foreign keys between derived tables, no compression of
rows below a page.

The links (`deal_parties`, `deal_assets`) and `deals.source_event_id` are written by the projection
in the same transaction as the rows they point at, and tested never to dangle
(tests/integration/store/test_batches.py); their foreign-key checks took a share lock on the
referenced row for every link written, a fifth of the database time of a batch. Payloads of 2–4 kB
were compressed with pglz on every write; `toast_tuple_target` lets rows up to a page stay as they are.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FOREIGN_KEYS = (
    ("deals", "fk_deals_source_event_id_deal_events", ["source_event_id"], "deal_events", ["event_id"]),
    ("deal_parties", "fk_deal_parties_deal_key_deals", ["deal_key"], "deals", ["deal_key"]),
    ("deal_parties", "fk_deal_parties_company_id_companies", ["company_id"], "companies", ["company_id"]),
    ("deal_assets", "fk_deal_assets_deal_key_deals", ["deal_key"], "deals", ["deal_key"]),
    ("deal_assets", "fk_deal_assets_asset_id_assets", ["asset_id"], "assets", ["asset_id"]),
)
UNCOMPRESSED_UP_TO_A_PAGE = ("articles", "deal_events", "deals")


def upgrade() -> None:
    for table, name, _, _, _ in FOREIGN_KEYS:
        op.drop_constraint(name, table, type_="foreignkey")
    for table in UNCOMPRESSED_UP_TO_A_PAGE:
        op.execute(f"ALTER TABLE {table} SET (toast_tuple_target = 8160)")


def downgrade() -> None:
    for table in UNCOMPRESSED_UP_TO_A_PAGE:
        op.execute(f"ALTER TABLE {table} RESET (toast_tuple_target)")
    for table, name, columns, referred, referred_columns in FOREIGN_KEYS:
        op.create_foreign_key(name, table, referred, columns, referred_columns)
