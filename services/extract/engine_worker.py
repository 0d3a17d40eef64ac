"""The engine's side of `engine_runs`: what a worker process runs, and how a pool of workers is made.

Kept apart from `engine_runs` (the service's side: asyncio, logging) so that a worker, which imports only this
module and the engine, starts in about half the time: its start-up is on the service's path to its first batch.
`__main__` makes the pool with `new_pool` before it imports anything else of the service.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import multiprocessing.connection
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime
from types import ModuleType

from dealwire.shared.ids import deal_key_for, event_id_for, key_for
from dealwire.shared.runtime import tune_garbage_collector
from dealwire.shared.schemas import ArticleExtracted, DealEvent, DealPayload, RawArticle


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


def new_pool(processes: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"), initializer=_start_worker)


def begin_pool(processes: int) -> tuple[ProcessPoolExecutor, list[concurrent.futures.Future[str]]]:
    """A pool of `processes` workers, being started: one task each, answered once its worker loaded the engine."""
    pool = new_pool(processes)
    return pool, [pool.submit(_version) for _ in range(processes)]
