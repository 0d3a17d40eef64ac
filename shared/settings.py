"""Service configuration, read only from environment variables prefixed `DEALWIRE_`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from shared import topics

MiB = 1024 * 1024


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DEALWIRE_", extra="ignore")

    kafka_bootstrap_servers: str = "localhost:9092"
    kafka_enable_idempotence: bool = Field(
        default=True, description="on for Apache Kafka; the embedded Tansu broker needs it off"
    )
    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = Field(
        default="PLAINTEXT", description="SASL_SSL for SASL/SCRAM over TLS (see shared/kafka_security.py)"
    )
    kafka_sasl_mechanism: Literal["SCRAM-SHA-256", "SCRAM-SHA-512", "PLAIN"] = "SCRAM-SHA-512"
    kafka_sasl_username: str | None = None
    kafka_sasl_password: SecretStr | None = None
    kafka_ssl_cafile: Path | None = Field(default=None, description="CA bundle that signed the brokers' certificates")
    kafka_ssl_certfile: Path | None = Field(default=None, description="client certificate, for mutual TLS only")
    kafka_ssl_keyfile: Path | None = Field(default=None, description="its private key")
    topic_articles: str = topics.ARTICLES_RAW
    topic_deals: str = topics.DEALS_EVENTS
    topic_extractions: str | None = Field(
        default=None, description="defaults to the articles topic's sibling, articles.extracted.v1"
    )
    topic_partitions: int = Field(default=12, ge=1, description="12 splits evenly over 1, 2, 3, 4 or 6 workers")
    topic_replication_factor: int = Field(default=1, ge=1)
    consumer_group: str | None = Field(default=None, description="defaults to dealwire-<service>")

    batch_max_records: int = Field(default=1000, ge=1, description="at most this many records per batch")
    batch_linger_ms: int = Field(
        default=50, ge=0, description="a batch waits at most this long after its first record for more"
    )
    kafka_fetch_max_wait_ms: int = Field(
        default=50, ge=1, description="bounds the latency of a fetch over several partitions on Tansu (BENCHMARKS.md)"
    )
    kafka_linger_ms: int = Field(default=5, ge=0, description="producer waits this long to fill a batch")
    kafka_compression: Literal["gzip", "snappy", "lz4", "zstd"] | None = "lz4"
    kafka_session_timeout_ms: int = Field(default=10_000, ge=1000)
    kafka_heartbeat_interval_ms: int = Field(default=3_000, ge=100)

    database_url: str = "postgresql+asyncpg://dealwire:dealwire@localhost:5432/dealwire"
    read_database_url: str | None = Field(
        default=None, description="the read API's connection; defaults to database_url (it always runs as the "
                                  "read-only role dealwire_reader)"
    )

    http_host: str = "127.0.0.1"
    http_port: int = 8080
    api_key: SecretStr | None = Field(default=None, description="the key clients (dealwire ingest) send")
    api_key_hashes: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="keys the ingest gateway accepts, as comma-separated sha256:<hex> (dealwire api-key new)",
    )
    max_article_bytes: int = Field(default=2 * MiB, ge=1024, description="body cap of POST /v1/articles")
    max_batch_bytes: int = Field(default=16 * MiB, ge=1024, description="body cap of POST /v1/articles:batch")
    max_batch_lines: int = Field(default=1000, ge=1, description="articles per POST /v1/articles:batch")
    publish_timeout_s: float = Field(default=10.0, gt=0, description="then ingest answers 503")
    retry_after_s: int = Field(default=5, ge=1, description="Retry-After of a 503")

    log_level: str = "INFO"

    @field_validator("api_key_hashes", mode="before")
    @classmethod
    def _split_hashes(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @model_validator(mode="after")
    def _extractions_beside_articles(self) -> Settings:
        if self.topic_extractions is None:
            self.topic_extractions = topics.extractions_for(self.topic_articles)
        return self

    @model_validator(mode="after")
    def sasl_needs_credentials(self) -> Settings:
        if self.kafka_security_protocol.startswith("SASL_") and not (
            self.kafka_sasl_username and self.kafka_sasl_password
        ):
            raise ValueError(f"DEALWIRE_KAFKA_SECURITY_PROTOCOL={self.kafka_security_protocol} needs "
                             "DEALWIRE_KAFKA_SASL_USERNAME and DEALWIRE_KAFKA_SASL_PASSWORD")
        return self

    def group_for(self, service: str) -> str:
        return self.consumer_group or f"dealwire-{service}"

    # observability
    metrics_port: int | None = Field(
        default=None, ge=0, le=65535,
        description="port of /metrics for extract and store (on http_host); unset: extract 9101, store 9102; "
                    "0: off. Ingest and the read API serve /metrics on http_port",
    )
