"""What every command that talks to the broker shares: settings from options and env, clear errors."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from aiokafka.errors import KafkaError
from pydantic import ValidationError

from dealwire.shared.settings import Settings

T = TypeVar("T")

BootstrapOption = Annotated[
    str | None,
    typer.Option("--bootstrap-servers", envvar="DEALWIRE_KAFKA_BOOTSTRAP_SERVERS", help="broker addresses"),
]
JsonOption = Annotated[bool, typer.Option("--json", help="one JSON object per line instead of a table")]


def fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def load_settings(bootstrap_servers: str | None = None) -> Settings:
    try:
        settings = Settings()
    except ValidationError as error:
        fail(f"invalid DEALWIRE_* settings: {error.errors()[0]['msg']}", code=2)
    if bootstrap_servers:
        settings = settings.model_copy(update={"kafka_bootstrap_servers": bootstrap_servers})
    return settings


def run_on_broker(settings: Settings, work: Coroutine[Any, Any, T]) -> T:
    """Run `work`; a broker that cannot be reached or answers with an error is one line and exit 1."""
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)  # we say it once, below
    try:
        return asyncio.run(work)
    except (KafkaError, OSError, TimeoutError) as error:
        fail(f"broker {settings.kafka_bootstrap_servers}: {error or type(error).__name__}")
