"""Kafka topic names. The project creates them itself (see services' `create_topics`)."""

ARTICLES_RAW = "articles.raw.v1"
DEALS_EVENTS = "deals.events.v1"
ARTICLES_EXTRACTED = "articles.extracted.v1"  # one record per article the extractor is done with


def extractions_for(topic_articles: str) -> str:
    """The extractions topic beside an articles topic: `x.articles.raw.v1` -> `x.articles.extracted.v1`."""
    if topic_articles.endswith(ARTICLES_RAW):
        return topic_articles[: -len(ARTICLES_RAW)] + ARTICLES_EXTRACTED
    return f"{topic_articles}.extracted"


def dead_letter(topic: str) -> str:
    return f"{topic}.dlq"
