"""Dead letters carry their origin and reason, stay bounded, and wait out a broker outage."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from aiokafka import ConsumerRecord
from aiokafka.errors import KafkaConnectionError

from dealwire.shared.kafka import DeadLetters, PoisonMessage, Undeliverable


@dataclass
class RecordingBroker:
    published: list[dict[str, Any]] = field(default_factory=list)
    failures: int = 0  # the first sends fail as if the broker were away

    async def publish(self, message: bytes, *, topic: str, key: bytes | None, headers: dict[str, str],
                      no_confirm: bool) -> asyncio.Future:
        assert no_confirm
        ack: asyncio.Future = asyncio.get_running_loop().create_future()
        if self.failures:
            self.failures -= 1
            ack.set_exception(KafkaConnectionError("broker away"))
        else:
            self.published.append({"message": message, "topic": topic, "key": key, "headers": headers})
            ack.set_result(None)
        return ack


def record(value: bytes, offset: int = 7) -> ConsumerRecord:
    return ConsumerRecord("articles.raw.v1", 2, offset, 0, 0, b"art_1", value, None, 7, len(value), ())


async def test_a_dead_letter_carries_its_origin_and_the_reason() -> None:
    broker = RecordingBroker()

    await DeadLetters(broker, "extract", max_record_bytes=1024).send(  # type: ignore[arg-type]
        [Undeliverable(record(b"payload"), PoisonMessage("not a RawArticle v1"))])

    [dead] = broker.published
    assert (dead["topic"], dead["key"], dead["message"]) == ("articles.raw.v1.dlq", b"art_1", b"payload")
    assert {k: dead["headers"][k] for k in ("dlq.source.topic", "dlq.source.partition", "dlq.source.offset",
                                            "dlq.error.type", "dlq.error.message", "dlq.service",
                                            "dlq.attempts")} == {
        "dlq.source.topic": "articles.raw.v1", "dlq.source.partition": "2", "dlq.source.offset": "7",
        "dlq.error.type": "PoisonMessage", "dlq.error.message": "not a RawArticle v1", "dlq.service": "extract",
        "dlq.attempts": "1",
    }


async def test_a_value_over_the_size_limit_is_dropped_and_said_so() -> None:
    broker = RecordingBroker()

    await DeadLetters(broker, "store", max_record_bytes=1024).send(  # type: ignore[arg-type]
        [Undeliverable(record(b"x" * 5000), PoisonMessage("too large"))])

    [dead] = broker.published
    assert dead["message"] == b""
    assert dead["headers"]["dlq.value.dropped"] == "5000 bytes"


async def test_while_the_broker_is_away_the_dead_letter_waits_and_is_not_lost() -> None:
    broker = RecordingBroker(failures=2)

    await DeadLetters(broker, "store", max_record_bytes=1024).send(  # type: ignore[arg-type]
        [Undeliverable(record(b"a", offset=1), ValueError("bad")),
         Undeliverable(record(b"b", offset=2), ValueError("x"))])

    assert sorted(d["headers"]["dlq.source.offset"] for d in broker.published) == ["1", "2"]
    assert "ValueError" in broker.published[0]["headers"]["dlq.error.trace"]
