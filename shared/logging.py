"""structlog JSON logging, one object per line on stderr, for our code and for the libraries'.

Callers bind article_id / event_id; never log article text or secrets.
"""

from __future__ import annotations

import logging
import sys
import time

import structlog

_SHARED = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def configure_logging(service: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        foreign_pre_chain=[*_SHARED, structlog.stdlib.add_logger_name],
    ))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    structlog.configure(
        processors=[*_SHARED, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    structlog.contextvars.bind_contextvars(service=service)


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
