"""Project articles and deal events into the read models: pure database logic, no Kafka.

Each `apply_*` call is one transaction that writes the read-model rows together with the Kafka
position it consumed. Applying anything twice, at the same or a later offset, changes no
read-model row: events are insert-once, and every derived row (deals, parties, assets,
companies) is recomputed from the events and written only when it differs. The result depends
only on the set of events applied, not on their order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select, text, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.store.models import (
    Article,
    Asset,
    Company,
    Deal,
    DealAsset,
    DealEventRow,
    DealParty,
    ProjectionPosition,
)
from shared.ids import org_key
from shared.schemas import DealEvent, DealPayload, Money, RawArticle

Sessions = async_sessionmaker[AsyncSession]

# Fields that describe the deal itself; the rest is bookkeeping or already part of the ranking.
_CONTENT_FIELDS = tuple(sorted(set(DealPayload.model_fields) - {"primary", "type", "evidence"}))


@dataclass(frozen=True)
class Position:
    consumer: str
    topic: str
    partition: int
    offset: int


async def apply_article(sessions: Sessions, article: RawArticle, position: Position) -> bool:
    """Store an article once; a re-sent article (same id) keeps the row first received."""
    async with sessions.begin() as session:
        if not await _claim(session, position):
            return False
        return await _insert_article(session, article)


async def apply_deal_event(sessions: Sessions, event: DealEvent, position: Position) -> bool:
    """Record the event and bring its deal, parties, assets and companies up to date."""
    async with sessions.begin() as session:
        if not await _claim(session, position):
            return False
        if not await _insert_event(session, event):
            return False  # a known event id: everything derived from it is already in place
        await _merge_companies(session, event)
        await _merge_assets(session, event)
        await _refresh_deal(session, event.deal_key)
        return True


async def applied_positions(sessions: Sessions, consumer: str) -> dict[tuple[str, int], int]:
    """The last offset `consumer` applied per (topic, partition); resume reading at offset + 1."""
    async with sessions() as session:
        rows = await session.execute(
            select(ProjectionPosition.topic, ProjectionPosition.partition, ProjectionPosition.last_offset)
            .where(ProjectionPosition.consumer == consumer)
        )
        return {(topic, partition): offset for topic, partition, offset in rows}


def asset_key(name: str) -> str:
    """An asset name reduced for matching: 'KQ-2003', 'kq 2003' and 'KQ–2003' agree."""
    return "-".join(re.findall(r"[a-z0-9]+", name.lower()))


def version_key(version: str) -> tuple[tuple[int, str], ...]:
    """Orders versions part by part: digit runs as numbers ('1.10' > '1.9'), other runs as text."""
    parts = re.findall(r"\d+|[a-z]+", version.lower())
    return tuple((int(part), "") if part.isdigit() else (-1, part) for part in parts)


def best_event(events: Iterable[DealEvent]) -> DealEvent:
    """Newest extractor version, then primary, then most fields filled, then smallest event id."""
    # max() keeps the first of equal-ranked items, so sorting by event id first breaks ties.
    return max(
        sorted(events, key=lambda event: event.event_id),
        key=lambda event: (version_key(event.extractor_version), event.primary, _filled_fields(event)),
    )


def canonical_name(names: Iterable[str]) -> str:
    """The most formal of several spellings, taken as the longest (then the greatest, for determinism)."""
    return max(names, key=lambda name: (len(name), name))


async def _claim(session: AsyncSession, position: Position) -> bool:
    """Advance the consumer's position to `position`, or report that it is already there or beyond.

    Done first, so the position row stays locked until commit and a second consumer handed the
    same partition during a rebalance waits here instead of writing alongside.
    """
    statement = insert(ProjectionPosition).values(
        consumer=position.consumer, topic=position.topic, partition=position.partition,
        last_offset=position.offset,
    )
    statement = statement.on_conflict_do_update(
        index_elements=[ProjectionPosition.consumer, ProjectionPosition.topic, ProjectionPosition.partition],
        set_={"last_offset": statement.excluded.last_offset},
        where=ProjectionPosition.last_offset < statement.excluded.last_offset,
    )
    return (await session.execute(statement.returning(ProjectionPosition.last_offset))).first() is not None


async def _insert_article(session: AsyncSession, article: RawArticle) -> bool:
    statement = (
        insert(Article)
        .values(
            article_id=article.article_id, source=article.source, url=article.url, title=article.title,
            published=article.published, received_at=article.received_at, text_chars=len(article.text),
            text=article.text,
        )
        .on_conflict_do_nothing(index_elements=[Article.article_id])
        .returning(Article.article_id)
    )
    return (await session.execute(statement)).first() is not None


async def _insert_event(session: AsyncSession, event: DealEvent) -> bool:
    statement = (
        insert(DealEventRow)
        .values(
            event_id=event.event_id, deal_key=event.deal_key, article_id=event.article_id,
            position=event.position, is_primary=event.primary, type=event.type, extractor=event.extractor,
            extractor_version=event.extractor_version, extracted_at=event.extracted_at,
            payload=event.model_dump(mode="json"),
        )
        .on_conflict_do_nothing(index_elements=[DealEventRow.event_id])
        .returning(DealEventRow.event_id)
    )
    return (await session.execute(statement)).first() is not None


async def _merge_companies(session: AsyncSession, event: DealEvent) -> None:
    names_by_id: dict[str, set[str]] = {}
    for party in event.parties:
        names = {name.strip() for name in (party.name, *party.aliases)} - {""}
        if company_id := org_key(party.name):
            names_by_id.setdefault(company_id, set()).update(names)
    for company_id in sorted(names_by_id):  # one lock order for every transaction: no deadlocks
        await _merge_company(session, company_id, names_by_id[company_id])


async def _merge_company(session: AsyncSession, company_id: str, names: set[str]) -> None:
    """Union the names seen; the longest becomes `name`, the rest `aliases` (order-independent)."""
    name = canonical_name(names)
    inserted = await session.execute(
        insert(Company)
        .values(company_id=company_id, name=name, aliases=sorted(names - {name}))
        .on_conflict_do_nothing(index_elements=[Company.company_id])
        .returning(Company.company_id)
    )
    if inserted.first() is not None:
        return
    current = (
        await session.execute(
            select(Company.name, Company.aliases).where(Company.company_id == company_id).with_for_update()
        )
    ).one()
    merged = names | {current.name, *current.aliases}
    name = canonical_name(merged)
    aliases = sorted(merged - {name})
    if (name, aliases) != (current.name, list(current.aliases)):
        await session.execute(
            update(Company).where(Company.company_id == company_id).values(name=name, aliases=aliases)
        )


async def _merge_assets(session: AsyncSession, event: DealEvent) -> None:
    names_by_id: dict[str, set[str]] = {}
    for name in event.assets:
        if asset_id := asset_key(name):
            names_by_id.setdefault(asset_id, set()).add(name.strip())
    for asset_id in sorted(names_by_id):
        await _merge_asset(session, asset_id, names_by_id[asset_id])


async def _merge_asset(session: AsyncSession, asset_id: str, names: set[str]) -> None:
    inserted = await session.execute(
        insert(Asset)
        .values(asset_id=asset_id, name=canonical_name(names))
        .on_conflict_do_nothing(index_elements=[Asset.asset_id])
        .returning(Asset.asset_id)
    )
    if inserted.first() is not None:
        return
    current = await session.scalar(select(Asset.name).where(Asset.asset_id == asset_id).with_for_update())
    name = canonical_name({*names, current})
    if name != current:
        await session.execute(update(Asset).where(Asset.asset_id == asset_id).values(name=name))


async def _refresh_deal(session: AsyncSession, deal_key: str) -> None:
    """Recompute the deal from all its events, then make its party and asset links match."""
    # Serialises writers of one deal, so each recompute sees the events the others committed.
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": deal_key})
    payloads = await session.scalars(select(DealEventRow.payload).where(DealEventRow.deal_key == deal_key))
    events = [DealEvent.model_validate(payload) for payload in payloads]
    best = best_event(events)
    await _upsert_deal(session, deal_row(best, article_count=len({event.article_id for event in events})))
    parties = {(org_key(party.name), party.role) for party in best.parties}
    await _sync_parties(session, deal_key, {(company, role) for company, role in parties if company})
    await _sync_assets(session, deal_key, {asset_key(name) for name in best.assets} - {""})


def deal_row(best: DealEvent, *, article_count: int) -> dict[str, Any]:
    return {
        "deal_key": best.deal_key,
        "type": best.type,
        "is_primary": best.primary,
        "lead_asset": best.assets[0] if best.assets else None,
        **_money_columns("upfront", best.upfront),
        **_money_columns("milestones", best.milestones),
        **_money_columns("total_value", best.total_value),
        **_money_columns("equity", best.equity),
        "royalties": best.royalties.model_dump(mode="json") if best.royalties else None,
        "territory": best.territory.model_dump(mode="json") if best.territory else None,
        "modality": best.modality,
        "targets": best.targets,
        "indications": best.indications,
        "regulator": best.regulator,
        "regulatory_action": best.regulatory_action,
        "stage": best.stage,
        "deal_date": best.date,
        "source_event_id": best.event_id,
        "extractor_version": best.extractor_version,
        "article_count": article_count,
        "payload": best.model_dump(mode="json"),
    }


async def _upsert_deal(session: AsyncSession, row: dict[str, Any]) -> None:
    """Insert, or update only when some column differs: an unchanged deal keeps its row version."""
    statement = insert(Deal).values(row)
    columns = [name for name in row if name != "deal_key"]
    table = Deal.__table__.c
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[Deal.deal_key],
            set_={name: statement.excluded[name] for name in columns},
            where=tuple_(*(table[name] for name in columns)).is_distinct_from(
                tuple_(*(statement.excluded[name] for name in columns))
            ),
        )
    )


async def _sync_parties(session: AsyncSession, deal_key: str, wanted: set[tuple[str, str]]) -> None:
    rows = await session.execute(
        select(DealParty.company_id, DealParty.role).where(DealParty.deal_key == deal_key)
    )
    current = {(company_id, role) for company_id, role in rows}
    if stale := current - wanted:
        await session.execute(
            delete(DealParty).where(
                DealParty.deal_key == deal_key, tuple_(DealParty.company_id, DealParty.role).in_(stale)
            )
        )
    if missing := wanted - current:
        await session.execute(
            insert(DealParty).values(
                [{"deal_key": deal_key, "company_id": c, "role": role} for c, role in sorted(missing)]
            )
        )


async def _sync_assets(session: AsyncSession, deal_key: str, wanted: set[str]) -> None:
    current = set(await session.scalars(select(DealAsset.asset_id).where(DealAsset.deal_key == deal_key)))
    if stale := current - wanted:
        await session.execute(
            delete(DealAsset).where(DealAsset.deal_key == deal_key, DealAsset.asset_id.in_(stale))
        )
    if missing := wanted - current:
        await session.execute(
            insert(DealAsset).values([{"deal_key": deal_key, "asset_id": a} for a in sorted(missing)])
        )


def _money_columns(prefix: str, money: Money | None) -> dict[str, Any]:
    return {
        f"{prefix}_amount": _decimal(money.amount) if money else None,
        f"{prefix}_currency": money.currency if money else None,
        f"{prefix}_usd": _decimal(money.amount_usd) if money else None,
    }


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _filled_fields(event: DealEvent) -> int:
    return sum(getattr(event, name) not in (None, [], "") for name in _CONTENT_FIELDS)
