"""The delivery guard's error policy: retry what may pass, dead-letter what cannot, never drop."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from aiokafka import ConsumerRecord

from shared.kafka import DeliveryGuard, PoisonMessage


@dataclass
class RecordingBroker:
    published: list[dict[str, Any]] = field(default_factory=list)

    async def publish(self, message: bytes, topic: str, key: bytes | None, headers: dict[str, str]) -> None:
        self.published.append({"message": message, "topic": topic, "key": key, "headers": headers})


def message(offset: int = 7) -> Any:
    record = ConsumerRecord("articles.raw.v1", 2, offset, 0, 0, b"art_1", b"payload", None, 7, 7, ())
    return SimpleNamespace(raw_message=record)


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    async def instant(_: float) -> None:
        return None

    monkeypatch.setattr("shared.kafka.asyncio.sleep", instant)


async def test_a_poison_message_is_dead_lettered_at_once_with_its_origin() -> None:
    broker = RecordingBroker()
    guard = DeliveryGuard(broker, "extract", max_attempts=3)  # type: ignore[arg-type]

    async def handle(_: ConsumerRecord) -> None:
        raise PoisonMessage("not a RawArticle v1")

    await guard.run(message(), handle)

    [dead] = broker.published
    assert (dead["topic"], dead["key"], dead["message"]) == ("articles.raw.v1.dlq", b"art_1", b"payload")
    assert {k: dead["headers"][k] for k in ("dlq.source.topic", "dlq.source.partition", "dlq.source.offset",
                                            "dlq.error.type", "dlq.service", "dlq.attempts")} == {
        "dlq.source.topic": "articles.raw.v1", "dlq.source.partition": "2", "dlq.source.offset": "7",
        "dlq.error.type": "PoisonMessage", "dlq.service": "extract", "dlq.attempts": "1",
    }


async def test_a_transient_failure_is_retried_from_the_same_record_and_then_succeeds() -> None:
    broker = RecordingBroker()
    guard = DeliveryGuard(broker, "store", max_attempts=3)  # type: ignore[arg-type]
    calls: list[int] = []

    async def handle(record: ConsumerRecord) -> None:
        calls.append(record.offset)
        if len(calls) == 1:
            raise ConnectionError("database restarting")

    with pytest.raises(ConnectionError):  # raising makes the subscriber seek back to this record
        await guard.run(message(), handle)
    await guard.run(message(), handle)

    assert calls == [7, 7]
    assert broker.published == []


async def test_a_record_that_keeps_failing_is_dead_lettered_after_the_last_attempt() -> None:
    broker = RecordingBroker()
    guard = DeliveryGuard(broker, "store", max_attempts=3)  # type: ignore[arg-type]

    async def handle(_: ConsumerRecord) -> None:
        raise ValueError("bug")

    for _ in range(2):
        with pytest.raises(ValueError):
            await guard.run(message(), handle)
    await guard.run(message(), handle)  # third attempt: dead-lettered, and the stream moves on

    [dead] = broker.published
    assert dead["headers"]["dlq.attempts"] == "3"
    assert dead["headers"]["dlq.error.type"] == "ValueError"


async def test_when_the_dead_letter_publish_fails_the_record_is_not_acknowledged() -> None:
    class DownBroker:
        async def publish(self, *args: Any, **kwargs: Any) -> None:
            raise ConnectionError("broker down")

    guard = DeliveryGuard(DownBroker(), "extract", max_attempts=1)  # type: ignore[arg-type]

    async def handle(_: ConsumerRecord) -> None:
        raise PoisonMessage("bad")

    with pytest.raises(ConnectionError):
        await guard.run(message(), handle)
