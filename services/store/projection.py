"""Project articles and deal events into the read models: pure database logic, no Kafka.

`apply_batch` applies the records one consumer read (from any number of partitions) in one
transaction, with set-based statements (whatever the batch size; several read models written by one
statement where they do not depend on each other, so a batch costs few round trips), together with
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
        applied, claimed = await _record_what_was_seen(session, plan)
        if not _advanced(batch, applied):
            return Applied(skipped=len(batch.sources()))
        if stale := _stale(batch, applied):  # records read again after a rebalance: nothing was recorded
            plan = prepare(batch, skip=stale)
            _, claimed = await _record_what_was_seen(session, plan, stale_excluded=True)
        await _record_versions(session, plan, claimed)
    async with sessions.begin() as session:
        applied = await _lock_positions(session, batch)
        if not (advanced := _advanced(batch, applied)):
            return Applied(skipped=len(batch.sources()))
        if stale := _stale(batch, applied):
            plan = prepare(batch, skip=stale)  # records read again after a rebalance: already applied
        inserted_articles = await _insert_articles(session, plan.articles) if plan.articles else 0
        live, retracted = await _settle_versions(session, plan)
        # The events inserted and their deals locked in one statement, then the deals' other events read in the
        # next one (a statement reads what was committed before it began: after the locks).
        inserted = await _insert_events(session, plan, live, retracted) if live or retracted else set()
        if len(inserted) < len(plan.events):  # superseded or already stored: no part of any deal here
            plan = prepare(batch, skip=stale, only=inserted)
        writes = await _refresh_deals(session, plan, retracted) if plan.deals or retracted else _DealWrites()
        keys = sorted(advanced)
        await session.execute(_WRITE_DEALS_AND_ADVANCE, writes.params() | {
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
_POINT_LOOKUPS_ONLY = ("SELECT set_config('enable_seqscan', 'off', true), set_config('enable_hashjoin', 'off', true), "
                       "set_config('enable_mergejoin', 'off', true)")
_POSITIONS = "unnest(CAST(:topics AS text[]), CAST(:partitions AS int[])) AS p(topic, partition)"
_READ_POSITIONS_SQL = (
    "SELECT topic, partition, last_offset FROM projection_positions "
    "WHERE consumer = :consumer AND (topic, partition) IN (SELECT p.topic, p.partition FROM "
    f"{_POSITIONS})"
)
# The main transaction's first statement: each partition's row claimed (-1: nothing applied yet) or locked as it
# stands, in (topic, partition) order, until commit; and this transaction told about point look-ups (above).
_LOCK_POSITIONS = text(f"""
    WITH point_lookups_only AS ({_POINT_LOOKUPS_ONLY})
    INSERT INTO projection_positions AS t (consumer, topic, partition, last_offset)
    SELECT :consumer, p.topic, p.partition, -1 FROM {_POSITIONS} CROSS JOIN point_lookups_only ORDER BY 2, 3
    ON CONFLICT (consumer, topic, partition) DO UPDATE SET last_offset = t.last_offset
    RETURNING topic, partition, last_offset
""")

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
# The events inserted, then (UNION ALL runs its parts in order) their deals and the retracted ones locked, which
# serialises writers of one deal, so each recompute sees the events the others committed.
_INSERT_EVENTS_LOCK_DEALS = text(f"""
    WITH inserted AS ({_INSERT_EVENTS.text})
    SELECT event_id FROM inserted
    UNION ALL
    SELECT CAST(NULL AS text) FROM (SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) AS locked
                                    FROM (SELECT unnest(CAST(:keys AS text[])) AS k ORDER BY k) AS keys) AS locks
""")


# Names are merged in the upsert itself: the union of the names stored and the names seen; the longest
# (then the greatest) becomes `name`, the rest sorted `aliases`. Code point order and length, as in
# Python (`canonical_name`, `sorted`): the "C" collation orders UTF-8 by code point. The row is written
# only when the batch brings a name it does not hold; ON CONFLICT locks it either way, in id order.
_MERGE_COMPANIES = f"""
    INSERT INTO companies AS c (company_id, name, aliases)
    SELECT u.company_id, u.name, {_text_array("u.aliases")}
    FROM unnest(CAST(:company_ids AS text[]), CAST(:company_names AS text[]), CAST(:company_aliases AS text[]))
         AS u(company_id, name, aliases)
    WHERE {{only_if}}
    ORDER BY u.company_id
    ON CONFLICT (company_id) DO UPDATE SET (name, aliases) = (
        SELECT m.name, ARRAY(SELECT DISTINCT n COLLATE "C" FROM unnest(m.names) AS n WHERE n <> m.name ORDER BY 1)
        FROM (SELECT a.names, (SELECT n FROM unnest(a.names) AS n
                               ORDER BY char_length(n) DESC, n COLLATE "C" DESC LIMIT 1) AS name
              FROM (SELECT c.aliases || c.name || EXCLUDED.aliases || EXCLUDED.name AS names) AS a) AS m)
    WHERE NOT (EXCLUDED.aliases || EXCLUDED.name) <@ (c.aliases || c.name)
