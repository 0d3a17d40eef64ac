"""Project articles and deal events into the read models: pure database logic, no Kafka.

`apply_batch` applies the records one consumer read (from any number of partitions) in one
transaction, with set-based statements (one per read model, whatever the batch size), together with
the batch's last position per partition. Applying anything twice, at the same or a later offset,
changes no read-model row: events are insert-once, and every derived row (deals, parties, assets,
companies) is recomputed from the events and written only when it differs. The result depends only
on the set of events applied, not on their order nor on how they were cut into batches.

Each batch first records, in a short transaction of its own, what it has seen that no order of
application can undo: company and asset names (a union) and each article's newest extractor version
(with the event ids of that version, once its extraction record arrived). Its main transaction then
reads each article's version under a key-share lock, which only a version change waits for: so batches
that share articles (an article's events are keyed by deal, so they lie in several partitions) and
companies, but not versions, never wait for each other's commit.

Lock order, the same in every transaction (so concurrent batches of different partitions or
consumers wait for each other instead of deadlocking). The first transaction: companies and assets by
id, then article versions by id. The main one: the position row, then article versions (key share)
and event rows, deals by key (advisory lock), then the deals' links.
"""

from __future__ import annotations

import functools
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ConfigDict, Field
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from typing_extensions import TypedDict  # pydantic needs this one on Python < 3.12

from dealwire.services.store.models import ProjectionPosition
from dealwire.shared.names import company_key
from dealwire.shared.schemas import ArticleExtracted, DealEvent, DealPayload, RawArticle

Sessions = async_sessionmaker[AsyncSession]


class _EvidenceFields(TypedDict):
    """`Evidence`'s fields, validated the same way (types, every key required, no other key), held as a dict."""

    __pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[misc]
    field: str
    sentence: str
    start: int
    end: int


class StoredDealEvent(DealEvent):
    """A `DealEvent` as the store decodes it: validated as strictly, its evidence kept as dicts, not models.

    The store reads no evidence (an event's payload is stored as received), and an event's ten or so
    `Evidence` models were half of the cost of decoding it.
    """

    evidence: list[_EvidenceFields] = Field(default_factory=list)  # type: ignore[assignment]

# Fields that describe the deal itself; the rest is bookkeeping or already part of the ranking.
_CONTENT_FIELDS = tuple(sorted(set(DealPayload.model_fields) - {"primary", "type", "evidence"}))


@dataclass(frozen=True)
class Position:
    consumer: str
    topic: str
    partition: int
    offset: int


Source = tuple[str, int, int]  # (topic, partition, offset) a record was read at


@dataclass(frozen=True)
class Batch:
    """Records one consumer read, each with where it was read, and how far it read each partition.

    `ends` holds the last offset read per (topic, partition), records that were dead-lettered
    included: it is what the transaction records as applied.
    """

    consumer: str
    ends: Mapping[tuple[str, int], int]
    articles: Sequence[tuple[Source, RawArticle]] = ()
    events: Sequence[tuple[Source, DealEvent]] = ()
    extractions: Sequence[tuple[Source, ArticleExtracted]] = ()
    raw_events: Mapping[str, bytes] = field(default_factory=dict)  # the JSON as received, by event id

    @classmethod
    def of(cls, position: Position, record: RawArticle | DealEvent | ArticleExtracted) -> Batch:
        """A batch of one record, read at `position`."""
        source = (position.topic, position.partition, position.offset)
        kind = "events" if isinstance(record, DealEvent) else {RawArticle: "articles", ArticleExtracted: "extractions"}[
            type(record)]
        return cls(position.consumer, {source[:2]: position.offset}, **{kind: [(source, record)]})

    def sources(self) -> list[Source]:
        return [source for source, _ in (*self.articles, *self.events, *self.extractions)]


@dataclass(frozen=True)
class Applied:
    """What a batch changed: rows inserted, deals recomputed, records skipped as already applied."""

    articles: int = 0
    events: int = 0
    deals: int = 0
    skipped: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.articles or self.events)

    def __add__(self, other: Applied) -> Applied:
        return Applied(self.articles + other.articles, self.events + other.events, self.deals + other.deals,
                       self.skipped + other.skipped)


