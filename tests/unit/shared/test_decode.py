"""Decoding trusts nothing the producer sends: every hostile value is poison with a reason."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from aiokafka import ConsumerRecord

from dealwire.shared.ids import article_id_for, deal_key_for, event_id_for
from dealwire.shared.kafka import PoisonMessage, decode, decode_batch
from dealwire.shared.schemas import DealEvent, Party, RawArticle

TEXT = "Acme Therapeutics licenses AC-101 to Beta Bio for an upfront payment of $20 million."
ARTICLE_ID = article_id_for(TEXT)


def record(value: bytes | None, key: bytes | None = ARTICLE_ID.encode(), offset: int = 0) -> ConsumerRecord:
    return ConsumerRecord("articles.raw.v1", 0, offset, 0, 0, key, value, None, 0, len(value or b""), ())


def article_json(**changes: object) -> bytes:
    body = {"article_id": ARTICLE_ID, "text": TEXT, "received_at": "2025-01-01T00:00:00Z"} | changes
    return json.dumps(body).encode()


def test_a_genuine_article_decodes() -> None:
    article = decode(RawArticle, record(article_json()))
    assert (article.article_id, article.text) == (ARTICLE_ID, TEXT)


@pytest.mark.parametrize(("value", "reason"), [
    (None, "tombstone"),
    (b"x" * (64 * 1024 + 1), "larger than the limit"),
    (b'{"article_id": "\xff\xfe"}', "not a RawArticle"),
    (article_json(text="lone \ud800 surrogate"), "not a RawArticle"),
    (b"[" * 5000 + b"]" * 5000, "not a RawArticle"),
    (b'{"a":' * 5000 + b"1" + b"}" * 5000, "not a RawArticle"),
    (article_json(text=123), "not a RawArticle"),
    (article_json(schema_version=2), "not a RawArticle"),
    (article_json(unexpected="field"), "not a RawArticle"),
    (b"\x00not an article", "not a RawArticle"),
    (article_json(title="NUL \u0000 inside"), "NUL character"),
    (article_json(article_id="art_000000000000000000000000"), "forged id"),
])
def test_hostile_values_are_poison_with_a_reason(value: bytes | None, reason: str) -> None:
    with pytest.raises(PoisonMessage, match=reason):
        decode(RawArticle, record(value), max_bytes=64 * 1024)


def test_a_record_keyed_by_another_id_is_poison() -> None:
    with pytest.raises(PoisonMessage, match="key"):
        decode(RawArticle, record(article_json(), key=b"art_someone_else"))


def event(**changes: object) -> DealEvent:
    fields: dict = {"primary": True, "type": "licensing", "parties": [Party(name="Acme", role="licensor")],
                    "assets": ["AC-101"], "article_id": ARTICLE_ID, "position": 0, "extractor": "rules",
                    "extractor_version": "1.0.0", "extracted_at": datetime(2025, 1, 1, tzinfo=UTC)}
    payload = DealEvent.model_construct(**fields)
    fields |= {"event_id": event_id_for(ARTICLE_ID, "1.0.0", 0), "deal_key": deal_key_for(payload)}
    return DealEvent(**(fields | changes))


@pytest.mark.parametrize(("changes", "reason"), [
    ({}, None),
    ({"event_id": "evt_000000000000000000000000"}, "event_id"),
    ({"deal_key": "deal_000000000000000000000000"}, "deal_key"),
    ({"position": 1}, "event_id"),
    ({"article_id": "art_made_up"}, "article_id"),
])
def test_an_event_must_carry_the_ids_its_content_derives(changes: dict, reason: str | None) -> None:
    forged = event(**changes)
    value = forged.model_dump_json().encode()
    if reason is None:
        assert decode(DealEvent, record(value, key=forged.deal_key.encode())) == forged
    else:
        with pytest.raises(PoisonMessage, match=reason):
            decode(DealEvent, record(value, key=forged.deal_key.encode()))


def test_a_batch_splits_into_decoded_records_and_dead_letters() -> None:
    records = [record(article_json(), offset=0), record(b"garbage", offset=1), record(None, offset=2)]

    decoded, poison = decode_batch(RawArticle, records, max_bytes=1024)

    assert [(r.offset, a.article_id) for r, a in decoded] == [(0, ARTICLE_ID)]
    assert [(letter.record.offset, type(letter.reason)) for letter in poison] == [
        (1, PoisonMessage), (2, PoisonMessage)
    ]