"""
_MERGE_ASSETS = """
    INSERT INTO assets AS a (asset_id, name)
    SELECT * FROM unnest(CAST(:asset_ids AS text[]), CAST(:asset_names AS text[])) AS u(asset_id, name)
    WHERE {only_if}
    ORDER BY u.asset_id
    ON CONFLICT (asset_id) DO UPDATE SET name = EXCLUDED.name
    WHERE (char_length(EXCLUDED.name), EXCLUDED.name COLLATE "C") > (char_length(a.name), a.name COLLATE "C")
"""

# Which extractor version speaks for each article: the newest one seen, in events or extractions.
_CLAIM_ARTICLES = f"""
    INSERT INTO article_extractions (article_id, extractor_version, event_ids)
    SELECT u.article_id, u.extractor_version, CASE WHEN u.known THEN {_text_array("u.event_ids")} END
    FROM unnest(CAST(:ids AS text[]), CAST(:versions AS text[]), CAST(:known AS bool[]), CAST(:event_ids AS text[]))
         AS u(article_id, extractor_version, known, event_ids)
    WHERE {{only_if}}
    ORDER BY u.article_id
    ON CONFLICT DO NOTHING RETURNING article_id
"""
# Whether the batch's names and articles are recorded: no record of it at or below the applied positions.
_NONE_STALE = """(CAST(:stale_excluded AS bool) OR NOT EXISTS (
    SELECT 1 FROM projection_positions s
    JOIN unnest(CAST(:topics AS text[]), CAST(:partitions AS int[]), CAST(:first_offsets AS bigint[]))
         AS f(topic, partition, first_offset) ON s.topic = f.topic AND s.partition = f.partition
    WHERE s.consumer = :consumer AND s.last_offset >= f.first_offset))"""
# The first transaction's one statement (UNION ALL runs its parts in order, so rows are locked in the order
# the module docstring gives): companies merged, assets merged, articles' rows claimed (the ids returned),
# and the consumer's positions read (returned with the topic).
_RECORD_SEEN = text(f"""
    WITH companies AS ({_MERGE_COMPANIES.format(only_if=_NONE_STALE)} RETURNING 1),
         assets AS ({_MERGE_ASSETS.format(only_if=_NONE_STALE)} RETURNING 1),
         claimed AS ({_CLAIM_ARTICLES.format(only_if=_NONE_STALE)})
    SELECT CAST(NULL AS text) AS article_id, CAST(NULL AS text) AS topic, CAST(NULL AS int) AS partition,
           CAST(NULL AS bigint) AS last_offset
    FROM (SELECT count(*) FROM companies) AS merged
    UNION ALL SELECT NULL, NULL, NULL, NULL FROM (SELECT count(*) FROM assets) AS merged
    UNION ALL SELECT article_id, NULL, NULL, NULL FROM claimed
    UNION ALL SELECT NULL, topic, partition, last_offset FROM ({_READ_POSITIONS_SQL}) AS positions
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
# A batch's last statement: each recomputed deal written from its best event (`best`), where it changed; the
# links of the touched deals made to match (rows of `keys` that the best events no longer name deleted,
# missing ones inserted, an unchanged link not touched); the deals left without events deleted; the batch's
# positions advanced. The sub-statements write disjoint rows (each deal is written or deleted, a link is
# wanted or not), so running them on one snapshot, in one round trip, changes nothing of what they do.
_WRITE_DEALS_AND_ADVANCE = text(f"""
    WITH best AS (
        SELECT * FROM unnest(CAST(:event_ids AS text[]), CAST(:article_counts AS int[]))
                      AS best(event_id, article_count)
    ), upserted AS (
        INSERT INTO deals AS d ({", ".join(_DEAL_COLUMNS)})
        SELECT {", ".join(_DEAL_COLUMNS.values())}
        FROM best JOIN deal_events e ON e.event_id = best.event_id
        ORDER BY e.deal_key
        ON CONFLICT (deal_key) DO UPDATE SET {", ".join(f"{name} = EXCLUDED.{name}" for name in _DEAL_COLUMNS)}
        WHERE ({", ".join(f"d.{name}" for name in _DEAL_COLUMNS)})
              IS DISTINCT FROM ({", ".join(f"EXCLUDED.{name}" for name in _DEAL_COLUMNS)})
    ), gone AS (
        DELETE FROM deals WHERE deal_key = ANY(CAST(:gone AS text[]))
    ), parties AS (
        SELECT * FROM unnest(CAST(:party_deals AS text[]), CAST(:party_companies AS text[]),
                             CAST(:party_roles AS text[])) AS w(deal_key, company_id, role)
    ), assets AS (
        SELECT * FROM unnest(CAST(:asset_deals AS text[]), CAST(:asset_ids AS text[])) AS w(deal_key, asset_id)
    ), stale_parties AS (
        DELETE FROM deal_parties t WHERE t.deal_key = ANY(CAST(:keys AS text[])) AND NOT EXISTS (
            SELECT 1 FROM parties w WHERE w.deal_key = t.deal_key AND w.company_id = t.company_id AND w.role = t.role)
    ), stale_assets AS (
        DELETE FROM deal_assets t WHERE t.deal_key = ANY(CAST(:keys AS text[])) AND NOT EXISTS (
            SELECT 1 FROM assets w WHERE w.deal_key = t.deal_key AND w.asset_id = t.asset_id)
    ), new_assets AS (
        INSERT INTO deal_assets (deal_key, asset_id) SELECT * FROM assets ORDER BY 1, 2 ON CONFLICT DO NOTHING
    ), new_parties AS (
        INSERT INTO deal_parties (deal_key, company_id, role) SELECT * FROM parties ORDER BY 1, 2, 3
        ON CONFLICT DO NOTHING
    )
    UPDATE projection_positions t SET last_offset = p.last_offset
    FROM unnest(CAST(:topics AS text[]), CAST(:partitions AS int[]), CAST(:offsets AS bigint[]))
         AS p(topic, partition, last_offset)
    WHERE t.consumer = :consumer AND t.topic = p.topic AND t.partition = p.partition
      AND t.last_offset < p.last_offset
""")


