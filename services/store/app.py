"""store service: articles.raw.v1 + deals.events.v1 + articles.extracted.v1 -> PostgreSQL read models.

Order per batch: decode every record -> dead-letter the undecodable ones (acknowledged) -> one DB
transaction (read-model rows + the batch's last position per partition) -> return, and only then
are the Kafka offsets committed. A crash in between replays the batch; the projection sees its positions
already applied and changes nothing. PostgreSQL unreachable: the batch waits and is retried.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

import structlog
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from faststream import FastStream
from pydantic import BaseModel

from dealwire.services.store.db import make_sessions, migrate
from dealwire.services.store.joining import Joining
from dealwire.services.store.projection import (
    Applied,
    Batch,
    Prepared,
    Sessions,
    StoredDealEvent,
    applied_positions,
    apply_batch,
    prepare,
)
from dealwire.shared.kafka import (
    AssignHandler,
    BatchConsumer,
    DeadLetters,
    Undeliverable,
    decode_batch,
    ensure_topics,
    make_broker,
    max_record_bytes,
)
from dealwire.shared.logging import Throughput, configure_logging, route_library_loggers_to_root
from dealwire.shared.metrics import STORE_APPLIED, STORE_SKIPPED, serve_metrics
from dealwire.shared.resilience import until_available
from dealwire.shared.runtime import tune_garbage_collector
from dealwire.shared.schemas import ArticleExtracted, DealEvent, RawArticle
from dealwire.shared.settings import StoreSettings
from dealwire.shared.tracing import trace_id_of

SERVICE = "store"
log = structlog.get_logger()


class Projector:
    """Applies a batch; isolates a record that makes the transaction fail and dead-letters it.

    Each batch of at least `store_split_min_records` records is split into lanes by partition
    (`store_transactions` of them, partition number modulo that), and the lanes are applied in transactions of
    their own at once (a smaller batch is one transaction, taking every lane's turn): PostgreSQL works on one
    while this process decodes and plans another. Within a lane, the consumer hands over the next batch
    while the previous one is still in its transaction: its decoding and planning overlap that
    transaction, but its own transaction waits for the previous one of its lane to finish, so that
    every partition's records are applied in offset order. Lanes share no partition, so no deal; the
    companies and articles they share (an article's events are keyed by deal, so they lie in several lanes)
    are recorded in a short transaction before each main one, so lanes wait for each other's commit only
    when an article's extractor version changes (see projection).
    `log_each_article`: one info line per article whose extraction record was applied (the live
    service's; a rebuild of the whole history logs none).
    """

    def __init__(self, settings: StoreSettings, sessions: Sessions, dead_letters: DeadLetters, *,
                 log_each_article: bool = False) -> None:
        self._settings = settings
        self._log_each_article = log_each_article
        self._sessions = sessions
        self._dead_letters = dead_letters
        self._consumer = settings.group_for(SERVICE)
        self._throughput = Throughput("store_progress")
        self._lanes = settings.store_transactions
        self._split_min_records = settings.store_split_min_records
        self._previous: dict[int, asyncio.Future[None]] = {}  # per lane: its last batch handed over
        self._models: dict[str, type[BaseModel]] = {
            settings.topic_articles: RawArticle, settings.topic_deals: StoredDealEvent,
            settings.topic_extractions or "": ArticleExtracted,
        }

    async def project(self, batch: dict[TopicPartition, list[ConsumerRecord]]) -> None:
        # Each part takes its lanes' turn here, before the first await: a lane's batches queue up in the order
        # handed over.
        if not batch:
            return
        if sum(map(len, batch.values())) < self._split_min_records:
            # Small (a steady stream cut by the linger): one transaction for the whole batch, after every lane's
            # previous batch; each lane's next batch waits for it.
            await self._project_part(*self._take_turn(range(self._lanes)), batch)
            return
        lanes: dict[int, dict[TopicPartition, list[ConsumerRecord]]] = {}
        for partition, records in batch.items():
            lanes.setdefault(partition.partition % self._lanes, {})[partition] = records
        turns = {lane: self._take_turn((lane,)) for lane in lanes}
        # Every lane is let finish before a failure is raised: the consumer then reads the batch again.
        outcomes = await asyncio.gather(*(self._project_part(*turns[lane], part) for lane, part in lanes.items()),
                                        return_exceptions=True)
        if failures := [outcome for outcome in outcomes if isinstance(outcome, BaseException)]:
            raise failures[0]

    def _take_turn(self, lanes: Iterable[int]) -> tuple[list[asyncio.Future[None]], asyncio.Future[None]]:
        """What the part must wait for (the previous batch of each of its lanes), and its own end, which each of
        those lanes' next batch waits for."""
        done = asyncio.get_running_loop().create_future()
        previous = []
        for lane in lanes:
            if lane in self._previous:
                previous.append(self._previous[lane])
            self._previous[lane] = done
        return previous, done

    async def _project_part(self, previous: list[asyncio.Future[None]], done: asyncio.Future[None],
                            batch: dict[TopicPartition, list[ConsumerRecord]]) -> None:
        dead_lettered: set[tuple[str, int, int]] = set()
        try:
            decoded: list[tuple[ConsumerRecord, BaseModel]] = []
            poison: list[Undeliverable] = []
            for partition, records in batch.items():
                good, bad = decode_batch(self._models[partition.topic], records, max_record_bytes(self._settings))
                decoded += good
                poison += bad
                await asyncio.sleep(0)  # lets the previous batch's transaction go on between partitions
            # Dead letters first: once the batch's positions are recorded, these records are never read again.
            await self._dead_letters.send(poison)
            ends = {(tp.topic, tp.partition): records[-1].offset for tp, records in batch.items()}
            prepared = prepare(self._batch(decoded, ends))
            for earlier in previous:
                await earlier
            applied = await self._apply(decoded, ends, dead_lettered, prepared)
        finally:
            done.set_result(None)
        STORE_APPLIED.labels(kind="article").inc(applied.articles)
        STORE_APPLIED.labels(kind="event").inc(applied.events)
        STORE_SKIPPED.inc(applied.skipped)
        if self._log_each_article:
            self._log_extractions(decoded, dead_lettered)
        self._throughput.add(records=sum(map(len, batch.values())), articles=applied.articles,
                             events=applied.events, dead_lettered=len(poison))
        log.debug("batch_projected", partitions=len(batch), articles=applied.articles,
                  events=applied.events, deals=applied.deals, skipped=applied.skipped)

    def _log_extractions(self, decoded: list[tuple[ConsumerRecord, BaseModel]],
                         dead_lettered: set[tuple[str, int, int]]) -> None:
        for record, message in decoded:
            if isinstance(message, ArticleExtracted) and _source(record) not in dead_lettered:
                log.info("extraction_applied", trace_id=trace_id_of(record.headers), article_id=message.article_id,
                         events=len(message.event_ids), extractor_version=message.extractor_version)

    def _batch(self, decoded: list[tuple[ConsumerRecord, BaseModel]], ends: dict[tuple[str, int], int]) -> Batch:
        by_kind: dict[type[BaseModel], list[tuple[ConsumerRecord, BaseModel]]] = {
            RawArticle: [], DealEvent: [], ArticleExtracted: []}
        for record, message in decoded:
            by_kind[DealEvent if isinstance(message, DealEvent) else type(message)].append((record, message))
        return Batch(
            self._consumer, ends,
            articles=[(_source(r), m) for r, m in by_kind[RawArticle]],  # type: ignore[misc]
            events=[(_source(r), m) for r, m in by_kind[DealEvent]],  # type: ignore[misc]
            extractions=[(_source(r), m) for r, m in by_kind[ArticleExtracted]],  # type: ignore[misc]
            raw_events={m.event_id: r.value for r, m in reversed(by_kind[DealEvent])},  # type: ignore[attr-defined]
        )

    async def _apply(self, decoded: list[tuple[ConsumerRecord, BaseModel]], ends: dict[tuple[str, int], int],
                     dead_lettered: set[tuple[str, int, int]], prepared: Prepared | None = None) -> Applied:
        plan = prepared or prepare(self._batch(decoded, ends))
        try:
            return await until_available("postgresql", lambda: apply_batch(self._sessions, plan))
        except Exception as error:  # not an outage: some record of the batch fails the transaction
            if not decoded:
                raise  # nothing left to blame: the consumer rewinds and tries the batch again
            if len(decoded) == 1:
                await self._dead_letters.send([Undeliverable(decoded[0][0], error)])
                dead_lettered.add(_source(decoded[0][0]))
                return await self._apply([], ends, dead_lettered)
            return await self._bisect(decoded, ends, dead_lettered)

    async def _bisect(self, decoded: list[tuple[ConsumerRecord, BaseModel]], ends: dict[tuple[str, int], int],
                      dead_lettered: set[tuple[str, int, int]]) -> Applied:
        """Apply each half on its own, so the failing record ends up alone: each partition's first half
        first, recording positions only up to the half's last record."""
        by_partition: dict[tuple[str, int], list[tuple[ConsumerRecord, BaseModel]]] = {}
        for record, message in decoded:
            by_partition.setdefault((record.topic, record.partition), []).append((record, message))
        if len(ends) > 1:
            applied = Applied()
            for key, end in ends.items():
                applied += await self._apply(by_partition.get(key, []), {key: end}, dead_lettered)
            return applied
        [(key, records)] = by_partition.items()
        middle = len(records) // 2
        first = await self._apply(records[:middle], {key: records[middle - 1][0].offset}, dead_lettered)
        return first + await self._apply(records[middle:], {key: ends[key]}, dead_lettered)


def _source(record: ConsumerRecord) -> tuple[str, int, int]:
    return record.topic, record.partition, record.offset


def resume_from_positions(settings: StoreSettings, sessions: Sessions) -> AssignHandler:
    """On assignment, seek each partition to the store's recorded position + 1, or to the beginning
    when it has none: the database says what was applied, not the group's committed offsets, so a
    reset or lost group replays nothing twice and skips nothing (a replay is a choice: a rebuild)."""
    consumer_name = settings.group_for(SERVICE)

    async def seek(consumer: AIOKafkaConsumer, assigned: set[TopicPartition]) -> None:
        positions = await until_available("postgresql", lambda: applied_positions(sessions, consumer_name))
        without = [tp for tp in assigned if (tp.topic, tp.partition) not in positions]
        for tp in assigned:
            if (tp.topic, tp.partition) in positions:
                consumer.seek(tp, positions[(tp.topic, tp.partition)] + 1)
        if without:
            await consumer.seek_to_beginning(*without)
        log.info("resumed_from_store_positions", recorded=len(assigned) - len(without), from_start=len(without))

    return seek


def build_app(settings: StoreSettings, joining: Joining | None = None) -> FastStream:
    """The service; `joining`: its consumer, already joining its group (`__main__`), whose partitions are sought
    once the app has migrated the database (`Joining.ready`)."""
    broker = make_broker(settings, client_id=f"dealwire-{SERVICE}")
    sessions = make_sessions(settings.database_url)
    projector = Projector(settings, sessions, DeadLetters(broker, SERVICE, max_record_bytes(settings)),
                          log_each_article=True)
    topics = [settings.topic_articles, settings.topic_deals, settings.topic_extractions or ""]
    resume = resume_from_positions(settings, sessions)
    if joining is None:
        consumer = BatchConsumer(settings, SERVICE, topics, projector.project, on_assigned=resume)
    else:
        consumer = joining.consumer
        consumer.handle = projector.project
    app = FastStream(broker, logger=structlog.get_logger("faststream"))

    @app.on_startup
    async def prepare() -> None:
        await until_available("postgresql", lambda: migrate(settings.database_url))
        if joining is None:
            await ensure_topics(settings)
        else:
            joining.ready.set_result(resume)  # the join waits for this to seek its partitions

    @app.after_startup
    async def start_consuming() -> None:
        if joining is None:
            await consumer.join()
        else:
            await joining.task
        consumer.consume()

    @app.on_shutdown
    async def stop_consuming() -> None:
        if joining is not None and not joining.task.done():
            joining.task.cancel()
        await consumer.stop()
        await sessions.kw["bind"].dispose()

    return app


async def main(settings: StoreSettings | None = None, joining: Joining | None = None) -> None:
    settings = settings or StoreSettings()
    if joining is None:
        configure_logging(SERVICE, settings.log_level)
        serve_metrics(SERVICE, settings.http_host, settings.metrics_port)
    else:  # both done by `joining.main`, before faststream (imported since) gave its logger a handler of its own
        route_library_loggers_to_root()
    app = build_app(settings, joining)
    tune_garbage_collector()
    await app.run()
