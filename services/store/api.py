"""The read API and web page of the store: deals, companies, assets and their evidence, over HTTP.

A second entry point of the store package (`python -m dealwire.services.store.api`), deployed beside the
projecting consumer (`python -m dealwire.services.store`) from the same image: the consumer's throughput is
bound to partitions while readers scale by replicas, a slow query never stalls the projection's event
loop, and the two connect with different database privileges. Every query runs as the read-only role
`dealwire_reader` (see `db.make_read_sessions`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from typing import Annotated, TypeVar

import structlog
import uvicorn
from fastapi import FastAPI, HTTPException, Path, Query, Request, status
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, ProgrammingError

from dealwire.services.store import queries
from dealwire.services.store.db import make_read_sessions
from dealwire.services.store.queries import (
    AssetProfile,
    CompanyProfile,
    DealDetail,
    DealFilters,
    DealPage,
    DealQuery,
    InvalidCursor,
    MonthValue,
)
from dealwire.shared.logging import configure_logging
from dealwire.shared.metrics import HttpMetrics, metrics_response
from dealwire.shared.settings import ReadApiSettings

SERVICE = "store-api"
WEB = files("dealwire.services.store") / "web"
RETRY_AFTER = {"Retry-After": "5"}
NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL: refuse it as input, never send it to the database
log = structlog.get_logger()
T = TypeVar("T")

Filters = Annotated[DealFilters, Query()]
NamePath = Annotated[str, Path(min_length=1, max_length=300, pattern=NO_NUL)]


def build_api(settings: ReadApiSettings) -> FastAPI:
    sessions = make_read_sessions(settings.read_database_url or settings.database_url)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        log.info("store_api_ready", host=settings.http_host, port=settings.http_port)
        yield
        await sessions.kw["bind"].dispose()

    app = FastAPI(title="dealwire read API", version="1", lifespan=lifespan,
                  description="Deals extracted from biopharma news, with the evidence behind each field.")
    app.state.sessions = sessions
    app.add_middleware(HttpMetrics)

    @app.exception_handler(InvalidCursor)
    async def invalid_cursor(_: Request, error: InvalidCursor) -> JSONResponse:
        detail = [{"loc": ["query", "cursor"], "msg": str(error), "type": "invalid_cursor"}]
        return JSONResponse({"detail": detail}, status.HTTP_422_UNPROCESSABLE_CONTENT)

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    @app.exception_handler(OSError)
    @app.exception_handler(TimeoutError)
    async def database_unavailable(_: Request, error: Exception) -> JSONResponse:
        log.warning("database_unavailable", error=repr(error)[:300])
        return JSONResponse({"detail": "the database is not available; try again"},
                            status.HTTP_503_SERVICE_UNAVAILABLE, headers=RETRY_AFTER)

    @app.get("/healthz", tags=["operations"])
    async def healthz() -> dict[str, str]:
        """The process is alive."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["operations"])
    async def readyz() -> JSONResponse:
        """The database answers and the read models exist."""
        try:
            async with sessions() as session:
                await session.execute(text("SELECT 1 FROM deals LIMIT 1"))
        except (OperationalError, ProgrammingError, DBAPIError, OSError) as error:
            return JSONResponse({"status": "not ready", "reason": type(error).__name__}, 503, headers=RETRY_AFTER)
        return JSONResponse({"status": "ready", "reason": "ok"})

    @app.get("/metrics", tags=["operations"], response_class=Response,
             responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text format"}})
    async def metrics() -> Response:
        """Prometheus metrics: requests by route and status, and their latency."""
        return metrics_response()

    @app.get("/v1/deals", tags=["deals"])
    async def list_deals(query: Annotated[DealQuery, Query()]) -> DealPage:
        """Deals matching every filter given, one page at a time (follow `next_cursor`)."""
        return await queries.find_deals(sessions, query.filters(), sort=query.sort, limit=query.limit,
                                        cursor=query.cursor)

    @app.get("/v1/deals/{deal_key}", tags=["deals"], responses={404: {"description": "no such deal"}})
    async def get_deal(deal_key: NamePath) -> DealDetail:
        """A deal with its parties, money, territory, source articles and each field's evidence sentence."""
        return _found(await queries.deal_detail(sessions, deal_key), f"no deal {deal_key!r}")

    @app.get("/v1/companies/{name:path}", tags=["companies"], responses={404: {"description": "no such company"}})
    async def get_company(name: NamePath) -> CompanyProfile:
        """A company's deals and its regulatory timeline; any spelling or alias of the name."""
        return _found(await queries.company_profile(sessions, name), f"no company {name!r}")

    @app.get("/v1/assets/{name:path}", tags=["assets"], responses={404: {"description": "no such asset"}})
    async def get_asset(name: NamePath) -> AssetProfile:
        """An asset's deals, the companies in them, and its regulatory timeline."""
        return _found(await queries.asset_profile(sessions, name), f"no asset {name!r}")

    @app.get("/v1/stats/value-by-month", tags=["deals"])
    async def value_by_month(filters: Filters) -> list[MonthValue]:
        """Deal count and value (USD) per month and type, for the dated deals matching the filters."""
        return await queries.value_by_month(sessions, filters)

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(str(WEB / "index.html"))

    app.mount("/static", StaticFiles(directory=str(WEB)), name="static")
    return app


def _found(value: T | None, message: str) -> T:
    if value is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, message)
    return value


def main() -> None:
    settings = ReadApiSettings()
    configure_logging(SERVICE, settings.log_level)
    uvicorn.run(build_api(settings), host=settings.http_host, port=settings.http_port, log_config=None,
                access_log=False)


if __name__ == "__main__":
    main()
