"""`make bench`: issue 7's throughput, latency and memory figures, each ratio measured in the same run.

    python -m bench.run [--scale 0.1] [--out bench/results.json]      (or BENCH_SCALE=0.1 make bench)

(1) the engine alone, in this process, on one core, over generated articles (measured right before
    and right after each replay, which is compared with the mean of the two);
(2) replay: N raw articles preloaded on the topic, then extract and store started as processes, until
    the read models hold every article and every event; articles/s from the services' start, and its
    ratio to (1);
(3) the store alone from a topic preloaded with (2)'s events, then a bare asyncpg `executemany` upsert
    of the same rows into `deal_events` of a fresh database (the ceiling, best of two); three rounds,
    the round with the median ratio reported; store events/s counted after its first batch (start-up
    and joining the group excluded);
(4) latency from HTTP accept to the article's first event row visible, at 20 and 50 articles/s offered;
(5) each service's peak RSS (VmHWM) under (2), ingest's under (4).

Writes `--out` with exactly the keys issue 7 names, `<out stem>.details.json` with everything else
(both replay sizes, every round, machine load), and prints a table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.articles import generate_articles  # noqa: E402
from bench.harness import (  # noqa: E402
    Infra,
    Watch,
    asyncpg_dsn,
    cpu_seconds,
    end_offsets,
    load_average,
    new_run,
    peak_rss_mb,
    preload,
    reached,
    rss_mb,
    wait_for,
)
from dealwire.services.extract import engine  # noqa: E402
from dealwire.shared.schemas import DealEvent, RawArticle  # noqa: E402
from dealwire.stack import ServiceProcesses  # noqa: E402

SEED = 20_261_122
RESULT_KEYS = ("engine_articles_per_s", "replay_articles", "replay_articles_per_s", "replay_ratio",
               "store_events_per_s", "store_ceiling_rows_per_s", "store_ratio", "latency_ms", "peak_rss_mb")


@dataclass(frozen=True)
class Sizes:
    engine_articles: int = 2_000
    replay_articles: tuple[int, ...] = (2_000, 20_000)
    latency_rates: tuple[int, ...] = (20, 50)
    latency_seconds: float = 60.0

    @classmethod
    def scaled(cls, scale: float) -> Sizes:
        base = cls()
        return cls(
            engine_articles=max(20, round(base.engine_articles * scale)),
            replay_articles=tuple(max(10, round(n * scale)) for n in base.replay_articles),
            latency_rates=base.latency_rates,
            latency_seconds=max(2.0, base.latency_seconds * scale),
        )


@dataclass
class Report:
    results: dict[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)


def measure_engine(articles: list[RawArticle], passes: int = 3) -> float:
    """Articles per second of the engine alone, best of `passes` after a warm-up."""
    for article in articles[:50]:
        engine.extract(article.text, title=article.title, published=article.published)
    best = float("inf")
    for _ in range(passes):
        start = time.perf_counter()
        for article in articles:
            engine.extract(article.text, title=article.title, published=article.published)
        best = min(best, time.perf_counter() - start)
    return len(articles) / best


def raw_articles(count: int, start: int = 0) -> list[RawArticle]:
    received = datetime(2026, 1, 1, tzinfo=UTC)
    return [article.as_raw(received + timedelta(milliseconds=i))
            for i, article in enumerate(generate_articles(count, SEED, start=start))]


async def replay(infra: Infra, work_dir: Path, articles: list[RawArticle]) -> dict[str, Any]:
    """(2): the services started on a topic that already holds `articles`; until the read models are complete."""
    run = await new_run(infra, f"replay{len(articles)}", work_dir)
    article_ends = await preload(infra.bootstrap_servers, run.topic_articles, articles)
    config = run.stack()
    store_group, extract_group = f"{config.name}-store", f"{config.name}-extract"
    with ServiceProcesses(config) as services:
        async with Watch(run, extract_group) as watch:
            started = time.monotonic()
            services.start("store")
            services.start("extract")
            first_row = await wait_for(lambda: _at_least(watch.count("articles"), 1), 300, "first article row",
                                       services, interval_s=0.05)
            await wait_for(lambda: _at_least(watch.count("articles"), len(articles)), 3600, "every article row",
                           services)
            await wait_for(lambda: _reached(watch.committed(run.topic_articles, list(article_ends)), article_ends),
                           3600, "extract through every article", services)
            deal_ends = await end_offsets(infra.bootstrap_servers, run.topic_deals)
            done = await wait_for(lambda: _reached(watch.applied(store_group, run.topic_deals), deal_ends), 3600,
                                  "store through every event", services, interval_s=0.05)
        peaks = {service: round(peak_rss_mb(services.pid(service)), 1) for service in ("extract", "store")}
        cpu = {service: round(cpu_seconds(services.pid(service)), 2) for service in ("extract", "store")}
    events = sum(deal_ends.values())
    return {
        "articles": len(articles), "events": events, "seconds": round(done - started, 2),
        "articles_per_s": round(len(articles) / (done - started), 1),
        "startup_s": round(first_row - started, 2), "peak_rss_mb": peaks, "cpu_seconds": cpu,
        "deals_topic": run.topic_deals,
        "load_average": load_average(),
    }


async def store_alone(infra: Infra, work_dir: Path, deals_topic: str) -> dict[str, Any]:
    """(3): a fresh store on a topic preloaded with (2)'s events, then the bare executemany ceiling."""
    run = await new_run(infra, "store", work_dir)
    deal_ends = await end_offsets(infra.bootstrap_servers, deals_topic)
    events = sum(deal_ends.values())
    config = run.stack(topic_deals=deals_topic)
    group = f"{config.name}-store"
    with ServiceProcesses(config) as services:
        async with Watch(run) as watch:
            started = time.monotonic()
            services.start("store")
            first = await wait_for(lambda: _any(watch.applied(group, deals_topic)), 300, "first batch applied",
                                   services, interval_s=0.02)
            # Steady state: what was applied after the first batch, over the time after it.
            first_applied = sum((await watch.applied(group, deals_topic)).values())
            done = await wait_for(lambda: _reached(watch.applied(group, deals_topic), deal_ends), 3600,
                                  "store through every event", services, interval_s=0.05)
    rows = await _event_rows(infra.bootstrap_servers, deals_topic, events)
    ceiling = max([await _executemany_ceiling(infra, work_dir, rows) for _ in range(2)])
    return {
        "events": events, "events_per_s": round(events / (done - started), 1),
        "steady_events_per_s": round((events - first_applied) / (done - first), 1) if events > first_applied
        else round(events / (done - started), 1),  # a run so small that the first batch held everything
        "startup_s": round(first - started, 2),
        "ceiling_rows_per_s": round(ceiling, 1), "load_average": load_average(),
    }


