"""`dealwire ingest PATH...`: send files and directories through the ingest gateway."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import click
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from typer.core import TyperGroup

from dealwire.services.ingest.client import Item, Outcome, collect, send_all

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
                # soft_wrap: a long path stays on one line, whole for copying (and for grep)
                progress.console.print(f"[red]error[/red] {outcome.label}: {outcome.error}", highlight=False,
                                       soft_wrap=True)

        outcomes = asyncio.run(send_all(items, base_url, api_key, on_done=report))
    counts = {s: sum(o.status == s for o in outcomes) for s in ("published", "duplicate")}
    failed = sum(o.error is not None for o in outcomes)
    console.print(f"{counts['published']} published, {counts['duplicate']} duplicate, {failed} failed")
    return outcomes


IngestUrl = Annotated[str, typer.Option(envvar="DEALWIRE_INGEST_URL", help="ingest service base URL")]
ApiKey = Annotated[str, typer.Option(envvar="DEALWIRE_API_KEY", help="the ingest service's API key")]
DEFAULT_URL = "http://127.0.0.1:8080"


class FilesByDefault(TyperGroup):
    """`dealwire ingest PATH...` means `dealwire ingest files PATH...`; `feed` is the other subcommand."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = ["files", *args]
        return super().parse_args(ctx, args)


ingest_app = typer.Typer(cls=FilesByDefault, no_args_is_help=False, add_completion=False,
                         help="Send articles to the ingest service: files and directories, or an RSS/Atom feed.")


def _require(api_key: str) -> None:
    if not api_key:
        console.print("error: an API key is required (--api-key or DEALWIRE_API_KEY)")
        raise typer.Exit(2)


@ingest_app.command("files")
def ingest_command(
    paths: Annotated[list[Path], typer.Argument(help=".txt/.html/.json/.ndjson files or directories")],
    url: IngestUrl = DEFAULT_URL,
    api_key: ApiKey = "",
) -> None:
    """Send articles to the ingest service; a bad file is reported and the others go on."""
    _require(api_key)
    outcomes = send_with_progress(collect(paths), url.rstrip("/"), api_key)
    for outcome in outcomes:
        if outcome.article_id:
            typer.echo(f"{outcome.article_id}\t{outcome.status}\t{outcome.label}")
    if any(o.error for o in outcomes):
        raise typer.Exit(1)


@ingest_app.command("feed")
def feed_command(
    feed_url: Annotated[str, typer.Argument(help="an RSS or Atom feed")],
    interval: Annotated[float | None, typer.Option(min=1, help="poll every S seconds (default: once, then exit)")
                        ] = None,
    state: Annotated[Path, typer.Option(help="what was already sent, kept across restarts")] = Path(
        ".dealwire/feeds.sqlite"),
    url: IngestUrl = DEFAULT_URL,
    api_key: ApiKey = "",
) -> None:
    """Poll a feed; fetch each new item's page, keep its main text, send it once."""
    from dealwire.services.ingest.feed import FeedPoller, FetchError, PollReport, SeenItems, run

    _require(api_key)

    def item_done(link: str, status: str) -> None:
        console.print(f"{status}\t{link}", highlight=False)

    def report(done: PollReport) -> None:
        console.print(f"{feed_url}: {done.new} new, {done.published} published, {done.duplicate} duplicate, "
                      f"{len(done.failed)} failed", highlight=False)

    seen = SeenItems(state)
    try:
        asyncio.run(run(FeedPoller(feed_url, url, api_key, seen, on_item=item_done), interval, report))
    except FetchError as error:
        console.print(f"error: {error}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from error
    except KeyboardInterrupt:
        console.print("stopped")
    finally:
        seen.close()
