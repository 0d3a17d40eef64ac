"""`dealwire` command line: one entry point, each command a thin call into the part that owns it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dealwire import dlq_commands
from dealwire.extract_commands import eval_command, extract_command
from dealwire.ingest_commands import ingest_app
from dealwire.migrate_command import migrate_command
from dealwire.replay_commands import replay_app
from dealwire.status_commands import status_command
from dealwire.store_commands import checksum_command, deals_command

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

app = typer.Typer(no_args_is_help=True, add_completion=False, help="dealwire: biopharma news in, deals out.")
app.add_typer(ingest_app, name="ingest")
app.command("deals")(deals_command)
app.command("checksum")(checksum_command)
app.add_typer(replay_app, name="replay")
app.command("extract")(extract_command)
app.command("eval")(eval_command)
app.add_typer(dlq_commands.app, name="dlq")
app.command("status")(status_command)
app.command("migrate")(migrate_command)


@app.command("api-key")
def api_key_command(
    from_stdin: Annotated[bool, typer.Option("--stdin", help="hash the key read from standard input")] = False,
) -> None:
    """A new random API key (give it to the feed) and its hash (add it to the gateway's DEALWIRE_API_KEY_HASHES)."""
    import sys

    from dealwire.services.ingest.auth import hash_key, new_key

    key = sys.stdin.readline().strip() if from_stdin else new_key()
    if not key:
        raise typer.BadParameter("no key on standard input")
    if not from_stdin:
        typer.echo(f"key\t{key}")
    typer.echo(f"hash\t{hash_key(key)}")


@app.command("dev")
def dev_command(
    paths: Annotated[list[Path] | None, typer.Argument(help="articles to ingest (default: seeds/)")] = None,
    once: Annotated[bool, typer.Option("--once", help="print the deals and exit")] = False,
    state_dir: Annotated[Path, typer.Option(help="logs and database files of this run")] = Path(".dealwire/dev"),
    timeout: Annotated[float, typer.Option(help="seconds to wait for the read models")] = 300.0,
) -> None:
    """Start broker, PostgreSQL and the three services on this machine; ingest; print the deals."""
    from dealwire.dev import run_dev  # heavy imports only for this command

    raise typer.Exit(run_dev(paths or [SEEDS], once, state_dir, timeout))
