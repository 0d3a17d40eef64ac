"""ingest service: HTTP gateway that validates, normalises, dedupes and publishes raw articles.

`POST /v1/articles` answers only after the broker acknowledged the record (acks=all), so a 2xx
means the article is durably on `articles.raw.v1`, keyed by its article_id.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from typing import Annotated, Literal

import structlog
import uvicorn
from fastapi import Depends, FastAPI, Header, HTTPException, status
from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.ingest.normalise import EmptyArticle, html_to_text, normalise_text, title_from
from shared.ids import article_id_for
from shared.kafka import ensure_topics, make_broker
from shared.logging import configure_logging
from shared.schemas import RawArticle
from shared.settings import Settings

SERVICE = "ingest"
MAX_ARTICLE_CHARS = 5_000_000
log = structlog.get_logger()


class ArticleIn(BaseModel):
    """What a feed posts: either `text` or `html`, plus optional metadata."""

    model_config = ConfigDict(extra="forbid", str_max_length=MAX_ARTICLE_CHARS)

    text: str | None = None
    html: str | None = None
    title: str | None = Field(default=None, max_length=1000)
    url: str | None = Field(default=None, max_length=2000)
    source: str | None = Field(default=None, max_length=300)
    published: date | None = None

    @model_validator(mode="after")
    def exactly_one_body(self) -> ArticleIn:
        if (self.text is None) == (self.html is None):
            raise ValueError("give exactly one of 'text' or 'html'")
        return self


class ArticleAccepted(BaseModel):
    article_id: str
    status: Literal["published", "duplicate"]


class RecentIds:
    """Bounded memory of article ids already published by this process (dedupe by content hash)."""

    def __init__(self, capacity: int = 100_000) -> None:
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._capacity = capacity

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._ids

    def add(self, article_id: str) -> None:
        self._ids[article_id] = None
        if len(self._ids) > self._capacity:
            self._ids.popitem(last=False)


def to_raw_article(article: ArticleIn, received_at: datetime) -> RawArticle:
    body = article.text if article.text is not None else html_to_text(article.html or "")
    text = normalise_text(body)
    return RawArticle(
        article_id=article_id_for(text), source=article.source, url=article.url,
        title=article.title or title_from(text), published=article.published, text=text,
        received_at=received_at,
    )


def build_app(settings: Settings) -> FastAPI:
    if settings.api_key is None or not settings.api_key.get_secret_value():
        raise SystemExit("DEALWIRE_API_KEY must be set: POST /v1/articles requires an API key")
    expected_key = settings.api_key.get_secret_value()
    broker = make_broker(settings, client_id=f"dealwire-{SERVICE}")
    seen = RecentIds()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await ensure_topics(settings)
        await broker.start()
        log.info("ingest_ready", host=settings.http_host, port=settings.http_port)
        yield
        await broker.stop()

    def require_api_key(x_api_key: Annotated[str | None, Header()] = None) -> None:
        if x_api_key is None or not secrets.compare_digest(x_api_key, expected_key):
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing or wrong X-API-Key header")

    app = FastAPI(title="dealwire ingest", version="1", lifespan=lifespan)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/v1/articles", status_code=status.HTTP_201_CREATED, dependencies=[Depends(require_api_key)])
    async def post_article(article: ArticleIn) -> ArticleAccepted:
        try:
            raw = to_raw_article(article, received_at=datetime.now(UTC))
        except EmptyArticle as error:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(error)) from error
        if raw.article_id in seen:
            log.info("article_duplicate", article_id=raw.article_id)
            return ArticleAccepted(article_id=raw.article_id, status="duplicate")
        await broker.publish(raw.model_dump_json(), topic=settings.topic_articles,
                             key=raw.article_id.encode(), headers={"article_id": raw.article_id})
        seen.add(raw.article_id)
        log.info("article_published", article_id=raw.article_id, chars=len(raw.text), source=raw.source)
        return ArticleAccepted(article_id=raw.article_id, status="published")

    return app


def main() -> None:
    settings = Settings()
    configure_logging(SERVICE, settings.log_level)
    app = build_app(settings)
    uvicorn.run(app, host=settings.http_host, port=settings.http_port, log_config=None, access_log=False)
