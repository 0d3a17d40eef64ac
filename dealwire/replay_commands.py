"""`dealwire replay store` and `dealwire replay extract`: rebuild the read models, re-extract history.

Both read their configuration from the same `DEALWIRE_*` variables as the services (broker, database,
topic names, consumer group of the store), show progress on stderr, and print a report (`--json`:
one JSON object on stdout). Exit code 0 when done, 1 when it could not be done (the reason on stderr).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from dealwire.shared.settings import Settings

replay_app = typer.Typer(no_args_is_help=True, help="Rebuild the read models or re-extract history.")
JsonOption = Annotated[bool, typer.Option("--json", help="the report as one JSON object on stdout")]


@replay_app.command("store")
def replay_store_command(
    json_output: JsonOption = False,
    keep_replaced: Annotated[bool, typer.Option(
        "--keep-replaced", help="keep the replaced tables in schema replaced_<time> instead of dropping them")] = False,
) -> None:
    """Rebuild every read model from offset 0 of the topics into a fresh schema, then swap it in.

    The live tables keep serving until the swap, one transaction: readers never see an empty or
    half-built table, and the running store service carries on from the rebuilt positions.
    """
    from dealwire.services.store.rebuild import rebuild

    settings = Settings()
    with _progress("rebuilding the read models", json_output) as advance:
        report = _run(lambda: rebuild(settings, progress=advance, keep_replaced=keep_replaced), "replay store")
    _report(dataclasses.asdict(report), json_output,
            f"read models rebuilt from {report.records:,} records and swapped in ({report.schema}); "
            f"{report.not_applied} could not be applied; {report.seconds:.1f} s")


@replay_app.command("extract")
def replay_extract_command(json_output: JsonOption = False) -> None:
    """Re-extract every raw article with this installation's engine and publish its events.

    The store keeps the newest extractor version's events of each article and retracts those of
    older versions, including what the new version no longer finds.
    """
    from dealwire.services.extract.replay import reextract

    settings = Settings()
    with _progress("re-extracting the articles", json_output) as advance:
        report = _run(lambda: reextract(settings, progress=advance), "replay extract")
    _report(dataclasses.asdict(report), json_output,
            f"{report.articles:,} articles re-extracted with engine {report.extractor_version}; "
            f"{report.not_extracted} could not be; {report.seconds:.1f} s")


@contextmanager
def _progress(title: str, quiet: bool) -> Iterator[Callable[[int, int], None]]:
    console = Console(stderr=True)
    columns = (TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("records"), TimeElapsedColumn())
    with Progress(*columns, console=console, disable=quiet or not console.is_terminal) as progress:
        task = progress.add_task(title, total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=min(done, total) if total else done, total=total or None)

        yield advance


def _run(action: Callable[[], Awaitable[Any]], command: str) -> Any:
    try:
        return asyncio.run(action())
    except KeyboardInterrupt:
        _fail(command, "interrupted; the live read models are untouched unless the swap was reported")
    except Exception as error:
        _fail(command, f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error).strip() else ''}")


def _report(report: dict[str, Any], json_output: bool, summary: str) -> None:
    if json_output:
        typer.echo(json.dumps(report))
    else:
        Console().print(summary)


def _fail(command: str, message: str) -> NoReturn:
    typer.echo(f"dealwire {command}: {message}", err=True)
    raise typer.Exit(code=1)
