"""The ingest gateway as a feed sees it: a real uvicorn server, the real broker, what lands on the topic.

Validation details are unit-tested in process (tests/unit/ingest/test_gateway.py); here each refusal is
checked once through the real server, with what only a real server shows: the body left unread, the
connection closed, the record limit agreed with the broker.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from pathlib import Path

import httpx
import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from dealwire.shared.kafka import max_record_bytes
from dealwire.shared.settings import Settings
from dealwire.stack import ServiceProcesses
from tests.support.pipeline import read_topic

pytestmark = pytest.mark.integration
CAP = Settings().max_article_bytes  # the defaults are what is tested


def post(services: ServiceProcesses, body: object, key: str | None = None, path: str = "/v1/articles",
         content_type: str = "application/json") -> httpx.Response:
    headers = {"X-API-Key": services.config.api_key if key is None else key, "Content-Type": content_type}
    content = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    return httpx.post(f"{services.config.ingest_url}{path}", content=content, headers=headers, timeout=30)


def records_for(services: ServiceProcesses, article_ids: set[str]) -> list:
    records = asyncio.run(read_topic(services.config.bootstrap_servers, services.config.topic_articles,
                                     lambda rs: {r.key.decode() for r in rs} >= article_ids))
    return [record for record in records if record.key.decode() in article_ids]


def test_an_accepted_article_is_on_the_topic_keyed_by_its_id(ingest_service: ServiceProcesses) -> None:
    response = post(ingest_service, {"html": "<h1>Acme buys Beta</h1><p>Acme  acquires Beta.</p>",
                                     "source": "wire", "published": "2025-07-23"})
    assert response.status_code == 201
    article_id = response.json()["article_id"]

    [record] = records_for(ingest_service, {article_id})
    published = json.loads(record.value)
    assert published["text"] == "Acme buys Beta\nAcme acquires Beta."
    assert published["title"] == "Acme buys Beta"
    assert published["published"] == "2025-07-23"
    assert published["source"] == "wire"


def test_the_same_article_twice_is_reported_as_duplicate(ingest_service: ServiceProcesses) -> None:
    first = post(ingest_service, {"text": "Acme licenses X to Beta."})
    second = post(ingest_service, {"text": "  Acme licenses X to Beta.\n"})
    assert first.json()["status"] == "published"
    assert second.json() == {"article_id": first.json()["article_id"], "status": "duplicate"}


@pytest.mark.parametrize(("body", "key", "content_type", "status"), [
    ({"text": "x"}, "wrong-key", "application/json", 401),
    ({"text": "x" * (CAP + 1)}, None, "application/json", 413),
    ({"text": "x"}, None, "text/plain", 415),
    ({"text": "x", "published": "not a date"}, None, "application/json", 422),
])
def test_each_refusal_through_the_real_server(ingest_service: ServiceProcesses, body: object, key: str | None,
                                              content_type: str, status: int) -> None:
    response = post(ingest_service, body, key, content_type=content_type)
    assert response.status_code == status
    assert response.json()["detail"]


def raw_request_head(services: ServiceProcesses, key: str, declared_length: int) -> bytes:
    key_line = f"X-API-Key: {key}\r\n" if key else ""
    return (f"POST /v1/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"{key_line}Content-Length: {declared_length}\r\n\r\n").encode()


@pytest.mark.parametrize(("key", "status"), [("", 401), ("wrong", 401), (None, 413)])
def test_a_50_mb_upload_is_answered_without_the_body_being_read(ingest_service: ServiceProcesses, key: str | None,
                                                               status: int) -> None:
    """The client announces 50 MB and sends 64 KiB: the answer comes anyway, so nothing waited for the rest."""
    declared = 50 * 1024 * 1024
    with socket.create_connection(("127.0.0.1", ingest_service.config.http_port), timeout=10) as sock:
        started = time.perf_counter()
        sock.sendall(raw_request_head(ingest_service, ingest_service.config.api_key if key is None else key,
                                      declared))
        sock.sendall(b'{"text": "' + b"x" * 65_000)
        response = b""
        while chunk := sock.recv(65536):  # until the server closes the connection
            response += chunk
        elapsed_ms = (time.perf_counter() - started) * 1000
    head, _, body = response.partition(b"\r\n\r\n")
    assert head.startswith(f"HTTP/1.1 {status}".encode()), head
    assert b"connection: close" in head.lower()
    assert json.loads(body)["detail"]
    print(f"refused in {elapsed_ms:.1f} ms with {declared - 65_010} bytes never sent")


def test_an_article_at_the_cap_with_the_widest_envelope_reaches_the_topic(ingest_service: ServiceProcesses) -> None:
    """The body cap, the producer's max_request_size and the topic's max.message.bytes agree."""
    fields = {"title": "😀" * 1000, "url": "😀" * 2000, "source": "😀" * 300}
    envelope = len(json.dumps({**fields, "text": ""}, ensure_ascii=False).encode())
    body = {"text": "😀" * ((CAP - envelope) // 4), **fields}
    content = json.dumps(body, ensure_ascii=False).encode()
    content = content.replace(b'"text": "', b'"text": "' + b" " * (CAP - len(content)), 1)  # exactly the cap
    assert len(content) == CAP

    response = post(ingest_service, content)

    assert response.status_code == 201, response.text
    [record] = records_for(ingest_service, {response.json()["article_id"]})
    assert CAP - 64 * 1024 < len(record.value) <= max_record_bytes(Settings())


def test_the_topic_is_created_with_the_record_limit(ingest_service: ServiceProcesses) -> None:
    async def topic_limit() -> str | None:
        admin = AIOKafkaAdminClient(bootstrap_servers=ingest_service.config.bootstrap_servers)
        await admin.start()
        try:
            [response] = await admin.describe_configs(
                [ConfigResource(ConfigResourceType.TOPIC, ingest_service.config.topic_articles)])
            [(_, _, _, _, configs)] = response.resources
            return {entry[0]: entry[1] for entry in configs}.get("max.message.bytes")
        finally:
            await admin.close()

    assert asyncio.run(topic_limit()) == str(max_record_bytes(Settings()))


def test_readyz_sees_the_broker_and_the_topic(ingest_service: ServiceProcesses) -> None:
    response = httpx.get(f"{ingest_service.config.ingest_url}/readyz")
    assert (response.status_code, response.json()) == (200, {"status": "ready", "reason": "ok"})


def test_a_batch_of_mixed_lines_publishes_the_good_ones_once(ingest_service: ServiceProcesses) -> None:
    lines = [json.dumps({"text": f"Batch article {n}: Acme licenses X-{n} to Beta."}) for n in range(5)]
    lines.insert(2, '{"text": 1}')
    lines.insert(4, lines[0])  # the same article twice in one request
    lines.append(json.dumps({"text": "x" * (CAP + 10)}))
    response = post(ingest_service, "\n".join(lines).encode(), path="/v1/articles:batch",
                    content_type="application/x-ndjson")

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["counts"] == {"published": 5, "invalid": 1, "duplicate": 1, "too_large": 1}
    published = {r["article_id"] for r in body["results"] if r["status"] == "published"}
    assert len(records_for(ingest_service, published)) == 5

    again = post(ingest_service, "\n".join(lines[:2]).encode(), path="/v1/articles:batch",
                 content_type="application/x-ndjson")
    assert [r["status"] for r in again.json()["results"]] == ["duplicate", "duplicate"]


def test_the_ingest_command_sends_good_files_and_names_the_bad_one(
    ingest_service: ServiceProcesses, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from dealwire.cli import app

    (tmp_path / "one.txt").write_text("Acme licenses X-1 to Beta, says the command test.")
    (tmp_path / "two.ndjson").write_text('{"text": "Gamma acquires Delta (command test)."}\n'
                                         '{"html": "<p>Epsilon raises $5M (command test).</p>"}\n')
    (tmp_path / "broken.json").write_text("{oops")

    result = CliRunner().invoke(app, ["ingest", str(tmp_path), "--url", ingest_service.config.ingest_url,
                                      "--api-key", ingest_service.config.api_key])

    assert result.exit_code == 1
    published = [line.split("\t") for line in result.stdout.splitlines() if line.startswith("art_")]
    assert [(status, Path(label.split(":")[0]).name) for _, status, label in published] == [
        ("published", "one.txt"), ("published", "two.ndjson"), ("published", "two.ndjson")]
    assert "broken.json" in result.stderr and "invalid JSON" in result.stderr
    assert len(records_for(ingest_service, {article_id for article_id, _, _ in published})) == 3
