"""What the extract service publishes for an article: ids that survive reprocessing, a dead letter when the engine
fails on it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiokafka import ConsumerRecord

from dealwire.services.extract import engine
from dealwire.services.extract.app import to_messages
from dealwire.services.extract.engine_worker import EngineOutput, deal_events_for
from dealwire.shared.ids import article_id_for
from dealwire.shared.kafka import PoisonMessage, dead_letter_headers, decode
from dealwire.shared.schemas import RawArticle

SEED = Path(__file__).resolve().parents[3] / "seeds" / "seed-000.txt"


def seed_article(received_at: datetime) -> RawArticle:
    text = SEED.read_text().strip()
    return RawArticle(article_id=article_id_for(text), text=text, received_at=received_at)


def test_reprocessing_an_article_mints_no_new_ids() -> None:
    first = deal_events_for(seed_article(datetime(2025, 7, 23, tzinfo=UTC)))
    again = deal_events_for(seed_article(datetime(2026, 1, 1, tzinfo=UTC)))

    assert first, "the seed article has a deal"
    def ids(events: list) -> list[tuple[str, str, int]]:
        return [(e.event_id, e.deal_key, e.position) for e in events]

    assert ids(first) == ids(again)
    assert len({e.event_id for e in first}) == len(first)
    assert first[0].primary and first[0].article_id == seed_article(datetime.now(UTC)).article_id


def test_a_new_extractor_version_gives_new_event_ids_for_the_same_deals(monkeypatch: pytest.MonkeyPatch) -> None:
    before = deal_events_for(seed_article(datetime.now(UTC)))
    monkeypatch.setattr(engine, "EXTRACTOR_VERSION", "99.0.0")
    after = deal_events_for(seed_article(datetime.now(UTC)))

    assert {e.event_id for e in before}.isdisjoint({e.event_id for e in after})
    assert [e.deal_key for e in before] == [e.deal_key for e in after]
    assert {e.extractor_version for e in after} == {"99.0.0"}


@pytest.mark.parametrize("value", [b"", b"\x00garbage", b'{"article_id": "x"}', b"[]"])
def test_a_record_that_is_not_a_raw_article_is_poison(value: bytes) -> None:
    record = ConsumerRecord("articles.raw.v1", 0, 0, 0, 0, b"k", value, None, 1, len(value), ())
    with pytest.raises(PoisonMessage):
        decode(RawArticle, record)


def test_an_article_whose_worker_died_gets_a_dead_letter_that_says_so_and_no_event() -> None:
    article = seed_article(datetime.now(UTC))
    value = article.model_dump_json().encode()
    record = ConsumerRecord("articles.raw.v1", 0, 7, 0, 0, b"k", value, None, 1, len(value), ())
    lost = EngineOutput(error="the engine's worker died on this article")

    [extracted] = to_messages([(record, article)], [lost], ("deals.events.v1", "articles.extracted.v1"))

    headers = dead_letter_headers(extracted.record, extracted.error, "extract")
    assert extracted.messages == [] and extracted.record.offset == 7
    assert headers["dlq.error.type"] == "EngineFailed"
    assert headers["dlq.error.message"] == "the engine's worker died on this article"
