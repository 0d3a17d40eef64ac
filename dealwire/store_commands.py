"""`dealwire deals` and `dealwire checksum`: what the read models hold, as a table or as JSON."""

from __future__ import annotations

import asyncio
import json
from typing import Annotated, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from dealwire.services.store.checksum import Checksum, checksum
from dealwire.services.store.db import make_read_sessions
from dealwire.services.store.queries import DealFilters, DealQuery, DealView, Sort, list_deals
from dealwire.shared.schemas import Money, Territory
from dealwire.shared.settings import Settings

UNDEFINED_TABLE = "42P01"


def deals_command(
    json_output: Annotated[bool, typer.Option("--json", help="one JSON object per line")] = False,
    primary_only: Annotated[bool, typer.Option("--primary-only", help="only articles' main deals")] = False,
    deal_type: Annotated[str | None, typer.Option("--type", help="licensing, acquisition, regulatory, ...")] = None,
    company: Annotated[str | None, typer.Option(help="a party, any spelling or alias")] = None,
    role: Annotated[str | None, typer.Option(help="the company's role (licensor, acquirer, ...)")] = None,
    asset: Annotated[str | None, typer.Option()] = None,
    target: Annotated[str | None, typer.Option(help="e.g. HER2")] = None,
    indication: Annotated[str | None, typer.Option(help="part of an indication's name")] = None,
    modality: Annotated[str | None, typer.Option(help="part of a modality's name")] = None,
    regulator: Annotated[str | None, typer.Option()] = None,
    action: Annotated[str | None, typer.Option(help="regulatory action, e.g. approved")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="YYYY-MM-DD")] = None,
    min_upfront_usd: Annotated[float | None, typer.Option(help="upfront at least this many USD")] = None,
    min_total_usd: Annotated[float | None, typer.Option(help="total value at least this many USD")] = None,
    sort: Annotated[str, typer.Option(help="primary, newest, oldest, upfront or value")] = "primary",
    limit: Annotated[int | None, typer.Option(min=1, help="at most this many deals")] = None,
    database_url: Annotated[str | None, typer.Option(
        envvar=["DEALWIRE_READ_DATABASE_URL", "DEALWIRE_DATABASE_URL"],
        help="queried as the read-only role dealwire_reader")] = None,
) -> None:
    """List the deals in the database (the read API's query and filters): primary deals first, newest first."""
    try:
        filters = DealFilters(
            type=deal_type, company=company, role=role, asset=asset, target=target, indication=indication,
            modality=modality, regulator=regulator, action=action, date_from=date_from, date_to=date_to,
            min_upfront_usd=min_upfront_usd, min_total_usd=min_total_usd, primary_only=primary_only,
        )
        query = DealQuery(**filters.model_dump(), sort=sort)
    except ValidationError as error:
        _fail("; ".join(f"--{'-'.join(str(part) for part in e['loc'])}: {e['msg']}" for e in error.errors()))
    url = database_url or Settings().database_url
    try:
        deals = asyncio.run(fetch_deals(url, filters, sort=query.sort, limit=limit))
    except DBAPIError as error:
        if getattr(error.orig, "sqlstate", None) == UNDEFINED_TABLE:
            _fail(f"database {_safe(url)} has no dealwire tables yet (the store creates them on start)")
        _fail(f"cannot query the database at {_safe(url)}: {_reason(error)}")
    except OSError as error:
        _fail(f"cannot reach the database at {_safe(url)}: {_reason(error)}")
    if json_output:
        for deal in deals:
            typer.echo(deal.model_dump_json())
    else:
        Console().print(render_deals_table(deals))


