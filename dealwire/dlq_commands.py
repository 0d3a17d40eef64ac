"""`dealwire dlq list|show|replay`: what is dead-lettered, by which service, why, from where; send it back."""

from __future__ import annotations

import json
from collections import Counter
from typing import Annotated

import typer
from aiokafka import TopicPartition
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from dealwire.broker_access import BootstrapOption, JsonOption, fail, load_settings, run_on_broker
from dealwire.shared.dead_letters import (
    DeadLetter,
    commit_marks,
    dlq_topics_for,
    is_replayed,
    plan_replay,
    read_dead_letters,
    replay_marks,
    send_back,
)
from dealwire.shared.kafka_security import client_kwargs
from dealwire.shared.offsets import OffsetReader
from dealwire.shared.settings import Settings

app = typer.Typer(no_args_is_help=True, help="Dead letters: list, show, replay after a fix.")
err = Console(stderr=True)

TopicOption = Annotated[
    list[str] | None,
    typer.Option("--topic", help="source topic or its .dlq (repeatable; default: articles and deals)"),
]
ServiceOption = Annotated[
    str | None, typer.Option("--service", help="only what this service dead-lettered (extract, store)")
]
PrefixOption = Annotated[
    str, typer.Option("--replay-group-prefix", help="prefix of the groups that remember what was replayed")
]


def _dlq_topics(settings: Settings, names: list[str] | None) -> list[str]:
    return dlq_topics_for(names or [settings.topic_articles, settings.topic_deals, settings.topic_extractions or ""])


def _progress(label: str) -> Progress:
    return Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), console=err, transient=True)


async def _collect(settings: Settings, dlq_topics: list[str], service: str | None, prefix: str, *,
                   keep_values: bool) -> tuple[list[DeadLetter], dict, dict[TopicPartition, int]]:
    """The dead letters (of one service, if named), each service's replay marks, and the DLQ ends."""
    kwargs = client_kwargs(settings)
    letters: list[DeadLetter] = []
    async with OffsetReader(settings.kafka_bootstrap_servers, **kwargs) as reader:
        missing = set(dlq_topics) - await reader.existing_topics()
        if missing == set(dlq_topics):
            fail(f"no dead-letter topic {', '.join(sorted(missing))} on {settings.kafka_bootstrap_servers} "
                 "(the services create them on start)")
        partitions = await reader.partitions(dlq_topics)
        ends = await reader.end_offsets(partitions)
        with _progress("reading dead letters") as progress:
            task = progress.add_task("read", total=None)
            async for letter in read_dead_letters(
                reader, dlq_topics, settings.kafka_bootstrap_servers,
                on_progress=lambda done, total: progress.update(task, completed=done, total=total), **kwargs,
            ):
                if service is None or letter.service == service:
                    letters.append(letter if keep_values else letter.without_value())
        marks = await replay_marks(reader, prefix, {letter.service for letter in letters}, partitions)
    return letters, marks, ends


@app.command("list")
def list_command(
    topic: TopicOption = None,
    service: ServiceOption = None,
    json_output: JsonOption = False,
    bootstrap_servers: BootstrapOption = None,
    prefix: PrefixOption = "dealwire",
) -> None:
    """Every dead letter: when, which service, from which topic/partition/offset, why; replayed or not."""
    settings = load_settings(bootstrap_servers)
    letters, marks, _ = run_on_broker(
        settings, _collect(settings, _dlq_topics(settings, topic), service, prefix, keep_values=False))
    if json_output:
        for letter in letters:
            typer.echo(json.dumps({**letter.summary(), "replayed": is_replayed(letter, marks)}))
        return
    table = Table(title=f"{len(letters)} dead letter{'' if len(letters) == 1 else 's'}")
    for column in ("DLQ", "offset", "dead-lettered at", "service", "source", "error", "reason", "bytes", "replayed"):
        table.add_column(column, justify="right" if column in ("offset", "bytes") else "left")
    for letter in letters:
        table.add_row(letter.dlq_topic, str(letter.dlq_offset), letter.dead_lettered_at[:19], letter.service,
                      letter.source, letter.error_type, letter.error_message[:80], f"{letter.size:,}",
                      "yes" if is_replayed(letter, marks) else "")
    Console().print(table)
    by_service = Counter(letter.service for letter in letters)
    waiting = sum(not is_replayed(letter, marks) for letter in letters)
    err.print(", ".join(f"{name}: {count}" for name, count in sorted(by_service.items())) or "no dead letters",
              f"· {waiting} not replayed yet" if letters else "")


