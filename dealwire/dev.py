"""`dealwire dev`: the whole pipeline on this machine, embedded broker and database, seeds in, deals out."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import signal
import time
from pathlib import Path

from rich.console import Console
from sqlalchemy.exc import ProgrammingError

from dealwire.embedded import EMBEDDED_SESSION_TIMEOUT_MS, embedded_postgres, tansu_broker
from dealwire.ingest_commands import send_with_progress
from dealwire.stack import ServiceProcesses, StackConfig
from dealwire.store_commands import fetch_deals, render_deals_table
from services.ingest.client import collect
from services.store.db import make_sessions
from services.store.queries import articles_with_events

console = Console(stderr=True)


async def wait_for_read_models(database_url: str, article_ids: set[str], services: ServiceProcesses,
                               timeout_s: float) -> None:
    """Until every ingested article has its deal events in the read models (or time runs out)."""
    sessions = make_sessions(database_url)
    deadline = time.monotonic() + timeout_s
    done: set[str] = set()
    try:
        with console.status("waiting for deals in the read models") as status:
            while time.monotonic() < deadline:
                services.check_alive()
                try:
                    done = await articles_with_events(sessions, article_ids)
                except ProgrammingError:  # the store has not created its tables yet
                    done = set()
                status.update(f"waiting for deals in the read models: {len(done)}/{len(article_ids)} articles")
                if done >= article_ids:
                    return
                await asyncio.sleep(0.5)
    finally:
        await sessions.kw["bind"].dispose()
    missing = sorted(article_ids - done)
    raise TimeoutError(f"{len(missing)} article(s) had no deal events after {timeout_s:.0f}s: {missing}; "
                       f"see the service logs in {services.config.log_dir}")


async def print_deals(database_url: str) -> None:
    """The articles' main deals as a table; deals they only mention in passing are counted."""
    deals = await fetch_deals(database_url)
    primary = [deal for deal in deals if deal.primary]
    out = Console()
    if not out.is_terminal:
        out = Console(width=200)  # a log or a pipe: do not squeeze the table into 80 columns
    out.print(render_deals_table(primary))
    out.print(f"{len(deals) - len(primary)} further deal(s) mentioned in passing (history, competitors); "
              "`dealwire deals` lists all of them")


def _stop_on_termination() -> None:
    """SIGTERM / SIGHUP (a supervisor, a closed terminal) and SIGINT all mean: stop everything cleanly."""

    def interrupt(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt(signal.Signals(signum).name)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, interrupt)


def run_dev(paths: list[Path], once: bool, state_dir: Path, timeout_s: float) -> int:
    _stop_on_termination()
    shutil.rmtree(state_dir, ignore_errors=True)  # the embedded broker keeps no data across runs
    state_dir.mkdir(parents=True)
    items = collect(paths)
    try:
        with contextlib.ExitStack() as running:
            with console.status("starting the Tansu broker and PostgreSQL"):
                broker = running.enter_context(tansu_broker(state_dir / "tansu.log"))
                database = running.enter_context(embedded_postgres(state_dir))
            config = StackConfig(broker.bootstrap_servers, database.url, log_dir=state_dir / "logs",
                                 kafka_session_timeout_ms=EMBEDDED_SESSION_TIMEOUT_MS)
            services = running.enter_context(ServiceProcesses(config))
            with console.status("starting ingest, extract and store"):
                services.start_all()
            console.print(f"broker {broker.bootstrap_servers} · postgres {database.dsn} · "
                          f"ingest {config.ingest_url} · logs {config.log_dir}")
            outcomes = send_with_progress(items, config.ingest_url, config.api_key)
            published = {o.article_id for o in outcomes if o.article_id}
            asyncio.run(wait_for_read_models(database.url, published, services, timeout_s))
            asyncio.run(print_deals(database.url))
            if not once:
                console.print(f"serving; POST articles to {config.ingest_url}/v1/articles "
                              f"with X-API-Key {config.api_key}; Ctrl-C stops")
                while True:
                    services.check_alive()
                    time.sleep(1.0)
            return 0 if all(o.error is None for o in outcomes) else 1
    except KeyboardInterrupt:
        console.print("stopped")
        return 0