# --- the steps of a batch ---------------------------------------------------------------------

async def _lock_positions(session: AsyncSession, batch: Batch) -> dict[tuple[str, int], int]:
    """The consumer's applied offset per partition of the batch (-1: none yet), the rows locked until
    commit: a second consumer handed the same partition during a rebalance waits here."""
    keys = sorted(batch.ends)
    params = {"consumer": batch.consumer, "topics": [k[0] for k in keys], "partitions": [k[1] for k in keys]}
    rows = await session.execute(_LOCK_POSITIONS, params)
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


async def _insert_events(session: AsyncSession, plan: Prepared, live: set[str], retracted: set[str]) -> set[str]:
    """Insert the `live` events not stored yet, their payload as received, then lock their deals and the
    `retracted` ones (their deals' keys, sorted: the lock order); returns the ids inserted."""
    rows = [(e, payload) for e, payload in zip(plan.events, plan.payloads, strict=True) if e.event_id in live]
    events = [e for e, _ in rows]
    result = await session.execute(_INSERT_EVENTS_LOCK_DEALS, {
        "keys": sorted({e.deal_key for e in events} | retracted),
        "event_id": [e.event_id for e in events], "deal_key": [e.deal_key for e in events],
        "article_id": [e.article_id for e in events], "position": [e.position for e in events],
        "is_primary": [e.primary for e in events], "type": [e.type for e in events],
        "extractor": [e.extractor for e in events], "extractor_version": [e.extractor_version for e in events],
        "extracted_at": [e.extracted_at for e in events], "payload": [payload for _, payload in rows],
    })
    return set(result.scalars()) - {None}


