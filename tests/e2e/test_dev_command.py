"""`dealwire dev --once`, the README's demo: seeds in, a table of deals out, nothing left running."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import IO

import asyncpg
import httpx
import psutil
import pytest

from tests.conftest import REPO

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def processes_marked(marker: str, state_dir: Path) -> list[str]:
    found = []
    for process in psutil.process_iter(["pid", "cmdline"]):
        try:
            cmdline = " ".join(process.info["cmdline"] or [])
            if str(state_dir) in cmdline or f"DEALWIRE_TEST_MARKER={marker}" in _environ(process):
                found.append(f"{process.pid}: {cmdline}")
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def _environ(process: psutil.Process) -> str:
    try:
        return " ".join(f"{k}={v}" for k, v in process.environ().items())
    except (psutil.NoSuchProcess, psutil.AccessDenied, OSError):
        return ""


def test_dev_once_prints_the_four_seed_stories_and_leaves_no_process(tmp_path: Path) -> None:
    marker = uuid.uuid4().hex
    state_dir = tmp_path / "dev-state"
    result = subprocess.run(
        [sys.executable, "-m", "dealwire", "dev", "--once", "--state-dir", str(state_dir), str(REPO / "seeds")],
        env={**os.environ, "DEALWIRE_TEST_MARKER": marker, "COLUMNS": "250"}, cwd=tmp_path,
        capture_output=True, text=True, timeout=600,
    )

    assert result.returncode == 0, result.stderr[-3000:]
    table = result.stdout.lower()
    for story in ("KQ-2003", "SHR-A1811", "KN026", "KXBS001", "Novatim (licensor)", "ERIGEN LLC (licensee)",
                  "Glenmark Specialty SA (licensee)", "NMPA nda accepted", "Kexing", "Thousand Oaks",
                  "USD 15.0M upfront / 1.32B milestones"):
        assert story.lower() in table, f"{story!r} missing from:\n{result.stdout}"
    assert "4 deals" in table
    assert processes_marked(marker, state_dir) == []
    key_file = state_dir / "api-key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    key = key_file.read_text().strip()
    assert len(key) >= 20 and key not in result.stdout + result.stderr  # the key is in the file, never printed
    assert re.search(r"web page and read API http://127\.0\.0\.1:\d+", result.stderr), result.stderr


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_dev_stopped_by_a_signal_while_serving_stops_everything(tmp_path: Path, stop_signal: int) -> None:
    marker = uuid.uuid4().hex
    state_dir = tmp_path / "dev-state"
    process = subprocess.Popen(
        [sys.executable, "-m", "dealwire", "dev", "--state-dir", str(state_dir), str(REPO / "seeds" / "seed-000.txt")],
        env={**os.environ, "DEALWIRE_TEST_MARKER": marker}, cwd=tmp_path, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        assert "KQ-2003" in _read_until(process, "KQ-2003")
        assert len(processes_marked(marker, state_dir)) >= 5  # dev, broker, postgres and three services

        process.send_signal(stop_signal)
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
    deadline = time.monotonic() + 10
    while processes_marked(marker, state_dir) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_marked(marker, state_dir) == []


def _read_until(process: subprocess.Popen, text: str, stream: IO[str] | None = None) -> str:
    seen = ""
    for line in stream or process.stdout:
        seen += line
        if text in line:
            break
    return seen


NO_DEAL_ARTICLE = """Northfield Biosciences opens a new office in Leeds

Northfield Biosciences said on Tuesday that it has opened a new office in Leeds to house its finance and
human resources teams. The company expects about forty employees to work at the site by the end of the
year. The move follows the expiry of the lease on its previous building.
"""


def test_dev_once_finishes_on_an_article_without_a_deal_and_names_it(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "office-move.txt").write_text(NO_DEAL_ARTICLE)
    (articles / "seed-003.txt").write_text((REPO / "seeds" / "seed-003.txt").read_text())

    result = subprocess.run(
        [sys.executable, "-m", "dealwire", "dev", "--once", "--timeout", "240", "--state-dir",
         str(tmp_path / "dev-state"), str(articles)],
        env={**os.environ, "COLUMNS": "250"}, cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )

    assert result.returncode == 0, result.stderr[-3000:]
    assert "2 article(s) processed: 1 with deals, 1 without a deal" in result.stderr
    assert "no deal found in" in result.stderr and "office-move.txt" in result.stderr
    assert "KXBS001" in result.stdout


def test_dev_restarts_a_killed_service_and_the_stack_goes_on(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "dealwire", "dev", "--state-dir", str(tmp_path / "dev-state"),
         str(REPO / "seeds" / "seed-000.txt")],
        env={**os.environ, "COLUMNS": "250"}, cwd=tmp_path, text=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    try:
        serving = _read_until(process, "Ctrl-C stops", stream=process.stderr)
        dsn = re.search(r"postgres (\S+)", serving).group(1)
        ingest_url = re.search(r"POST articles to (\S+)/v1/articles", serving).group(1)
        api_key = (tmp_path / "dev-state" / "api-key").read_text().strip()  # dev never prints it
        assert api_key not in serving
        extract = next(p for p in psutil.Process(process.pid).children(recursive=True)
                       if "dealwire.services.extract" in " ".join(p.cmdline()))
        extract.kill()

        restarted = _read_until(process, "restarted it", stream=process.stderr)
        assert "extract exited (SIGKILL); restarted it" in restarted
        assert process.poll() is None
        body = {"text": (REPO / "seeds" / "seed-001.txt").read_text()}
        response = httpx.post(f"{ingest_url}/v1/articles", json=body, headers={"X-API-Key": api_key}, timeout=30)
        assert response.status_code == 201, response.text
        article_id = response.json()["article_id"]
        assert _wait_for_events(dsn, article_id) > 0
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_for_events(dsn: str, article_id: str, timeout_s: float = 120.0) -> int:
    async def count() -> int:
        connection = await asyncpg.connect(dsn)
        try:
            return await connection.fetchval("SELECT count(*) FROM deal_events WHERE article_id = $1", article_id)
        finally:
            await connection.close()

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if found := asyncio.run(count()):
            return found
        time.sleep(0.5)
    return 0