@dataclass(frozen=True)
class _Deal:
    """A deal as its events say: the best one, how many articles, the links it implies."""

    best: DealEvent
    article_count: int
    parties: list[tuple[str, str, str]]
    assets: list[tuple[str, str]]

    @classmethod
    def of(cls, key: str, events: list[DealEvent]) -> _Deal:
        best = best_event(events)
        return cls(best, len({event.article_id for event in events}),
                   sorted({(key, company, party.role) for party in best.parties
                           if (company := company_key(party.name))}),
                   sorted({(key, asset) for name in best.assets if (asset := asset_key(name))}))


@dataclass(frozen=True)
class Prepared:
    """What a batch writes, worked out before its transaction: most of a batch's Python work, done while
    the previous batch's statements run. Parts that depend on the database are redone inside it."""

    batch: Batch
    articles: list[RawArticle]
    events: list[DealEvent]  # one per event id, the first read, sorted by id
    payloads: list[bytes]
    extractions: list[ArticleExtracted]
    companies: dict[str, set[str]]
    assets: dict[str, set[str]]
    events_by_deal: dict[str, list[DealEvent]]
    deals: dict[str, _Deal]


def prepare(batch: Batch, *, skip: frozenset[Source] = frozenset(), only: set[str] | None = None) -> Prepared:
    """The plan of `batch`, without the records in `skip`; deals only from the events in `only`.

    Companies and assets take the names of every event received, whether it is stored, already known
    or superseded: so they do not depend on the order events arrive in.
    """
    articles = _first_of_each([a for source, a in batch.articles if source not in skip], lambda a: a.article_id)
    events = sorted(_first_of_each([e for source, e in batch.events if source not in skip], lambda e: e.event_id),
                    key=lambda e: e.event_id)
    extractions = [x for source, x in batch.extractions if source not in skip]
    events_by_deal: dict[str, list[DealEvent]] = defaultdict(list)
    for event in events if only is None else [e for e in events if e.event_id in only]:
        events_by_deal[event.deal_key].append(event)
    return Prepared(
        batch, articles, events,
        payloads=[batch.raw_events.get(e.event_id) or e.model_dump_json().encode() for e in events],
        extractions=extractions, companies=_company_names(events), assets=_asset_names(events),
        events_by_deal=events_by_deal,
        deals={key: _Deal.of(key, deal_events) for key, deal_events in events_by_deal.items()},
    )


async def apply_batch(sessions: Sessions, batch: Batch | Prepared) -> Applied:
    """Apply the batch's records above the consumer's recorded positions, and record the new positions:
    its names and versions in a short transaction first, the rest in a second (see the module docstring)."""
    plan = batch if isinstance(batch, Prepared) else prepare(batch)
    batch = plan.batch
    async with sessions.begin() as session:  # first, on its own: the batch's names and versions
        applied = await _read_positions(session, batch)
        if not _advanced(batch, applied):
            return Applied(skipped=len(batch.sources()))
        stale = _stale(batch, applied)
        await _record_what_was_seen(session, prepare(batch, skip=stale) if stale else plan)
    async with sessions.begin() as session:
        applied = await _lock_positions(session, batch)
        if not (advanced := _advanced(batch, applied)):
            return Applied(skipped=len(batch.sources()))
        if stale := _stale(batch, applied):
            plan = prepare(batch, skip=stale)  # records read again after a rebalance: already applied
        inserted_articles = await _insert_articles(session, plan.articles) if plan.articles else 0
        live, retracted = await _settle_versions(session, plan)
        inserted = await _insert_events(session, plan, live) if live else set()
        if len(inserted) < len(plan.events):  # superseded or already stored: no part of any deal here
            plan = prepare(batch, skip=stale, only=inserted)
        if plan.deals or retracted:
            await _refresh_deals(session, plan, retracted)
        keys = sorted(advanced)
        await session.execute(_ADVANCE_POSITIONS, {
            "consumer": batch.consumer, "topics": [k[0] for k in keys], "partitions": [k[1] for k in keys],
            "offsets": [advanced[k] for k in keys],
        })
        return Applied(inserted_articles, len(inserted), len(plan.deals | dict.fromkeys(retracted)), len(stale))


async def apply_article(sessions: Sessions, article: RawArticle, position: Position) -> bool:
    """Store an article once; a re-sent article (same id) keeps the row first received."""
    return (await apply_batch(sessions, Batch.of(position, article))).changed


async def apply_deal_event(sessions: Sessions, event: DealEvent, position: Position) -> bool:
    """Record the event and bring its deal, parties, assets and companies up to date."""
    return (await apply_batch(sessions, Batch.of(position, event))).changed


