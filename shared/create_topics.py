"""`python -m dealwire.shared.create_topics`: create the project's topics and their dead-letter topics, then exit
(compose's one-shot `topics` job; the services also do it on start, so either order works)."""

from __future__ import annotations

import asyncio

from dealwire.shared.kafka import ensure_topics
from dealwire.shared.logging import configure_logging
from dealwire.shared.settings import BrokerSettings

if __name__ == "__main__":
    settings = BrokerSettings()
    configure_logging("topics", settings.log_level)
    asyncio.run(ensure_topics(settings))
