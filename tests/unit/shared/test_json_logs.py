"""Every log line a service writes is one JSON object: ours, and the libraries' through stdlib logging."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterator

import pytest
import structlog
from faststream._internal.logger import logger as faststream_app_logger

from dealwire.shared.logging import configure_logging


@pytest.fixture
def stderr() -> Iterator[io.StringIO]:
    """configure_logging as a service calls it, its stderr handler writing here instead; the process-wide
    logging state is put back afterwards."""
    root = logging.getLogger()
    saved_root = (root.handlers[:], root.level)
    saved_structlog = structlog.get_config()
    libraries = {name: (logger.handlers[:], logger.propagate, logger.level)
                 for name, logger in logging.root.manager.loggerDict.items() if isinstance(logger, logging.Logger)}
    configure_logging("extract", "INFO")
    [handler] = root.handlers
    assert isinstance(handler, logging.StreamHandler) and handler.stream is sys.stderr
    buffer = io.StringIO()
    handler.setStream(buffer)
    yield buffer
    structlog.configure(**saved_structlog)
    structlog.contextvars.clear_contextvars()
    root.handlers[:] = saved_root[0]
    root.setLevel(saved_root[1])
    for name, (handlers, propagate, level) in libraries.items():
        logger = logging.getLogger(name)
        logger.handlers[:], logger.propagate = handlers, propagate
        logger.setLevel(level)


def lines(stderr: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stderr.getvalue().splitlines()]


def test_a_stdlib_record_of_a_library_is_a_json_line_with_our_fields(
        stderr: io.StringIO) -> None:
    structlog.contextvars.bind_contextvars(trace_id="4bf92f3577b34da6a3ce929d0e0e4736", article_id="art_1")

    logging.getLogger("aiokafka.consumer.group_coordinator").warning("Heartbeat failed for group %s", "g1")

    [line] = lines(stderr)
    assert line["event"] == "Heartbeat failed for group g1"
    assert line["level"] == "warning"
    assert line["logger"] == "aiokafka.consumer.group_coordinator"
    assert (line["service"], line["trace_id"], line["article_id"]) == (
        "extract", "4bf92f3577b34da6a3ce929d0e0e4736", "art_1")
    assert line["timestamp"].endswith("Z")


def test_faststreams_own_logger_writes_json_not_coloured_text(
        stderr: io.StringIO) -> None:
    faststream_app_logger.info("FastStream app starting...")

    [line] = lines(stderr)
    assert line["event"] == "FastStream app starting..." and line["logger"] == "faststream"
    assert "\x1b[" not in json.dumps(line)


def test_faststreams_context_passed_as_extra_becomes_fields(
        stderr: io.StringIO) -> None:
    # what the broker does with the structlog logger it is given (dealwire.shared.kafka.make_broker)
    structlog.get_logger("faststream").log(logging.INFO, "Received", extra={"topic": "t", "message_id": "0-1"},
                                           exc_info=None)
    logging.getLogger("uvicorn.error").info("Started server process [%d]", 7,
                                            extra={"color_message": "Started server process [\x1b[36m%d\x1b[0m]"})

    faststream_line, uvicorn_line = lines(stderr)
    assert faststream_line["event"] == "Received"
    assert (faststream_line["topic"], faststream_line["message_id"]) == ("t", "0-1")
    assert "extra" not in faststream_line and "exc_info" not in faststream_line
    assert uvicorn_line["event"] == "Started server process [7]" and "color_message" not in uvicorn_line


def test_an_exception_is_one_line_with_its_traceback_as_a_field(
        stderr: io.StringIO) -> None:
    try:
        raise ValueError("bad record")
    except ValueError:
        logging.getLogger("sqlalchemy.pool").exception("connection failed")

    [line] = lines(stderr)
    assert line["level"] == "error"
    assert "ValueError: bad record" in line["exception"]


def test_below_the_configured_level_nothing_is_written(
        stderr: io.StringIO) -> None:
    faststream_app_logger.debug("noise")
    logging.getLogger("aiokafka").debug("noise")

    assert lines(stderr) == []