async def applied_positions(sessions: Sessions, consumer: str) -> dict[tuple[str, int], int]:
    """The last offset `consumer` applied per (topic, partition); resume reading at offset + 1."""
    async with sessions() as session:
        rows = await session.execute(
            select(ProjectionPosition.topic, ProjectionPosition.partition, ProjectionPosition.last_offset)
            .where(ProjectionPosition.consumer == consumer)
        )
        return {(topic, partition): offset for topic, partition, offset in rows}


_ASSET_WORD = re.compile(r"[a-z0-9]+")
_VERSION_PART = re.compile(r"\d+|[a-z]+")


@functools.lru_cache(maxsize=65_536)  # asset names repeat across events; this runs for every one of them
def asset_key(name: str) -> str:
    """An asset name reduced for matching: 'KQ-2003', 'kq 2003' and 'KQ–2003' agree."""
    return "-".join(_ASSET_WORD.findall(name.lower()))


@functools.lru_cache(maxsize=1024)
def version_key(version: str) -> tuple[tuple[int, str], ...]:
    """Orders versions part by part: digit runs as numbers ('1.10' > '1.9'), other runs as text."""
    parts = _VERSION_PART.findall(version.lower())
    return tuple((int(part), "") if part.isdigit() else (-1, part) for part in parts)


def best_event(events: Iterable[DealEvent]) -> DealEvent:
    """Newest extractor version, then primary, then most fields filled, then smallest event id."""
    events = list(events)
    if len(events) == 1:  # most deals of a batch: nothing to rank
        return events[0]
    # max() keeps the first of equal-ranked items, so sorting by event id first breaks ties.
    return max(
        sorted(events, key=lambda event: event.event_id),
        key=lambda event: (version_key(event.extractor_version), event.primary, _filled_fields(event)),
    )


def canonical_name(names: Iterable[str]) -> str:
    """The most formal of several spellings, taken as the longest (then the greatest, for determinism)."""
    return max(names, key=lambda name: (len(name), name))


# --- the statements, built once ---------------------------------------------------------------

def _text_array(json_column: str) -> str:
    """A JSON array of strings (text[] columns travel as JSON: PostgreSQL arrays cannot be ragged)."""
    return (f"ARRAY(SELECT item FROM jsonb_array_elements_text(CAST({json_column} AS jsonb)) "
            f"WITH ORDINALITY AS items(item, n) ORDER BY n)")


# A batch touches a few thousand keys of tables that grow without bound: index lookups, never a scan of
# a whole table. The planner's estimates lag behind tables filled in minutes (it chose a sequential scan
# of deal_events for every batch, a cost that grew with the table), so this transaction is told.
_POINT_LOOKUPS_ONLY = text(
    "SELECT set_config('enable_seqscan', 'off', true), set_config('enable_hashjoin', 'off', true), "
    "set_config('enable_mergejoin', 'off', true)"
)
_POSITIONS = "unnest(CAST(:topics AS text[]), CAST(:partitions AS int[])) AS p(topic, partition)"
_CLAIM_POSITIONS = text(
    "INSERT INTO projection_positions (consumer, topic, partition, last_offset) "
    f"SELECT :consumer, p.topic, p.partition, -1 FROM {_POSITIONS} ORDER BY 2, 3 ON CONFLICT DO NOTHING"
)
_READ_POSITIONS_SQL = (
    "SELECT topic, partition, last_offset FROM projection_positions "
    "WHERE consumer = :consumer AND (topic, partition) IN (SELECT p.topic, p.partition FROM "
    f"{_POSITIONS}) ORDER BY topic, partition"
)
_READ_POSITIONS = text(_READ_POSITIONS_SQL)
_LOCK_POSITIONS = text(f"{_READ_POSITIONS_SQL} FOR UPDATE")
_ADVANCE_POSITIONS = text(
    "UPDATE projection_positions t SET last_offset = p.last_offset "
    "FROM unnest(CAST(:topics AS text[]), CAST(:partitions AS int[]), CAST(:offsets AS bigint[])) "
    "AS p(topic, partition, last_offset) "
    "WHERE t.consumer = :consumer AND t.topic = p.topic AND t.partition = p.partition "
    "AND t.last_offset < p.last_offset"
)

