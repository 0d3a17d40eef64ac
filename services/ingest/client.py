"""Send files to the ingest gateway: .txt, .html/.htm, .json (object or list), .ndjson/.jsonl, or directories."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

SUFFIXES = {".txt", ".html", ".htm", ".json", ".ndjson", ".jsonl"}


@dataclass(frozen=True)
class Item:
    label: str  # file, or file:line for NDJSON
    body: dict[str, Any] | None
    error: str | None = None


@dataclass(frozen=True)
class Outcome:
    label: str
    article_id: str | None = None
    status: str | None = None  # published / duplicate
    error: str | None = None


def expand(paths: list[Path]) -> Iterator[Path | str]:
    """Files to send, in a stable order; a string is an error about a path that cannot be read."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        elif path.is_file():
            yield path
        else:
            yield f"{path}: no such file or directory"


def items_from(path: Path) -> Iterator[Item]:
    suffix = path.suffix.lower()
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        yield Item(str(path), None, f"cannot read: {error}")
        return
    if suffix == ".txt":
        yield Item(str(path), {"text": content})
    elif suffix in (".html", ".htm"):
        yield Item(str(path), {"html": content})
    elif suffix == ".json":
        yield from _json_items(str(path), content)
    elif suffix in (".ndjson", ".jsonl"):
        for number, line in enumerate(content.splitlines(), start=1):
            if line.strip():
                yield from _json_items(f"{path}:{number}", line)
    else:
        yield Item(str(path), None, f"unsupported file type {suffix or '(none)'}; use one of {sorted(SUFFIXES)}")


def _json_items(label: str, content: str) -> Iterator[Item]:
    try:
        data = json.loads(content)
    except json.JSONDecodeError as error:
        yield Item(label, None, f"invalid JSON: {error}")
        return
    rows = data if isinstance(data, list) else [data]
    for index, row in enumerate(rows):
        row_label = label if len(rows) == 1 else f"{label}[{index}]"
        if isinstance(row, dict):
            yield Item(row_label, row)
        else:
            yield Item(row_label, None, "expected a JSON object with 'text' or 'html'")


def collect(paths: list[Path]) -> list[Item]:
    items: list[Item] = []
    for entry in expand(paths):
        if isinstance(entry, str):
            items.append(Item(entry.split(":", 1)[0], None, entry.split(": ", 1)[1]))
        else:
            items.extend(items_from(entry))
    return items


def _error_text(response: httpx.Response) -> str:
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        detail = response.text[:300]
    if isinstance(detail, list):  # FastAPI validation errors
        detail = "; ".join(f"{'.'.join(map(str, d.get('loc', [])[1:]))}: {d.get('msg')}" for d in detail)
    return f"HTTP {response.status_code}: {detail}"


async def send_all(
    items: list[Item], base_url: str, api_key: str, *, concurrency: int = 8,
    on_done: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """POST every item; one bad item never stops the others. Outcomes come back in input order."""
    limit = asyncio.Semaphore(concurrency)
    headers = {"X-API-Key": api_key}

    async def send(client: httpx.AsyncClient, item: Item) -> Outcome:
        if item.body is None:
            outcome = Outcome(item.label, error=item.error)
        else:
            async with limit:
                try:
                    response = await client.post("/v1/articles", json=item.body, headers=headers)
                except httpx.HTTPError as error:
                    outcome = Outcome(item.label, error=f"cannot reach {base_url}: {error!r}")
                else:
                    if response.is_success:
                        body = response.json()
                        outcome = Outcome(item.label, body["article_id"], body["status"])
                    else:
                        outcome = Outcome(item.label, error=_error_text(response))
        if on_done:
            on_done(outcome)
        return outcome

    async with httpx.AsyncClient(base_url=base_url, timeout=60.0) as client:
        return list(await asyncio.gather(*(send(client, item) for item in items)))
