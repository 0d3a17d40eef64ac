"""`dealwire dev`: the whole pipeline on this machine, embedded broker and database, seeds in, deals out."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import signal
import time
from pathlib import Path

from rich.console import Console

from dealwire.embedded import EMBEDDED_SESSION_TIMEOUT_MS, embedded_postgres, tansu_broker
from dealwire.ingest_commands import send_with_progress
from dealwire.services.ingest.client import Outcome, collect
from dealwire.services.store.db import make_sessions
from dealwire.services.store.queries import articles_with_events
from dealwire.shared import topics
from dealwire.shared.offsets import OffsetReader, PartitionLag
from dealwire.stack import SERVICES, ServiceProcesses, StackConfig
from dealwire.store_commands import fetch_deals, render_deals_table

console = Console(stderr=True)


class NotProcessedInTime(Exception):
    pass


def supervise(services: ServiceProcesses) -> None:
    """A service that died is started again, with a line saying so; the rest of the stack goes on."""
    for restart in services.restart_crashed():
        how = signal.Signals(-restart.exit_code).name if restart.exit_code < 0 else f"code {restart.exit_code}"
        console.print(f"[yellow]{restart.service} exited ({how}); restarted it[/yellow] "
                      f"(restart {restart.restarts}; log {services.log_path(restart.service)})", highlight=False)


async def wait_until_processed(services: ServiceProcesses, timeout_s: float) -> None:
    """Until extract has processed every article on the topic (events or none, or dead-lettered) and the
    store every article and event: both groups have committed the end of every partition they read.

    Extract commits an article only after all its events were acknowledged, so once its lag is 0 the
    events are on the deals topic, and the store's lag read afterwards covers them.
    """
    config = services.config
    articles, deals = config.topic_articles or topics.ARTICLES_RAW, config.topic_deals or topics.DEALS_EVENTS
    extractions = topics.extractions_for(articles)
    deadline = time.monotonic() + timeout_s
    extract: list[PartitionLag] = []
    store: list[PartitionLag] = []
    async with OffsetReader(config.bootstrap_servers) as reader:
        with console.status("waiting for extract and store") as status:
            while time.monotonic() < deadline:
                supervise(services)
                extract = await reader.lag(f"{config.name}-extract", [articles])
                store = await reader.lag(f"{config.name}-store", [articles, deals, extractions])
                if extract and store and not any(row.lag for row in extract + store):
                    return
                total = sum(row.end for row in extract)
                status.update(f"extracted {total - sum(row.lag for row in extract)}/{total} articles; "
                              f"store {sum(row.lag for row in store)} record(s) behind")
                await asyncio.sleep(0.5)
    behind = {row.group for row in extract + store if row.lag} or {"extract", "store (no topics yet)"}
    raise NotProcessedInTime(f"{', '.join(sorted(behind))} still behind after {timeout_s:.0f}s; "
                             f"`dealwire status` shows where; service logs in {config.log_dir}")


async def report_articles(database_url: str, outcomes: list[Outcome]) -> None:
    """How many articles gave deals; those that gave none are named (no deal is an answer too)."""
    published = {o.article_id: o.label for o in outcomes if o.article_id}
    sessions = make_sessions(database_url)
    try:
        with_events = await articles_with_events(sessions, set(published))
    finally:
        await sessions.kw["bind"].dispose()
    without = sorted((label, article_id) for article_id, label in published.items() if article_id not in with_events)
    console.print(f"{len(published)} article(s) processed: {len(with_events)} with deals, "
                  f"{len(without)} without a deal", highlight=False)
    for label, article_id in without:
        console.print(f"  no deal found in {label} ({article_id})", highlight=False)


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


def write_api_key(state_dir: Path, api_key: str) -> Path:
    """The dev stack's key, readable by this user only; never printed (terminals and CI logs are kept)."""
    path = state_dir / "api-key"
    path.touch(mode=0o600)
    path.write_text(api_key + "\n")
    return path


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
            with console.status("starting ingest, extract, store and the read API"):
                services.start_all()
                services.start("store-api")
            key_file = write_api_key(state_dir, config.api_key)
            console.print(f"broker {broker.bootstrap_servers} · postgres {database.dsn} · "
                          f"ingest {config.ingest_url} · logs {config.log_dir}", soft_wrap=True)
            console.print(f"web page and read API {config.api_url} (OpenAPI: {config.api_url}/docs)", soft_wrap=True)
            console.print("metrics " + " · ".join(config.metrics_url(service) for service in (*SERVICES, "store-api")),
                          soft_wrap=True)
            outcomes = send_with_progress(items, config.ingest_url, config.api_key)
            asyncio.run(wait_until_processed(services, timeout_s))
            asyncio.run(report_articles(database.url, outcomes))
            asyncio.run(print_deals(database.url))  # last: the table on stdout means the work is done
            if not once:
                console.print(f"serving; POST articles to {config.ingest_url}/v1/articles with the X-API-Key in "
                              f"{key_file} (DEALWIRE_API_KEY=$(cat {key_file}) dealwire ingest FILE --url "
                              f"{config.ingest_url}); deals at {config.api_url}; Ctrl-C stops", soft_wrap=True)
                while True:
                    supervise(services)
                    time.sleep(1.0)
            return 0 if all(o.error is None for o in outcomes) else 1
    except KeyboardInterrupt:
        console.print("stopped")
        return 0
    except (NotProcessedInTime, RuntimeError) as error:
        console.print(f"[red]error[/red]: {error}", highlight=False)
        return 1
