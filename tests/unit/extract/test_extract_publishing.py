"""How the extract service hands a batch's records to the producer: straight to aiokafka, counted once per
batch in faststream's own series, acknowledged before the batch returns, logged as one line per batch."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime

from aiokafka import ConsumerRecord, TopicPartition
from aiokafka.errors import MessageSizeTooLargeError
from prometheus_client import REGISTRY
from structlog.testing import capture_logs

from dealwire.services.extract.app import Extractor
from dealwire.services.extract.engine_runs import EngineRuns
from dealwire.services.extract.engine_worker import EngineInput, EngineOutput
from dealwire.shared.ids import article_id_for
from dealwire.shared.kafka import Outgoing, Producer, Undeliverable
from dealwire.shared.schemas import RawArticle
from dealwire.shared.settings import ExtractSettings
from dealwire.shared.tracing import trace_id_from_traceparent

DEALS, EXTRACTIONS = "unit-publishing.deals.events.v1", "unit-publishing.articles.extracted.v1"
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
CLIENT_ID = "dealwire-unit-publishing"


class RecordingProducer(Producer):
    """A `Producer` whose records are acknowledged at once (or refused for good, for `refuse` article ids)."""

    def __init__(self, refuse: frozenset[str] = frozenset()) -> None:
        super().__init__(ExtractSettings(topic_deals=DEALS), client_id=CLIENT_ID)
        self.sent: list[Outgoing] = []
        self._refuse = refuse

    async def send(self, message: Outgoing) -> asyncio.Future:
        self.sent.append(message)
        ack: asyncio.Future = asyncio.get_running_loop().create_future()
        if message.headers["article_id"] in self._refuse:
            ack.set_exception(MessageSizeTooLargeError())
        else:
            ack.set_result(None)
        return ack


class RecordingDeadLetters:
    def __init__(self) -> None:
        self.letters: list[Undeliverable] = []

    async def send(self, letters: Sequence[Undeliverable]) -> None:
        self.letters.extend(letters)


def two_events_each(articles: Sequence[EngineInput]) -> list[EngineOutput]:
    return [EngineOutput(events=tuple((b"deal-" + a.article_id.encode(), b"{}", f"{a.article_id}-e{n}")
                                      for n in range(2)),
                         done=(a.article_id.encode(), b"{}")) for a in articles]


def batch(count: int) -> dict[TopicPartition, list[ConsumerRecord]]:
    records = []
    for n in range(count):
        text = f"Story {n}: Acme Bio licenses a compound to Beta Pharma."
        article = RawArticle(article_id=article_id_for(text), text=text, received_at=datetime(2026, 1, 5, tzinfo=UTC))
        value = article.model_dump_json().encode()
        headers = [("traceparent", f"00-{TRACE_ID[:-2]}{n:02d}-00f067aa0ba902b7-01".encode())]
        records.append(ConsumerRecord("unit-publishing.articles.raw.v1", 0, n, 0, 0, article.article_id.encode(),
                                      value, None, 0, len(value), headers))
    return {TopicPartition("unit-publishing.articles.raw.v1", 0): records}


def published(topic: str, status: str = "success") -> float:
    return REGISTRY.get_sample_value("faststream_published_messages_total", {
        "app_name": CLIENT_ID, "broker": "kafka", "destination": topic, "status": status}) or 0.0


async def extract(records: dict[TopicPartition, list[ConsumerRecord]], producer: RecordingProducer,
                  dead_letters: RecordingDeadLetters) -> list[dict]:
    extractor = Extractor(ExtractSettings(topic_deals=DEALS, topic_extractions=EXTRACTIONS), producer,
                          dead_letters, log_articles=True,  # type: ignore[arg-type]
                          engine=EngineRuns(0, run=two_events_each))
    with capture_logs() as lines:
        await extractor.extract(records)
    return lines


async def test_a_batch_is_logged_as_one_line_naming_each_article_with_its_trace_and_event_ids() -> None:
    records = batch(3)
    producer = RecordingProducer()

    lines = await extract(records, producer, RecordingDeadLetters())

    [line] = [line for line in lines if line["event"] == "batch_extracted"]
    assert line["log_level"] == "info"
    assert (line["records"], line["articles"], line["messages"], line["dead_lettered"]) == (3, 3, 9, 0)
    ids = [r.key.decode() for r in records[TopicPartition("unit-publishing.articles.raw.v1", 0)]]
    assert line["extracted"] == [{"article_id": a, "trace_id": f"{TRACE_ID[:-2]}{n:02d}",
                                  "event_ids": [f"{a}-e0", f"{a}-e1"]} for n, a in enumerate(ids)]
    assert not [line for line in lines if line["event"] == "article_extracted"]
    assert {trace_id_from_traceparent(m.headers["traceparent"]) for m in producer.sent} == {
        f"{TRACE_ID[:-2]}{n:02d}" for n in range(3)}


async def test_what_the_producer_was_handed_is_counted_in_faststreams_series() -> None:
    before = published(DEALS), published(EXTRACTIONS)
    acknowledged = REGISTRY.get_sample_value("dealwire_messages_published_total", {"topic": DEALS}) or 0.0

    await extract(batch(4), RecordingProducer(), RecordingDeadLetters())

    assert (published(DEALS) - before[0], published(EXTRACTIONS) - before[1]) == (8, 4)
    assert (REGISTRY.get_sample_value("dealwire_messages_published_total", {"topic": DEALS}) or 0) - acknowledged == 8


async def test_an_article_whose_records_the_broker_refuses_is_dead_lettered_not_logged_as_extracted() -> None:
    records = batch(2)
    refused, kept = (r.key.decode() for r in records[TopicPartition("unit-publishing.articles.raw.v1", 0)])
    dead_letters = RecordingDeadLetters()

    lines = await extract(records, RecordingProducer(refuse=frozenset({refused})), dead_letters)

    assert [letter.record.key.decode() for letter in dead_letters.letters] == [refused]
    assert isinstance(dead_letters.letters[0].reason, MessageSizeTooLargeError)
    [line] = [line for line in lines if line["event"] == "batch_extracted"]
    assert [a["article_id"] for a in line["extracted"]] == [kept]
    assert line["dead_lettered"] == 1
