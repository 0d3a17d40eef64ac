"""The store service's batch handling against the real database: order, poison, records that fail alone, batches
split over transactions applied at once."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from aiokafka import ConsumerRecord, TopicPartition
from store_helpers import rows, snapshot
from test_batches import apply_one_at_a_time, dangling_rows, read_models, realistic_records, topic_of

from bench.articles import generate_articles
from dealwire.services.extract.engine_worker import deal_events_for
from dealwire.services.store.app import Projector
from dealwire.services.store.projection import Sessions
from dealwire.shared.ids import identity_problem, key_for
from dealwire.shared.kafka import Undeliverable
from dealwire.shared.schemas import Money
from dealwire.shared.settings import Settings

pytestmark = pytest.mark.integration
ARTICLES, DEALS = "articles.raw.v1", "deals.events.v1"


@dataclass
class SlowDeadLetters:
    """Records what would be dead-lettered; the first send takes a while, as a broker round trip can."""

    letters: list[Undeliverable] = field(default_factory=list)
    delay_s: float = 0.3

    async def send(self, letters: list[Undeliverable]) -> None:
        if letters:
            await asyncio.sleep(self.delay_s)
            self.delay_s = 0
            self.letters.extend(letters)


def record(topic: str, offset: int, value: bytes, key: bytes, partition: int = 0) -> ConsumerRecord:
    return ConsumerRecord(topic, partition, offset, 0, 0, key, value, None, len(key), len(value), ())


def projector(sessions: Sessions, dead_letters: SlowDeadLetters, transactions: int = 1,
              split_min_records: int = 1) -> Projector:
    url = sessions.kw["bind"].url.render_as_string(hide_password=False)
    settings = Settings(database_url=url, topic_articles=ARTICLES, topic_deals=DEALS, store_transactions=transactions,
                        store_split_min_records=split_min_records)
    return Projector(settings, sessions, dead_letters)  # type: ignore[arg-type]


async def test_a_later_batch_handed_over_early_is_applied_after_the_earlier_one(sessions: Sessions) -> None:
    received = datetime(2026, 1, 1, tzinfo=UTC)
    first, second = (g.as_raw(received) for g in generate_articles(2, seed=4))
    dead_letters = SlowDeadLetters()
    store = projector(sessions, dead_letters)
    partition = TopicPartition(ARTICLES, 0)
    earlier = {partition: [record(ARTICLES, 0, b"garbage", b"x"),  # its dead letter makes this batch slow
                           record(ARTICLES, 1, first.model_dump_json().encode(), first.article_id.encode())]}
    later = {partition: [record(ARTICLES, 2, second.model_dump_json().encode(), second.article_id.encode())]}

    # As the consumer does: the later batch is started while the earlier one is still in hand.
    await asyncio.gather(store.project(earlier), store.project(later))

    assert {r[0] for r in await rows(sessions, "SELECT article_id FROM articles")} == {
        first.article_id, second.article_id}
    assert await rows(sessions, "SELECT last_offset FROM projection_positions") == [(2,)]
    assert [letter.record.offset for letter in dead_letters.letters] == [0]


async def test_an_event_the_database_refuses_is_dead_lettered_alone(sessions: Sessions) -> None:
    article = generate_articles(1, seed=9)[0].as_raw(datetime(2026, 1, 1, tzinfo=UTC))
    events = deal_events_for(article) + deal_events_for(generate_articles(2, seed=9)[1].as_raw(
        datetime(2026, 1, 1, tzinfo=UTC)))
    # Valid for the contract, too large for the deals table's numeric(20, 2) columns.
    huge = events[0].model_copy(update={"upfront": Money(amount=10**30, currency="USD")})
    batch_events = [huge, *events[1:]]
    dead_letters = SlowDeadLetters(delay_s=0)
    partition = TopicPartition(DEALS, 3)
    batch = {partition: [record(DEALS, i, e.model_dump_json().encode(), e.deal_key.encode(), 3)
                         for i, e in enumerate(batch_events)]}

    await projector(sessions, dead_letters).project(batch)

    assert [letter.record.offset for letter in dead_letters.letters] == [0]
    assert "numeric field overflow" in str(dead_letters.letters[0].reason)
    stored = {r[0] for r in await rows(sessions, "SELECT event_id FROM deal_events")}
    assert stored == {e.event_id for e in events[1:]}
    assert await rows(sessions, "SELECT partition, last_offset FROM projection_positions") == [
        (3, len(batch_events) - 1)]


def consumer_batches(records: list, *, partitions: int, size: int) -> list[dict[TopicPartition, list[ConsumerRecord]]]:
    """Records dealt round-robin to `partitions` of each topic, then fetched as a consumer does: batches of up to
    `size` records of every partition."""
    streams: dict[TopicPartition, list[ConsumerRecord]] = {}
    for index, message in enumerate(records):
        partition = TopicPartition(topic_of(message), index % partitions)
        stream = streams.setdefault(partition, [])
        stream.append(record(partition.topic, len(stream), message.model_dump_json().encode(), key_for(message),
                             partition.partition))
    longest = max(map(len, streams.values()))
    return [{tp: stream[start:start + size] for tp, stream in streams.items() if stream[start:start + size]}
            for start in range(0, longest, size)]


async def test_batches_applied_in_two_transactions_at_once_give_the_read_models_of_one_record_at_a_time(
    sessions_factory: Callable[[], Awaitable[Sessions]],
) -> None:
    # What a consumer can decode: the test-made versions and copies carry ids that do not derive from their content.
    records = [r for r in realistic_records(80, seed=21) if identity_problem(r) is None]
    reference, split = await sessions_factory(), await sessions_factory()
    await apply_one_at_a_time(reference, records)
    letters = SlowDeadLetters(delay_s=0)
    store = projector(split, letters, transactions=2)
    batches = consumer_batches(records, partitions=4, size=12)
    assert len(batches) > 2 and all(len({tp.partition % 2 for tp in batch}) == 2 for batch in batches)

    # As the consumer does: each batch is handed over while the one before it is still in hand.
    for earlier, later in zip(batches[::2], [*batches[1::2], {}], strict=True):
        await asyncio.gather(store.project(earlier), store.project(later))

    assert letters.letters == []
    assert await dangling_rows(split) == {}
    expected = read_models(await snapshot(reference, row_versions=False))
    assert read_models(await snapshot(split, row_versions=False)) == expected


async def test_small_batches_in_one_transaction_between_split_ones_give_the_read_models_of_one_record_at_a_time(
    sessions_factory: Callable[[], Awaitable[Sessions]],
) -> None:
    records = [r for r in realistic_records(80, seed=23) if identity_problem(r) is None]
    reference, mixed = await sessions_factory(), await sessions_factory()
    await apply_one_at_a_time(reference, records)
    letters = SlowDeadLetters(delay_s=0)
    batches = consumer_batches(records, partitions=4, size=6)
    sizes = [sum(map(len, batch.values())) for batch in batches]
    threshold = sorted(sizes)[len(sizes) // 2]  # about half the batches are split, the others applied whole
    store = projector(mixed, letters, transactions=2, split_min_records=threshold)
    assert {size >= threshold for size in sizes} == {True, False}

    # As the consumer does: each batch is handed over while the one before it is still in hand.
    for earlier, later in zip(batches[::2], [*batches[1::2], {}], strict=True):
        await asyncio.gather(store.project(earlier), store.project(later))

    assert letters.letters == []
    assert await dangling_rows(mixed) == {}
    expected = read_models(await snapshot(reference, row_versions=False))
    assert read_models(await snapshot(mixed, row_versions=False)) == expected
