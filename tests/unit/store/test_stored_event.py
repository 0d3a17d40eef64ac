"""The store decodes events as `StoredDealEvent`: what `DealEvent` accepts and nothing it refuses."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from aiokafka import ConsumerRecord
from pydantic import ValidationError

from dealwire.services.store.projection import StoredDealEvent
from dealwire.shared.ids import deal_key_for, event_id_for
from dealwire.shared.kafka import PoisonMessage, decode
from dealwire.shared.schemas import DealEvent, Evidence, Party

ARTICLE_ID = "art_" + "0" * 24
SENTENCE = "Acme Therapeutics licenses AC-101 to Beta Bio."


def event_json(**changes: Any) -> bytes:
    event = DealEvent(
        primary=True, type="licensing", event_id=event_id_for(ARTICLE_ID, "1.0.0", 0), deal_key="deal_x",
        article_id=ARTICLE_ID, position=0, extractor="rules", extractor_version="1.0.0",
        extracted_at=datetime(2025, 1, 1, tzinfo=UTC), assets=["AC-101"],
        parties=[Party(name="Acme Therapeutics", role="licensor"), Party(name="Beta Bio", role="licensee")],
        evidence=[Evidence(field="type", sentence=SENTENCE, start=0, end=len(SENTENCE)),
                  Evidence(field="parties", sentence=SENTENCE, start=0, end=len(SENTENCE))],
    )
    body = json.loads(event.model_copy(update={"deal_key": deal_key_for(event)}).model_dump_json())
    return json.dumps(body | changes).encode()


def test_an_event_decodes_to_the_same_fields_and_the_same_json() -> None:
    value = event_json()
    stored, plain = StoredDealEvent.model_validate_json(value), DealEvent.model_validate_json(value)
    assert isinstance(stored, DealEvent)
    assert stored.model_dump(mode="json") == plain.model_dump(mode="json")
    assert stored.model_dump_json() == plain.model_dump_json()


@pytest.mark.parametrize("evidence", [
    3, [3], [None], [{"field": "type", "sentence": SENTENCE, "start": 0}],
    [{"field": "type", "sentence": SENTENCE, "start": 0, "end": 5, "extra": 1}],
    [{"field": "type", "sentence": 3, "start": 0, "end": 5}],
    [{"field": "type", "sentence": SENTENCE, "start": "zero", "end": 5}],
    [{"field": "type", "sentence": SENTENCE, "start": 0.5, "end": 5}],
])
def test_evidence_that_dealevent_refuses_is_refused(evidence: Any) -> None:
    value = event_json(evidence=evidence)
    with pytest.raises(ValidationError):
        DealEvent.model_validate_json(value)
    with pytest.raises(ValidationError):
        StoredDealEvent.model_validate_json(value)


def test_poison_is_reported_under_the_contracts_name() -> None:
    value = event_json(evidence=[3])
    record = ConsumerRecord("deals.events.v1", 0, 0, 0, 0, b"deal_x", value, None, 0, len(value), ())
    with pytest.raises(PoisonMessage, match="not a DealEvent v1"):
        decode(StoredDealEvent, record)
