"""Where the extract service runs the engine: in worker processes (the default), or in a thread of its own.

The engine holds the GIL for the whole of an article; in a thread it shares one core with the service's
event loop (decoding, sending, acknowledgements). In a worker process it has a core of its own, and the
service process does only the I/O. What crosses between them is plain data: an article's text in, the
serialised records of its events out, so each side pickles a few strings per article.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import multiprocessing
import multiprocessing.connection
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import UTC, date, datetime
from types import ModuleType

import structlog

from dealwire.shared.ids import deal_key_for, event_id_for, key_for
from dealwire.shared.runtime import tune_garbage_collector
from dealwire.shared.schemas import ArticleExtracted, DealEvent, DealPayload, RawArticle

log = structlog.get_logger()


def _engine() -> ModuleType:
    """The engine, imported where it runs: a service process whose workers run it never loads it itself."""
    from dealwire.services.extract import engine

    return engine


@dataclass(frozen=True)
class EngineInput:
    """What the engine reads of an article."""

    article_id: str
    text: str
    title: str | None
    published: date | None

    @classmethod
    def of(cls, article: RawArticle) -> EngineInput:
        return cls(article.article_id, article.text, article.title, article.published)


@dataclass(frozen=True)
class EngineOutput:
    """The records to publish for an article, serialised: (key, value, event id) per event, then the
    `ArticleExtracted` record; or why the engine failed on it."""

    events: tuple[tuple[bytes, bytes, str], ...] = ()
    done: tuple[bytes, bytes] | None = None
    error: str | None = None


class EngineFailed(Exception):
    """The engine raised on an article (in whichever process it ran); the message names the original error."""


def deal_events_for(article: RawArticle | EngineInput, now: datetime | None = None) -> list[DealEvent]:
    payloads = _engine().extract(article.text, title=article.title, published=article.published)
    extracted_at = now or datetime.now(UTC)
    return [to_event(article.article_id, payload, position, extracted_at) for position, payload in enumerate(payloads)]


def to_event(article_id: str, payload: DealPayload, position: int, extracted_at: datetime) -> DealEvent:
    # The engine's payload is already validated and the envelope is computed here: nothing to re-validate.
    engine = _engine()
    return DealEvent.model_construct(
        **{name: getattr(payload, name) for name in DealPayload.model_fields},
        schema_version=1,
        event_id=event_id_for(article_id, engine.EXTRACTOR_VERSION, position),
        deal_key=deal_key_for(payload),
        article_id=article_id,
        position=position,
        extractor=engine.EXTRACTOR_NAME,
        extractor_version=engine.EXTRACTOR_VERSION,
        extracted_at=extracted_at,
    )


def run_engine(articles: Sequence[EngineInput]) -> list[EngineOutput]:
    """Each article's records, serialised. An article the engine fails on is reported, not raised: the
    engine is a pure function, so trying it again gives the same result."""
    return [_run_one(article) for article in articles]


def _run_one(article: EngineInput) -> EngineOutput:
    extracted_at = datetime.now(UTC)
    try:
        events = deal_events_for(article, now=extracted_at)
    except Exception as error:
        return EngineOutput(error=f"{type(error).__name__}: {error}"[:500])
    engine = _engine()
    done = ArticleExtracted(article_id=article.article_id, extractor=engine.EXTRACTOR_NAME,
                            extractor_version=engine.EXTRACTOR_VERSION,
                            event_ids=[event.event_id for event in events], extracted_at=extracted_at)
    return EngineOutput(
        events=tuple((key_for(event), event.model_dump_json().encode(), event.event_id) for event in events),
        done=(key_for(done), done.model_dump_json().encode()),
    )


def _start_worker() -> None:
    """A worker's initialiser: it ends when the service process does, even when that is killed (a pool's
    workers otherwise wait on their task queue forever); it loads the engine's vocabularies before its
    first chunk, then tunes the garbage collector as the services do (after loading, so they are frozen)."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_when_gone, args=(parent.sentinel,), daemon=True).start()
    _engine().extract("Warm-up Inc. licensed WU-1 to Start Ltd.", title=None)
    tune_garbage_collector()


def _exit_when_gone(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(1)


def _version() -> str:
    return _engine().EXTRACTOR_VERSION


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

    def begin(self) -> None:
        """Start the workers now, without an event loop: they import the engine while the caller goes on
        (the service imports its broker client and joins its consumer group meanwhile). `start` waits for them."""
        if self.processes and self._pool is None:
            self._pool = _new_pool(self.processes)
            self._warming = [self._pool.submit(_version) for _ in range(self.processes)]

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
            self._pool = _new_pool(self.processes)
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
                        pool = _new_pool(1)
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


def _new_pool(processes: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"), initializer=_start_worker)


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
