"""The store's web page in a real headless Chromium (Debian's, driven by Playwright): filter to licensing
deals, open one, read its evidence sentence with the value highlighted. The screenshot is kept in
test-artifacts/ for a person to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from dealwire.stack import ServiceProcesses
from tests.conftest import REPO

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
CHROMIUM = Path(os.environ.get("DEALWIRE_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(os.environ.get("DEALWIRE_TEST_ARTIFACTS", REPO / "test-artifacts"))
# What works on this machine's closed network: no background connections, no sandbox as root.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def test_filter_to_licensing_open_a_deal_and_see_its_evidence(read_stack: ServiceProcesses, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (or set DEALWIRE_CHROMIUM)")
    base = read_stack.config.api_url
    requested: list[str] = []
    page_errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), args=FLAGS, headless=True,
            viewport={"width": 1400, "height": 1000})
        try:
            page = browser.new_page()
            page.on("request", lambda request: requested.append(request.url))
            page.on("pageerror", lambda error: page_errors.append(str(error)))
            page.goto(base)
            page.wait_for_selector("#deals tbody tr")
            all_types = set(page.locator("#deals tbody td.type").all_inner_texts())

            page.select_option("#filter-type", "licensing")
            page.click("#apply")
            page.wait_for_function("""() => [...document.querySelectorAll('#deals tbody td.type')]
                .every(cell => cell.textContent.startsWith('licensing'))""")
            types = page.locator("#deals tbody td.type").all_inner_texts()
            page.locator("#deals tbody tr", has_text="KQ-2003").first.click()
            upfront = page.locator("#evidence li[data-field='upfront']")
            upfront.wait_for()
            sentence = upfront.locator(".sentence").inner_text()
            marked = upfront.locator("mark").all_inner_texts()
            chart_bars = page.evaluate("() => Chart.getChart('value-chart').data.datasets.length")

            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "web-page-licensing-deal.png"), full_page=True)
        finally:
            browser.close()

    assert len(all_types) > 1 and types and all(t.startswith("licensing") for t in types)
    assert "Novatim will receive a near-term development milestone payment of USD 15 million" in sentence
    assert marked == ["USD 15 million"]
    assert chart_bars >= 1  # the locally served Chart.js drew the licensing value by month
    assert page_errors == []
    assert all(url.startswith(base) for url in requested), [u for u in requested if not u.startswith(base)]
    assert (ARTIFACTS / "web-page-licensing-deal.png").stat().st_size > 10_000
