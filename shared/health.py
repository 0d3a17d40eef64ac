"""Health checks of a service's dependencies and of its work, for `dealwire status` and container HEALTHCHECKs.

`python -m dealwire.shared.health ingest|extract|store|store-api` exits 0 when the service can do its work:
- ingest, store-api (the read API): its own `/healthz` answers;
- extract: the broker answers and the service's consumer group has a member;
- store: the same, and its database answers.
The group check is per group, not per replica, and on the embedded Tansu broker a SIGKILLed member
stays in its group until another one joins (see `dealwire.shared.offsets`).
"""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import asdict, dataclass

import httpx

from dealwire.shared.settings import Settings

TIMEOUT_S = 5.0


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


async def check_http(name: str, url: str) -> Check:
    try:
        async with httpx.AsyncClient(timeout=TIMEOUT_S) as client:
            response = await client.get(url)
    except httpx.HTTPError as error:
        return Check(name, False, f"{url}: {type(error).__name__} {error}".strip())
    return Check(name, response.is_success, f"{url}: HTTP {response.status_code}")


async def check_database(url: str) -> Check:
    from sqlalchemy import text
    from sqlalchemy.engine import make_url
    from sqlalchemy.ext.asyncio import create_async_engine

    shown = make_url(url).render_as_string(hide_password=True)
    engine = create_async_engine(url, connect_args={"timeout": TIMEOUT_S})
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return Check("database", True, shown)
    except Exception as error:  # any failure to connect or query is the answer, not a crash
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()
        return Check("database", False, f"{shown}: {reason[0] if reason else type(error).__name__}")
    finally:
        await engine.dispose()


async def check_group(settings: Settings, group: str) -> Check:
    """The broker answers and `group` has at least one member."""
    from aiokafka.errors import KafkaError

    from dealwire.shared.kafka_security import client_kwargs
    from dealwire.shared.offsets import OffsetReader

    try:
        async with OffsetReader(settings.kafka_bootstrap_servers, **client_kwargs(settings)) as reader:
            state = await asyncio.wait_for(reader.group_state(group), TIMEOUT_S)
    except (KafkaError, OSError, TimeoutError) as error:
        return Check(group, False, f"broker {settings.kafka_bootstrap_servers}: {error or type(error).__name__}")
    return Check(group, state.members > 0, f"group {group}: {state.state}, {state.members} member(s)")


async def service_checks(service: str, settings: Settings) -> list[Check]:
    if service in ("ingest", "store-api"):
        return [await check_http(service, f"http://127.0.0.1:{settings.http_port}/healthz")]
    checks = [await check_group(settings, settings.group_for(service))]
    if service == "store":
        checks.append(await check_database(settings.database_url))
    return checks


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in ("ingest", "extract", "store", "store-api"):
        print("usage: python -m dealwire.shared.health ingest|extract|store|store-api", file=sys.stderr)
        return 2
    checks = asyncio.run(service_checks(argv[0], Settings()))
    print(json.dumps([asdict(check) for check in checks]))
    return 0 if all(check.ok for check in checks) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
