"""`dealwire ingest PATH...`: send files and directories through the ingest gateway."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from services.ingest.client import Item, Outcome, collect, send_all

console = Console(stderr=True)
PROGRESS_FROM = 20  # items; fewer finish before a bar would help


def send_with_progress(items: list[Item], base_url: str, api_key: str) -> list[Outcome]:
    progress = Progress(TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                        console=console, disable=len(items) < PROGRESS_FROM)
    with progress:
        task = progress.add_task("ingest", total=len(items))

        def report(outcome: Outcome) -> None:
            progress.advance(task)
            if outcome.error:
                progress.console.print(f"[red]error[/red] {outcome.label}: {outcome.error}", highlight=False)

        outcomes = asyncio.run(send_all(items, base_url, api_key, on_done=report))
    counts = {s: sum(o.status == s for o in outcomes) for s in ("published", "duplicate")}
    failed = sum(o.error is not None for o in outcomes)
    console.print(f"{counts['published']} published, {counts['duplicate']} duplicate, {failed} failed")
    return outcomes


def ingest_command(
    paths: Annotated[list[Path], typer.Argument(help=".txt/.html/.json/.ndjson files or directories")],
    url: Annotated[str, typer.Option(envvar="DEALWIRE_INGEST_URL", help="ingest service base URL")] = (
        "http://127.0.0.1:8080"
    ),
    api_key: Annotated[str, typer.Option(envvar="DEALWIRE_API_KEY", help="the ingest service's API key")] = "",
) -> None:
    """Send articles to the ingest service; a bad file is reported and the others go on."""
    if not api_key:
        console.print("error: an API key is required (--api-key or DEALWIRE_API_KEY)")
        raise typer.Exit(2)
    outcomes = send_with_progress(collect(paths), url.rstrip("/"), api_key)
    for outcome in outcomes:
        if outcome.article_id:
            typer.echo(f"{outcome.article_id}\t{outcome.status}\t{outcome.label}")
    if any(o.error for o in outcomes):
        raise typer.Exit(1)
