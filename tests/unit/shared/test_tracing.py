"""Trace ids in W3C Trace Context form: what a caller's header gives, what a record carries."""

from __future__ import annotations

import pytest

from dealwire.shared.tracing import (
    incoming_trace_id,
    new_trace_id,
    trace_headers,
    trace_id_from_request_id,
    trace_id_from_traceparent,
    trace_id_of,
)

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"


def test_the_trace_id_of_a_w3c_traceparent_is_taken() -> None:
    assert trace_id_from_traceparent(f"00-{TRACE_ID}-00f067aa0ba902b7-01") == TRACE_ID
    assert trace_id_from_traceparent(f" 00-{TRACE_ID.upper()}-00F067AA0BA902B7-00 ") == TRACE_ID
    assert trace_id_from_traceparent(f"01-{TRACE_ID}-00f067aa0ba902b7-01-later-fields") == TRACE_ID


@pytest.mark.parametrize("value", [
    None, "", "garbage", f"00-{TRACE_ID}-00f067aa0ba902b7",  # no flags
    f"ff-{TRACE_ID}-00f067aa0ba902b7-01",  # version ff is invalid
    f"00-{'0' * 32}-00f067aa0ba902b7-01",  # all-zero trace id
    f"00-{TRACE_ID}-{'0' * 16}-01",  # all-zero parent id
    f"00-{TRACE_ID[:-1]}-00f067aa0ba902b7-01",  # 31 digits
    f"00-{TRACE_ID}-00f067aa0ba902b7-01-extra",  # version 00 has exactly four fields
])
def test_an_invalid_traceparent_gives_no_trace_id(value: str | None) -> None:
    assert trace_id_from_traceparent(value) is None


def test_a_request_id_that_is_a_uuid_or_32_hex_digits_becomes_the_trace_id() -> None:
    assert trace_id_from_request_id("4BF92F35-77B3-4DA6-A3CE-929D0E0E4736") == TRACE_ID
    assert trace_id_from_request_id(TRACE_ID) == TRACE_ID
    assert trace_id_from_request_id("req-42") is None
    assert trace_id_from_request_id("0" * 32) is None


def test_traceparent_wins_over_x_request_id() -> None:
    other = "11111111111111111111111111111111"
    assert incoming_trace_id({"traceparent": f"00-{TRACE_ID}-00f067aa0ba902b7-01", "x-request-id": other}) == TRACE_ID
    assert incoming_trace_id({"x-request-id": other}) == other
    assert incoming_trace_id({}) is None


def test_a_record_carries_the_trace_id_in_traceparent_with_a_span_id_per_hop() -> None:
    trace_id = new_trace_id()
    first, second = trace_headers(trace_id), trace_headers(trace_id)

    assert trace_id_of([(k, v.encode()) for k, v in first.items()]) == trace_id
    assert first["traceparent"].split("-")[1] == second["traceparent"].split("-")[1] == trace_id
    assert first["traceparent"].split("-")[2] != second["traceparent"].split("-")[2]
    assert trace_headers(None) == {}


def test_a_record_without_a_valid_traceparent_has_no_trace_id() -> None:
    assert trace_id_of(None) is None
    assert trace_id_of([("article_id", b"art_1")]) is None
    assert trace_id_of([("traceparent", b"\xff\xfe")]) is None


def test_new_trace_ids_are_32_hex_digits_and_differ() -> None:
    ids = {new_trace_id() for _ in range(100)}
    assert len(ids) == 100
    assert all(trace_id_from_traceparent(f"00-{i}-00f067aa0ba902b7-01") == i for i in ids)
