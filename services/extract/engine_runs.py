"""Where the extract service runs the engine: in worker processes (the default), or in a thread of its own.

The engine holds the GIL for the whole of an article; in a thread it shares one core with the service's
event loop (decoding, sending, acknowledgements). In a worker process it has a core of its own, and the
service process does only the I/O. What crosses between them is plain data: an article's text in, the
serialised records of its events out, so each side pickles a few strings per article.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import structlog

from dealwire.services.extract.engine_worker import (
    EngineInput,
    EngineOutput,
    _version,
    begin_pool,
    new_pool,
    run_engine,
)

log = structlog.get_logger()


Run = Callable[[Sequence[EngineInput]], list[EngineOutput]]
LOST = (BrokenProcessPool, TimeoutError)  # a worker died, or ran out of time and is stopped


class EngineRuns:
    """Runs `run_engine` on chunks of articles: in `processes` worker processes, or in a thread (0).

    Workers are started with `spawn` (a fork of a process with running threads and an event loop is
    unsafe), and end with the service process however it ends. A worker that dies, or takes more than
    `timeout_s` over a chunk and is stopped, breaks the pool: the next chunk gets a new pool, and the lost
    chunk is extracted again one article at a time in a worker of its own, so that an article that kills
    or hangs the engine is reported as failed (a dead letter) instead of failing its batch on every retry.
    """

    def __init__(self, processes: int, timeout_s: float = 60.0, run: Run = run_engine) -> None:
        self.processes = processes
        self._timeout_s = timeout_s
        self._run = run
        self._pool: ProcessPoolExecutor | None = None
        self._pool_started: asyncio.Future[str] | None = None
        self._warming: list[concurrent.futures.Future[str]] = []  # `begin`'s first task per worker
        self._alone = asyncio.Lock()  # lost chunks are run again one after another: one spare worker at most

    def begin(self, started: tuple[ProcessPoolExecutor, list[concurrent.futures.Future[str]]] | None = None,
              ) -> None:
        """Start the workers now, without an event loop: they import the engine while the caller goes on
        (the service imports its broker client and joins its consumer group meanwhile). `start` waits for them.
        `started`: the pool `engine_worker.begin_pool` made for `processes` workers (`__main__`, before it
        imports this module)."""
        if self.processes and self._pool is None:
            self._pool, self._warming = started or begin_pool(self.processes)

    async def start(self) -> None:
        if self.processes:
            await self._running_pool()
            log.info("engine_workers_started", processes=self.processes,
                     extractor_version=self._pool_started.result())  # type: ignore[union-attr]

    async def run(self, articles: Sequence[EngineInput]) -> list[EngineOutput]:
        if not self.processes:
            return await asyncio.to_thread(self._run, articles)
        articles = list(articles)
        pool = await self._running_pool()
        try:
            return await self._in_time(pool, articles)
        except LOST as error:
            log.error("engine_worker_lost", reason=_reason(error), articles=len(articles))
            self._drop(pool)
        return await self._one_at_a_time(articles)

    def stop(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = self._pool_started = None

    async def _running_pool(self) -> ProcessPoolExecutor:
        """The pool, its workers started (their start-up, the engine's loading, is not timed)."""
        if self._pool is None:
            self._pool = new_pool(self.processes)
        if self._pool_started is None:
            warming, self._warming = self._warming, []
            self._pool_started = asyncio.ensure_future(_start(self._pool, self.processes, warming))
        pool, started = self._pool, self._pool_started
        try:
            await asyncio.shield(started)  # type: ignore[arg-type]
        except BrokenProcessPool:
            self._drop(pool)
            raise
        return pool

    async def _in_time(self, pool: ProcessPoolExecutor, articles: list[EngineInput]) -> list[EngineOutput]:
        run = asyncio.get_running_loop().run_in_executor(pool, self._run, articles)
        return await asyncio.wait_for(run, self._timeout_s)

    async def _one_at_a_time(self, articles: list[EngineInput]) -> list[EngineOutput]:
        """Each article of a lost chunk alone in a worker: one that loses its worker again is the cause. A
        worker that cannot even start fails the whole chunk (its batch is read again), blaming no article."""
        async with self._alone:
            outputs: list[EngineOutput] = []
            pool: ProcessPoolExecutor | None = None
            try:
                for article in articles:
                    if pool is None:
                        pool = new_pool(1)
                        await _start(pool, 1)
                    try:
                        outputs.extend(await self._in_time(pool, [article]))
                    except LOST as error:
                        log.error("engine_worker_lost_on_article", article_id=article.article_id,
                                  reason=_reason(error))
                        outputs.append(EngineOutput(error=f"the engine's worker {_reason(error)} on this article"))
                        _discard(pool)
                        pool = None
            finally:
                if pool is not None:
                    pool.shutdown(wait=False)
            return outputs

    def _drop(self, pool: ProcessPoolExecutor) -> None:
        if self._pool is pool:
            self._pool = None
            self._pool_started = None
        _discard(pool)


async def _start(pool: ProcessPoolExecutor, processes: int,
                 submitted: Sequence[concurrent.futures.Future[str]] = ()) -> str:
    """Wait until every worker answered (the tasks `submitted` already, or new ones)."""
    loop = asyncio.get_running_loop()
    versions = await asyncio.gather(*(asyncio.wrap_future(task) for task in submitted) if submitted else
                                    (loop.run_in_executor(pool, _version) for _ in range(processes)))
    return versions[0]


def _reason(error: BaseException) -> str:
    return "ran out of time" if isinstance(error, TimeoutError) else "died"


def _discard(pool: ProcessPoolExecutor) -> None:
    """Stop a pool whose worker died or hangs: a running task cannot be cancelled, so its workers are killed."""
    for process in list((pool._processes or {}).values()):  # no public way to stop a busy worker before 3.14
        process.kill()
    pool.shutdown(wait=False, cancel_futures=True)