_INSERT_ARTICLES = text("""
    INSERT INTO articles (article_id, source, url, title, published, received_at, text_chars, text)
    SELECT * FROM unnest(CAST(:article_id AS text[]), CAST(:source AS text[]), CAST(:url AS text[]),
                         CAST(:title AS text[]), CAST(:published AS date[]), CAST(:received_at AS timestamptz[]),
                         CAST(:text_chars AS int[]), CAST(:text AS text[]))
    ON CONFLICT (article_id) DO NOTHING
    RETURNING article_id
""")

_INSERT_EVENTS = text("""
    INSERT INTO deal_events (event_id, deal_key, article_id, position, is_primary, type, extractor,
                             extractor_version, extracted_at, payload)
    SELECT e.event_id, e.deal_key, e.article_id, e.position, e.is_primary, e.type, e.extractor,
           e.extractor_version, e.extracted_at, CAST(convert_from(e.payload, 'UTF8') AS jsonb)
    FROM unnest(CAST(:event_id AS text[]), CAST(:deal_key AS text[]), CAST(:article_id AS text[]),
                CAST(:position AS int[]), CAST(:is_primary AS bool[]), CAST(:type AS text[]),
                CAST(:extractor AS text[]), CAST(:extractor_version AS text[]),
                CAST(:extracted_at AS timestamptz[]), CAST(:payload AS bytea[]))
         AS e(event_id, deal_key, article_id, position, is_primary, type, extractor, extractor_version,
              extracted_at, payload)
    ON CONFLICT (event_id) DO NOTHING
    RETURNING event_id
""")


# Names are merged in the upsert itself: the union of the names stored and the names seen; the longest
# (then the greatest) becomes `name`, the rest sorted `aliases`. Code point order and length, as in
# Python (`canonical_name`, `sorted`): the "C" collation orders UTF-8 by code point. The row is written
# only when the batch brings a name it does not hold; ON CONFLICT locks it either way, in id order.
_MERGE_COMPANIES = text(f"""
    INSERT INTO companies AS c (company_id, name, aliases)
    SELECT u.company_id, u.name, {_text_array("u.aliases")}
    FROM unnest(CAST(:ids AS text[]), CAST(:names AS text[]), CAST(:aliases AS text[]))
         AS u(company_id, name, aliases)
    ORDER BY u.company_id
    ON CONFLICT (company_id) DO UPDATE SET (name, aliases) = (
        SELECT m.name, ARRAY(SELECT DISTINCT n COLLATE "C" FROM unnest(m.names) AS n WHERE n <> m.name ORDER BY 1)
        FROM (SELECT a.names, (SELECT n FROM unnest(a.names) AS n
                               ORDER BY char_length(n) DESC, n COLLATE "C" DESC LIMIT 1) AS name
              FROM (SELECT c.aliases || c.name || EXCLUDED.aliases || EXCLUDED.name AS names) AS a) AS m)
    WHERE NOT (EXCLUDED.aliases || EXCLUDED.name) <@ (c.aliases || c.name)
""")
_MERGE_ASSETS = text("""
    INSERT INTO assets AS a (asset_id, name)
    SELECT * FROM unnest(CAST(:ids AS text[]), CAST(:names AS text[])) AS u(asset_id, name)
    ORDER BY u.asset_id
    ON CONFLICT (asset_id) DO UPDATE SET name = EXCLUDED.name
    WHERE (char_length(EXCLUDED.name), EXCLUDED.name COLLATE "C") > (char_length(a.name), a.name COLLATE "C")
""")

# Which extractor version speaks for each article: the newest one seen, in events or extractions.
_CLAIM_ARTICLES = text(f"""
    INSERT INTO article_extractions (article_id, extractor_version, event_ids)
    SELECT u.article_id, u.extractor_version, CASE WHEN u.known THEN {_text_array("u.event_ids")} END
    FROM unnest(CAST(:ids AS text[]), CAST(:versions AS text[]), CAST(:known AS bool[]), CAST(:event_ids AS text[]))
         AS u(article_id, extractor_version, known, event_ids)
    ORDER BY u.article_id
    ON CONFLICT DO NOTHING RETURNING article_id
""")
_READ_ARTICLES = "SELECT article_id, extractor_version, event_ids FROM article_extractions WHERE article_id = ANY(:ids)"
_READ_VERSIONS = text(_READ_ARTICLES)
# Filling in event ids leaves the version alone: a lock that key-share readers do not wait for.
_LOCK_FOR_CHANGE = text(f"{_READ_ARTICLES} ORDER BY article_id FOR NO KEY UPDATE")
# A version change: the lock every main transaction's reading of that article waits for (and it for them).
_LOCK_FOR_NEW_VERSION = text("SELECT 1 FROM article_extractions WHERE article_id = ANY(:ids) "
                             "ORDER BY article_id FOR UPDATE")
