"""Event contracts that cross Kafka: what ingest publishes and what extract emits.

Versioned by topic name (`*.v1`) and by `schema_version`; a breaking change means a new
class and a new topic, never an edit in place. Field names of `DealPayload` follow the gold
labels' schema so predictions and labels compare without translation.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

EventType = Literal["licensing", "collaboration", "acquisition", "regulatory", "financing", "clinical"]
PartyRole = Literal[
    "licensor", "licensee", "partner", "acquirer", "acquired", "sponsor", "issuer", "investor"
]
RegulatoryAction = Literal[
    "nda_accepted", "bla_accepted", "approved", "conditional_approval", "rejected", "crl",
    "ind_cleared", "breakthrough_designation", "orphan_designation", "priority_review",
    "fast_track", "other",
]


class Contract(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RawArticle(Contract):
    """An article as ingest accepted it: normalised text, keyed on Kafka by `article_id`."""

    schema_version: Literal[1] = 1
    article_id: str = Field(description="sha256-derived id of the normalised text; same text, same id")
    source: str | None = None
    url: str | None = None
    title: str | None = None
    published: date | None = None
    text: str
    received_at: datetime


def _whole_units(value: Any) -> Any:
    """An amount as an exact integer: a float or Decimal (events published before amounts were integers,
    or a store's NUMERIC column) rounds half up through its decimal form, so 531299999.99999994 is 531300000."""
    if isinstance(value, bool):
        raise ValueError("an amount is a number, not a boolean")
    if isinstance(value, float | Decimal):
        try:
            return int(Decimal(str(value)).quantize(Decimal(1), ROUND_HALF_UP))
        except (InvalidOperation, ValueError, OverflowError) as exc:
            raise ValueError(f"not a finite amount: {value!r}") from exc
    return value


WholeUnits = Annotated[int, BeforeValidator(_whole_units)]


class Money(Contract):
    """An amount of money, exact: whole units as an integer, never a float."""

    amount: WholeUnits = Field(description="whole units of `currency`, e.g. 15000000")
    currency: str = Field(description="ISO 4217 code; RMB is reported as CNY")
    amount_usd: WholeUnits | None = Field(default=None, description="whole US dollars, converted with the dated "
                                                                    "rate table")


class Royalties(Contract):
    tiered: bool = False
    rate: str | None = Field(default=None, description="as written, e.g. 'high single-digit'")
    cap: Money | None = Field(default=None, description="a stated ceiling on royalty payments")


class Party(Contract):
    name: str
    role: PartyRole
    aliases: list[str] = Field(default_factory=list)


class Territory(Contract):
    include: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)


class Evidence(Contract):
    """The sentence behind one extracted field; `start`/`end` are character offsets in the text."""

    field: str
    sentence: str
    start: int
    end: int


class DealPayload(Contract):
    """One extracted event, with gold-schema field names."""

    primary: bool
    type: EventType
    parties: list[Party] = Field(default_factory=list)
    assets: list[str] = Field(default_factory=list)
    modality: list[str] = Field(default_factory=list)
    targets: list[str] = Field(default_factory=list)
    indications: list[str] = Field(default_factory=list)
    upfront: Money | None = None
    milestones: Money | None = None
    royalties: Royalties | None = None
    total_value: Money | None = None
    equity: Money | None = None
    territory: Territory | None = None
    regulator: str | None = None
    regulatory_action: RegulatoryAction | None = None
    stage: str | None = None
    date: str | None = Field(default=None, description="ISO date, or YYYY-MM when only the month is known")
    evidence: list[Evidence] = Field(default_factory=list)


class DealEvent(DealPayload):
    """A deal event on `deals.events.v1`, keyed by `deal_key`."""

    schema_version: Literal[1] = 1
    event_id: str = Field(description="from article_id + extractor version + position: stable on reprocessing")
    deal_key: str = Field(description="same deal seen in several articles shares this key")
    article_id: str
    position: int = Field(ge=0, description="index of the event within its article")
    extractor: str
    extractor_version: str
    extracted_at: datetime


class ArticleExtracted(Contract):
    """On `articles.extracted.v1`, keyed by `article_id`: an extractor version is done with an article.

    Published after every event it found for the article was acknowledged, so consumers learn that an
    article has no deal, and which events of an older version the newer one no longer finds.
    """

    schema_version: Literal[1] = 1
    article_id: str
    extractor: str
    extractor_version: str
    event_ids: list[str] = Field(description="the events found, in position order; may be empty")
    extracted_at: datetime
