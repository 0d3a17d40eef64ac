"""What a feed posts, and how it becomes a `RawArticle`: validation, normalisation, dedupe memory."""

from __future__ import annotations

from collections import OrderedDict
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from dealwire.services.ingest.normalise import EmptyArticle, html_to_text, normalise_line, normalise_text, title_from
from dealwire.shared.ids import article_id_for
from dealwire.shared.schemas import RawArticle


class ArticleIn(BaseModel):
    """What a feed posts: either `text` or `html`, plus optional metadata. Size is bounded by the body cap."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(default=None, description="plain text of the article")
    html: str | None = Field(default=None, description="the article as HTML; converted to text")
    title: str | None = Field(default=None, max_length=1000, description="default: the text's first line")
    url: str | None = Field(default=None, max_length=2000)
    source: str | None = Field(default=None, max_length=300, description="who published it, e.g. a wire")
    published: date | None = Field(default=None, description="publication date, YYYY-MM-DD")

    @model_validator(mode="after")
    def exactly_one_body(self) -> ArticleIn:
        if (self.text is None) == (self.html is None):
            raise PydanticCustomError("text_or_html", "give exactly one of 'text' or 'html'")
        return self


class ArticleAccepted(BaseModel):
    article_id: str
    status: Literal["published", "duplicate"]


def error_list(error: ValidationError, prefix: tuple[str | int, ...] = ("body",)) -> list[dict[str, Any]]:
    """pydantic errors as FastAPI shapes them, without echoing the input (it may be megabytes)."""
    found = []
    for item in error.errors(include_url=False, include_input=False, include_context=False):
        location = item["loc"]
        if item["type"] == "text_or_html":
            location = ("text",)  # a model-level rule; name the field a client fixes first
        found.append({"loc": [*prefix, *location], "msg": item["msg"], "type": item["type"]})
    return found


def parse_article(body: bytes | str, prefix: tuple[str | int, ...] = ("body",)) -> ArticleIn | list[dict[str, Any]]:
    """The article, or the validation errors naming each bad field."""
    try:
        return ArticleIn.model_validate_json(body)
    except ValidationError as error:
        return error_list(error, prefix)


def to_raw_article(article: ArticleIn, received_at: datetime) -> RawArticle:
    """Raises `EmptyArticle` when no text is left after normalisation."""
    body = article.text if article.text is not None else html_to_text(article.html or "")
    text = normalise_text(body)
    return RawArticle(
        article_id=article_id_for(text), source=normalise_line(article.source), url=normalise_line(article.url),
        title=normalise_line(article.title) or title_from(text), published=article.published, text=text,
        received_at=received_at,
    )


def empty_article_error(article: ArticleIn, error: EmptyArticle, prefix: tuple[str | int, ...] = ("body",)
                        ) -> list[dict[str, Any]]:
    field = "text" if article.text is not None else "html"
    return [{"loc": [*prefix, field], "msg": str(error), "type": "empty_article"}]


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