_SHARE_VERSIONS = text("SELECT article_id, extractor_version FROM article_extractions "
                       "WHERE article_id = ANY(:ids) ORDER BY article_id FOR KEY SHARE")

_STORED_EVENTS_OF_ARTICLES = text(
    "SELECT event_id, article_id, extractor_version, deal_key FROM deal_events WHERE article_id = ANY(:ids)"
)
_UPDATE_ARTICLES = text(f"""
    UPDATE article_extractions a SET extractor_version = u.extractor_version,
           event_ids = CASE WHEN u.known THEN {_text_array("u.event_ids")} END
    FROM unnest(CAST(:ids AS text[]), CAST(:versions AS text[]), CAST(:known AS bool[]), CAST(:event_ids AS text[]))
         AS u(article_id, extractor_version, known, event_ids)
    WHERE a.article_id = u.article_id
""")
_RETRACT_EVENTS = text("DELETE FROM deal_events WHERE event_id = ANY(:ids) RETURNING deal_key")

# Serialises writers of one deal, so each recompute sees the events the others committed.
_LOCK_DEALS = text("SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) "
                   "FROM (SELECT unnest(CAST(:keys AS text[])) AS k ORDER BY k) AS keys")
_OTHER_EVENTS_OF_DEALS = text(
    "SELECT CAST(payload AS text) FROM deal_events WHERE deal_key = ANY(:keys) AND event_id <> ALL(:known)"
)

def _money_from(field: str) -> dict[str, str]:
    money = f"e.payload->'{field}'"
    return {f"{field}_amount": f"CAST({money}->>'amount' AS numeric)", f"{field}_currency": f"{money}->>'currency'",
            f"{field}_usd": f"CAST({money}->>'amount_usd' AS numeric)"}


# A deal's columns, read from its best event (`e`): the one place that maps an event to a deals row.
_DEAL_COLUMNS: dict[str, str] = {
    "deal_key": "e.deal_key", "type": "e.type", "is_primary": "e.is_primary",
    "lead_asset": "e.payload->'assets'->>0",
    **_money_from("upfront"), **_money_from("milestones"), **_money_from("total_value"), **_money_from("equity"),
    "royalties": "NULLIF(e.payload->'royalties', 'null')", "territory": "NULLIF(e.payload->'territory', 'null')",
    "modality": _text_array("e.payload->'modality'"), "targets": _text_array("e.payload->'targets'"),
    "indications": _text_array("e.payload->'indications'"),
    "regulator": "e.payload->>'regulator'", "regulatory_action": "e.payload->>'regulatory_action'",
    "stage": "e.payload->>'stage'", "deal_date": "e.payload->>'date'",
    "source_event_id": "e.event_id", "extractor_version": "e.extractor_version",
    "article_count": "best.article_count",
}
_UPSERT_DEALS = text(f"""
    INSERT INTO deals AS d ({", ".join(_DEAL_COLUMNS)})
    SELECT {", ".join(_DEAL_COLUMNS.values())}
    FROM unnest(CAST(:event_ids AS text[]), CAST(:article_counts AS int[])) AS best(event_id, article_count)
    JOIN deal_events e ON e.event_id = best.event_id
    ORDER BY e.deal_key
    ON CONFLICT (deal_key) DO UPDATE SET {", ".join(f"{name} = EXCLUDED.{name}" for name in _DEAL_COLUMNS)}
    WHERE ({", ".join(f"d.{name}" for name in _DEAL_COLUMNS)})
          IS DISTINCT FROM ({", ".join(f"EXCLUDED.{name}" for name in _DEAL_COLUMNS)})
""")


_DELETE_DEALS = text("DELETE FROM deals WHERE deal_key = ANY(:keys)")


