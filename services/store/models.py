"""PostgreSQL read models fed by `articles.raw.v1` and `deals.events.v1`.

`deal_events` is the audit trail (append-only, one row per event id); every other deal table is
derived from it and can be rebuilt by replaying the topics. Column names avoid SQL reserved words
(`is_primary`, `last_offset`) so ad-hoc psql queries need no quoting.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Integer,
    MetaData,
    Numeric,
    Text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

MONEY = Numeric(20, 2)
TEXT_LIST = ARRAY(Text)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Article(Base):
    """An accepted article; the text is kept so evidence offsets can be shown in context."""

    __tablename__ = "articles"

    article_id: Mapped[str] = mapped_column(Text, primary_key=True)
    source: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    text_chars: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


class DealEventRow(Base):
    """Every event applied, as received, of the extractor version that speaks for its article.

    No foreign key to `articles`: the two topics are consumed independently, in any order.
    """

    __tablename__ = "deal_events"

    event_id: Mapped[str] = mapped_column(Text, primary_key=True)
    deal_key: Mapped[str] = mapped_column(Text, index=True)
    article_id: Mapped[str] = mapped_column(Text, index=True)
    position: Mapped[int] = mapped_column(Integer)
    is_primary: Mapped[bool] = mapped_column(Boolean)
    type: Mapped[str] = mapped_column(Text)
    extractor: Mapped[str] = mapped_column(Text)
    extractor_version: Mapped[str] = mapped_column(Text)
    extracted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)


class Deal(Base):
    """The current best view of one deal: the fields of its best event (see projection.best_event), whose
    whole payload is the `deal_events` row of `source_event_id`."""

    __tablename__ = "deals"

    deal_key: Mapped[str] = mapped_column(Text, primary_key=True)
    type: Mapped[str] = mapped_column(Text, index=True)
    is_primary: Mapped[bool] = mapped_column(Boolean)
    lead_asset: Mapped[str | None] = mapped_column(Text)
    upfront_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    upfront_currency: Mapped[str | None] = mapped_column(Text)
    upfront_usd: Mapped[Decimal | None] = mapped_column(MONEY)
    milestones_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    milestones_currency: Mapped[str | None] = mapped_column(Text)
    milestones_usd: Mapped[Decimal | None] = mapped_column(MONEY)
    total_value_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    total_value_currency: Mapped[str | None] = mapped_column(Text)
    total_value_usd: Mapped[Decimal | None] = mapped_column(MONEY)
    equity_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    equity_currency: Mapped[str | None] = mapped_column(Text)
    equity_usd: Mapped[Decimal | None] = mapped_column(MONEY)
    royalties: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    territory: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    modality: Mapped[list[str]] = mapped_column(TEXT_LIST)
    targets: Mapped[list[str]] = mapped_column(TEXT_LIST)
    indications: Mapped[list[str]] = mapped_column(TEXT_LIST)
    regulator: Mapped[str | None] = mapped_column(Text)
    regulatory_action: Mapped[str | None] = mapped_column(Text)
    stage: Mapped[str | None] = mapped_column(Text)
    deal_date: Mapped[str | None] = mapped_column(Text)
    source_event_id: Mapped[str] = mapped_column(Text)  # the best event's id (no foreign key: see migration 0003)
    extractor_version: Mapped[str] = mapped_column(Text)
    article_count: Mapped[int] = mapped_column(Integer)


class Company(Base):
    """Every organisation seen in any event, keyed by `dealwire.shared.names.company_key`."""

    __tablename__ = "companies"

    company_id: Mapped[str] = mapped_column(Text, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    aliases: Mapped[list[str]] = mapped_column(TEXT_LIST)


class DealParty(Base):
    """A party of a deal: `deal_key` in deals, `company_id` in companies (kept so by the projection)."""

    __tablename__ = "deal_parties"

    deal_key: Mapped[str] = mapped_column(Text, primary_key=True)
    company_id: Mapped[str] = mapped_column(Text, primary_key=True, index=True)
    role: Mapped[str] = mapped_column(Text, primary_key=True)


class Asset(Base):
    """Every asset name seen in any event, keyed by `projection.asset_key`."""

    __tablename__ = "assets"

    asset_id: Mapped[str] = mapped_column(Text, primary_key=True)
    name: Mapped[str] = mapped_column(Text)


class DealAsset(Base):
    """An asset of a deal: `deal_key` in deals, `asset_id` in assets (kept so by the projection)."""

    __tablename__ = "deal_assets"

    deal_key: Mapped[str] = mapped_column(Text, primary_key=True)
    asset_id: Mapped[str] = mapped_column(Text, primary_key=True, index=True)


class ArticleExtraction(Base):
    """The extractor version that speaks for an article: the newest seen in its events or extractions.

    Events of older versions are not kept (see projection.apply_batch). `event_ids` is what that version
    found, once its `ArticleExtracted` record arrived (NULL before).
    """

    __tablename__ = "article_extractions"

    article_id: Mapped[str] = mapped_column(Text, primary_key=True)
    extractor_version: Mapped[str] = mapped_column(Text)
    event_ids: Mapped[list[str] | None] = mapped_column(TEXT_LIST, nullable=True)


class ProjectionPosition(Base):
    """The last Kafka offset each consumer applied per partition; a consumer resumes at `last_offset + 1`."""

    __tablename__ = "projection_positions"

    consumer: Mapped[str] = mapped_column(Text, primary_key=True)
    topic: Mapped[str] = mapped_column(Text, primary_key=True)
    partition: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_offset: Mapped[int] = mapped_column(BigInteger)


READ_MODEL_TABLES = (
    Article.__table__,
    DealEventRow.__table__,
    Deal.__table__,
    Company.__table__,
    DealParty.__table__,
    Asset.__table__,
    DealAsset.__table__,
    ArticleExtraction.__table__,
)
