"""Builders and table snapshots shared by the store tests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import text

from dealwire.services.store.models import Base
from dealwire.services.store.projection import Sessions
from dealwire.shared.ids import deal_key_for, event_id_for
from dealwire.shared.schemas import DealEvent, Money, Party, RawArticle, Royalties, Territory

SEED_ARTICLE_ID = "art_novatim_erigen"
EXTRACTED_AT = datetime(2025, 7, 24, 9, 0, tzinfo=UTC)


def novatim_event(**changes: Any) -> DealEvent:
    """The seed article's deal: Novatim licenses KQ-2003 to ERIGEN LLC. Envelope ids are derived."""
    fields: dict[str, Any] = {
        "primary": True,
        "type": "licensing",
        "parties": [
            Party(
                name="Novatim lmmune Therapeutics (Zhejiang) Co., Ltd.", role="licensor", aliases=["Novatim"]
            ),
            Party(name="ERIGEN LLC", role="licensee"),
        ],
        "assets": ["KQ-2003"],
        "modality": ["CAR-T"],
        "targets": ["BCMA", "CD19"],
        "indications": ["relapsed/refractory multiple myeloma", "POEMS syndrome"],
        "upfront": Money(amount=15_000_000, currency="USD", amount_usd=15_000_000),
        "milestones": Money(amount=1_320_000_000, currency="USD", amount_usd=1_320_000_000),
        "royalties": Royalties(tiered=True, cap=Money(amount=800_000_000, currency="USD")),
        "territory": Territory(include=["worldwide"], exclude=["Greater China", "India", "Turkey", "Russia"]),
        "stage": "Phase Ib",
        "date": "2025-07-22",
        "article_id": SEED_ARTICLE_ID,
        "position": 0,
        "extractor": "rules",
        "extractor_version": "0.1.0",
        "extracted_at": EXTRACTED_AT,
    } | changes
    payload = DealEvent.model_construct(**fields)  # only to derive the deal key from the payload fields
    fields.setdefault("deal_key", deal_key_for(payload))
    envelope = (fields["article_id"], fields["extractor_version"], fields["position"])
    fields.setdefault("event_id", event_id_for(*envelope))
    return DealEvent(**fields)


def seed_article(**changes: Any) -> RawArticle:
    fields: dict[str, Any] = {
        "article_id": SEED_ARTICLE_ID,
        "source": "novatim.com",
        "url": "https://example.org/news/novatim-erigen",
        "title": "Novatim and Erigen Enter Exclusive Licensing Agreement for KQ-2003",
        "published": date(2025, 7, 23),
        "text": "On July 22, 2025, Novatim announced a partnership with ERIGEN LLC to develop KQ-2003.",
        "received_at": datetime(2025, 7, 23, 12, 0, tzinfo=UTC),
    } | changes
    return RawArticle(**fields)


async def snapshot(sessions: Sessions, *, row_versions: bool = True) -> dict[str, list[str]]:
    """Every row of every table as JSON text; with `row_versions`, also each row's xmin, so even an
    UPDATE that writes identical values shows up as a change."""
    result: dict[str, list[str]] = {}
    async with sessions() as session:
        for table in Base.metadata.sorted_tables:
            row = "xmin::text || ' ' || to_jsonb(t)::text" if row_versions else "to_jsonb(t)::text"
            query = text(f"SELECT {row} FROM {table.name} t ORDER BY 1")
            result[table.name] = list(await session.scalars(query))
    return result


async def rows(sessions: Sessions, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    async with sessions() as session:
        return [tuple(row) for row in await session.execute(text(sql), params)]
