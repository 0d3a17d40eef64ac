"""The web page loads nothing from outside the store service: its scripts and styles ship in the package."""

from __future__ import annotations

import re
from importlib.resources import files

from tests.conftest import REPO

WEB = files("dealwire.services.store") / "web"


def test_every_script_and_stylesheet_is_served_by_the_store_itself() -> None:
    page = (WEB / "index.html").read_text()
    references = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert references and all(ref.startswith("/static/") for ref in references), references
    for ref in references:
        assert (WEB / ref.removeprefix("/static/")).is_file(), ref


def test_the_vendored_chart_library_is_the_pinned_release_with_its_license() -> None:
    makefile = (REPO / "Makefile").read_text()
    version = re.search(r"CHART_JS_VERSION := (\S+)", makefile).group(1)
    assert (WEB / "vendor" / "chart.umd.min.js").read_text()[:200].count(f"Chart.js v{version}") == 1
    assert "MIT" in (WEB / "vendor" / "chart.js-LICENSE.md").read_text()


def test_the_page_script_never_writes_api_data_as_html() -> None:
    assert "innerHTML" not in (WEB / "app.js").read_text()
