"""Requests generated from the read API's own OpenAPI (schemathesis), valid and invalid, against the real
server over the seeds and dev corpus: none may get a 5xx (a NUL in a filter, a huge number, a bad cursor...)."""

from __future__ import annotations

from collections import Counter

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from dealwire.stack import ServiceProcesses

pytestmark = [pytest.mark.integration, pytest.mark.slow]
CASES = 600


def test_no_generated_query_gets_a_server_error(read_stack: ServiceProcesses) -> None:
    url = read_stack.config.api_url
    schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
    cases = st.one_of(schema.as_strategy(GenerationMode.POSITIVE), schema.as_strategy(GenerationMode.NEGATIVE))
    seen: Counter[tuple[str, int]] = Counter()
    session = requests.Session()

    @settings(max_examples=CASES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=cases)
    def send(case: schemathesis.Case) -> None:
        response = case.call(base_url=url, session=session, timeout=30)
        seen[(case.operation.label, response.status_code)] += 1
        assert response.status_code < 500, (case.as_curl_command(), response.text[:500])

    send()

    print(sorted(seen.items()))
    assert sum(seen.values()) >= CASES
    assert {200, 404, 422} <= {status for _, status in seen}
