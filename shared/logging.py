"""structlog JSON logging, one object per line on stderr, for our code and for the libraries'.

Every stdlib logger (faststream's, aiokafka's, uvicorn's, SQLAlchemy's) ends at the root handler,
whose structlog `ProcessorFormatter` renders the record as JSON with the same fields as our own lines,
the contextvars bound at the time included (service, and trace_id / article_id / event_id where a
service handles one article). Callers bind article_id / event_id; never log article text or secrets.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

import structlog
from structlog.typing import EventDict, WrappedLogger


def lift_extra(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """faststream logs its context as `extra={...}` (topic, group_id, message_id): make those top-level fields."""
    extra = event_dict.pop("extra", None)
    if isinstance(extra, dict):
        for key, value in extra.items():
            event_dict.setdefault(key, value)
    return event_dict


def drop_color_message(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """uvicorn adds its message once more with ANSI colour codes (`color_message`): the JSON line needs none."""
    event_dict.pop("color_message", None)
    return event_dict


_SHARED: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    structlog.stdlib.add_logger_name,
    lift_extra,
]


def json_formatter() -> logging.Formatter:
    """Renders stdlib records (and structlog's, wrapped for it) as one JSON object per line."""
    return structlog.stdlib.ProcessorFormatter(
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        foreign_pre_chain=[*_SHARED, structlog.stdlib.ExtraAdder(), drop_color_message],
    )


def configure_logging(service: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(json_formatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    route_library_loggers_to_root()
    logging.captureWarnings(True)
    structlog.configure(
        processors=[*_SHARED, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    structlog.contextvars.bind_contextvars(service=service)


def route_library_loggers_to_root() -> None:
    """Drop the handlers libraries installed on their own loggers, so every record reaches the root's.

    faststream gives its `faststream` logger a coloured text handler at level INFO and stops propagation
    (the lines `FastStream app starting...`); uvicorn is started with `log_config=None` and installs none.
    Such a logger then follows the root's level (DEALWIRE_LOG_LEVEL) too.
    """
    for logger in list(logging.root.manager.loggerDict.values()):
        if isinstance(logger, logging.Logger) and (logger.handlers or not logger.propagate):
            logger.handlers.clear()
            logger.propagate = True
            logger.setLevel(logging.NOTSET)


class Throughput:
    """Counts what a service handled and logs it as one info line every `interval_s`, not one per record."""

    def __init__(self, event: str, interval_s: float = 10.0) -> None:
        self._event = event
        self._interval_s = interval_s
        self._totals: dict[str, int] = {}
        self._since_last: dict[str, int] = {}
        self._last = time.monotonic()

    def add(self, **counts: int) -> None:
        for name, count in counts.items():
            self._totals[name] = self._totals.get(name, 0) + count
            self._since_last[name] = self._since_last.get(name, 0) + count
        now = time.monotonic()
        if now - self._last >= self._interval_s:
            elapsed = now - self._last
            rates = {f"{name}_per_s": round(count / elapsed, 1) for name, count in self._since_last.items()}
            structlog.get_logger().info(self._event, **self._totals, **rates)
            self._since_last = {}
            self._last = now