# A deal's links (parties, assets), both tables in one statement: rows of the touched deals that the best
# events no longer name are deleted, missing ones inserted; an unchanged link is not touched. The deleted
# and the inserted rows are disjoint (one is not wanted, the other is), so the sub-statements, which run
# on one snapshot, cannot interfere.
_SYNC_LINKS = text("""
    WITH parties AS (
        SELECT * FROM unnest(CAST(:party_deals AS text[]), CAST(:party_companies AS text[]),
                             CAST(:party_roles AS text[])) AS w(deal_key, company_id, role)
    ), assets AS (
        SELECT * FROM unnest(CAST(:asset_deals AS text[]), CAST(:asset_ids AS text[])) AS w(deal_key, asset_id)
    ), stale_parties AS (
        DELETE FROM deal_parties t WHERE t.deal_key = ANY(:keys) AND NOT EXISTS (
            SELECT 1 FROM parties w WHERE w.deal_key = t.deal_key AND w.company_id = t.company_id AND w.role = t.role)
    ), stale_assets AS (
        DELETE FROM deal_assets t WHERE t.deal_key = ANY(:keys) AND NOT EXISTS (
            SELECT 1 FROM assets w WHERE w.deal_key = t.deal_key AND w.asset_id = t.asset_id)
    ), new_assets AS (
        INSERT INTO deal_assets (deal_key, asset_id) SELECT * FROM assets ORDER BY 1, 2 ON CONFLICT DO NOTHING
    )
    INSERT INTO deal_parties (deal_key, company_id, role) SELECT * FROM parties ORDER BY 1, 2, 3
    ON CONFLICT DO NOTHING
""")


# --- the steps of a batch ---------------------------------------------------------------------

async def _lock_positions(session: AsyncSession, batch: Batch) -> dict[tuple[str, int], int]:
    """The consumer's applied offset per partition of the batch (-1: none yet), the rows locked until
    commit: a second consumer handed the same partition during a rebalance waits here."""
    keys = sorted(batch.ends)
    params = {"consumer": batch.consumer, "topics": [k[0] for k in keys], "partitions": [k[1] for k in keys]}
    await session.execute(_POINT_LOOKUPS_ONLY)
    await session.execute(_CLAIM_POSITIONS, params)
    rows = await session.execute(_LOCK_POSITIONS, params)
    return {(topic, partition): offset for topic, partition, offset in rows}


async def _read_positions(session: AsyncSession, batch: Batch) -> dict[tuple[str, int], int]:
    """As `_lock_positions`, without the lock: positions only move forward, so what is applied now stays so."""
    keys = sorted(batch.ends)
    rows = await session.execute(_READ_POSITIONS, {
        "consumer": batch.consumer, "topics": [k[0] for k in keys], "partitions": [k[1] for k in keys]})
    return {(topic, partition): offset for topic, partition, offset in rows}


def _advanced(batch: Batch, applied: dict[tuple[str, int], int]) -> dict[tuple[str, int], int]:
    """The partitions this batch takes beyond the applied positions, with its last offset in each."""
    return {key: end for key, end in batch.ends.items() if end > applied.get(key, -1)}


def _stale(batch: Batch, applied: dict[tuple[str, int], int]) -> frozenset[Source]:
    """The batch's records at or below the applied positions: read again after a rebalance."""
    return frozenset(source for source in batch.sources() if source[2] <= applied.get(source[:2], -1))


async def _insert_articles(session: AsyncSession, articles: list[RawArticle]) -> int:
    articles = sorted(articles, key=lambda a: a.article_id)
    result = await session.execute(_INSERT_ARTICLES, {
        "article_id": [a.article_id for a in articles], "source": [a.source for a in articles],
        "url": [a.url for a in articles], "title": [a.title for a in articles],
        "published": [a.published for a in articles], "received_at": [a.received_at for a in articles],
        "text_chars": [len(a.text) for a in articles], "text": [a.text for a in articles],
    })
    return len(result.all())


async def _insert_events(session: AsyncSession, plan: Prepared, live: set[str]) -> set[str]:
    """Insert the `live` events not stored yet, their payload as received; returns their ids."""
    rows = [(e, payload) for e, payload in zip(plan.events, plan.payloads, strict=True) if e.event_id in live]
    events = [e for e, _ in rows]
    result = await session.execute(_INSERT_EVENTS, {
        "event_id": [e.event_id for e in events], "deal_key": [e.deal_key for e in events],
        "article_id": [e.article_id for e in events], "position": [e.position for e in events],
        "is_primary": [e.primary for e in events], "type": [e.type for e in events],
        "extractor": [e.extractor for e in events], "extractor_version": [e.extractor_version for e in events],
        "extracted_at": [e.extracted_at for e in events], "payload": [payload for _, payload in rows],
    })
    return set(result.scalars())


