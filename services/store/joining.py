"""The store's start-up, quickest to its first batch: the consumer joins its group before the service is imported.

On Tansu a join takes about a second of waiting for the broker (`dealwire.embedded`); the store's imports
(SQLAlchemy, Alembic, faststream: about a second of CPU) and its migrations run meanwhile, the imports in a
thread so that the event loop goes on with the join's requests. The join's partitions are sought to the store's
recorded positions (`app.resume_from_positions`) only once the app has migrated the database: until then the
assignment waits (`Joining.ready`), and the consumer sends no heartbeat while it waits: a store whose imports
and migrations outlast the join by more than the session timeout is taken out of the group and joins again
(once more the broker's second; the positions are the database's, so nothing is applied twice or skipped).
Only the light modules are imported here: settings, aiokafka, the consumer.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, TopicPartition

from dealwire.shared.kafka import AssignHandler, BatchConsumer, ensure_topics, topic_names
from dealwire.shared.logging import configure_logging
from dealwire.shared.metrics import serve_metrics
from dealwire.shared.settings import StoreSettings

SERVICE = "store"


@dataclass
class Joining:
    """A consumer joining its group, and what its assignment waits for: the app's handler that seeks the partitions."""

    consumer: BatchConsumer
    task: asyncio.Task[None]
    ready: asyncio.Future[AssignHandler]


async def main() -> None:
    settings = StoreSettings()
    configure_logging(SERVICE, settings.log_level)
    serve_metrics(SERVICE, settings.http_host, settings.metrics_port)
    # before the join: a consumer that joins before its topics exist gets none of their partitions until its
    # metadata is next refreshed (minutes)
    await ensure_topics(settings)
    ready: asyncio.Future[AssignHandler] = asyncio.get_running_loop().create_future()

    async def on_assigned(consumer: AIOKafkaConsumer, assigned: set[TopicPartition]) -> None:
        await (await ready)(consumer, assigned)

    # no handler yet: `app.build_app` sets it, before `consume`
    consumer = BatchConsumer(settings, SERVICE, topic_names(settings), None, on_assigned=on_assigned)
    joining = Joining(consumer, asyncio.create_task(consumer.join(), name=f"{SERVICE}-join"), ready)
    # Alembic's import logs each plugin it sets up (info): imported before the logging was configured, as it
    # was until the join came first, those lines went nowhere
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    try:
        app = await asyncio.to_thread(importlib.import_module, "dealwire.services.store.app")
    except BaseException:
        joining.task.cancel()
        raise
    await app.main(settings, joining)