@app.command("show")
def show_command(
    offset: Annotated[int, typer.Argument(help="offset of the dead letter in its DLQ topic")],
    topic: Annotated[str | None, typer.Option("--topic", help="source topic or its .dlq")] = None,
    partition: Annotated[int, typer.Option(help="DLQ partition")] = 0,
    value: Annotated[bool, typer.Option("--value", help="write the record's value, as is, to stdout")] = False,
    json_output: JsonOption = False,
    bootstrap_servers: BootstrapOption = None,
) -> None:
    """One dead letter in full: origin, error, stack trace and the start of its value."""
    settings = load_settings(bootstrap_servers)
    [dlq_topic] = _dlq_topics(settings, [topic or settings.topic_articles])
    found = run_on_broker(settings, _find(settings, dlq_topic, partition, offset))
    if found is None:
        fail(f"no dead letter at {dlq_topic}:{partition}:{offset}")
    if value:
        typer.get_binary_stream("stdout").write(found.value or b"")
        return
    if json_output:
        typer.echo(json.dumps({**found.summary(), "trace": found.trace, "preview": found.preview}))
        return
    out = Console()
    for name, shown in found.summary().items():
        out.print(f"[bold]{name}[/bold]: {shown}", highlight=False)
    out.print("[bold]trace[/bold]:", highlight=False)
    out.print(found.trace or "(none)", highlight=False, markup=False)
    out.print("[bold]value (start)[/bold]:", highlight=False)
    out.print(found.preview, highlight=False, markup=False)


async def _find(settings: Settings, dlq_topic: str, partition: int, offset: int) -> DeadLetter | None:
    tp = TopicPartition(dlq_topic, partition)
    async with OffsetReader(settings.kafka_bootstrap_servers, **client_kwargs(settings)) as reader:
        if tp not in await reader.partitions([dlq_topic]):
            fail(f"no partition {dlq_topic}:{partition} on {settings.kafka_bootstrap_servers}")
        end = (await reader.end_offsets([tp]))[tp]
        start = (await reader.consumer.beginning_offsets([tp]))[tp]
        if not start <= offset < end:
            return None
        reader.consumer.assign([tp])
        reader.consumer.seek(tp, offset)
        while await reader.consumer.position(tp) <= offset:
            batch = await reader.consumer.getmany(tp, timeout_ms=5000)
            for record in batch.get(tp, []):
                if record.offset == offset:
                    return DeadLetter.from_record(record)
        return None


@app.command("replay")
def replay_command(
    topic: TopicOption = None,
    service: ServiceOption = None,
    offsets: Annotated[list[int] | None, typer.Option("--offset", help="only these DLQ offsets (repeatable)")] = None,
    include_replayed: Annotated[bool, typer.Option("--all", help="also what was replayed before")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="say what would be sent, send nothing")] = False,
    json_output: JsonOption = False,
    bootstrap_servers: BootstrapOption = None,
    prefix: PrefixOption = "dealwire",
) -> None:
    """Send dead letters back to their source topic after the cause was fixed, each source record once.

    Every consumer of the source topic reads them again; the store is idempotent, so nothing that is
    already in the read models is duplicated. What fails again is dead-lettered again.
    """
    settings = load_settings(bootstrap_servers)
    dlq_topics = _dlq_topics(settings, topic)
    if offsets and len(dlq_topics) > 1:
        fail("--offset needs one --topic: offsets are per dead-letter topic", code=2)
    report = run_on_broker(settings, _replay(settings, dlq_topics, service, prefix,
                                             set(offsets) if offsets else None, include_replayed, dry_run))
    if json_output:
        typer.echo(json.dumps(report))
        return
    verb = "would send" if dry_run else "sent"
    targets = ", ".join(f"{n} to {t}" for t, n in sorted(report["sent_by_topic"].items())) or "nothing"
    err.print(f"{verb} {targets}; skipped {report['duplicates']} duplicate(s) of a record dead-lettered by "
              f"another service too, {report['already_replayed']} already replayed (--all sends them again)")


async def _replay(settings: Settings, dlq_topics: list[str], service: str | None, prefix: str,
                  offsets: set[int] | None, include_replayed: bool, dry_run: bool) -> dict:
    letters, marks, ends = await _collect(settings, dlq_topics, service, prefix, keep_values=True)
    plan = plan_replay(letters, marks, ends, include_replayed=include_replayed, offsets=offsets)
    if not dry_run and plan.to_send:
        with _progress("replaying") as progress:
            task = progress.add_task("replay", total=len(plan.to_send))
            await send_back(plan.to_send, settings.kafka_bootstrap_servers, settings.kafka_enable_idempotence,
                            on_sent=lambda _letter: progress.advance(task), **client_kwargs(settings))
    if not dry_run and plan.new_marks:
        # Only after every record was acknowledged: a crash before this line replays them again, harmlessly.
        await commit_marks(settings.kafka_bootstrap_servers, prefix, plan.new_marks, **client_kwargs(settings))
    return {
        "dry_run": dry_run,
        "sent": [letter.summary() for letter in plan.to_send],
        "sent_by_topic": dict(Counter(letter.source_topic for letter in plan.to_send)),
        "duplicates": plan.duplicates,
        "already_replayed": plan.already_replayed,
    }
