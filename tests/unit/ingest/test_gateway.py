"""The ingest gateway's checks and wiring, in process (TestClient; the broker is faststream's in-memory one).

What a real server and a real broker add (delivery, 503 with the broker stopped, unread bodies) is in
tests/integration/ingest/.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator

import pytest
from fastapi.testclient import TestClient
from faststream.kafka import TestKafkaBroker

from dealwire.services.ingest.app import build_app
from dealwire.services.ingest.auth import ApiKeys, hash_key
from dealwire.shared.settings import Settings

KEY, OTHER_KEY = "key-of-feed-a", "key-of-feed-b"


def settings(**changes: object) -> Settings:
    defaults = {"api_key_hashes": [hash_key(KEY), hash_key(OTHER_KEY)], "max_article_bytes": 4096,
                "max_batch_bytes": 16384, "max_batch_lines": 5}
    return Settings(**(defaults | changes))


@pytest.fixture
def client() -> Iterator[TestClient]:
    """No lifespan: nothing here may reach the broker."""
    yield TestClient(build_app(settings()))


@pytest.fixture
async def published() -> AsyncIterator[tuple[TestClient, list]]:
    """The gateway over faststream's in-memory broker; yields the client and the records it published."""
    app = build_app(settings())
    records: list = []

    @app.state.broker.subscriber("articles.raw.v1")
    async def capture(body: dict) -> None:
        records.append(body)

    async with TestKafkaBroker(app.state.broker):
        yield TestClient(app), records


def post(client: TestClient, body: object, key: str | None = KEY, **headers: str) -> object:
    content = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json", **headers} | ({"X-API-Key": key} if key is not None else {})
    return client.post("/v1/articles", content=content, headers=headers)


def locations(response: object) -> list[list]:
    return [error["loc"] for error in response.json()["detail"]]


@pytest.mark.parametrize("key", [None, "", "wrong", KEY + " "])
def test_without_a_valid_key_401_and_the_connection_is_closed(client: TestClient, key: str | None) -> None:
    response = post(client, {"text": "x"}, key=key)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "ApiKey"
    assert response.headers["connection"] == "close"


def test_the_key_is_checked_before_the_media_type_and_the_size(client: TestClient) -> None:
    response = post(client, b"x" * 10_000, key="wrong", **{"Content-Type": "text/plain"})
    assert response.status_code == 401


def test_every_configured_key_is_accepted(client: TestClient) -> None:
    for key in (KEY, OTHER_KEY):  # two feeds, or an old and a new key during rotation
        response = post(client, {"text": "  "}, key=key)
        assert response.status_code == 422


def test_key_hashes_must_be_well_formed() -> None:
    with pytest.raises(ValueError, match="sha256"):
        ApiKeys(["sha256:abc"])
    with pytest.raises(ValueError, match="no API key"):
        ApiKeys([])
    with pytest.raises(SystemExit, match="DEALWIRE_API_KEY_HASHES"):
        build_app(Settings(api_key_hashes=[]))


def test_hashes_come_from_a_comma_separated_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEALWIRE_API_KEY_HASHES", f"{hash_key(KEY)}, {hash_key(OTHER_KEY)}")
    assert ApiKeys(Settings().api_key_hashes).accepts(OTHER_KEY)


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", ""])
def test_a_wrong_media_type_is_415(client: TestClient, content_type: str) -> None:
    response = post(client, {"text": "x"}, **{"Content-Type": content_type})
    assert response.status_code == 415
    assert "application/json" in response.json()["detail"]


def test_json_with_a_charset_is_accepted(client: TestClient) -> None:
    assert post(client, {"text": " "}, **{"Content-Type": "application/json; charset=utf-8"}).status_code == 422


def test_a_declared_length_over_the_cap_is_413_before_reading(client: TestClient) -> None:
    response = post(client, {"text": "x" * 5000})
    assert response.status_code == 413
    assert response.json()["detail"].endswith("the limit is 4096")
    assert response.headers["connection"] == "close"


def test_a_chunked_body_over_the_cap_is_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(10):
            yield b"x" * 1000
        yield b'"}'

    response = client.post("/v1/articles", content=chunks(),
                           headers={"X-API-Key": KEY, "Content-Type": "application/json"})
    assert response.status_code == 413


def test_a_text_that_grows_past_the_record_limit_when_normalised_is_413() -> None:
    # U+1D164 is 4 bytes that NFC turns into three code points (12 bytes): the body fits, the record would not.
    client = TestClient(build_app(settings(max_article_bytes=64 * 1024)))
    response = post(client, {"text": "\U0001d164" * 15_000})
    assert response.status_code == 413
    assert "after normalisation" in response.json()["detail"]


