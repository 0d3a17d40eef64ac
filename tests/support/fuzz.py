"""Requests generated from a service's own OpenAPI document (schemathesis), sent to the real server."""

from __future__ import annotations

from collections import Counter

import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode


def statuses_of_generated_requests(base_url: str, cases: int, headers: dict[str, str] | None = None
                                   ) -> Counter[tuple[str, int]]:
    """Sends `cases` valid and deliberately invalid requests; fails on the first 5xx, with its curl command.
    Returns how often each operation answered each status."""
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    generated = st.one_of(schema.as_strategy(GenerationMode.POSITIVE), schema.as_strategy(GenerationMode.NEGATIVE))
    seen: Counter[tuple[str, int]] = Counter()
    session = requests.Session()

    @settings(max_examples=cases, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=generated)
    def send(case: schemathesis.Case) -> None:
        response = case.call(base_url=base_url, session=session, headers=headers, timeout=30)
        seen[(case.operation.label, response.status_code)] += 1
        assert response.status_code < 500, (case.as_curl_command(), response.text[:500])

    send()
    print(sorted(seen.items()))
    return seen
