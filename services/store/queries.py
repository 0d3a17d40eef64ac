"""Read side: what people ask of the read models. The read API, the web page, `dealwire deals` and
`dealwire dev` all query through this module.

Dates: a deal dated only by month ('2025-07') counts as the first day of that month for sorting and
date filters. Value: the stated total value, else upfront + milestones + equity (USD).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections import defaultdict
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from sqlalchemy import ColumnElement, Integer, Numeric, case, cast, func, literal, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from dealwire.services.store.evidence import highlights_for
from dealwire.services.store.models import Article, Asset, Base, Company, Deal, DealAsset, DealEventRow, DealParty
from dealwire.services.store.projection import Sessions, asset_key
from dealwire.shared.names import company_key
from dealwire.shared.schemas import (
    DealEvent,
    EventType,
    Evidence,
    Money,
    PartyRole,
    RegulatoryAction,
    Royalties,
    Territory,
)

_ROLE_ORDER = {role: index for index, role in enumerate(get_args(PartyRole))}
Sort = Literal["primary", "newest", "oldest", "upfront", "value"]
# PostgreSQL text cannot hold NUL: refused as input, never sent to the database.
Text = Annotated[str, StringConstraints(min_length=1, max_length=300, pattern=r"^[^\x00]*$")]


class DealFilters(BaseModel):
    """Every filter is optional; given together, a deal must match all of them."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    type: EventType | None = None
    company: Text | None = Field(default=None, description="a party, any spelling or alias ('Novatim')")
    role: PartyRole | None = Field(default=None, description="with `company`: its role; alone: any party's role")
    asset: Text | None = Field(default=None, description="'KQ-2003', 'kq 2003' and 'KQ–2003' agree")
    target: Text | None = Field(default=None, description="exact, any case: HER2")
    indication: Text | None = Field(default=None, description="part of an indication's name")
    modality: Text | None = Field(default=None, description="part of a modality's name")
    regulator: Text | None = None
    action: RegulatoryAction | None = None
    date_from: date | None = None
    date_to: date | None = None
    min_upfront_usd: float | None = Field(default=None, ge=0, le=1e15)
    min_total_usd: float | None = Field(default=None, ge=0, le=1e15, description="total value, see module doc")
    primary_only: bool = False


class DealQuery(DealFilters):
    """The filters plus order and page of GET /v1/deals."""

    sort: Sort = Field(default="primary", description="primary: primary deals first, then the newest")
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = Field(default=None, max_length=2000, pattern=r"^[^\x00]*$",
                               description="`next_cursor` of the previous page")

    def filters(self) -> DealFilters:
        return DealFilters(**self.model_dump(exclude={"sort", "limit", "cursor"}))


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


class DealPage(BaseModel):
    items: list[DealView]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last page")


class PartyDetail(BaseModel):
    company_id: str
    name: str
    aliases: list[str]
    role: PartyRole


class SourceArticle(BaseModel):
    """An article that told of the deal; title etc. are null while the article itself is not yet stored."""

    article_id: str
    event_ids: list[str]
    title: str | None
    url: str | None
    source: str | None
    published: date | None


class EvidenceView(Evidence):
    article_id: str
    highlights: list[tuple[int, int]] = Field(description="spans of the field's value within `sentence`")


class DealDetail(BaseModel):
    deal_key: str
    type: EventType
    primary: bool
    parties: list[PartyDetail]
    assets: list[str]
    modality: list[str]
    targets: list[str]
    indications: list[str]
    upfront: Money | None
    milestones: Money | None
    total_value: Money | None
    equity: Money | None
    value_usd: float | None
    royalties: Royalties | None
    territory: Territory | None
    stage: str | None
    regulator: str | None
    regulatory_action: str | None
    deal_date: str | None
    article_ids: list[str]
    extractor_version: str
    sources: list[SourceArticle]
    evidence: list[EvidenceView]


class TimelineEntry(BaseModel):
    deal_key: str
    deal_date: str | None
    regulator: str | None
    regulatory_action: str | None
    assets: list[str]
    stage: str | None


class CompanyDeal(DealView):
    roles: list[PartyRole]


class CompanyProfile(BaseModel):
    company_id: str
    name: str
    aliases: list[str]
    deals: list[CompanyDeal]
    regulatory_timeline: list[TimelineEntry]


class AssetProfile(BaseModel):
    asset_id: str
    name: str
    companies: list[str]
    deals: list[DealView]
    regulatory_timeline: list[TimelineEntry]


class MonthValue(BaseModel):
    month: str
    type: EventType
    deals: int
    value_usd: float


