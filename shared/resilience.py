"""Outages are waited out, never blamed on a record: what counts as one, and how it is waited for.

PostgreSQL restarting or the broker unreachable says nothing about the record being processed, so
the consumer pauses on it and retries with capped exponential backoff for as long as it takes
(tenacity). Everything else that fails is a failure of the record and goes to its dead-letter topic.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterator
from typing import TypeVar

import structlog
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_never, wait_exponential_jitter

log = structlog.get_logger()
T = TypeVar("T")

# SQLSTATE classes of PostgreSQL errors that are about the server, the session or the deployment,
# never the data: 08 connection, 40 transaction rollback (deadlock, serialization), 53 insufficient
# resources, 57 operator intervention (shutdown, starting up, cancelled), 58 system / I/O error;
# 42 (undefined table, missing privilege) and XX (internal error) are waited out too: blaming the
# records for them would dead-letter the whole stream.
_TRANSIENT_SQLSTATE_CLASSES = {"08", "40", "42", "53", "57", "58", "XX"}
_TRANSIENT_SQLSTATES = {"55P03"}  # lock not available
# Client-side errors that mean "the connection is gone", by name: shared/ must not import the
# database drivers (the extract image has none).
_TRANSIENT_ERROR_NAMES = {
    "ConnectionDoesNotExistError", "ConnectionFailureError", "InvalidCachedStatementError", "CannotConnectNowError",
    "InterfaceError", "TimeoutError", "KafkaConnectionError", "KafkaTimeoutError", "NodeNotReadyError",
    "RequestTimedOutError", "NoBrokersAvailable", "NotLeaderForPartitionError", "LeaderNotAvailableError",
}

MAX_BACKOFF_S = 10.0


class Waiting:
    """What this process is waiting for right now, and since when (for health reports and tests)."""

    def __init__(self) -> None:
        self.since: dict[str, float] = {}

    def __bool__(self) -> bool:
        return bool(self.since)

    def describe(self) -> dict[str, float]:
        now = time.monotonic()
        return {what: round(now - start, 1) for what, start in self.since.items()}


WAITING = Waiting()


def is_transient(error: BaseException) -> bool:
    """True when `error` says the infrastructure is (temporarily) unavailable, not that the data is bad.

    The innermost error that tells decides: a driver's "value out of range" wrapped in a generic
    interface error is the data's fault; a refused connection wrapped in anything is an outage.
    """
    for cause in reversed(list(_chain(error))):
        verdict = _verdict(cause)
        if verdict is not None:
            return verdict
    return False


def _verdict(cause: BaseException) -> bool | None:
    if isinstance(cause, (OSError, TimeoutError)):
        return True
    if isinstance(cause, (ValueError, TypeError, ArithmeticError, LookupError)):
        return False  # the data does not fit (UnicodeError and the drivers' DataError are ValueErrors)
    if type(cause).__name__ in _TRANSIENT_ERROR_NAMES:
        return True
    sqlstate = getattr(cause, "sqlstate", None)
    if isinstance(sqlstate, str) and sqlstate:
        return sqlstate[:2] in _TRANSIENT_SQLSTATE_CLASSES or sqlstate in _TRANSIENT_SQLSTATES
    if getattr(cause, "connection_invalidated", False) or getattr(cause, "retriable", False) is True:
        return True  # SQLAlchemy's disconnect flag; aiokafka marks its retriable errors
    return None


async def until_available(what: str, action: Callable[[], Awaitable[T]], **context: object) -> T:
    """`await action()`, retried while it fails for transient reasons; other errors propagate at once."""

    def waiting(state: RetryCallState) -> None:
        WAITING.since.setdefault(what, time.monotonic())
        error = state.outcome.exception() if state.outcome else None
        log.warning("waiting_for_infrastructure", waiting_for=what, attempt=state.attempt_number,
                    retry_in_s=round(state.upcoming_sleep, 2), error=repr(error)[:300], **context)

    try:
        async for attempt in AsyncRetrying(
            retry=retry_if_exception(is_transient),
            wait=wait_exponential_jitter(multiplier=0.1, max=MAX_BACKOFF_S, jitter=0.2),
            stop=stop_never,
            before_sleep=waiting,
            reraise=True,
        ):
            with attempt:
                result = await action()
    finally:
        if WAITING.since.pop(what, None) is not None:
            log.info("infrastructure_back", waited_for=what, **context)
    return result


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        cause = pending.pop()
        if cause is None or id(cause) in seen:
            continue
        seen.add(id(cause))
        yield cause
        # Explicit causes only: an error raised while handling an outage is not itself an outage.
        pending.extend([cause.__cause__, getattr(cause, "orig", None)])