async def latency(infra: Infra, work_dir: Path, rate: int, seconds: float, start_index: int) -> dict[str, Any]:
    """(4): articles POSTed at `rate`/s (open loop) for `seconds`; accept -> first event row visible."""
    run = await new_run(infra, f"latency{rate}", work_dir)
    articles = generate_articles(1 + round(rate * seconds), SEED, start=start_index)
    config = run.stack()
    with ServiceProcesses(config) as services:
        services.start_all()
        connection = await asyncpg.connect(asyncpg_dsn(run.database_url))
        async with httpx.AsyncClient(base_url=config.ingest_url, headers={"X-API-Key": config.api_key},
                                     timeout=30) as client:
            warm_up = (await client.post("/v1/articles", json=articles[0].as_post())).json()["article_id"]
            await wait_for(lambda: _visible(connection, [warm_up]), 120, "warm-up article visible", services)
            accepted: dict[str, float] = {}
            visible: dict[str, float] = {}
            without_deal: set[str] = set()

            async def post(body: dict[str, str]) -> None:
                response = await client.post("/v1/articles", json=body)
                accepted[response.json()["article_id"]] = time.monotonic()

            async def watch() -> None:
                while True:
                    pending = [a for a in accepted if a not in visible]
                    if pending:
                        seen = await connection.fetch(
                            "SELECT DISTINCT article_id FROM deal_events WHERE article_id = ANY($1)", pending)
                        now = time.monotonic()
                        for row in seen:
                            visible[row["article_id"]] = now
                        # an article without a deal is done when its extraction record with no events is stored
                        for row in await connection.fetch(
                                "SELECT article_id FROM article_extractions WHERE article_id = ANY($1) "
                                "AND cardinality(event_ids) = 0", pending):
                            without_deal.add(row["article_id"])
                    await asyncio.sleep(0.005)

            watcher = asyncio.create_task(watch())
            posts = []
            begin = time.monotonic()
            for index, article in enumerate(articles[1:]):
                await asyncio.sleep(max(0.0, begin + index / rate - time.monotonic()))
                posts.append(asyncio.create_task(post(article.as_post())))
            await asyncio.gather(*posts)
            deadline = time.monotonic() + 30
            while len(visible) + len(without_deal) < len(accepted) and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            watcher.cancel()
        await connection.close()
        ingest_peak = round(peak_rss_mb(services.pid("ingest")), 1)
    latencies = sorted((visible[a] - accepted[a]) * 1000 for a in visible)
    return {
        "offered_per_s": rate, "seconds": seconds, "articles": len(accepted), "visible": len(visible),
        "without_deal": len(without_deal),
        **percentiles(latencies), "ingest_peak_rss_mb": ingest_peak, "load_average": load_average(),
    }


