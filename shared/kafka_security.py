"""Kafka authentication and encryption from settings: SASL/SCRAM (or PLAIN) over TLS, or TLS alone.

One source for every client: `broker_security` for faststream's `KafkaBroker(security=...)` (which
also puts the scheme in the AsyncAPI document), `client_kwargs` (the same, parsed by faststream)
for plain aiokafka clients (admin, producer, consumer). PLAINTEXT, the default, adds nothing.
"""

from __future__ import annotations

import ssl
from typing import TYPE_CHECKING, Any

from dealwire.shared.settings import BrokerSettings

if TYPE_CHECKING:
    from faststream.security import BaseSecurity


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
    # faststream only here: a consumer's start-up (BatchConsumer.join) needs no faststream import without security
    from faststream.security import BaseSecurity, SASLPlaintext, SASLScram256, SASLScram512

    sasl = {"SCRAM-SHA-256": SASLScram256, "SCRAM-SHA-512": SASLScram512, "PLAIN": SASLPlaintext}
    context = ssl_context(settings) if protocol in ("SSL", "SASL_SSL") else None
    if protocol == "SSL":
        return BaseSecurity(ssl_context=context)
    password = settings.kafka_sasl_password.get_secret_value() if settings.kafka_sasl_password else ""
    return sasl[settings.kafka_sasl_mechanism](
        username=settings.kafka_sasl_username or "", password=password, ssl_context=context,
        use_ssl=context is not None,
    )


def client_kwargs(settings: BrokerSettings) -> dict[str, Any]:
    """Keyword arguments for AIOKafkaAdminClient / AIOKafkaProducer / AIOKafkaConsumer."""
    security = broker_security(settings)
    if security is None:
        return {}  # what faststream's parse_security(None) gives
    from faststream.kafka.security import parse_security

    kwargs = parse_security(security)
    return {name: value for name, value in kwargs.items() if value is not None}
