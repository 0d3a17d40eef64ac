"""Kafka topic names. The project creates them itself (see services' `create_topics`)."""

ARTICLES_RAW = "articles.raw.v1"
DEALS_EVENTS = "deals.events.v1"


def dead_letter(topic: str) -> str:
    return f"{topic}.dlq"
