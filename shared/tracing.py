"""One trace id per article, from the ingest gateway down to the store, in W3C Trace Context form.

Ingest takes the trace id of an incoming `traceparent` header (or an `X-Request-ID` that is a UUID or
32 hex digits), or else mints one per accepted article. It travels in the `traceparent` header of the
article's record on articles.raw.v1; extract copies it onto every record it publishes for that article
(events, the extraction record, dead letters) and the store reads it from them. Each service binds it
as `trace_id` into its log lines about that article.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping, Sequence

TRACEPARENT = "traceparent"
_TRACEPARENT = re.compile(r"^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$")
_HEX_ID = re.compile(r"^[0-9a-f]{32}$")
_INVALID_TRACE_ID = "0" * 32
RecordHeaders = Sequence[tuple[str, bytes]]


def new_trace_id() -> str:
    return secrets.token_hex(16)


def traceparent(trace_id: str) -> str:
    """A `traceparent` value for `trace_id`, with a new span id for the hop that sends it (sampled)."""
    return f"00-{trace_id}-{secrets.token_hex(8)}-01"


def trace_id_from_traceparent(value: str | None) -> str | None:
    """The trace id of a valid W3C `traceparent` value, else None."""
    match = _TRACEPARENT.match(value.strip().lower()) if value else None
    if match is None:
        return None
    version, trace_id, span_id, _, rest = match.groups()
    if version == "ff" or trace_id == _INVALID_TRACE_ID or span_id == "0" * 16 or (version == "00" and rest):
        return None
    return trace_id


def trace_id_from_request_id(value: str | None) -> str | None:
    """An `X-Request-ID` that is a UUID or 32 hex digits, as a trace id; other request ids are not."""
    if not value:
        return None
    candidate = value.strip().lower().replace("-", "")
    return candidate if _HEX_ID.match(candidate) and candidate != _INVALID_TRACE_ID else None


def incoming_trace_id(headers: Mapping[str, str]) -> str | None:
    """The trace id an HTTP request brings (`traceparent` first, then `X-Request-ID`), if any."""
    return trace_id_from_traceparent(headers.get(TRACEPARENT)) or trace_id_from_request_id(
        headers.get("x-request-id"))


def trace_id_of(headers: RecordHeaders | None) -> str | None:
    """The trace id in a Kafka record's headers, if it carries a valid `traceparent`."""
    for key, value in headers or ():
        if key == TRACEPARENT and value:
            return trace_id_from_traceparent(value.decode("ascii", "replace"))
    return None


def trace_headers(trace_id: str | None) -> dict[str, str]:
    """The headers that carry `trace_id` on a record this service publishes (none without a trace)."""
    return {TRACEPARENT: traceparent(trace_id)} if trace_id else {}
