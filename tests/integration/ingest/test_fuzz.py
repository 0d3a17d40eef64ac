"""2,000 requests generated from the gateway's own OpenAPI (schemathesis), against the real server and
broker: valid and deliberately invalid bodies, headers and media types. None may get a 5xx."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from dealwire.stack import ServiceProcesses

pytestmark = [pytest.mark.integration, pytest.mark.slow]
CASES = 2000


@schemathesis.serializer("application/x-ndjson")
def ndjson(_: Any, value: Any) -> bytes:
    """A generated batch body: a string is sent as is, anything else as one JSON line."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    return json.dumps(value).encode() if value is not None else b""


def test_no_generated_request_gets_a_server_error(ingest_service: ServiceProcesses) -> None:
    url = ingest_service.config.ingest_url
    schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
    cases = st.one_of(schema.as_strategy(GenerationMode.POSITIVE), schema.as_strategy(GenerationMode.NEGATIVE))
    seen: Counter[tuple[str, int]] = Counter()
    session = requests.Session()

    @settings(max_examples=CASES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=cases)
    def send(case: schemathesis.Case) -> None:
        response = case.call(base_url=url, session=session, headers={"X-API-Key": ingest_service.config.api_key},
                             timeout=30)
        seen[(f"{case.method} {case.path}", response.status_code)] += 1
        assert response.status_code < 500, (case.as_curl_command(), response.text[:500])

    send()

    print(sorted(seen.items()))
    assert sum(seen.values()) >= CASES
    statuses = {status for _, status in seen}
    assert {201, 422} <= statuses  # both accepted and refused bodies were generated
