"""The HTTP ingest benchmark runs end to end at a tiny size, so it does not rot (no timing is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_the_ingest_benchmark_runs_and_reports_every_mode(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "ingest_http.py"), "--articles", "20", "--batch-lines", "5",
         "--concurrency", "4", "--json", str(out)], capture_output=True, text=True, timeout=300)

    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(out.read_text())
    for mode in ("single_posts", "batch_5_lines", "one_request_of_1_article", "producer_ceiling"):
        assert figures[mode]["articles_per_s"] > 0
    assert figures["single_posts"]["failed_requests"] == 0 and figures["batch_5_lines"]["failed_requests"] == 0
