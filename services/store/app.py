"""store service: articles.raw.v1 + deals.events.v1 -> PostgreSQL read models.

Order per record: decode -> one DB transaction (read-model rows + consumed position) -> return,
and only then is the Kafka offset committed (NACK_ON_ERROR). A crash between the two replays the
record; the projection sees its position already applied and changes nothing.
"""

from __future__ import annotations

from typing import TypeVar

import structlog
from aiokafka import ConsumerRecord
from faststream import AckPolicy, FastStream
from faststream.kafka.annotations import KafkaMessage
from pydantic import BaseModel, ValidationError

from services.store.db import make_sessions, migrate
from services.store.projection import Position, apply_article, apply_deal_event
from shared.kafka import DeliveryGuard, PoisonMessage, ensure_topics, make_broker
from shared.logging import configure_logging
from shared.schemas import DealEvent, RawArticle
from shared.settings import Settings

SERVICE = "store"
ModelT = TypeVar("ModelT", bound=BaseModel)
log = structlog.get_logger()


def decode(model: type[ModelT], record: ConsumerRecord) -> ModelT:
    try:
        return model.model_validate_json(record.value or b"")
    except ValidationError as error:
        raise PoisonMessage(f"not a {model.__name__}: {error.error_count()} validation errors") from error


def build_app(settings: Settings) -> FastStream:
    broker = make_broker(settings, client_id=f"dealwire-{SERVICE}")
    guard = DeliveryGuard(broker, SERVICE, settings.max_delivery_attempts)
    consumer = settings.group_for(SERVICE)
    sessions = make_sessions(settings.database_url)

    async def project(record: ConsumerRecord) -> None:
        position = Position(consumer, record.topic, record.partition, record.offset)
        if record.topic == settings.topic_articles:
            article = decode(RawArticle, record)
            changed = await apply_article(sessions, article, position)
            log.info("article_projected", article_id=article.article_id, changed=changed, offset=record.offset)
        else:
            event = decode(DealEvent, record)
            changed = await apply_deal_event(sessions, event, position)
            log.info("event_projected", event_id=event.event_id, article_id=event.article_id,
                     deal_key=event.deal_key, changed=changed, offset=record.offset)

    @broker.subscriber(
        settings.topic_articles, settings.topic_deals, group_id=consumer, auto_offset_reset="earliest",
        ack_policy=AckPolicy.NACK_ON_ERROR,
    )
    async def on_record(message: KafkaMessage) -> None:
        await guard.run(message, project)

    app = FastStream(broker)

    @app.on_startup
    async def prepare() -> None:
        await migrate(settings.database_url)
        await ensure_topics(settings)

    return app


async def main() -> None:
    settings = Settings()
    configure_logging(SERVICE, settings.log_level)
    await build_app(settings).run()