class InvalidCursor(ValueError):
    """A cursor that this sort did not hand out."""


deal_day = case(
    (func.length(Deal.deal_date) == 7, Deal.deal_date + "-01"),
    (func.length(Deal.deal_date) == 4, Deal.deal_date + "-01-01"),
    else_=Deal.deal_date,
)
deal_value_usd = func.coalesce(Deal.total_value_usd, func.nullif(
    func.coalesce(Deal.upfront_usd, 0) + func.coalesce(Deal.milestones_usd, 0) + func.coalesce(Deal.equity_usd, 0),
    0,
))
# descending?, sort keys; a missing value sorts last. The deal key breaks ties in the same direction.
_SORTS: dict[str, tuple[bool, list[ColumnElement[Any]]]] = {
    "primary": (True, [cast(Deal.is_primary, Integer), func.coalesce(deal_day, "")]),
    "newest": (True, [func.coalesce(deal_day, "")]),
    "oldest": (False, [func.coalesce(deal_day, "9999-12-31")]),
    "upfront": (True, [func.coalesce(Deal.upfront_usd, -1)]),
    "value": (True, [func.coalesce(deal_value_usd, -1)]),
}


async def list_deals(
    sessions: Sessions, filters: DealFilters | None = None, *, primary_only: bool = False,
    sort: Sort = "primary", limit: int | None = None,
) -> list[DealView]:
    """Every deal matching `filters` (by default primary deals first, then the newest), up to `limit`."""
    if primary_only:
        filters = (filters or DealFilters()).model_copy(update={"primary_only": True})
    return (await find_deals(sessions, filters, sort=sort, limit=limit)).items


async def find_deals(
    sessions: Sessions, filters: DealFilters | None = None, *, sort: Sort = "primary", limit: int | None = 50,
    cursor: str | None = None,
) -> DealPage:
    """One page of deals; `next_cursor` continues after the page's last deal (keyset pagination).

    A cursor names a position in the sort order, not an offset, so deals inserted between two pages
    neither repeat a deal nor skip one that was there when the first page was read.
    """
    descending, keys = _SORTS[sort]
    ordered = [*keys, Deal.deal_key]
    labelled = [key.label(f"sort_key_{index}") for index, key in enumerate(keys)]
    statement = select(Deal, *labelled).where(*_conditions(filters or DealFilters()))
    statement = statement.order_by(*(key.desc() if descending else key.asc() for key in ordered))
    if cursor is not None:
        after = _decode_cursor(cursor, sort, ordered)
        row, position = tuple_(*ordered), tuple_(*after)
        statement = statement.where(row < position if descending else row > position)
    if limit is not None:
        statement = statement.limit(limit + 1)
    async with sessions() as session:
        rows = list(await session.execute(statement))
        more = limit is not None and len(rows) > limit
        rows = rows[:limit] if limit is not None else rows
        views = await _views(session, [row[0] for row in rows])
    next_cursor = _encode_cursor(sort, [*rows[-1][1:], rows[-1][0].deal_key]) if more else None
    return DealPage(items=views, next_cursor=next_cursor)


async def deal_detail(sessions: Sessions, deal_key: str) -> DealDetail | None:
    """The deal with its parties, terms, source articles and the evidence sentence of each field."""
    async with sessions() as session:
        deal = await session.get(Deal, deal_key)
        if deal is None:
            return None
        best_events = await _best_events(session, [deal])
        [view] = await _views(session, [deal], best_events)
        best = best_events[deal_key]
        party_rows = await session.execute(
            select(Company.company_id, Company.name, Company.aliases, DealParty.role)
            .join(Company, Company.company_id == DealParty.company_id).where(DealParty.deal_key == deal_key)
        )
        source_rows = await session.execute(
            select(DealEventRow.article_id, func.array_agg(DealEventRow.event_id), Article.title, Article.url,
                   Article.source, Article.published)
            .outerjoin(Article, Article.article_id == DealEventRow.article_id)
            .where(DealEventRow.deal_key == deal_key)
            .group_by(DealEventRow.article_id, Article.article_id)
            .order_by(Article.published.desc().nulls_last(), DealEventRow.article_id)
        )
    parties = sorted(
        (PartyDetail(company_id=row.company_id, name=row.name, aliases=row.aliases, role=row.role)
         for row in party_rows),
        key=lambda party: (_ROLE_ORDER.get(party.role, 99), party.name),
    )
    sources = [SourceArticle(article_id=row[0], event_ids=sorted(row[1]), title=row.title, url=row.url,
                             source=row.source, published=row.published) for row in source_rows]
    evidence: dict[tuple[str, str], EvidenceView] = {}  # one entry per field and sentence (two parties, one line)
    for item, spans in zip(best.evidence, highlights_for(best), strict=True):
        evidence.setdefault((item.field, item.sentence),
                            EvidenceView(**item.model_dump(), article_id=best.article_id, highlights=spans))
    return DealDetail(**view.model_dump(exclude={"parties"}), parties=parties, value_usd=_value_usd(deal),
                      sources=sources, evidence=list(evidence.values()))


