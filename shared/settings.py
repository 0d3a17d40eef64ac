"""Service configuration, read only from environment variables prefixed `DEALWIRE_`.

Each service reads its own class (`SETTINGS_FOR`): ingest `IngestSettings`, extract `ExtractSettings`,
store `StoreSettings`, the read API `ReadApiSettings`; what they share lives in `BrokerSettings`
(every Kafka client) and `ConsumerSettings` (the batch consumers). `Settings` holds them all, for the
`dealwire` command line, which drives every service. The README's configuration reference is generated
from these classes (`python -m dealwire.shared.settings`; a test keeps it current).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from dealwire.shared import topics

MiB = 1024 * 1024
_ENV = SettingsConfigDict(env_prefix="DEALWIRE_", extra="ignore")


class LogSettings(BaseSettings):
    """Every service logs."""

    model_config = _ENV

    log_level: str = Field(
        default="INFO", description="structlog JSON lines on stderr, with `article_id` / `event_id`, never "
                                    "article text")


class BrokerSettings(LogSettings):
    """Every Kafka client: where the broker is, how to reach it, the topics and their record limit."""

    kafka_bootstrap_servers: str = Field(default="localhost:9092", description="broker addresses, comma-separated")
    kafka_enable_idempotence: bool = Field(
        default=True, description="idempotent producer; on for Apache Kafka, off for the embedded Tansu broker, "
                                  "which rejects it"
    )
    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = Field(
        default="PLAINTEXT", description="`SSL`, `SASL_PLAINTEXT` or `SASL_SSL` (SASL/SCRAM over TLS; "
                                         "shared/kafka_security.py)"
    )
    kafka_sasl_mechanism: Literal["SCRAM-SHA-256", "SCRAM-SHA-512", "PLAIN"] = Field(
        default="SCRAM-SHA-512", description="or `SCRAM-SHA-256`, `PLAIN`")
    kafka_sasl_username: str | None = Field(default=None, description="required with `SASL_*`")
    kafka_sasl_password: SecretStr | None = Field(default=None, description="required with `SASL_*`")
    kafka_ssl_cafile: Path | None = Field(
        default=None, description="CA bundle that signed the brokers' certificates (none: the system's CAs)")
    kafka_ssl_certfile: Path | None = Field(default=None, description="client certificate, for mutual TLS only")
    kafka_ssl_keyfile: Path | None = Field(default=None, description="its private key")
    kafka_linger_ms: int = Field(default=5, ge=0, description="producer waits this long to fill a batch")
    kafka_compression: Literal["gzip", "snappy", "lz4", "zstd"] | None = Field(
        default="lz4", description="producer compression: `gzip`, `snappy`, `lz4`, `zstd` or unset (all work on "
                                   "Tansu and Kafka)")
    topic_articles: str = Field(default=topics.ARTICLES_RAW, description="raw articles (dead letters: `<topic>.dlq`)")
    topic_deals: str = Field(default=topics.DEALS_EVENTS, description="deal events (dead letters: `<topic>.dlq`)")
    topic_extractions: str | None = Field(
        default=None, description="one record per extracted article; none: the articles topic's sibling, "
                                  "`articles.extracted.v1`"
    )
    topic_partitions: int = Field(
        default=12, ge=1, description="used when the services create the topics; 12 splits evenly over 1, 2, 3, 4 "
                                      "or 6 processes of a service")
    topic_replication_factor: int = Field(default=1, ge=1, description="used when the services create the topics")
    max_article_bytes: int = Field(
        default=2 * MiB, ge=1024,
        description="body cap of `POST /v1/articles` and of one batch line; the record limit (producer "
                    "`max_request_size`, topic `max.message.bytes`, consumers' decode limit) is this plus 64 KiB",
    )

    @model_validator(mode="after")
    def _extractions_beside_articles(self) -> BrokerSettings:
        if self.topic_extractions is None:
            self.topic_extractions = topics.extractions_for(self.topic_articles)
        return self

    @model_validator(mode="after")
    def sasl_needs_credentials(self) -> BrokerSettings:
        if self.kafka_security_protocol.startswith("SASL_") and not (
            self.kafka_sasl_username and self.kafka_sasl_password
        ):
            raise ValueError(f"DEALWIRE_KAFKA_SECURITY_PROTOCOL={self.kafka_security_protocol} needs "
                             "DEALWIRE_KAFKA_SASL_USERNAME and DEALWIRE_KAFKA_SASL_PASSWORD")
        return self


class ListenSettings(BaseSettings):
    """Where a service listens: the API of ingest and of the read API, /metrics of the consumers."""

    model_config = _ENV

    http_host: str = Field(default="127.0.0.1", description="listen address (extract and store: of /metrics)")


class HttpSettings(ListenSettings):
    """A service that answers HTTP requests (ingest, the read API; both serve /metrics on this port too)."""

    http_port: int = Field(default=8080, description="listen port (the dev stack gives the read API its own)")


class ConsumerSettings(BrokerSettings, ListenSettings):
    """The batch consumers of extract and store (they answer HTTP only for /metrics)."""

    consumer_group: str | None = Field(default=None, description="none: `dealwire-extract`, `dealwire-store`")
    batch_max_records: int = Field(default=1000, ge=1, description="at most this many records per batch")
    batch_linger_ms: int = Field(
        default=50, ge=0, description="a batch waits at most this long after its first record for more"
    )
    kafka_fetch_max_wait_ms: int = Field(
        default=50, ge=1, description="bounds the latency of each hop on Tansu (BENCHMARKS.md, \"latency floor\")"
    )
    kafka_session_timeout_ms: int = Field(
        default=10_000, ge=1000, description="consumer group membership; the embedded stack uses 2000 (Tansu takes "
                                             "half of it to form a group; Apache Kafka refuses less than 6000)")
    kafka_heartbeat_interval_ms: int = Field(default=3_000, ge=100, description="the embedded stack uses 400")
    metrics_port: int | None = Field(
        default=None, ge=0, le=65535,
        description="port of /metrics (on `DEALWIRE_HTTP_HOST`); unset: extract 9101, store 9102; 0: off",
    )

    def group_for(self, service: str) -> str:
        return self.consumer_group or f"dealwire-{service}"


class DatabaseSettings(BaseSettings):
    """A service that writes the read models (the store, migrations)."""

    model_config = _ENV

    database_url: str = Field(
        default="postgresql+asyncpg://dealwire:dealwire@localhost:5432/dealwire",
        description="the read models' database (SQLAlchemy URL, asyncpg driver)")


class IngestSettings(BrokerSettings, HttpSettings):
    """The ingest gateway."""

    api_key_hashes: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="comma-separated `sha256:<hex>` hashes of the keys the gateway accepts (`dealwire api-key`); "
                    "several at once for several feeds and for rotation; ingest refuses to start without one",
    )
    max_batch_bytes: int = Field(default=16 * MiB, ge=1024, description="body cap of POST /v1/articles:batch")
    max_batch_lines: int = Field(default=1000, ge=1, description="articles per POST /v1/articles:batch")
    publish_timeout_s: float = Field(
        default=10.0, gt=0, description="how long ingest waits for the broker's acknowledgement before `503`")
    retry_after_s: int = Field(default=5, ge=1, description="Retry-After of a 503")

    @field_validator("api_key_hashes", mode="before")
    @classmethod
    def _split_hashes(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value


class ExtractSettings(ConsumerSettings):
    """The extract service."""

    engine_processes: int = Field(
        default=1, ge=0, le=64,
        description="worker processes that run the engine, each on a core of its own beside the service's "
                    "event loop; 0: a thread of the service process (one core for both)")
    engine_timeout_s: float = Field(
        default=60.0, gt=0,
        description="seconds a chunk of articles (64) may spend with the engine's workers, queued and "
                    "running, before they are stopped; a chunk whose worker died or was stopped is extracted "
                    "again one article at a time, and an article that kills or outlasts a worker of its own "
                    "is dead-lettered (worker processes only: a thread cannot be stopped)")


class StoreSettings(ConsumerSettings, DatabaseSettings):
    """The store service (the projection into PostgreSQL)."""

    store_transactions: int = Field(
        default=2, ge=1, le=12,
        description="batch transactions in flight at once, each over its own share of the partitions (partition "
                    "number modulo this), so that PostgreSQL applies one while the store prepares the next")
    store_split_min_records: int = Field(
        default=200, ge=1,
        description="a batch of fewer records is applied in one transaction, not split: a transaction's "
                    "fixed cost (its statements, two commits) outweighs applying small parts at once")


class ReadApiSettings(LogSettings, HttpSettings, DatabaseSettings):
    """The read API and web page (`python -m dealwire.services.store.api`)."""

    read_database_url: str | None = Field(
        default=None, description="the read API's and `dealwire deals`' connection (none: `DEALWIRE_DATABASE_URL`); "
                                  "whoever logs in, queries run as the role `dealwire_reader`"
    )


class Settings(IngestSettings, StoreSettings, ExtractSettings, ReadApiSettings):
    """Everything, for the `dealwire` command line, which starts, feeds and inspects every service."""

    api_key: SecretStr | None = Field(
        default=None, description="the key clients send in `X-API-Key` (`dealwire ingest`, `ingest feed`)")


SETTINGS_FOR: dict[str, type[BaseSettings]] = {
    "ingest": IngestSettings, "extract": ExtractSettings, "store": StoreSettings, "store-api": ReadApiSettings,
    "topics": BrokerSettings, "migrate": DatabaseSettings,
}


# The reference's sections: each class with the fields it adds to the ones listed before it.
_REFERENCE: tuple[tuple[str, type[BaseSettings]], ...] = (
    ("Every Kafka client: ingest, extract, store, the `topics` job", BrokerSettings),
    ("The batch consumers, extract and store, add", ConsumerSettings),
    ("extract adds", ExtractSettings),
    ("ingest adds", IngestSettings),
    ("store adds; the `migrate` job reads only this", StoreSettings),
    ("The read API and web page (`store-api`)", ReadApiSettings),
    ("The `dealwire` command line reads all of the above, and", Settings),
)


def reference() -> str:
    """The configuration reference in the README: the variables each service reads, default and meaning;
    a class's section leaves out what the sections of the classes it extends already list."""
    sections = []
    for index, (title, settings_class) in enumerate(_REFERENCE):
        inherited = {name for _, listed in _REFERENCE[:index] if issubclass(settings_class, listed)
                     for name in listed.model_fields}
        rows = [f"{title} (`{settings_class.__name__}`):", "", "| variable | default | meaning |", "|---|---|---|"]
        for name, field in settings_class.model_fields.items():
            if name not in inherited:
                default = "" if field.default_factory is not None else _shown(field.default)
                rows.append(f"| `DEALWIRE_{name.upper()}` | {default} | {field.description or ''} |")
        sections.append("\n".join(rows))
    return "\n\n".join(sections) + "\n"


def _shown(value: object) -> str:
    if value is None:
        return "(none)"
    return f"`{str(value).lower()}`" if isinstance(value, bool) else f"`{value}`"


if __name__ == "__main__":
    sys.stdout.write(reference())
