"""Every benchmark of `make bench` runs end to end at a tiny size, so none of them rots.

Nothing here is timed: the figures come from `make bench` on a quiet machine (BENCHMARKS.md).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bench.harness import Infra as BenchInfra
from bench.run import RESULT_KEYS, Sizes, render_table, run_all
from tests.support.infra import Infra

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_every_benchmark_runs_and_reports_every_figure(infra: Infra, tmp_path: Path) -> None:
    sizes = Sizes(engine_articles=20, replay_articles=(15, 30), latency_rates=(4,), latency_seconds=2.0)
    bench_infra = BenchInfra(infra.bootstrap_servers, infra.database_url, infra.session_timeout_ms)

    report = asyncio.run(run_all(bench_infra, sizes, tmp_path, store_rounds=1))

    results = report.results
    assert tuple(results) == RESULT_KEYS
    assert results["replay_articles"] == 30
    assert [r["articles"] for r in report.details["replay"]] == [15, 30]
    assert report.details["replay"][-1]["events"] >= 30  # every generated article tells at least one deal
    assert report.details["store"]["events"] == report.details["replay"][-1]["events"]
    latency = report.details["latency"]["4"]
    assert latency["visible"] + latency["without_deal"] == latency["articles"] == 8
    assert set(results["latency_ms"]["4"]) == {"p50", "p95", "p99"}
    assert set(results["peak_rss_mb"]) == {"extract", "store", "ingest"}
    for name in ("engine_articles_per_s", "replay_articles_per_s", "store_events_per_s", "store_ceiling_rows_per_s"):
        assert results[name] > 0, name
    json.dumps(results)
    assert "replay, 30 preloaded raw articles" in render_table(report)
    assert report.details["store"]["rounds"][0]["events"] == report.details["store"]["events"]