@pytest.mark.parametrize(("body", "location"), [
    ({"text": "   "}, ["body", "text"]),
    ({"html": "<script>x()</script>"}, ["body", "html"]),
    ({"text": "a", "html": "<p>b</p>"}, ["body", "text"]),
    ({"title": "no body"}, ["body", "text"]),
    ({"text": "x", "published": "not a date"}, ["body", "published"]),
    ({"text": "x", "unknown": 1}, ["body", "unknown"]),
    ({"text": 5}, ["body", "text"]),
    ({"text": "x", "title": "t" * 1001}, ["body", "title"]),
    (["not", "an", "object"], ["body"]),
    (b'{"text": "lone \\ud800 surrogate"}', ["body"]),
    (b'{"text": "bad utf-8 \xff"}', ["body"]),
    (b'{"text": ', ["body"]),
    (b"", ["body"]),
])
def test_each_validation_failure_is_422_naming_the_field(client: TestClient, body: object, location: list) -> None:
    response = post(client, body)
    assert response.status_code == 422
    assert locations(response) == [location]
    assert all("input" not in error for error in response.json()["detail"])  # never echoes a big body


def test_an_accepted_article_is_published_keyed_by_its_id(published: tuple[TestClient, list]) -> None:
    client, records = published
    response = post(client, {"html": "<h1>Acme buys Beta</h1><p>Acme \x00 acquires Beta.</p>",
                             "title": "Acme\nbuys Beta", "published": "2025-07-23"})
    assert response.status_code == 201
    assert response.json()["status"] == "published"
    [record] = records
    assert record["article_id"] == response.json()["article_id"]
    assert record["text"] == "Acme buys Beta\nAcme acquires Beta."
    assert record["title"] == "Acme buys Beta"  # one line, no control characters


def test_a_batch_gives_a_result_per_line(published: tuple[TestClient, list]) -> None:
    client, records = published
    lines = [
        json.dumps({"text": "Acme licenses X-1 to Beta."}),
        "",
        json.dumps({"text": "Gamma acquires Delta.", "unknown": True}),
        "{broken",
        json.dumps({"text": "Acme licenses X-1 to Beta.  "}),  # the same article after normalisation
        json.dumps({"html": "<p>Epsilon raises $5M.</p>"}),
    ]
    response = client.post("/v1/articles:batch", content="\n".join(lines).encode(),
                           headers={"X-API-Key": KEY, "Content-Type": "application/x-ndjson"})

    assert response.status_code == 200
    body = response.json()
    assert [(r["line"], r["status"]) for r in body["results"]] == [
        (1, "published"), (3, "invalid"), (4, "invalid"), (5, "duplicate"), (6, "published")]
    assert body["results"][1]["errors"][0]["loc"] == ["body", 3, "unknown"]
    assert body["counts"] == {"published": 2, "invalid": 2, "duplicate": 1}
    assert body["results"][0]["article_id"] == body["results"][3]["article_id"]
    assert len(records) == 2


@pytest.mark.parametrize(("content", "status"), [
    (b"\n".join([b'{"text": "x"}'] * 6), 413),  # more lines than max_batch_lines
    (b"\n\n", 422),
])
def test_a_batch_too_long_or_empty_is_refused(client: TestClient, content: bytes, status: int) -> None:
    response = client.post("/v1/articles:batch", content=content,
                           headers={"X-API-Key": KEY, "Content-Type": "application/x-ndjson"})
    assert response.status_code == status


def test_the_batch_wants_ndjson(client: TestClient) -> None:
    response = client.post("/v1/articles:batch", content=b'{"text": "x"}',
                           headers={"X-API-Key": KEY, "Content-Type": "application/json"})
    assert response.status_code == 415


def test_openapi_declares_the_key_scheme_and_the_bodies(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["APIKeyHeader"] == {
        "type": "apiKey", "in": "header", "name": "X-API-Key",
        "description": "one of the keys whose hash is in DEALWIRE_API_KEY_HASHES"}
    single = spec["paths"]["/v1/articles"]["post"]
    assert single["security"] == [{"APIKeyHeader": []}]
    assert set(single["requestBody"]["content"]["application/json"]["schema"]["properties"]) == {
        "text", "html", "title", "url", "source", "published"}
    assert "application/x-ndjson" in spec["paths"]["/v1/articles:batch"]["post"]["requestBody"]["content"]


def test_healthz_needs_no_broker(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_the_api_key_command_makes_a_key_and_the_hash_the_gateway_accepts() -> None:
    from typer.testing import CliRunner

    from dealwire.cli import app

    output = dict(line.split("\t") for line in CliRunner().invoke(app, ["api-key"]).stdout.splitlines())
    assert ApiKeys([output["hash"]]).accepts(output["key"])
    again = CliRunner().invoke(app, ["api-key", "--stdin"], input=output["key"] + "\n").stdout
    assert again == f"hash\t{output['hash']}\n"
