"""The store service's batch handling against the real database: order, poison, records that fail alone."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from aiokafka import ConsumerRecord, TopicPartition
from store_helpers import rows

from bench.articles import generate_articles
from dealwire.services.extract.engine_runs import deal_events_for
from dealwire.services.store.app import Projector
from dealwire.services.store.projection import Sessions
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


def projector(sessions: Sessions, dead_letters: SlowDeadLetters) -> Projector:
    url = sessions.kw["bind"].url.render_as_string(hide_password=False)
    settings = Settings(database_url=url, topic_articles=ARTICLES, topic_deals=DEALS)
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
