"""Kafka security settings become the client arguments aiokafka and faststream expect."""

from __future__ import annotations

import ssl

import pytest
from aiokafka import AIOKafkaConsumer
from pydantic import ValidationError

from dealwire.shared.kafka_security import broker_security, client_kwargs
from dealwire.shared.settings import Settings


def test_plaintext_adds_nothing() -> None:
    settings = Settings(_env_file=None)
    assert broker_security(settings) is None
    assert client_kwargs(settings) == {}


async def test_sasl_scram_over_tls() -> None:
    settings = Settings(kafka_security_protocol="SASL_SSL", kafka_sasl_mechanism="SCRAM-SHA-512",
                        kafka_sasl_username="store", kafka_sasl_password="s3cret")

    kwargs = client_kwargs(settings)

    assert kwargs["security_protocol"] == "SASL_SSL"
    assert kwargs["sasl_mechanism"] == "SCRAM-SHA-512"
    assert (kwargs["sasl_plain_username"], kwargs["sasl_plain_password"]) == ("store", "s3cret")
    assert isinstance(kwargs["ssl_context"], ssl.SSLContext)
    assert kwargs["ssl_context"].verify_mode == ssl.CERT_REQUIRED
    consumer = AIOKafkaConsumer(bootstrap_servers="broker:9093", **kwargs)  # aiokafka accepts them as they are
    await consumer.stop()


def test_sasl_without_tls_has_no_ssl_context() -> None:
    settings = Settings(kafka_security_protocol="SASL_PLAINTEXT", kafka_sasl_mechanism="SCRAM-SHA-256",
                        kafka_sasl_username="u", kafka_sasl_password="p")
    assert client_kwargs(settings) == {"security_protocol": "SASL_PLAINTEXT", "sasl_mechanism": "SCRAM-SHA-256",
                                       "sasl_plain_username": "u", "sasl_plain_password": "p"}


def test_tls_alone() -> None:
    kwargs = client_kwargs(Settings(kafka_security_protocol="SSL"))
    assert kwargs["security_protocol"] == "SSL" and isinstance(kwargs["ssl_context"], ssl.SSLContext)


def test_sasl_without_credentials_is_refused_and_the_password_never_shows() -> None:
    with pytest.raises(ValidationError, match="DEALWIRE_KAFKA_SASL_USERNAME"):
        Settings(kafka_security_protocol="SASL_SSL")
    settings = Settings(kafka_security_protocol="SASL_SSL", kafka_sasl_username="u", kafka_sasl_password="hidden")
    assert "hidden" not in repr(settings)
