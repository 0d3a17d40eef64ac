"""Kafka authentication and encryption from settings: SASL/SCRAM (or PLAIN) over TLS, or TLS alone.

One source for every client: `broker_security` for faststream's `KafkaBroker(security=...)` (which
also puts the scheme in the AsyncAPI document), `client_kwargs` (the same, parsed by faststream)
for plain aiokafka clients (admin, producer, consumer). PLAINTEXT, the default, adds nothing.
"""

from __future__ import annotations

import ssl
from typing import Any

from faststream.kafka.security import parse_security
from faststream.security import BaseSecurity, SASLPlaintext, SASLScram256, SASLScram512

from dealwire.shared.settings import BrokerSettings

_SASL = {"SCRAM-SHA-256": SASLScram256, "SCRAM-SHA-512": SASLScram512, "PLAIN": SASLPlaintext}


def ssl_context(settings: BrokerSettings) -> ssl.SSLContext:
    """Verifies the brokers against the CA file (or the system's CAs); presents a client cert if given."""
    context = ssl.create_default_context(
        cafile=str(settings.kafka_ssl_cafile) if settings.kafka_ssl_cafile else None
    )
    if settings.kafka_ssl_certfile:
        context.load_cert_chain(
            str(settings.kafka_ssl_certfile),
            str(settings.kafka_ssl_keyfile) if settings.kafka_ssl_keyfile else None,
        )
    return context


def broker_security(settings: BrokerSettings) -> BaseSecurity | None:
    protocol = settings.kafka_security_protocol
    if protocol == "PLAINTEXT":
        return None
    context = ssl_context(settings) if protocol in ("SSL", "SASL_SSL") else None
    if protocol == "SSL":
        return BaseSecurity(ssl_context=context)
    password = settings.kafka_sasl_password.get_secret_value() if settings.kafka_sasl_password else ""
    return _SASL[settings.kafka_sasl_mechanism](
        username=settings.kafka_sasl_username or "", password=password, ssl_context=context,
        use_ssl=context is not None,
    )


def client_kwargs(settings: BrokerSettings) -> dict[str, Any]:
    """Keyword arguments for AIOKafkaAdminClient / AIOKafkaProducer / AIOKafkaConsumer."""
    kwargs = parse_security(broker_security(settings))
    return {name: value for name, value in kwargs.items() if value is not None}
