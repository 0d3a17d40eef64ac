"""Service configuration, read only from environment variables prefixed `DEALWIRE_`."""

from __future__ import annotations

from pathlib import Path
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
    topic_partitions: int = Field(default=3, ge=1)
    topic_replication_factor: int = Field(default=1, ge=1)
    consumer_group: str | None = Field(default=None, description="defaults to dealwire-<service>")
    max_delivery_attempts: int = Field(default=3, ge=1, description="then the message is dead-lettered")

    database_url: str = "postgresql+asyncpg://dealwire:dealwire@localhost:5432/dealwire"

    http_host: str = "127.0.0.1"
    http_port: int = 8080
    api_key: SecretStr | None = Field(default=None, description="required by POST /v1/articles")

    log_level: str = "INFO"

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
