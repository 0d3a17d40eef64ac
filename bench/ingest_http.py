"""Ingest gateway throughput: single POSTs vs NDJSON batches at 50 concurrent requests, against the
real server (a uvicorn process) and the embedded Tansu broker, beside a bare aiokafka producer sending
the same records (the ceiling) in the same run.

usage: python bench/ingest_http.py [--articles N] [--batch-lines L] [--concurrency C] [--json PATH]

Articles are generated from sentence templates (distinct, about 2 kB, seeded); each mode gets a fresh
gateway and topic, so dedupe never short-cuts a publish. The load generator shares the machine's cores
with the gateway and the broker: figures compare side by side, they are not capacities.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402
from aiokafka import AIOKafkaProducer  # noqa: E402

from dealwire.embedded import tansu_broker  # noqa: E402
from dealwire.services.ingest.articles import ArticleIn, to_raw_article  # noqa: E402
from dealwire.shared.kafka import ensure_topics  # noqa: E402
from dealwire.shared.settings import Settings  # noqa: E402
from dealwire.stack import ServiceProcesses, StackConfig  # noqa: E402

COMPANIES = ["Acme Pharma", "Beta Bio", "Gamma Therapeutics", "Delta Oncology", "Epsilon Biologics", "Zeta Medicines"]
MODALITIES = ["antibody-drug conjugate", "bispecific antibody", "CAR-T therapy", "small molecule", "siRNA"]
TARGETS = ["HER2", "TROP2", "CLDN18.2", "B7-H3", "DLL3", "EGFR"]
INDICATIONS = ["gastric cancer", "breast cancer", "small cell lung cancer", "multiple myeloma", "lupus"]


def article(rng: random.Random, number: int) -> dict[str, str]:
    licensor, licensee = rng.sample(COMPANIES, 2)
    asset = f"{licensor[:2].upper()}-{rng.randint(100, 9999)}"
    sentences = [
        f"{licensor} and {licensee} announced an exclusive license agreement for {asset}, a "
        f"{rng.choice(TARGETS)}-directed {rng.choice(MODALITIES)}, on day {number} of the programme.",
        f"Under the agreement, {licensee} will pay USD {rng.randint(5, 300)} million upfront and up to USD "
        f"{rng.randint(100, 3000)} million in development, regulatory and commercial milestones.",
        f"{licensor} is also eligible for tiered royalties on net sales outside Greater China.",
        f"{asset} is in a Phase {rng.choice(['I', 'II', 'III'])} trial in patients with {rng.choice(INDICATIONS)}.",
    ]
    filler = [f"The companies said the collaboration builds on work started in {rng.randint(2015, 2024)} and "
              f"that study {rng.randint(1000, 9999)} enrolled {rng.randint(20, 900)} patients at "
              f"{rng.randint(3, 80)} sites." for _ in range(12)]
    return {"text": " ".join(sentences + filler), "source": "bench", "published": "2025-07-22"}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def drive(url: str, key: str, requests: list[tuple[str, bytes, str]], concurrency: int,
                warm_up: list[tuple[str, bytes, str]]) -> dict[str, float]:
    """Send every request with `concurrency` in flight; per-request latencies and the wall time.

    First one warm-up article per connection, not counted: connections opened, producer metadata fetched.
    """
    latencies: list[float] = []
    queue: asyncio.Queue[tuple[str, bytes, str]] = asyncio.Queue()
    for request in requests:
        queue.put_nowait(request)
    failures = 0

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal failures
        while not queue.empty():
            path, body, content_type = queue.get_nowait()
            started = time.perf_counter()
            response = await client.post(path, content=body, headers={"X-API-Key": key, "Content-Type": content_type})
            latencies.append(time.perf_counter() - started)
            failures += response.status_code >= 300

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:
        await asyncio.gather(*(client.post(path, content=body, headers={"X-API-Key": key, "Content-Type": kind})
                               for path, body, kind in warm_up[:concurrency]))
        latencies.clear()
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        wall = time.perf_counter() - started
    return {"wall_s": wall, "p50_ms": 1000 * statistics.median(latencies), "p99_ms": 1000 * percentile(latencies, 0.99),
            "failed_requests": failures}


def gateway_mode(broker: str, work: Path, name: str, requests: list[tuple[str, bytes, str]], articles: int,
                 concurrency: int) -> dict[str, float]:
    warm_rng = random.Random(name)
    warm_up = [("/v1/articles", json.dumps(article(warm_rng, -n)).encode(), "application/json")
               for n in range(1, concurrency + 1)]
    config = StackConfig(broker, "postgresql+asyncpg://unused@/unused", log_dir=work / name, name=name,
                         topic_articles=f"{name}.articles", topic_deals=f"{name}.deals", log_level="WARNING")
    with ServiceProcesses(config) as services:
        services.start("ingest")
        result = asyncio.run(drive(config.ingest_url, config.api_key, requests, concurrency, warm_up))
    return {**result, "articles": articles, "articles_per_s": articles / result["wall_s"]}


async def producer_ceiling(broker: str, name: str, bodies: list[dict[str, str]]) -> dict[str, float]:
    settings = Settings(kafka_bootstrap_servers=broker, topic_articles=f"{name}.articles",
                        topic_deals=f"{name}.deals", kafka_enable_idempotence=False)
    await ensure_topics(settings)
    now = datetime.now(UTC)
    records = [to_raw_article(ArticleIn(**body), now) for body in bodies]
    producer = AIOKafkaProducer(bootstrap_servers=broker, acks="all", max_request_size=4 * 1024 * 1024)
    await producer.start()
    try:
        started = time.perf_counter()
        futures = [await producer.send(settings.topic_articles, raw.model_dump_json().encode(),
                                       key=raw.article_id.encode()) for raw in records]
        await asyncio.gather(*futures)
        wall = time.perf_counter() - started
    finally:
        await producer.stop()
    return {"articles": len(records), "wall_s": wall, "articles_per_s": len(records) / wall}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--batch-lines", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--json", type=Path, default=None)
    options = parser.parse_args()
    rng = random.Random(20261201)
    bodies = [article(rng, n) for n in range(options.articles)]
    singles = [("/v1/articles", json.dumps(body).encode(), "application/json") for body in bodies]
    lines = options.batch_lines
    batches = [("/v1/articles:batch", "\n".join(json.dumps(b) for b in bodies[i:i + lines]).encode(),
                "application/x-ndjson") for i in range(0, len(bodies), lines)]
    one_of_500 = [("/v1/articles:batch", "\n".join(json.dumps(b) for b in bodies[:500]).encode(),
                   "application/x-ndjson")]

    with tempfile.TemporaryDirectory() as work, tansu_broker(Path(work) / "tansu.log") as broker:
        servers = broker.bootstrap_servers
        results = {
            "single_posts": gateway_mode(servers, Path(work), "single", singles, len(bodies), options.concurrency),
            f"batch_{lines}_lines": gateway_mode(servers, Path(work), "batch", batches, len(bodies),
                                                 options.concurrency),
            "one_request_of_1_article": gateway_mode(servers, Path(work), "one", singles[:1], 1, 1),
            "one_request_of_500_articles": gateway_mode(servers, Path(work), "five", one_of_500, 500, 1),
            "producer_ceiling": asyncio.run(producer_ceiling(servers, "ceiling", bodies)),
        }
    results["machine"] = "2 vCPU shared container, CPython 3.11, embedded Tansu broker (memory storage)"
    print(f"{'mode':32} {'articles':>8} {'articles/s':>11} {'p50 ms':>8} {'p99 ms':>8}")
    for mode, figures in results.items():
        if isinstance(figures, dict):
            print(f"{mode:32} {figures['articles']:>8} {figures['articles_per_s']:>11.0f} "
                  f"{figures.get('p50_ms', float('nan')):>8.1f} {figures.get('p99_ms', float('nan')):>8.1f}")
    if options.json:
        options.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