async def _record_what_was_seen(session: AsyncSession, plan: Prepared, *, stale_excluded: bool = False
                                ) -> tuple[dict[tuple[str, int], int], set[str]]:
    """The batch's names, and a row for each article new to the store, committed before its main transaction:
    each is a union or a maximum, true whatever else the batch does, and applying it again changes nothing.
    Recorded only if no record of the batch is at or below the consumer's applied positions (read in the same
    statement), or if the plan is known to hold none (`stale_excluded`). Returns those positions per partition
    of the batch, and the articles whose row it created."""
    batch = plan.batch
    seen, finished = _versions_seen(plan)
    company_ids, asset_ids, keys = sorted(plan.companies), sorted(plan.assets), sorted(batch.ends)
    first_offsets = dict(batch.ends)
    for topic, partition, offset in batch.sources():
        first_offsets[(topic, partition)] = min(first_offsets[(topic, partition)], offset)
    named = [(name := canonical_name(plan.companies[i]), sorted(plan.companies[i] - {name})) for i in company_ids]
    rows = await session.execute(_RECORD_SEEN, {
        "company_ids": company_ids, "company_names": [name for name, _ in named],
        "company_aliases": [json.dumps(aliases) for _, aliases in named],
        "asset_ids": asset_ids, "asset_names": [canonical_name(plan.assets[i]) for i in asset_ids],
        **_article_params({a: (seen[a], finished.get((a, seen[a]))) for a in sorted(seen)}),
        "consumer": batch.consumer, "topics": [k[0] for k in keys], "partitions": [k[1] for k in keys],
        "first_offsets": [first_offsets[k] for k in keys], "stale_excluded": stale_excluded,
    })
    positions: dict[tuple[str, int], int] = {}
    claimed: set[str] = set()
    for article_id, topic, partition, offset in rows:
        if article_id is not None:
            claimed.add(article_id)
        elif topic is not None:
            positions[(topic, partition)] = offset
    return positions, claimed


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


async def _record_versions(session: AsyncSession, plan: Prepared, claimed: set[str]) -> None:
    """Bring each article's row that existed before (not `claimed` by this batch) to the newest version seen for
    it, with that version's event ids once known."""
    seen, finished = _versions_seen(plan)
    if not (existing := [a for a in sorted(seen) if a not in claimed]):
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


@dataclass(frozen=True)
class _DealWrites:
    """What a batch writes to the deals and their links, in the statement that also advances its positions."""

    kept: list[_Deal] = field(default_factory=list)  # deals recomputed, written where they changed
    linked_before: list[str] = field(default_factory=list)  # deals whose stored links are compared with theirs
    gone: list[str] = field(default_factory=list)  # deals left without events: deleted, with their links

    def params(self) -> dict[str, Any]:
        parties = [p for deal in self.kept for p in deal.parties]
        assets = [a for deal in self.kept for a in deal.assets]
        return {"event_ids": [deal.best.event_id for deal in self.kept],
                "article_counts": [deal.article_count for deal in self.kept],
                "keys": self.linked_before, "gone": self.gone,
                "party_deals": [p[0] for p in parties], "party_companies": [p[1] for p in parties],
                "party_roles": [p[2] for p in parties], "asset_deals": [a[0] for a in assets],
                "asset_ids": [a[1] for a in assets]}


async def _refresh_deals(session: AsyncSession, plan: Prepared, retracted: set[str]) -> _DealWrites:
    """Recompute each touched deal once from all its events (locked by `_insert_events`), for its row and its
    party and asset links to match; a deal left without events (all retracted) is deleted with its links."""
    keys = sorted(set(plan.deals) | retracted)
    known = [e.event_id for events in plan.events_by_deal.values() for e in events]
    older: dict[str, list[DealEvent]] = defaultdict(list)
    for payload in await session.scalars(_OTHER_EVENTS_OF_DEALS, {"keys": keys, "known": known}):
        event = StoredDealEvent.model_validate_json(payload)
        older[event.deal_key].append(event)
    deals = {key: _Deal.of(key, plan.events_by_deal.get(key, []) + older[key]) if key in older else plan.deals[key]
             for key in keys if key in older or key in plan.deals}
    # A deal with no event stored before this transaction has no row and no links yet (both are written
    # with its events and deleted with the last of them): its links are only inserted, nothing to diff.
    return _DealWrites([deals[key] for key in keys if key in deals],
                       [key for key in keys if key in older or key in retracted],
                       [key for key in keys if key not in deals])


def _first_of_each(items: list[Any], key: Any) -> list[Any]:
    """The first item of each key, in order: of two copies of a record, the one read first wins."""
    seen: dict[str, Any] = {}
    for item in items:
        seen.setdefault(key(item), item)
    return list(seen.values())


def _filled_fields(event: DealEvent) -> int:
    return sum(getattr(event, name) not in (None, [], "") for name in _CONTENT_FIELDS)