def percentiles(values: list[float]) -> dict[str, float]:
    if len(values) < 2:
        return {"p50": values[0] if values else float("nan"), "p95": float("nan"), "p99": float("nan")}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": round(cuts[49], 1), "p95": round(cuts[94], 1), "p99": round(cuts[98], 1)}


async def run_all(infra: Infra, sizes: Sizes, work_dir: Path, tansu_pid: int | None = None,
                  store_rounds: int = 3) -> Report:
    """Every figure; each ratio from measurements taken back to back (the machine is shared: its speed
    drifts by tens of percent within minutes, so ceilings are measured next to what they bound)."""
    report = Report()
    details = report.details
    details["sizes"] = asdict(sizes)
    details["load_average_start"] = load_average()
    largest = max(sizes.replay_articles)
    articles = raw_articles(largest)
    tansu_before = rss_mb(tansu_pid) if tansu_pid else None
    replays = []
    for count in sizes.replay_articles:
        before = measure_engine(articles[: sizes.engine_articles])
        result = await replay(infra, work_dir, articles[:count])
        after = measure_engine(articles[: sizes.engine_articles])
        engine_rate = (before + after) / 2  # the machine's speed drifts within a replay: bracket it
        result["engine_before_after"] = [round(before, 1), round(after, 1)]
        result["engine_articles_per_s"] = round(engine_rate, 1)
        result["ratio_to_engine"] = round(result["articles_per_s"] / engine_rate, 3)
        replays.append(result)
    details["replay"] = replays
    if tansu_pid:
        details["tansu_rss_mb"] = {"before_replays": round(tansu_before or 0, 1), "after_replays": round(
            rss_mb(tansu_pid), 1), "bytes_preloaded": sum(len(a.model_dump_json()) for a in articles)}
    biggest = replays[-1]
    rounds = [await store_alone(infra, work_dir, biggest["deals_topic"]) for _ in range(store_rounds)]
    for round_ in rounds:
        round_["ratio"] = round(round_["steady_events_per_s"] / round_["ceiling_rows_per_s"], 3)
    store = sorted(rounds, key=lambda r: r["ratio"])[len(rounds) // 2]  # the round with the median ratio
    details["store"] = {**store, "rounds": rounds}
    latencies = {}
    for index, rate in enumerate(sizes.latency_rates):
        latencies[str(rate)] = await latency(infra, work_dir, rate, sizes.latency_seconds,
                                             start_index=largest + 10_000 * (index + 1))
    details["latency"] = latencies
    details["load_average_end"] = load_average()
    report.results = {
        "engine_articles_per_s": biggest["engine_articles_per_s"],
        "replay_articles": biggest["articles"],
        "replay_articles_per_s": biggest["articles_per_s"],
        "replay_ratio": biggest["ratio_to_engine"],
        "store_events_per_s": store["steady_events_per_s"],
        "store_ceiling_rows_per_s": store["ceiling_rows_per_s"],
        "store_ratio": store["ratio"],
        "latency_ms": {rate: {k: r[k] for k in ("p50", "p95", "p99")} for rate, r in latencies.items()},
        "peak_rss_mb": {**biggest["peak_rss_mb"],
                        "ingest": max(r["ingest_peak_rss_mb"] for r in latencies.values())},
    }
    assert tuple(report.results) == RESULT_KEYS
    return report


def render_table(report: Report) -> str:
    r, d = report.results, report.details
    lines = ["| figure | dealwire | ceiling in the same run | ratio |", "|---|---:|---:|---:|"]
    for replay_result in d["replay"]:
        lines.append(f"| replay, {replay_result['articles']:,} preloaded raw articles → read models complete "
                     f"({replay_result['events']:,} events), from the services' start | "
                     f"{replay_result['articles_per_s']:,.0f} articles/s | engine alone, one core, "
                     f"{replay_result['engine_articles_per_s']:,.0f} articles/s | "
                     f"{replay_result['ratio_to_engine']:.2f} |")
    s = d["store"]
    lines.append(f"| store alone, {s['events']:,} preloaded events (median of {len(s['rounds'])} rounds) | "
                 f"{s['steady_events_per_s']:,.0f} events/s | asyncpg executemany upsert "
                 f"{s['ceiling_rows_per_s']:,.0f} rows/s | {r['store_ratio']:.2f} |")
    for rate, lat in d["latency"].items():
        lines.append(f"| HTTP accept → first event row visible, {rate} articles/s offered for "
                     f"{lat['seconds']:.0f} s ({lat['visible']}/{lat['articles']} seen, "
                     f"{lat['without_deal']} without a deal) | p50 {lat['p50']:.0f} ms, "
                     f"p95 {lat['p95']:.0f} ms, p99 {lat['p99']:.0f} ms | — | — |")
    peaks = ", ".join(f"{service} {mb:.0f} MB" for service, mb in r["peak_rss_mb"].items())
    lines.append(f"| peak RSS (VmHWM) | {peaks} | — | — |")
    return "\n".join(lines)


@contextmanager
def embedded_infra(work_dir: Path) -> Iterator[tuple[Infra, int]]:
    from dealwire.embedded import EMBEDDED_SESSION_TIMEOUT_MS, embedded_postgres, tansu_broker

    with tansu_broker(work_dir / "tansu.log") as broker, embedded_postgres(work_dir) as database:
        yield Infra(broker.bootstrap_servers, database.url, EMBEDDED_SESSION_TIMEOUT_MS), broker.process.pid


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", "1")))
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results.json")
    args = parser.parse_args()
    sizes = Sizes.scaled(args.scale)
    with tempfile.TemporaryDirectory(prefix="dealwire-bench-") as tmp, embedded_infra(Path(tmp)) as (infra, tansu):
        report = asyncio.run(run_all(infra, sizes, Path(tmp), tansu_pid=tansu))
    report.details["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version(),
                                 "platform": platform.platform(), "scale": args.scale}
    args.out.write_text(json.dumps(report.results, indent=2) + "\n")
    args.out.with_suffix(".details.json").write_text(json.dumps(report.details, indent=2) + "\n")
    print(render_table(report))
    print(f"\nwritten: {args.out}, {args.out.with_suffix('.details.json')}")
    return 0


async def _visible(connection: asyncpg.Connection, article_ids: list[str]) -> bool:
    try:
        found = await connection.fetchval(
            "SELECT count(DISTINCT article_id) FROM deal_events WHERE article_id = ANY($1)", article_ids)
    except asyncpg.UndefinedTableError:
        return False
    return found == len(article_ids)


async def _at_least(count: Awaitable[int], wanted: int) -> bool:
    return await count >= wanted


async def _reached(current: Awaitable[dict[int, int]], wanted: dict[int, int]) -> bool:
    return reached(await current, wanted)


async def _any(current: Awaitable[dict[int, int]]) -> bool:
    return bool(await current)


async def _event_rows(bootstrap_servers: str, topic: str, count: int) -> list[tuple]:
    from aiokafka import AIOKafkaConsumer

    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap_servers, group_id=None,
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    rows: list[tuple] = []
    try:
        while len(rows) < count:
            for records in (await consumer.getmany(timeout_ms=1000, max_records=5000)).values():
                for record in records:
                    e = DealEvent.model_validate_json(record.value)
                    rows.append((e.event_id, e.deal_key, e.article_id, e.position, e.primary, e.type, e.extractor,
                                 e.extractor_version, e.extracted_at, e.model_dump_json()))
    finally:
        await consumer.stop()
    return rows


async def _executemany_ceiling(infra: Infra, work_dir: Path, rows: list[tuple]) -> float:
    """Rows per second of a bare asyncpg executemany upsert of `rows` into `deal_events` of a freshly
    migrated database: the same table, indexes and storage settings the store writes to."""
    from dealwire.services.store.db import migrate

    run = await new_run(infra, "ceiling", work_dir)
    await migrate(run.database_url)
    connection = await asyncpg.connect(asyncpg_dsn(run.database_url))
    try:
        start = time.perf_counter()
        await connection.executemany("""
            INSERT INTO deal_events (event_id, deal_key, article_id, position, is_primary, type, extractor,
                                     extractor_version, extracted_at, payload)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb)
            ON CONFLICT (event_id) DO UPDATE SET payload = EXCLUDED.payload""", rows)
        return len(rows) / (time.perf_counter() - start)
    finally:
        await connection.close()


if __name__ == "__main__":
    sys.exit(main())
