"""Service configuration, read only from environment variables prefixed `DEALWIRE_`."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared import topics


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DEALWIRE_", extra="ignore")

    kafka_bootstrap_servers: str = "localhost:9092"
    kafka_enable_idempotence: bool = Field(
        default=True, description="on for Apache Kafka; the embedded Tansu broker needs it off"
    )
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
    max_record_bytes: int = Field(default=16 * 1024 * 1024, ge=1024, description="larger records are poison")
    kafka_fetch_max_wait_ms: int = Field(
        default=50, ge=1, description="bounds the latency of a fetch over several partitions on Tansu (BENCHMARKS.md)"
    )
    kafka_linger_ms: int = Field(default=5, ge=0, description="producer waits this long to fill a batch")
    kafka_compression: Literal["gzip", "snappy", "lz4", "zstd"] | None = "lz4"
    kafka_session_timeout_ms: int = Field(default=10_000, ge=1000)
    kafka_heartbeat_interval_ms: int = Field(default=3_000, ge=100)

    database_url: str = "postgresql+asyncpg://dealwire:dealwire@localhost:5432/dealwire"

    http_host: str = "127.0.0.1"
    http_port: int = 8080
    api_key: SecretStr | None = Field(default=None, description="required by POST /v1/articles")

    log_level: str = "INFO"

    @model_validator(mode="after")
    def _extractions_beside_articles(self) -> Settings:
        if self.topic_extractions is None:
            self.topic_extractions = topics.extractions_for(self.topic_articles)
        return self

    def group_for(self, service: str) -> str:
        return self.consumer_group or f"dealwire-{service}"
