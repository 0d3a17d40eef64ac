"""Create the read models: articles, deal events, deals, companies, assets, projection positions.

Revision ID: 0001
Revises:
Create Date: 2026-11-22 02:35:44.921272
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("article_id", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text_chars", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_articles")),
    )
    op.create_table(
        "assets",
        sa.Column("asset_id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("asset_id", name=op.f("pk_assets")),
    )
    op.create_table(
        "companies",
        sa.Column("company_id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("aliases", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("company_id", name=op.f("pk_companies")),
    )
    op.create_table(
        "deal_events",
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("deal_key", sa.Text(), nullable=False),
        sa.Column("article_id", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("extractor", sa.Text(), nullable=False),
        sa.Column("extractor_version", sa.Text(), nullable=False),
        sa.Column("extracted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_deal_events")),
    )
    op.create_index(op.f("ix_deal_events_article_id"), "deal_events", ["article_id"], unique=False)
    op.create_index(op.f("ix_deal_events_deal_key"), "deal_events", ["deal_key"], unique=False)
    op.create_table(
        "projection_positions",
        sa.Column("consumer", sa.Text(), nullable=False),
        sa.Column("topic", sa.Text(), nullable=False),
        sa.Column("partition", sa.Integer(), nullable=False),
        sa.Column("last_offset", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "topic", "partition", name=op.f("pk_projection_positions")),
    )
    op.create_table(
        "deals",
        sa.Column("deal_key", sa.Text(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.Column("lead_asset", sa.Text(), nullable=True),
        sa.Column("upfront_amount", sa.Numeric(precision=20, scale=2), nullable=True),
        sa.Column("upfront_currency", sa.Text(), nullable=True),
        sa.Column("upfront_usd", sa.Numeric(precision=20, scale=2), nullable=True),
        sa.Column("milestones_amount", sa.Numeric(precision=20, scale=2), nullable=True),
        sa.Column("milestones_currency", sa.Text(), nullable=True),
        sa.Column("milestones_usd", sa.Numeric(precision=20, scale=2), nullable=True),
        sa.Column("total_value_amount", sa.Numeric(precision=20, scale=2), nullable=True),
        sa.Column("total_value_currency", sa.Text(), nullable=True),
        sa.Column("total_value_usd", sa.Numeric(precision=20, scale=2), nullable=True),
        sa.Column("equity_amount", sa.Numeric(precision=20, scale=2), nullable=True),
        sa.Column("equity_currency", sa.Text(), nullable=True),
        sa.Column("equity_usd", sa.Numeric(precision=20, scale=2), nullable=True),
        sa.Column("royalties", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("territory", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("modality", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("targets", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("indications", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("regulator", sa.Text(), nullable=True),
        sa.Column("regulatory_action", sa.Text(), nullable=True),
        sa.Column("stage", sa.Text(), nullable=True),
        sa.Column("deal_date", sa.Text(), nullable=True),
        sa.Column("source_event_id", sa.Text(), nullable=False),
        sa.Column("extractor_version", sa.Text(), nullable=False),
        sa.Column("article_count", sa.Integer(), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_event_id"], ["deal_events.event_id"], name=op.f("fk_deals_source_event_id_deal_events")
        ),
        sa.PrimaryKeyConstraint("deal_key", name=op.f("pk_deals")),
    )
    op.create_index(op.f("ix_deals_type"), "deals", ["type"], unique=False)
    op.create_table(
        "deal_assets",
        sa.Column("deal_key", sa.Text(), nullable=False),
        sa.Column("asset_id", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"], ["assets.asset_id"], name=op.f("fk_deal_assets_asset_id_assets")
        ),
        sa.ForeignKeyConstraint(["deal_key"], ["deals.deal_key"], name=op.f("fk_deal_assets_deal_key_deals")),
        sa.PrimaryKeyConstraint("deal_key", "asset_id", name=op.f("pk_deal_assets")),
    )
    op.create_index(op.f("ix_deal_assets_asset_id"), "deal_assets", ["asset_id"], unique=False)
    op.create_table(
        "deal_parties",
        sa.Column("deal_key", sa.Text(), nullable=False),
        sa.Column("company_id", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.company_id"], name=op.f("fk_deal_parties_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["deal_key"], ["deals.deal_key"], name=op.f("fk_deal_parties_deal_key_deals")
        ),
        sa.PrimaryKeyConstraint("deal_key", "company_id", "role", name=op.f("pk_deal_parties")),
    )
    op.create_index(op.f("ix_deal_parties_company_id"), "deal_parties", ["company_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_deal_parties_company_id"), table_name="deal_parties")
    op.drop_table("deal_parties")
    op.drop_index(op.f("ix_deal_assets_asset_id"), table_name="deal_assets")
    op.drop_table("deal_assets")
    op.drop_index(op.f("ix_deals_type"), table_name="deals")
    op.drop_table("deals")
    op.drop_table("projection_positions")
    op.drop_index(op.f("ix_deal_events_deal_key"), table_name="deal_events")
    op.drop_index(op.f("ix_deal_events_article_id"), table_name="deal_events")
    op.drop_table("deal_events")
    op.drop_table("companies")
    op.drop_table("assets")
    op.drop_table("articles")