async def _record_what_was_seen(session: AsyncSession, plan: Prepared) -> None:
    """The batch's names and versions, committed before its main transaction: each is a union or a
    maximum, true whatever else the batch does, and applying it again changes nothing."""
    await _merge_companies(session, plan.companies)
    await _merge_assets(session, plan.assets)
    await _record_versions(session, plan)


def _versions_seen(plan: Prepared) -> tuple[dict[str, str], dict[tuple[str, str], list[str]]]:
    """The newest version per article in the batch, and the event ids each (article, version) found."""
    seen: dict[str, str] = {}
    finished: dict[tuple[str, str], list[str]] = {}  # from extraction records
    for event in plan.events:
        seen[event.article_id] = newest(seen.get(event.article_id), event.extractor_version)
    for done in plan.extractions:
        seen[done.article_id] = newest(seen.get(done.article_id), done.extractor_version)
        finished.setdefault((done.article_id, done.extractor_version), done.event_ids)
    return seen, finished


async def _record_versions(session: AsyncSession, plan: Prepared) -> None:
    """Bring each article's row to the newest version seen for it, with that version's event ids once known."""
    seen, finished = _versions_seen(plan)
    if not seen:
        return
    ids = sorted(seen)
    claimed = set((await session.execute(_CLAIM_ARTICLES, _article_params(
        {a: (seen[a], finished.get((a, seen[a]))) for a in ids}))).scalars())
    if not (existing := [a for a in ids if a not in claimed]):
        return
    rows = await session.execute(_READ_VERSIONS, {"ids": existing})
    if not (candidates := sorted(_version_changes(rows, seen, finished))):
        return  # rows only move forward: what needs no change now never will for this batch
    changes = _version_changes(await session.execute(_LOCK_FOR_CHANGE, {"ids": candidates}), seen, finished)
    if new_versions := sorted(a for a, (_, _, new_version) in changes.items() if new_version):
        await session.execute(_LOCK_FOR_NEW_VERSION, {"ids": new_versions})
    if changes:
        await session.execute(_UPDATE_ARTICLES, _article_params({a: change[:2] for a, change in changes.items()}))


def _version_changes(rows: Iterable[Any], seen: dict[str, str], finished: dict[tuple[str, str], list[str]]
                     ) -> dict[str, tuple[str, list[str] | None, bool]]:
    """Per article row that the batch moves forward: its version, its event ids, whether the version changes."""
    changes = {}
    for article_id, version, event_ids in rows:
        held = list(event_ids) if event_ids is not None else None
        wanted = newest(version, seen[article_id])
        known = finished.get((article_id, wanted), held if wanted == version else None)
        if (wanted, known) != (version, held):
            changes[article_id] = (wanted, known, wanted != version)
    return changes


async def _settle_versions(session: AsyncSession, plan: Prepared) -> tuple[set[str], set[str]]:
    """Which of the batch's events speak for their article, and the deals of stored events that no
    longer do (of an older version: deleted here, as a newer version's word on an article replaces the
    older one's, including what it no longer finds).

    Each article's version, recorded before this transaction, is read under a key-share lock: a version
    change waits for this transaction's commit, and this transaction for the change's.
    """
    seen, _ = _versions_seen(plan)
    if not seen:
        return set(), set()
    ids = sorted(seen)
    current = dict(seen)
    for article_id, version in await session.execute(_SHARE_VERSIONS, {"ids": ids}):
        current[article_id] = newest(current[article_id], version)
    stored = list(await session.execute(_STORED_EVENTS_OF_ARTICLES, {"ids": ids}))
    for _, article_id, version, _ in stored:  # rows written before versions were tracked per article
        current[article_id] = newest(current[article_id], version)
    superseded = sorted(event_id for event_id, article_id, version, _ in stored if version != current[article_id])
    retracted = set((await session.execute(_RETRACT_EVENTS, {"ids": superseded})).scalars()) if superseded else set()
    live = {e.event_id for e in plan.events if e.extractor_version == current[e.article_id]}
    return live, retracted


def _article_params(rows: dict[str, tuple[str, list[str] | None]]) -> dict[str, Any]:
    return {"ids": list(rows), "versions": [version for version, _ in rows.values()],
            "known": [event_ids is not None for _, event_ids in rows.values()],
            "event_ids": [json.dumps(event_ids or []) for _, event_ids in rows.values()]}


