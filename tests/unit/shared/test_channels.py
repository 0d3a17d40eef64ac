"""The AsyncAPI document names every topic with its payload schema, and is regenerated with the models."""

from __future__ import annotations

import dataclasses
import json

import pytest
from pydantic import Field

from dealwire.shared import channels
from dealwire.shared.schemas import DealEvent, RawArticle
from dealwire.shared.settings import BrokerSettings
from tests.conftest import REPO

DOCUMENT = REPO / "docs" / "asyncapi.json"


def test_the_committed_document_is_what_the_models_generate() -> None:
    assert DOCUMENT.read_text() == channels.asyncapi_document(), (
        "docs/asyncapi.json is stale: python -m dealwire.shared.channels > docs/asyncapi.json")


def test_a_changed_payload_model_changes_the_document(monkeypatch: pytest.MonkeyPatch) -> None:
    class WiderDealEvent(DealEvent):
        confidence: float | None = Field(default=None, description="a new field")

    WiderDealEvent.__name__ = "DealEvent"
    changed = tuple(dataclasses.replace(c, payload=WiderDealEvent) if c.payload is DealEvent else c
                    for c in channels.CHANNELS)
    monkeypatch.setattr(channels, "CHANNELS", changed)
    regenerated = json.loads(channels.asyncapi_document())
    assert "confidence" in regenerated["components"]["schemas"]["DealEvent"]["properties"]
    assert json.dumps(regenerated, indent=2, sort_keys=True) + "\n" != DOCUMENT.read_text()


@pytest.mark.parametrize(("topic", "model"), [("articles.raw.v1", RawArticle), ("deals.events.v1", DealEvent)])
def test_each_topic_is_a_channel_with_its_payload_schema(topic: str, model: type) -> None:
    document = json.loads(DOCUMENT.read_text())
    addressed = {name: c for name, c in document["channels"].items() if c["address"] == topic}
    assert addressed, f"no channel for {topic}"
    payloads = {document["components"]["messages"][ref["$ref"].rsplit("/", 1)[1]]["payload"]["$ref"]
                for c in addressed.values() for ref in c["messages"].values()}
    assert payloads == {f"#/components/schemas/{model.__name__}"}
    schema = document["components"]["schemas"][model.__name__]
    assert set(schema["properties"]) == set(model.model_fields)


def test_the_channels_are_the_topics_the_services_use_by_default() -> None:
    settings = BrokerSettings(_env_file=None)
    assert {c.topic for c in channels.CHANNELS} == {settings.topic_articles, settings.topic_deals,
                                                    settings.topic_extractions}