async def company_profile(sessions: Sessions, name: str) -> CompanyProfile | None:
    """A company's deals (newest first, with its roles) and its regulatory timeline (oldest first)."""
    async with sessions() as session:
        company = await _find_company(session, name)
        if company is None:
            return None
        roles = defaultdict(list)
        for deal_key, role in await session.execute(
            select(DealParty.deal_key, DealParty.role).where(DealParty.company_id == company.company_id)
        ):
            roles[deal_key].append(role)
        deals = await _views(session, list(await session.scalars(
            select(Deal).where(Deal.deal_key.in_(roles)).order_by(func.coalesce(deal_day, "").desc(), Deal.deal_key)
        )))
    return CompanyProfile(
        company_id=company.company_id, name=company.name, aliases=company.aliases,
        deals=[CompanyDeal(**deal.model_dump(), roles=sorted(roles[deal.deal_key])) for deal in deals],
        regulatory_timeline=_timeline(deals),
    )


async def asset_profile(sessions: Sessions, name: str) -> AssetProfile | None:
    """An asset's deals (newest first), the companies in them, and its regulatory timeline."""
    key = asset_key(name)
    async with sessions() as session:
        asset = await session.scalar(
            select(Asset).where(or_(Asset.asset_id == key, func.lower(Asset.name) == name.lower()))
            .order_by(Asset.asset_id != key)
        )
        if asset is None:
            return None
        deals = await _views(session, list(await session.scalars(
            select(Deal).join(DealAsset, DealAsset.deal_key == Deal.deal_key)
            .where(DealAsset.asset_id == asset.asset_id)
            .order_by(func.coalesce(deal_day, "").desc(), Deal.deal_key)
        )))
    companies = sorted({party for deal in deals for party, _ in deal.parties})
    return AssetProfile(asset_id=asset.asset_id, name=asset.name, companies=companies, deals=deals,
                        regulatory_timeline=_timeline(deals))


