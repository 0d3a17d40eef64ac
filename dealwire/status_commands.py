"""`dealwire status`: each service's health; per consumer group and partition, committed / end / lag."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from dealwire.broker_access import BootstrapOption, JsonOption, load_settings, run_on_broker
from dealwire.shared import topics
from dealwire.shared.health import Check, check_database, check_group, check_http
from dealwire.shared.kafka_security import client_kwargs
from dealwire.shared.offsets import OffsetReader, PartitionLag
from dealwire.shared.settings import Settings


def consumed_topics(settings: Settings) -> dict[str, list[str]]:
    """The topics each consuming service reads."""
    return {"extract": [settings.topic_articles],
            "store": [settings.topic_articles, settings.topic_deals, settings.topic_extractions or ""]}


async def gather_status(settings: Settings, group_prefix: str, ingest_url: str | None,
                        database_url: str | None) -> tuple[list[tuple[str, Check]], list[PartitionLag], dict]:
    services: list[tuple[str, Check]] = []
    if ingest_url:
        services.append(("ingest", await check_http("ingest", f"{ingest_url.rstrip('/')}/healthz")))
    for service in consumed_topics(settings):
        services.append((service, await check_group(settings, f"{group_prefix}-{service}")))
    if database_url:
        services.append(("store", await check_database(database_url)))
    rows: list[PartitionLag] = []
    async with OffsetReader(settings.kafka_bootstrap_servers, **client_kwargs(settings)) as reader:
        for service, names in consumed_topics(settings).items():
            rows += await reader.lag(f"{group_prefix}-{service}", names)
        dlq_partitions = await reader.partitions(topics.dead_letter(t) for t in consumed_topics(settings)["store"])
        dlq_ends = await reader.end_offsets(dlq_partitions)
    dead_letters = {topic: sum(end for tp, end in dlq_ends.items() if tp.topic == topic)
                    for topic in sorted({tp.topic for tp in dlq_partitions})}
    return services, rows, dead_letters


def status_command(
    group_prefix: Annotated[str, typer.Option(help="consumer groups are <prefix>-extract and <prefix>-store")] = (
        "dealwire"
    ),
    ingest_url: Annotated[str | None, typer.Option(envvar="DEALWIRE_INGEST_URL", help="ingest base URL")] = None,
    database_url: Annotated[str | None, typer.Option(envvar="DEALWIRE_DATABASE_URL",
                                                     help="also check the store's database")] = None,
    json_output: JsonOption = False,
    bootstrap_servers: BootstrapOption = None,
) -> None:
    """Health of each service, consumer lag per group and partition, dead letters per topic.

    Exit 0 when every checked service is healthy, 1 otherwise (or when the broker cannot be reached).
    """
    settings = load_settings(bootstrap_servers)
    services, rows, dead_letters = run_on_broker(settings, gather_status(settings, group_prefix, ingest_url,
                                                                         database_url))
    healthy = all(check.ok for _, check in services)
    if json_output:
        typer.echo(json.dumps({
            "healthy": healthy,
            "services": [{"service": service, **asdict(check)} for service, check in services],
            "partitions": [{**asdict(row), "lag": row.lag} for row in rows],
            "dead_letters": dead_letters,
        }))
    else:
        out = Console()
        health = Table(title="services")
        for column in ("service", "check", "health", "detail"):
            health.add_column(column)
        for service, check in services:
            health.add_row(service, check.name, "[green]up[/green]" if check.ok else "[red]down[/red]", check.detail)
        out.print(health)
        lag = Table(title="consumer lag")
        for column in ("group", "topic", "partition", "committed", "end", "lag"):
            lag.add_column(column, justify="left" if column in ("group", "topic") else "right")
        for row in rows:
            lag.add_row(row.group, row.topic, str(row.partition), "-" if row.committed is None else str(row.committed),
                        str(row.end), str(row.lag))
        out.print(lag)
        for topic, count in dead_letters.items():
            out.print(f"{topic}: {count} dead letter(s) · `dealwire dlq list` shows them")
    raise typer.Exit(0 if healthy else 1)
