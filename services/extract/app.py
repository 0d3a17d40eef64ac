"""extract service: articles.raw.v1 -> extraction engine -> deals.events.v1.

Order per record: decode -> extract -> publish every event (each acknowledged by the broker)
-> return, and only then is the offset committed (NACK_ON_ERROR). A crash in between means the
article is extracted again; event ids are deterministic, so downstream sees the same events.
"""

from __future__ import annotations

from datetime import UTC, datetime

import structlog
from aiokafka import ConsumerRecord
from faststream import FastStream

from services.extract import engine
from shared.ids import deal_key_for, event_id_for
from shared.kafka import decode, ensure_topics, make_broker, subscribe_guarded
from shared.logging import configure_logging
from shared.schemas import DealEvent, DealPayload, RawArticle
from shared.settings import Settings

SERVICE = "extract"
log = structlog.get_logger()


def deal_events_for(article: RawArticle, now: datetime | None = None) -> list[DealEvent]:
    payloads = engine.extract(article.text, title=article.title, published=article.published)
    extracted_at = now or datetime.now(UTC)
    return [to_event(article, payload, position, extracted_at) for position, payload in enumerate(payloads)]


def to_event(article: RawArticle, payload: DealPayload, position: int, extracted_at: datetime) -> DealEvent:
    return DealEvent(
        **payload.model_dump(),
        event_id=event_id_for(article.article_id, engine.EXTRACTOR_VERSION, position),
        deal_key=deal_key_for(payload),
        article_id=article.article_id,
        position=position,
        extractor=engine.EXTRACTOR_NAME,
        extractor_version=engine.EXTRACTOR_VERSION,
        extracted_at=extracted_at,
    )


def build_app(settings: Settings) -> FastStream:
    broker = make_broker(settings, client_id=f"dealwire-{SERVICE}")

    async def publish_events(record: ConsumerRecord) -> None:
        article = decode(RawArticle, record)
        events = deal_events_for(article)
        for event in events:
            await broker.publish(
                event.model_dump_json(), topic=settings.topic_deals, key=event.deal_key.encode(),
                headers={"event_id": event.event_id, "article_id": event.article_id},
            )
        log.info("article_extracted", article_id=article.article_id, events=len(events),
                 event_ids=[e.event_id for e in events], offset=record.offset, partition=record.partition)

    subscribe_guarded(broker, settings, SERVICE, [settings.topic_articles], publish_events)
    app = FastStream(broker)

    @app.on_startup
    async def create_topics() -> None:
        await ensure_topics(settings)

    return app


async def main() -> None:
    settings = Settings()
    configure_logging(SERVICE, settings.log_level)
    await build_app(settings).run()
