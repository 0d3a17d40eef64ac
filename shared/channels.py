"""The topics of the pipeline as faststream channels, each with its payload model, who writes it and who
reads it: what the AsyncAPI document (`docs/asyncapi.json`) is generated from.

    python -m dealwire.shared.channels > docs/asyncapi.json      (a test fails when the document is stale)

Producers publish these payloads as JSON (`model_dump_json`), keyed by the payload's id
(`dealwire.shared.ids.key_for`); consumers validate them with the same models (`dealwire.shared.kafka.decode`).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI
from pydantic import BaseModel

from dealwire.shared import topics
from dealwire.shared.schemas import ArticleExtracted, DealEvent, RawArticle


@dataclass(frozen=True)
class Channel:
    topic: str
    payload: type[BaseModel]
    key: str
    written_by: str
    read_by: tuple[str, ...]
    description: str


CHANNELS = (
    Channel(topics.ARTICLES_RAW, RawArticle, "article_id", "ingest", ("extract", "store"),
            "Articles as ingest accepted them: validated, normalised, deduplicated by content hash."),
    Channel(topics.DEALS_EVENTS, DealEvent, "event_id", "extract", ("store", "downstream consumers"),
            "Deal events, one per deal an article reports, each field with its evidence sentence. Event ids are "
            "deterministic (article, extractor version, position): a re-extraction publishes the same ids."),
    Channel(topics.ARTICLES_EXTRACTED, ArticleExtracted, "article_id", "extract", ("store",),
            "One record per article the extractor is done with, after all its events were acknowledged: the "
            "event ids that extractor version found (possibly none)."),
)


def specification_broker() -> KafkaBroker:
    """A broker that is never connected, holding each channel as a publisher (what its writer sends) and a
    subscriber per reader among the services (what they consume), with the payload models."""
    broker = KafkaBroker("kafka:9092")
    for channel in CHANNELS:
        broker.publisher(channel.topic, schema=channel.payload, title=f"{channel.topic}:{channel.written_by}",
                         description=f"{channel.description} Written by {channel.written_by}, keyed by "
                                     f"`{channel.key}`; read by {', '.join(channel.read_by)}.")
        for reader in (r for r in channel.read_by if r in ("extract", "store")):
            broker.subscriber(channel.topic, group_id=f"dealwire-{reader}", title=f"{channel.topic}:{reader}",
                              description=f"consumed by {reader} in batches")(_handler(channel.payload))
    return broker


def _handler(payload: type[BaseModel]) -> Callable[..., Awaitable[None]]:
    async def handle(message: BaseModel) -> None:
        """Documentation only: the services consume with dealwire.shared.kafka.BatchConsumer."""

    handle.__annotations__ = {"message": payload, "return": None}  # what faststream documents as the payload
    return handle


def asyncapi_document() -> str:
    specification = AsyncAPI(specification_broker(), title="dealwire", version="1",
                             description="Biopharma news in, deal events out. Dead letters of every topic go to "
                                         "`<topic>.dlq` with the original bytes and the reason in headers.")
    return json.dumps(json.loads(specification.to_specification().to_json()), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    sys.stdout.write(asyncapi_document())
