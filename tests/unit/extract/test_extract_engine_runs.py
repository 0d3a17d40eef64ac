"""The engine run in a worker process gives what it gives in this process; a dead or hung worker is replaced, and
an article that kills or hangs one fails alone."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dealwire.services.extract.engine_runs import EngineRuns
from dealwire.services.extract.engine_worker import EngineInput, run_engine
from tests.support.engine_doubles import HANGS_ITS_WORKER, KILLS_ITS_WORKER, run_engine_or_crash

DEAL = ("Halcyra Therapeutics Inc. granted Morrow Bio Ltd. exclusive rights to HLC-104 in Japan for $12 million "
        "upfront and up to $180 million in milestones.")
ARTICLES = [EngineInput("art_" + "a" * 24, DEAL, "Halcyra licenses HLC-104 to Morrow", None),
            EngineInput("art_" + "b" * 24, "Shares closed higher on Tuesday.", None, None)]


def without_times(outputs: list) -> list:
    """Outputs with `extracted_at` blanked: the only part that depends on when the engine ran."""
    stamp = re.compile(rb'"extracted_at":"[^"]*"')
    return [(tuple((k, stamp.sub(b"", v), i) for k, v, i in o.events),
             (o.done[0], stamp.sub(b"", o.done[1])) if o.done else None, o.error) for o in outputs]


def test_a_worker_process_extracts_what_this_process_extracts() -> None:
    async def in_worker() -> list:
        runs = EngineRuns(processes=1)
        try:
            await runs.start()
            return await runs.run(ARTICLES)
        finally:
            runs.stop()

    outputs = asyncio.run(in_worker())

    assert without_times(outputs) == without_times(run_engine(ARTICLES))
    assert outputs[0].events and not outputs[1].events and outputs[1].done is not None


def test_workers_begun_before_the_event_loop_are_the_ones_that_extract() -> None:
    """`begin` starts the workers at once (the service does so before importing itself): `start` then waits for
    those, no second pool."""
    runs = EngineRuns(processes=1)
    runs.begin()
    begun = set(runs._pool._processes)  # type: ignore[union-attr]

    async def start_and_run() -> tuple[set[int], list]:
        await runs.start()
        outputs = await runs.run(ARTICLES)
        return set(runs._pool._processes), outputs  # type: ignore[union-attr]

    try:
        running, outputs = asyncio.run(start_and_run())
    finally:
        runs.stop()

    assert len(begun) == 1 and running == begun
    assert without_times(outputs) == without_times(run_engine(ARTICLES))


def test_a_chunk_whose_worker_was_killed_is_extracted_again_and_the_next_chunk_gets_a_new_worker() -> None:
    async def kill_then_run() -> tuple[list, list]:
        runs = EngineRuns(processes=1)
        try:
            await runs.start()
            for pid in list(runs._pool._processes):  # type: ignore[union-attr]
                os.kill(pid, signal.SIGKILL)
            return await runs.run(ARTICLES), await runs.run(ARTICLES)
        finally:
            runs.stop()

    lost_chunk, next_chunk = asyncio.run(kill_then_run())

    assert without_times(lost_chunk) == without_times(run_engine(ARTICLES))
    assert without_times(next_chunk) == without_times(run_engine(ARTICLES))


def chunk_around(text: str) -> list[EngineInput]:
    return [ARTICLES[0], EngineInput("art_" + "c" * 24, f"Vellum Ltd. said so. {text}", None, None), ARTICLES[1]]


@pytest.mark.parametrize(("text", "reason"), [(KILLS_ITS_WORKER, "died"), (HANGS_ITS_WORKER, "ran out of time")],
                         ids=["kills", "hangs"])
def test_an_article_that_kills_or_hangs_its_worker_fails_alone_and_its_chunk_is_extracted(text: str,
                                                                                          reason: str) -> None:
    async def run_twice() -> tuple[list, list]:
        runs = EngineRuns(processes=1, timeout_s=3.0, run=run_engine_or_crash)
        try:
            await runs.start()
            return await runs.run(chunk_around(text)), await runs.run(ARTICLES)
        finally:
            runs.stop()

    lost_chunk, next_chunk = asyncio.run(run_twice())

    first, culprit, last = lost_chunk
    assert culprit.error == f"the engine's worker {reason} on this article" and not culprit.events
    assert without_times([first, last]) == without_times(run_engine(ARTICLES))
    assert without_times(next_chunk) == without_times(run_engine(ARTICLES))


def test_an_article_the_engine_fails_on_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    from dealwire.services.extract import engine

    def broken(text: str, **_: object) -> list:
        raise ValueError("no sentence")

    monkeypatch.setattr(engine, "extract", broken)

    [output] = run_engine(ARTICLES[:1])

    assert (output.events, output.done, output.error) == ((), None, "ValueError: no sentence")


SERVICE_WITH_A_WORKER = """
import asyncio, time
from dealwire.services.extract.engine_runs import EngineRuns

async def main():
    runs = EngineRuns(processes=1)
    await runs.start()
    print("worker", *runs._pool._processes, flush=True)
    time.sleep(120)

asyncio.run(main())
"""


def test_a_killed_service_leaves_no_engine_worker_behind() -> None:
    service = subprocess.Popen([sys.executable, "-c", SERVICE_WITH_A_WORKER], stdout=subprocess.PIPE, text=True)
    try:
        line = next(line for line in service.stdout if line.startswith("worker "))  # type: ignore[union-attr]
        [worker] = map(int, line.split()[1:])
        assert alive(worker)
    finally:
        service.kill()
        service.wait()

    deadline = time.monotonic() + 10
    while alive(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(worker)


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_a_worker_imports_the_engine_not_the_service() -> None:
    """A spawned worker imports the service's main module again, under another name: it must not pull in the
    broker client and the web framework, whose import the first batch would otherwise wait for."""
    probe = ("import sys, runpy; runpy.run_module('dealwire.services.extract', run_name='__mp_main__'); "
             "print(sorted({'faststream', 'aiokafka', 'fastapi'} & set(sys.modules)))")
    imported = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert imported.stdout.strip() == "[]"