def checksum_command(
    json_output: Annotated[bool, typer.Option("--json", help="the digests as one JSON object")] = False,
    database_url: Annotated[str | None, typer.Option(envvar="DEALWIRE_DATABASE_URL")] = None,
) -> None:
    """A digest of the read models' content, independent of row order and processing times.

    Two databases holding the same deals, events, companies and articles print the same digest, however
    and whenever they were filled (a clean run, a run with crashes, a rebuild).
    """
    url = database_url or Settings().database_url
    try:
        result = asyncio.run(_checksum(url))
    except DBAPIError as error:
        if getattr(error.orig, "sqlstate", None) == UNDEFINED_TABLE:
            _fail(f"database {_safe(url)} has no dealwire tables yet (the store creates them on start)", "checksum")
        _fail(f"cannot query the database at {_safe(url)}: {_reason(error)}", "checksum")
    except OSError as error:
        _fail(f"cannot reach the database at {_safe(url)}: {_reason(error)}", "checksum")
    if json_output:
        typer.echo(json.dumps(result.as_dict()))
        return
    table = Table(title=f"read models checksum {result.digest}")
    for column in ("table", "rows", "digest"):
        table.add_column(column, justify="right" if column == "rows" else "left")
    for name, digest in result.tables.items():
        table.add_row(name, f"{digest.rows:,}", digest.digest)
    Console().print(table)


async def _checksum(url: str) -> Checksum:
    sessions = make_read_sessions(url, connect_args={"timeout": 5})
    try:
        return await checksum(sessions)
    finally:
        await sessions.kw["bind"].dispose()


def render_deals_table(deals: list[DealView]) -> Table:
    table = Table(title=f"{len(deals)} deal{'' if len(deals) == 1 else 's'}", show_lines=True)
    for column in ("Type", "Parties", "Asset", "Terms", "Territory", "Stage", "Date", "Articles"):
        table.add_column(column)
    for deal in deals:
        table.add_row(
            deal.type if deal.primary else f"{deal.type} (secondary)",
            "\n".join(f"{name} ({role})" for name, role in deal.parties),
            "\n".join(deal.assets),
            format_terms(deal),
            format_territory(deal.territory),
            deal.stage or "",
            deal.deal_date or "",
            str(len(deal.article_ids)),
        )
    return table


def format_terms(deal: DealView) -> str:
    """E.g. 'USD 15.0M upfront / 1.32B milestones / tiered royalties'; a shared currency is named once."""
    terms = [
        (money, label)
        for money, label in (
            (deal.upfront, "upfront"), (deal.milestones, "milestones"),
            (deal.total_value, "total"), (deal.equity, "equity"),
        )
        if money is not None
    ]
    shared_currency = len({money.currency for money, _ in terms}) == 1
    parts = [
        f"{'' if shared_currency and index else money.currency + ' '}{format_amount(money)} {label}"
        for index, (money, label) in enumerate(terms)
    ]
    if deal.royalties is not None:
        tiered = "tiered" if deal.royalties.tiered else ""
        cap = deal.royalties.cap
        up_to = f"up to {cap.currency} {format_amount(cap)}" if cap else ""
        parts.append(" ".join(filter(None, [tiered, deal.royalties.rate, "royalties", up_to])))
    if deal.regulator or deal.regulatory_action:
        action = (deal.regulatory_action or "").replace("_", " ")
        parts.insert(0, " ".join(filter(None, [deal.regulator, action])))
    return " / ".join(parts)


def format_amount(money: Money) -> str:
    """15000000 -> '15.0M', 1320000000 -> '1.32B'."""
    for scale, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(money.amount) >= scale:
            return _trim(money.amount / scale) + suffix
    return _trim(money.amount)


def format_territory(territory: Territory | None) -> str:
    if territory is None:
        return ""
    included = ", ".join(territory.include) or "worldwide"
    return f"{included} excl. {', '.join(territory.exclude)}" if territory.exclude else included


def _trim(value: float) -> str:
    """Up to three decimals, at least one: 1.32, 15.0, 1.093."""
    text = f"{value:.3f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


async def fetch_deals(url: str, filters: DealFilters | None = None, *, sort: Sort = "primary",
                      limit: int | None = None) -> list[DealView]:
    sessions = make_read_sessions(url, connect_args={"timeout": 5})
    try:
        return await list_deals(sessions, filters, sort=sort, limit=limit)
    finally:
        await sessions.kw["bind"].dispose()


def _safe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _reason(error: BaseException) -> str:
    cause = getattr(error, "orig", None) or error
    return str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__


def _fail(message: str, command: str = "deals") -> NoReturn:
    typer.echo(f"dealwire {command}: {message}", err=True)
    raise typer.Exit(code=1)