def newest(a: str | None, b: str) -> str:
    """The newer of two extractor versions (`version_key` order; equal keys: the greater string)."""
    if a is None:
        return b
    return max(a, b, key=lambda version: (version_key(version), version))


def _company_names(events: Iterable[DealEvent]) -> dict[str, set[str]]:
    names_by_id: dict[str, set[str]] = defaultdict(set)
    for event in events:
        for party in event.parties:
            if company_id := company_key(party.name):
                names_by_id[company_id].update({name.strip() for name in (party.name, *party.aliases)} - {""})
    return names_by_id


def _asset_names(events: Iterable[DealEvent]) -> dict[str, set[str]]:
    names_by_id: dict[str, set[str]] = defaultdict(set)
    for event in events:
        for name in event.assets:
            if asset_id := asset_key(name):
                names_by_id[asset_id].add(name.strip())
    return names_by_id


async def _merge_companies(session: AsyncSession, names_by_id: dict[str, set[str]]) -> None:
    """Union the names seen with the stored ones (see _MERGE_COMPANIES): order-independent."""
    if names_by_id:
        ids = sorted(names_by_id)
        named = [(name := canonical_name(names_by_id[i]), sorted(names_by_id[i] - {name})) for i in ids]
        await session.execute(_MERGE_COMPANIES, {"ids": ids, "names": [name for name, _ in named],
                                                 "aliases": [json.dumps(aliases) for _, aliases in named]})


async def _merge_assets(session: AsyncSession, names_by_id: dict[str, set[str]]) -> None:
    """The longest name seen for each asset, the stored one included (see _MERGE_ASSETS)."""
    if names_by_id:
        ids = sorted(names_by_id)
        await session.execute(_MERGE_ASSETS, {"ids": ids, "names": [canonical_name(names_by_id[i]) for i in ids]})


async def _refresh_deals(session: AsyncSession, plan: Prepared, retracted: set[str]) -> None:
    """Recompute each touched deal once from all its events, then make its party and asset links match;
    a deal left without events (all retracted) is deleted with its links."""
    keys = sorted(set(plan.deals) | retracted)
    await session.execute(_LOCK_DEALS, {"keys": keys})
    known = [e.event_id for events in plan.events_by_deal.values() for e in events]
    older: dict[str, list[DealEvent]] = defaultdict(list)
    for payload in await session.scalars(_OTHER_EVENTS_OF_DEALS, {"keys": keys, "known": known}):
        event = StoredDealEvent.model_validate_json(payload)
        older[event.deal_key].append(event)
    deals = {key: _Deal.of(key, plan.events_by_deal.get(key, []) + older[key]) if key in older else plan.deals[key]
             for key in keys if key in older or key in plan.deals}
    gone = [key for key in keys if key not in deals]
    kept = [key for key in keys if key in deals]
    if kept:
        await session.execute(_UPSERT_DEALS, {"event_ids": [deals[k].best.event_id for k in kept],
                                              "article_counts": [deals[k].article_count for k in kept]})
    # A deal with no event stored before this transaction has no row and no links yet (both are written
    # with its events and deleted with the last of them): its links are only inserted, nothing to diff.
    await _sync_links(session, [key for key in keys if key in older or key in retracted],
                      parties=[p for k in kept for p in deals[k].parties],
                      assets=[a for k in kept for a in deals[k].assets])
    if gone:
        await session.execute(_DELETE_DEALS, {"keys": gone})


async def _sync_links(session: AsyncSession, keys: list[str], *, parties: list[tuple[str, str, str]],
                      assets: list[tuple[str, str]]) -> None:
    """Insert the links wanted; delete those of `keys` (deals that had links before) no longer wanted."""
    await session.execute(_SYNC_LINKS, {
        "keys": keys, "party_deals": [p[0] for p in parties], "party_companies": [p[1] for p in parties],
        "party_roles": [p[2] for p in parties], "asset_deals": [a[0] for a in assets],
        "asset_ids": [a[1] for a in assets],
    })


def _first_of_each(items: list[Any], key: Any) -> list[Any]:
    """The first item of each key, in order: of two copies of a record, the one read first wins."""
    seen: dict[str, Any] = {}
    for item in items:
        seen.setdefault(key(item), item)
    return list(seen.values())


def _filled_fields(event: DealEvent) -> int:
    return sum(getattr(event, name) not in (None, [], "") for name in _CONTENT_FIELDS)
