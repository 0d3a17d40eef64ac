"""Read side: what people ask of the read models."""

from __future__ import annotations

from collections import defaultdict
from typing import get_args

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.store.models import Article, Asset, Base, Company, Deal, DealAsset, DealEventRow, DealParty
from services.store.projection import Sessions, asset_key
from shared.schemas import DealEvent, EventType, Money, PartyRole, Royalties, Territory

_ROLE_ORDER = {role: index for index, role in enumerate(get_args(PartyRole))}


class DealView(BaseModel):
    """One deal as a reader sees it: canonical company and asset names, terms from its best event."""

    model_config = ConfigDict(frozen=True)

    deal_key: str
    type: EventType
    primary: bool
    parties: list[tuple[str, PartyRole]]
    assets: list[str]
    modality: list[str]
    targets: list[str]
    indications: list[str]
    upfront: Money | None
    milestones: Money | None
    total_value: Money | None
    equity: Money | None
    royalties: Royalties | None
    territory: Territory | None
    stage: str | None
    regulator: str | None
    regulatory_action: str | None
    deal_date: str | None
    article_ids: list[str]
    extractor_version: str


async def list_deals(
    sessions: Sessions, *, primary_only: bool = False, limit: int | None = None
) -> list[DealView]:
    """Primary deals first, then the most recent, then by key; undated deals after dated ones."""
    statement = select(Deal).order_by(
        Deal.is_primary.desc(), Deal.deal_date.desc().nulls_last(), Deal.deal_key
    )
    if primary_only:
        statement = statement.where(Deal.is_primary)
    if limit is not None:
        statement = statement.limit(limit)
    async with sessions() as session:
        deals = list(await session.scalars(statement))
        keys = [deal.deal_key for deal in deals]
        parties = await _parties_by_deal(session, keys)
        assets = await _assets_by_deal(session, keys)
        articles = await _articles_by_deal(session, keys)
    return [
        _view(deal, parties[deal.deal_key], assets[deal.deal_key], articles[deal.deal_key]) for deal in deals
    ]


async def articles_with_events(sessions: Sessions, article_ids: set[str]) -> set[str]:
    """Those of `article_ids` whose article row and at least one deal event are both in the store.

    The two arrive on different topics in no particular order, so both are checked.
    """
    async with sessions() as session:
        found = await session.scalars(
            select(Article.article_id)
            .where(Article.article_id.in_(article_ids))
            .where(select(DealEventRow.event_id).where(DealEventRow.article_id == Article.article_id).exists())
        )
        return set(found)


async def table_counts(sessions: Sessions) -> dict[str, int]:
    """Rows per table of the read models, projection positions included."""
    async with sessions() as session:
        return {
            table.name: await session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }


def _view(
    deal: Deal, parties: list[tuple[str, PartyRole]], assets: list[str], article_ids: list[str]
) -> DealView:
    best = DealEvent.model_validate(deal.payload)
    return DealView(
        deal_key=deal.deal_key, type=best.type, primary=best.primary, parties=parties, assets=assets,
        modality=best.modality, targets=best.targets, indications=best.indications,
        upfront=best.upfront, milestones=best.milestones, total_value=best.total_value, equity=best.equity,
        royalties=best.royalties, territory=best.territory, stage=best.stage, regulator=best.regulator,
        regulatory_action=best.regulatory_action, deal_date=best.date, article_ids=article_ids,
        extractor_version=best.extractor_version,
    )


async def _parties_by_deal(session: AsyncSession, keys: list[str]) -> dict[str, list[tuple[str, PartyRole]]]:
    rows = await session.execute(
        select(DealParty.deal_key, Company.name, DealParty.role)
        .join(Company, Company.company_id == DealParty.company_id)
        .where(DealParty.deal_key.in_(keys))
    )
    parties: dict[str, list[tuple[str, PartyRole]]] = defaultdict(list)
    for deal_key, name, role in sorted(rows, key=lambda row: (_ROLE_ORDER.get(row.role, 99), row.name)):
        parties[deal_key].append((name, role))
    return parties


async def _assets_by_deal(session: AsyncSession, keys: list[str]) -> dict[str, list[str]]:
    """Canonical asset names, the deal's lead asset first."""
    rows = await session.execute(
        select(DealAsset.deal_key, DealAsset.asset_id, Asset.name, Deal.lead_asset)
        .join(Asset, Asset.asset_id == DealAsset.asset_id)
        .join(Deal, Deal.deal_key == DealAsset.deal_key)
        .where(DealAsset.deal_key.in_(keys))
    )
    assets: dict[str, list[str]] = defaultdict(list)
    ordered = sorted(rows, key=lambda row: (row.asset_id != asset_key(row.lead_asset or ""), row.name))
    for row in ordered:
        assets[row.deal_key].append(row.name)
    return assets


async def _articles_by_deal(session: AsyncSession, keys: list[str]) -> dict[str, list[str]]:
    rows = await session.execute(
        select(DealEventRow.deal_key, DealEventRow.article_id)
        .where(DealEventRow.deal_key.in_(keys))
        .distinct()
        .order_by(DealEventRow.deal_key, DealEventRow.article_id)
    )
    articles: dict[str, list[str]] = defaultdict(list)
    for deal_key, article_id in rows:
        articles[deal_key].append(article_id)
    return articles
