"""2,000 requests generated from the gateway's own OpenAPI (schemathesis), against the real server and
broker: valid and deliberately invalid bodies, headers and media types. None may get a 5xx."""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis

from dealwire.stack import ServiceProcesses
from tests.support.fuzz import statuses_of_generated_requests

pytestmark = [pytest.mark.integration, pytest.mark.slow]
CASES = 2000


@schemathesis.serializer("application/x-ndjson")
def ndjson(_: Any, value: Any) -> bytes:
    """A generated batch body: a string is sent as is, anything else as one JSON line."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    return json.dumps(value).encode() if value is not None else b""


def test_no_generated_request_gets_a_server_error(ingest_service: ServiceProcesses) -> None:
    seen = statuses_of_generated_requests(ingest_service.config.ingest_url, CASES,
                                          headers={"X-API-Key": ingest_service.config.api_key})

    assert sum(seen.values()) >= CASES
    statuses = {status for _, status in seen}
    assert {201, 422} <= statuses  # both accepted and refused bodies were generated
