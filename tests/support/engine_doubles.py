"""Stand-ins for the engine that do what no article makes the real one do: kill or hang the process it runs in
(as an out-of-memory kill or a crash in a C extension would). Module-level, so a spawned worker can import them."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Sequence

from dealwire.services.extract.engine_worker import EngineInput, EngineOutput, run_engine

KILLS_ITS_WORKER = "This sentence kills the process that reads it."
HANGS_ITS_WORKER = "This sentence keeps the process that reads it busy for an hour."


def run_engine_or_crash(articles: Sequence[EngineInput]) -> list[EngineOutput]:
    for article in articles:
        if KILLS_ITS_WORKER in article.text:
            os.kill(os.getpid(), signal.SIGKILL)
        if HANGS_ITS_WORKER in article.text:
            time.sleep(3600)
    return run_engine(articles)
