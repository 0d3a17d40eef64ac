"""Requests generated from the read API's own OpenAPI (schemathesis), valid and invalid, against the real
server over the seeds and dev corpus: none may get a 5xx (a NUL in a filter, a huge number, a bad cursor...)."""

from __future__ import annotations

import pytest

from dealwire.stack import ServiceProcesses
from tests.support.fuzz import statuses_of_generated_requests

pytestmark = [pytest.mark.integration, pytest.mark.slow]
CASES = 600


def test_no_generated_query_gets_a_server_error(read_stack: ServiceProcesses) -> None:
    seen = statuses_of_generated_requests(read_stack.config.api_url, CASES)

    assert sum(seen.values()) >= CASES
    assert {200, 404, 422} <= {status for _, status in seen}
