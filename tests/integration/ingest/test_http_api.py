"""POST /v1/articles against the real broker: what a feed sees, and what lands on the topic."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from dealwire.stack import ServiceProcesses, StackConfig
from tests.support.infra import Infra, unique_name
from tests.support.pipeline import read_topic

pytestmark = pytest.mark.integration


@pytest.fixture
def ingest_service(infra: Infra, tmp_path: Path) -> Iterator[ServiceProcesses]:
    name = unique_name("ingest")
    config = StackConfig(infra.bootstrap_servers, infra.database_url, log_dir=tmp_path, name=name,
                         enable_idempotence=infra.enable_idempotence, topic_articles=f"{name}.articles",
                         topic_deals=f"{name}.deals")
    with ServiceProcesses(config) as services:
        services.start("ingest")
        yield services


def post(services: ServiceProcesses, body: object, key: str | None = None) -> httpx.Response:
    headers = {"X-API-Key": services.config.api_key if key is None else key}
    return httpx.post(f"{services.config.ingest_url}/v1/articles", json=body, headers=headers, timeout=30)


def test_an_accepted_article_is_on_the_topic_keyed_by_its_id(ingest_service: ServiceProcesses) -> None:
    response = post(ingest_service, {"html": "<h1>Acme buys Beta</h1><p>Acme  acquires Beta.</p>",
                                     "source": "wire", "published": "2025-07-23"})
    assert response.status_code == 201
    article_id = response.json()["article_id"]

    records = asyncio.run(read_topic(ingest_service.config.bootstrap_servers,
                                     ingest_service.config.topic_articles, lambda r: len(r) >= 1))
    assert records[0].key == article_id.encode()
    published = json.loads(records[0].value)
    assert published["text"] == "Acme buys Beta\nAcme acquires Beta."
    assert published["title"] == "Acme buys Beta"
    assert published["published"] == "2025-07-23"
    assert published["source"] == "wire"


def test_the_same_article_twice_is_reported_as_duplicate(ingest_service: ServiceProcesses) -> None:
    first = post(ingest_service, {"text": "Acme licenses X to Beta."})
    second = post(ingest_service, {"text": "  Acme licenses X to Beta.\n"})
    assert first.json()["status"] == "published"
    assert second.json() == {"article_id": first.json()["article_id"], "status": "duplicate"}


@pytest.mark.parametrize(("body", "key", "status"), [
    ({"text": "x"}, "wrong-key", 401),
    ({"text": "x"}, "", 401),
    ({"text": "   "}, None, 422),
    ({"text": "a", "html": "<p>b</p>"}, None, 422),
    ({"title": "no body"}, None, 422),
    ({"text": "x", "published": "not a date"}, None, 422),
    ({"text": "x", "unknown": 1}, None, 422),
    (["not", "an", "object"], None, 422),
])
def test_bad_requests_get_clear_errors(ingest_service: ServiceProcesses, body: object, key: str | None,
                                       status: int) -> None:
    response = post(ingest_service, body, key)
    assert response.status_code == status
    assert response.json()["detail"]


def test_the_ingest_command_sends_good_files_and_names_the_bad_one(
    ingest_service: ServiceProcesses, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from dealwire.cli import app

    (tmp_path / "one.txt").write_text("Acme licenses X-1 to Beta.")
    (tmp_path / "two.ndjson").write_text('{"text": "Gamma acquires Delta."}\n{"html": "<p>Epsilon raises $5M.</p>"}\n')
    (tmp_path / "broken.json").write_text("{oops")

    result = CliRunner().invoke(app, ["ingest", str(tmp_path), "--url", ingest_service.config.ingest_url,
                                      "--api-key", ingest_service.config.api_key])

    assert result.exit_code == 1
    published = [line.split("\t") for line in result.stdout.splitlines() if line.startswith("art_")]
    assert [(status, Path(label.split(":")[0]).name) for _, status, label in published] == [
        ("published", "one.txt"), ("published", "two.ndjson"), ("published", "two.ndjson")]
    assert "broken.json" in result.stderr and "invalid JSON" in result.stderr
    records = asyncio.run(read_topic(ingest_service.config.bootstrap_servers,
                                     ingest_service.config.topic_articles, lambda r: len(r) >= 3))
    assert {r.key.decode() for r in records} == {article_id for article_id, _, _ in published}
