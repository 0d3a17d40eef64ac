"""store service: articles.raw.v1 + deals.events.v1 -> PostgreSQL read models.

Order per record: decode -> one DB transaction (read-model rows + consumed position) -> return,
and only then is the Kafka offset committed (NACK_ON_ERROR). A crash between the two replays the
record; the projection sees its position already applied and changes nothing.
"""

from __future__ import annotations

import structlog
from aiokafka import ConsumerRecord
from faststream import FastStream

from services.store.db import make_sessions, migrate
from services.store.projection import Position, apply_article, apply_deal_event
from shared.kafka import decode, ensure_topics, make_broker, subscribe_guarded
from shared.logging import configure_logging
from shared.schemas import DealEvent, RawArticle
from shared.settings import Settings

SERVICE = "store"
log = structlog.get_logger()


def build_app(settings: Settings) -> FastStream:
    broker = make_broker(settings, client_id=f"dealwire-{SERVICE}")
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

    subscribe_guarded(broker, settings, SERVICE, [settings.topic_articles, settings.topic_deals], project)
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
