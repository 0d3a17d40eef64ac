"""The read API over the seeds and the dev corpus, ingested through the whole pipeline (see the
`read_stack` fixture): every filter against an independent reading of the same deals, pagination with
deals inserted between pages, evidence, company and asset pages, the read-only role, `dealwire deals`."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from store_helpers import novatim_event
from typer.testing import CliRunner

from dealwire.cli import app as cli
from dealwire.services.store.db import make_read_sessions, make_sessions
from dealwire.services.store.projection import Position, apply_deal_event, asset_key
from dealwire.shared.names import company_key
from dealwire.shared.schemas import Party
from dealwire.stack import ServiceProcesses

pytestmark = pytest.mark.integration
INSERTED = "art_paging_"  # article ids of the deals the pagination test inserts itself, without articles


def get(stack: ServiceProcesses, path: str, **params: Any) -> httpx.Response:
    return httpx.get(f"{stack.config.api_url}{path}", params=params, timeout=30)


def all_pages(stack: ServiceProcesses, **params: Any) -> list[dict[str, Any]]:
    deals, cursor = [], None
    while True:
        page = get(stack, "/v1/deals", limit=200, **params, **({"cursor": cursor} if cursor else {}))
        assert page.status_code == 200, page.text
        deals += page.json()["items"]
        if (cursor := page.json()["next_cursor"]) is None:
            return deals


def day(deal: dict[str, Any]) -> str | None:
    value = deal["deal_date"]
    return None if value is None else {4: f"{value}-01-01", 7: f"{value}-01"}.get(len(value), value)


def value_usd(deal: dict[str, Any]) -> float | None:
    if deal["total_value"]:
        return deal["total_value"]["amount_usd"]
    parts = [deal[name]["amount_usd"] for name in ("upfront", "milestones", "equity")
             if deal[name] and deal[name]["amount_usd"]]
    return sum(parts) if parts else None


def company_named(value: str, name: str) -> bool:
    return f" {company_key(value)} " in f" {company_key(name)} "


# Each filter with a value found in the data, and what it means, read independently of the SQL.
FILTERS: list[tuple[str, Any, Any]] = [
    ("type", "licensing", lambda d, v: d["type"] == v),
    ("company", "Takeda", lambda d, v: any(company_named(v, name) for name, _ in d["parties"])),
    ("role", "investor", lambda d, v: any(role == v for _, role in d["parties"])),
    ("asset", "Tazemetostat", lambda d, v: any(asset_key(a) == asset_key(v) for a in d["assets"])),
    ("target", "her2", lambda d, v: any(t.lower() == v for t in d["targets"])),
    ("indication", "gastric", lambda d, v: any(v in i.lower() for i in d["indications"])),
    ("modality", "adc", lambda d, v: any(v in m.lower() for m in d["modality"])),
    ("regulator", "fda", lambda d, v: (d["regulator"] or "").lower() == v),
    ("action", "approved", lambda d, v: d["regulatory_action"] == v),
    ("date_from", "2025-01-01", lambda d, v: day(d) is not None and day(d) >= v),
    ("date_to", "2020-12-31", lambda d, v: day(d) is not None and day(d) <= v),
    ("min_upfront_usd", 50_000_000, lambda d, v: bool(d["upfront"]) and (d["upfront"]["amount_usd"] or 0) >= v),
    ("min_total_usd", 1e9, lambda d, v: (value_usd(d) or 0) >= v),
    ("primary_only", "true", lambda d, v: d["primary"]),
]


@pytest.mark.parametrize(("name", "value", "meaning"), FILTERS, ids=[f[0] for f in FILTERS])
def test_each_filter_keeps_exactly_the_deals_it_describes(read_stack: ServiceProcesses, name: str, value: Any,
                                                         meaning: Any) -> None:
    everything = all_pages(read_stack)
    expected = {deal["deal_key"] for deal in everything if meaning(deal, value)}

    found = {deal["deal_key"] for deal in all_pages(read_stack, **{name: value})}

    assert found == expected
    assert 0 < len(found) < len(everything)  # the filter is tried on data where it actually filters


def test_filters_combine(read_stack: ServiceProcesses) -> None:
    everything = all_pages(read_stack)
    combined = {"type": "regulatory", "target": "HER2", "regulator": "NMPA", "date_from": "2023-01-01"}
    expected = {deal["deal_key"] for deal in everything if all(
        meaning(deal, combined[name].lower() if name in ("target", "regulator") else combined[name])
        for name, _, meaning in FILTERS if name in combined)}

    found = [deal for deal in all_pages(read_stack, **combined)]

    assert {deal["deal_key"] for deal in found} == expected
    assert any("KN026" in deal["assets"] for deal in found)


def test_the_issue_example_licensing_her2_since_2024_upfront_50m(read_stack: ServiceProcesses) -> None:
    found = all_pages(read_stack, type="licensing", target="HER2", date_from="2024-01-01", min_upfront_usd=50e6)
    for deal in found:
        assert deal["type"] == "licensing" and "HER2" in deal["targets"] and day(deal) >= "2024-01-01"
        assert deal["upfront"]["amount_usd"] >= 50e6


@pytest.mark.parametrize(("sort", "key"), [
    ("newest", lambda d: (day(d) is not None, day(d) or "")),
    ("upfront", lambda d: (d["upfront"] or {}).get("amount_usd") or -1),
    ("value", lambda d: value_usd(d) or -1),
])
def test_sorts_order_the_deals(read_stack: ServiceProcesses, sort: str, key: Any) -> None:
    deals = all_pages(read_stack, sort=sort)
    assert [key(d) for d in deals] == sorted((key(d) for d in deals), reverse=True)


async def test_pages_neither_repeat_nor_skip_while_deals_are_inserted(read_stack: ServiceProcesses) -> None:
    before = {deal["deal_key"] for deal in all_pages(read_stack, sort="newest")}
    writer = make_sessions(read_stack.config.database_url)
    inserted: list[str] = []

    async def insert(number: int) -> None:
        # One deal dated after everything, one undated (sorts last), one in the middle of the range.
        for offset, deal_date in enumerate(["2099-01-01", None, "2021-06-15"]):
            event = novatim_event(
                article_id=f"{INSERTED}{number}_{offset}", assets=[f"PAGE-{number}-{offset}"], date=deal_date,
                parties=[Party(name=f"Paginata {number} {offset}", role="licensor")])
            await apply_deal_event(writer, event, Position("test-writer", "paging", 0, number * 3 + offset))
            inserted.append(event.deal_key)

    seen: list[str] = []
    cursor = None
    try:
        for number in range(100):
            params = {"sort": "newest", "limit": 7, **({"cursor": cursor} if cursor else {})}
            page = get(read_stack, "/v1/deals", **params).json()
            seen += [deal["deal_key"] for deal in page["items"]]
            if (cursor := page["next_cursor"]) is None:
                break
            await insert(number)
    finally:
        await writer.kw["bind"].dispose()

    assert len(seen) == len(set(seen))  # no deal twice
    assert before <= set(seen)  # none that was there from the start was skipped
    assert len(inserted) >= 9 and set(inserted) & set(seen)  # inserts happened and some showed up


def test_a_bad_cursor_or_filter_is_422_naming_it(read_stack: ServiceProcesses) -> None:
    for params, location in [({"cursor": "not-a-cursor"}, ["query", "cursor"]),
                             ({"min_upfront_usd": "-5"}, ["query", "min_upfront_usd"]),
                             ({"type": "merger"}, ["query", "type"]),
                             ({"company": "a\x00b"}, ["query", "company"]),
                             ({"unknown": "1"}, ["query", "unknown"])]:
        response = get(read_stack, "/v1/deals", **params)
        assert response.status_code == 422, params
        assert response.json()["detail"][0]["loc"] == location
    newest = get(read_stack, "/v1/deals", sort="newest", limit=1).json()["next_cursor"]
    assert get(read_stack, "/v1/deals", sort="upfront", cursor=newest).status_code == 422


def test_every_primary_deal_has_parties_sources_and_evidence(read_stack: ServiceProcesses) -> None:
    for summary in all_pages(read_stack, primary_only="true"):
        if any(article_id.startswith(INSERTED) for article_id in summary["article_ids"]):
            continue
        detail = get(read_stack, f"/v1/deals/{summary['deal_key']}").json()
        assert [(party["name"], party["role"]) for party in detail["parties"]] == [tuple(p) for p in summary["parties"]]
        assert detail["sources"] and all(source["title"] for source in detail["sources"])
        assert {source["article_id"] for source in detail["sources"]} == set(summary["article_ids"])
        assert detail["evidence"], summary
        for item in detail["evidence"]:
            assert item["sentence"] and item["article_id"] in summary["article_ids"]
            assert all(0 <= start < end <= len(item["sentence"]) for start, end in item["highlights"])


def test_a_deal_shows_each_field_with_its_sentence_and_the_value_highlighted(read_stack: ServiceProcesses) -> None:
    [summary] = all_pages(read_stack, asset="KQ-2003", type="licensing")
    deal = get(read_stack, f"/v1/deals/{summary['deal_key']}").json()

    assert [(p["name"], p["role"]) for p in deal["parties"]] == [("Novatim", "licensor"), ("ERIGEN LLC", "licensee")]
    assert deal["upfront"] == {"amount": 15e6, "currency": "USD", "amount_usd": 15e6}
    assert deal["territory"]["exclude"] == ["Greater China", "India", "Turkey", "Russia"]
    marked = {item["field"]: [item["sentence"][s:e] for s, e in item["highlights"]] for item in deal["evidence"]}
    assert marked["upfront"] == ["USD 15 million"]
    assert marked["milestones"] == ["USD 1.32 billion"]
    assert marked["assets"] == ["KQ-2003"]
    assert marked["date"] == ["July 22, 2025"]


def test_a_company_page_lists_its_deals_and_regulatory_timeline(read_stack: ServiceProcesses) -> None:
    company = get(read_stack, "/v1/companies/alphamab").json()

    assert company["name"] == "Alphamab Oncology"
    keys = {deal["deal_key"] for deal in all_pages(read_stack, company="Alphamab Oncology")}
    assert {deal["deal_key"] for deal in company["deals"]} == keys
    assert all(deal["roles"] for deal in company["deals"])
    timeline = company["regulatory_timeline"]
    assert any(e["regulatory_action"] == "nda_accepted" and "KN026" in e["assets"] for e in timeline)
    dated = [entry["deal_date"] for entry in timeline if entry["deal_date"]]
    assert dated == sorted(dated)


def test_an_asset_page_lists_its_deals_and_companies(read_stack: ServiceProcesses) -> None:
    asset = get(read_stack, "/v1/assets/kn026").json()

    assert asset["name"] == "KN026"
    assert asset["deals"] and all("KN026" in deal["assets"] for deal in asset["deals"])
    assert "Alphamab Oncology" in asset["companies"]
    assert asset["regulatory_timeline"]


@pytest.mark.parametrize("path", ["/v1/deals/deal_nothing", "/v1/companies/Nobody Bio", "/v1/assets/XX-0000"])
def test_unknown_things_are_404(read_stack: ServiceProcesses, path: str) -> None:
    assert get(read_stack, path).status_code == 404


def test_value_by_month_adds_up_the_dated_deals(read_stack: ServiceProcesses) -> None:
    deals = [deal for deal in all_pages(read_stack, type="acquisition") if deal["deal_date"]]
    months = get(read_stack, "/v1/stats/value-by-month", type="acquisition").json()

    assert sum(month["deals"] for month in months) == len(deals)
    assert sum(month["value_usd"] for month in months) == pytest.approx(sum(value_usd(d) or 0 for d in deals))
    assert {month["month"] for month in months} == {deal["deal_date"][:7] for deal in deals}


def test_a_write_through_the_read_role_fails(read_stack: ServiceProcesses) -> None:
    async def attempt() -> list[str]:
        sessions = make_read_sessions(read_stack.config.database_url)
        errors = []
        try:
            for preface in ["", "SET TRANSACTION READ WRITE"]:  # even asking for a writable transaction
                async with sessions() as session:
                    if preface:
                        await session.execute(text(preface))
                    with pytest.raises(DBAPIError) as error:
                        await session.execute(text("DELETE FROM deal_parties"))
                    errors.append(str(error.value.orig))
            async with sessions() as session:
                assert await session.scalar(text("SELECT current_user")) == "dealwire_reader"
                assert await session.scalar(text("SELECT count(*) FROM deal_parties")) > 0
        finally:
            await sessions.kw["bind"].dispose()
        return errors

    read_only, no_privilege = asyncio.run(attempt())
    assert "read-only transaction" in read_only
    assert "permission denied" in no_privilege


def test_the_deals_command_uses_the_same_filters(read_stack: ServiceProcesses) -> None:
    result = CliRunner().invoke(cli, ["deals", "--json", "--type", "regulatory", "--target", "HER2",
                                      "--database-url", read_stack.config.database_url])

    assert result.exit_code == 0, result.output
    from_cli = [json.loads(line)["deal_key"] for line in result.stdout.splitlines()]
    from_api = [deal["deal_key"] for deal in all_pages(read_stack, type="regulatory", target="HER2")]
    assert from_cli == from_api and from_cli


def test_the_deals_command_names_a_bad_filter(read_stack: ServiceProcesses) -> None:
    result = CliRunner().invoke(cli, ["deals", "--type", "merger", "--database-url", read_stack.config.database_url])
    assert result.exit_code == 1
    assert "--type" in result.output


def test_readyz_and_openapi(read_stack: ServiceProcesses) -> None:
    assert get(read_stack, "/readyz").json() == {"status": "ready", "reason": "ok"}
    spec = get(read_stack, "/openapi.json").json()
    parameters = {p["name"] for p in spec["paths"]["/v1/deals"]["get"]["parameters"]}
    assert {"type", "company", "role", "asset", "target", "indication", "modality", "regulator", "action",
            "date_from", "date_to", "min_upfront_usd", "min_total_usd", "primary_only", "sort", "limit",
            "cursor"} <= parameters
    assert date.fromisoformat("2025-01-01")  # dates are ISO on the way in, as the schema says


def test_an_article_posted_to_the_gateway_reaches_the_read_api(read_stack: ServiceProcesses) -> None:
    """201 from the real ingest server, then extract and store run, then the deal is in the read API."""
    text = ("Zorvath Therapeutics licenses ZR-4411 to Quillon Bio\n"
            "Zorvath Therapeutics today announced an exclusive license agreement granting Quillon Bio rights to "
            "ZR-4411, an anti-TROP2 antibody-drug conjugate, in Japan. Quillon Bio will pay Zorvath Therapeutics "
            "USD 30 million upfront and up to USD 250 million in milestones.")
    response = httpx.post(f"{read_stack.config.ingest_url}/v1/articles", json={"text": text},
                          headers={"X-API-Key": read_stack.config.api_key}, timeout=30)
    assert response.status_code == 201, response.text

    deadline = time.monotonic() + 120
    while not (found := all_pages(read_stack, asset="ZR-4411")):
        assert time.monotonic() < deadline, "the posted article's deal never reached the read API"
        time.sleep(0.5)
    [deal] = found
    assert deal["type"] == "licensing"
    assert deal["article_ids"] == [response.json()["article_id"]]
    assert deal["upfront"]["amount_usd"] == 30e6