async def value_by_month(sessions: Sessions, filters: DealFilters | None = None) -> list[MonthValue]:
    """Deal count and summed value (USD) per month and type, for the dated deals matching `filters`."""
    month = func.substr(deal_day, 1, 7)
    statement = (
        select(month, Deal.type, func.count(), func.sum(deal_value_usd))
        .where(Deal.deal_date.is_not(None), *_conditions(filters or DealFilters()))
        .group_by(month, Deal.type).order_by(month, Deal.type)
    )
    async with sessions() as session:
        rows = list(await session.execute(statement))
    return [MonthValue(month=row[0], type=row[1], deals=row[2], value_usd=float(row[3] or 0)) for row in rows]


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
    best: DealEvent, parties: list[tuple[str, PartyRole]], assets: list[str], article_ids: list[str]
) -> DealView:
    return DealView(
        deal_key=best.deal_key, type=best.type, primary=best.primary, parties=parties, assets=assets,
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


async def _views(session: AsyncSession, deals: list[Deal], best: dict[str, DealEvent] | None = None
                 ) -> list[DealView]:
    keys = [deal.deal_key for deal in deals]
    best = best or await _best_events(session, deals)
    parties = await _parties_by_deal(session, keys)
    assets = await _assets_by_deal(session, keys)
    articles = await _articles_by_deal(session, keys)
    return [_view(best[deal.deal_key], parties[deal.deal_key], assets[deal.deal_key], articles[deal.deal_key])
            for deal in deals]


async def _best_events(session: AsyncSession, deals: list[Deal]) -> dict[str, DealEvent]:
    """Each deal's best event, whole, from the audit trail (`deals` holds only its columns)."""
    rows = await session.execute(select(DealEventRow.payload).where(
        DealEventRow.event_id.in_([deal.source_event_id for deal in deals])))
    events = [DealEvent.model_validate(payload) for (payload,) in rows]
    return {event.deal_key: event for event in events}


def _conditions(filters: DealFilters) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if filters.type:
        found.append(Deal.type == filters.type)
    if filters.primary_only:
        found.append(Deal.is_primary)
    if filters.company or filters.role:
        party = select(DealParty.deal_key).join(Company, Company.company_id == DealParty.company_id)
        party = party.where(DealParty.deal_key == Deal.deal_key)
        if filters.company:
            party = party.where(_company_matches(filters.company))
        if filters.role:
            party = party.where(DealParty.role == filters.role)
        found.append(party.exists())
    if filters.asset:
        key = asset_key(filters.asset)
        found.append(select(DealAsset.deal_key).join(Asset, Asset.asset_id == DealAsset.asset_id).where(
            DealAsset.deal_key == Deal.deal_key,
            or_(Asset.asset_id == key, func.lower(Asset.name) == filters.asset.lower()),
        ).exists())
    if filters.target:
        found.append(_any_element(Deal.targets, filters.target, exact=True))
    if filters.indication:
        found.append(_any_element(Deal.indications, filters.indication, exact=False))
    if filters.modality:
        found.append(_any_element(Deal.modality, filters.modality, exact=False))
    if filters.regulator:
        found.append(func.lower(Deal.regulator) == filters.regulator.lower())
    if filters.action:
        found.append(Deal.regulatory_action == filters.action)
    if filters.date_from:
        found.append(deal_day >= filters.date_from.isoformat())
    if filters.date_to:
        found.append(deal_day <= filters.date_to.isoformat())
    if filters.min_upfront_usd is not None:
        found.append(Deal.upfront_usd >= Decimal(str(filters.min_upfront_usd)))
    if filters.min_total_usd is not None:
        found.append(deal_value_usd >= Decimal(str(filters.min_total_usd)))
    return found


def _company_matches(name: str) -> ColumnElement[bool]:
    """Same distinctive words, or a contiguous run of them ('Novatim' in 'novatim lmmune'), or an alias."""
    key = company_key(name)
    return or_(
        Company.company_id == key,
        (" " + Company.company_id + " ").contains(f" {key} ", autoescape=True),
        func.lower(Company.name) == name.lower(),
        Company.aliases.any(name),
    )


def _any_element(column: Any, value: str, *, exact: bool) -> ColumnElement[bool]:
    element = func.unnest(column).table_valued("element").render_derived()
    matches = (func.lower(element.c.element) == value.lower() if exact
               else element.c.element.icontains(value, autoescape=True))
    return select(literal(1)).select_from(element).where(matches).exists()


def _encode_cursor(sort: str, values: list[Any]) -> str:
    text = json.dumps([sort, [None if value is None else str(value) for value in values]])
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, sort: str, keys: list[ColumnElement[Any]]) -> list[Any]:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        cursor_sort, values = json.loads(text)
        if cursor_sort != sort or len(values) != len(keys) or not all(isinstance(v, str) for v in values):
            raise InvalidCursor("this cursor belongs to another sort or is malformed")
        return [literal(_typed(key, value), key.type) for key, value in zip(keys, values, strict=True)]
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, InvalidOperation) as error:
        if isinstance(error, InvalidCursor):
            raise
        raise InvalidCursor("not a cursor this API handed out") from error


def _typed(key: ColumnElement[Any], value: str) -> Any:
    if isinstance(key.type, Integer):
        return int(value)
    if isinstance(key.type, Numeric):
        return Decimal(value)
    return value


def _value_usd(deal: Deal) -> float | None:
    if deal.total_value_usd is not None:
        return float(deal.total_value_usd)
    parts = [deal.upfront_usd, deal.milestones_usd, deal.equity_usd]
    total = sum(part for part in parts if part is not None)
    return float(total) if total else None


async def _find_company(session: AsyncSession, name: str) -> Company | None:
    key = company_key(name)
    exact = await session.scalar(select(Company).where(or_(
        Company.company_id == key, func.lower(Company.name) == name.lower(), Company.aliases.any(name))))
    if exact is not None:
        return exact
    return await session.scalar(
        select(Company).where(_company_matches(name)).order_by(func.length(Company.company_id), Company.company_id)
    )


def _timeline(deals: list[DealView]) -> list[TimelineEntry]:
    regulatory = [deal for deal in deals if deal.type == "regulatory"]
    regulatory.sort(key=lambda deal: (deal.deal_date is None, deal.deal_date or "", deal.deal_key))
    return [TimelineEntry(deal_key=deal.deal_key, deal_date=deal.deal_date, regulator=deal.regulator,
                          regulatory_action=deal.regulatory_action, assets=deal.assets, stage=deal.stage)
            for deal in regulatory]
