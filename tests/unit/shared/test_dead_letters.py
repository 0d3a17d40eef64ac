"""Reading what the delivery guard wrote, and choosing what a replay sends."""

from __future__ import annotations

from aiokafka import ConsumerRecord, TopicPartition

from dealwire.shared.dead_letters import DeadLetter, dlq_topics_for, plan_replay
from dealwire.shared.kafka import dead_letter_headers


def record(topic: str, offset: int, value: bytes = b"v", headers: dict | None = None, key: bytes | None = b"k",
           partition: int = 0) -> ConsumerRecord:
    encoded = [(name, str(text).encode()) for name, text in (headers or {}).items()]
    return ConsumerRecord(topic, partition, offset, 1_700_000_000_000, 0, key, value, None, len(key or b""),
                          len(value), encoded)


def dead_letter(offset: int, service: str, source_offset: int, dlq_topic: str = "a.v1.dlq") -> DeadLetter:
    source = record(dlq_topic.removesuffix(".dlq"), source_offset)
    headers = dead_letter_headers(source, ValueError("bad"), service, attempts=3)
    return DeadLetter.from_record(record(dlq_topic, offset, headers=headers))


def test_the_guards_headers_read_back_as_origin_service_and_reason() -> None:
    source = record("articles.raw.v1", 41, value=b"\xff\xfe not utf-8", partition=2)
    headers = dead_letter_headers(source, ValueError("not a RawArticle v1: 2 validation errors"), "store", 3)

    letter = DeadLetter.from_record(record("articles.raw.v1.dlq", 7, value=source.value, headers=headers))

    assert (letter.source_topic, letter.source_partition, letter.source_offset) == ("articles.raw.v1", 2, 41)
    assert (letter.service, letter.error_type, letter.attempts) == ("store", "ValueError", 3)
    assert letter.error_message == "not a RawArticle v1: 2 validation errors"
    assert "ValueError" in letter.trace
    assert letter.preview.startswith("\\xff\\xfe not utf-8")
    assert letter.summary()["dlq_offset"] == 7


def test_a_record_without_headers_is_still_listed_with_its_dlq_as_origin() -> None:
    letter = DeadLetter.from_record(record("deals.events.v1.dlq", 0, key=None))

    assert (letter.source_topic, letter.source_offset, letter.service) == ("deals.events.v1", None, "unknown")
    assert letter.key_text is None


def test_topics_name_their_dead_letter_topic_either_way() -> None:
    assert dlq_topics_for(["a.v1", "a.v1.dlq", "b.v1"]) == ["a.v1.dlq", "b.v1.dlq"]


def test_a_record_dead_lettered_by_two_services_is_sent_once() -> None:
    letters = [dead_letter(0, "extract", 5), dead_letter(1, "store", 5), dead_letter(2, "store", 6)]
    ends = {TopicPartition("a.v1.dlq", 0): 3}

    plan = plan_replay(letters, {}, ends, include_replayed=False)

    assert [(x.service, x.source_offset) for x in plan.to_send] == [("extract", 5), ("store", 6)]
    assert plan.duplicates == 1
    dlq = TopicPartition("a.v1.dlq", 0)
    assert plan.new_marks == {("extract", dlq): 3, ("store", dlq): 3}


def test_what_a_service_replayed_before_is_skipped_unless_asked() -> None:
    letters = [dead_letter(0, "store", 5), dead_letter(1, "extract", 6), dead_letter(2, "store", 7)]
    marks = {("store", TopicPartition("a.v1.dlq", 0)): 1}  # store's offset 0 was replayed; extract's never
    ends = {TopicPartition("a.v1.dlq", 0): 3}

    again = plan_replay(letters, marks, ends, include_replayed=False)
    everything = plan_replay(letters, marks, ends, include_replayed=True)

    assert [x.dlq_offset for x in again.to_send] == [1, 2] and again.already_replayed == 1
    assert [x.dlq_offset for x in everything.to_send] == [0, 1, 2]


def test_chosen_offsets_are_sent_and_move_no_mark() -> None:
    letters = [dead_letter(0, "store", 5), dead_letter(1, "store", 6)]
    marks = {("store", TopicPartition("a.v1.dlq", 0)): 2}

    plan = plan_replay(letters, marks, {TopicPartition("a.v1.dlq", 0): 2}, include_replayed=False, offsets={0})

    assert [x.dlq_offset for x in plan.to_send] == [0]
    assert plan.new_marks == {}
