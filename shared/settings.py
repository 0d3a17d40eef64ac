"""Service configuration, read only from environment variables prefixed `DEALWIRE_`."""

from __future__ import annotations

from pydantic import Field, SecretStr
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
    topic_partitions: int = Field(default=3, ge=1)
    topic_replication_factor: int = Field(default=1, ge=1)
    consumer_group: str | None = Field(default=None, description="defaults to dealwire-<service>")
    max_delivery_attempts: int = Field(default=3, ge=1, description="then the message is dead-lettered")

    database_url: str = "postgresql+asyncpg://dealwire:dealwire@localhost:5432/dealwire"

    http_host: str = "127.0.0.1"
    http_port: int = 8080
    api_key: SecretStr | None = Field(default=None, description="required by POST /v1/articles")

    log_level: str = "INFO"

    def group_for(self, service: str) -> str:
        return self.consumer_group or f"dealwire-{service}"
