# The two commands of the README. Each sets itself up: a virtualenv in .venv/ with the project installed.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed-stamp

CHROMIUM ?= /usr/bin/chromium
CHART_JS_VERSION := 4.6.1

.PHONY: demo test lint bench bench-ingest clean browser vendor-js

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/dealwire dev --once seeds/

test: $(STAMP) browser
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

# The browser test drives Debian's Chromium (Playwright never downloads a browser here).
browser:
	@test -x $(CHROMIUM) || { echo "installing Debian's chromium for the browser test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; }

# Refresh the Chart.js copy the store's web page serves (from the npm registry; committed, no CDN at run time).
vendor-js:
	cd $$(mktemp -d) && npm pack --silent chart.js@$(CHART_JS_VERSION) && tar xzf chart.js-$(CHART_JS_VERSION).tgz && \
	  cp package/dist/chart.umd.min.js $(CURDIR)/services/store/web/vendor/ && \
	  cp package/LICENSE.md $(CURDIR)/services/store/web/vendor/chart.js-LICENSE.md

lint: $(STAMP)
	$(VENV)/bin/ruff check .

bench: $(STAMP)
	$(VENV)/bin/python bench/extract.py

bench-ingest: $(STAMP)
	$(VENV)/bin/python bench/ingest_http.py

clean:
	rm -rf $(VENV) .dealwire .pytest_cache .ruff_cache test-artifacts
