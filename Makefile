# The two commands of the README. Each sets itself up: a virtualenv in .venv/ with the project installed.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed-stamp

CHROMIUM ?= /usr/bin/chromium
CHART_JS_VERSION := 4.6.1

.PHONY: demo test unit lint bench bench-ingest clean tools vendor-js engine

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e ".[dev]"
	$(VENV)/bin/python -m dealwire.services.extract.engine_build
	touch $(STAMP)

# The compiled extraction engine (services/extract/engine_build.py): mypyc compiles the engine's modules into
# services/extract/engine/_compiled/<hash of their sources>/, used only while that hash is the sources' on disk
# (an edited .py runs as written until the next build). About 2-3 minutes on 2 cores; a no-op when up to date; a
# failed build says so and leaves the pure-Python engine running. `dealwire extract --version` tells which runs.
engine: $(STAMP)
	@$(VENV)/bin/python -m dealwire.services.extract.engine_build

demo: engine
	$(VENV)/bin/dealwire dev --once seeds/

# Debian's packages the tests need: docker-compose validates docker-compose.yml without a Docker engine
# (tests/unit/deploy); chromium is the browser the web page test drives (Playwright never downloads one).
tools:
	@command -v docker-compose >/dev/null && test -x $(CHROMIUM) || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose chromium >/dev/null; }

# DEALWIRE_COMPILED_ENGINE=required: the compiled engine must run, its output equal to the pure engine's
# (tests/unit/extract/test_extract_compiled_engine.py; a missing build fails there instead of being skipped).
# --basetemp: this checkout's own temporary root. Under the shared /tmp/pytest-of-<user>/, other pytest sessions of
# the same user (another checkout's tests) prune all but the newest few folders, the embedded PostgreSQL's data
# folder of a long run among them, and every later database test is refused.
TEST_BASETEMP := /tmp/dealwire-pytest-$(shell printf '%s' "$(CURDIR)" | cksum | cut -d' ' -f1)
test: engine tools
	$(VENV)/bin/ruff check .
	DEALWIRE_COMPILED_ENGINE=required $(VENV)/bin/pytest --basetemp=$(TEST_BASETEMP)

# The fast loop: no broker, no database, no service process; property tests with fewer examples each
# (the `unit` hypothesis profile of tests/conftest.py; `make test` runs them in full), without the plugin
# of the HTTP fuzzer, which only integration tests use.
unit: $(STAMP) tools
	$(VENV)/bin/pytest -q tests/unit --hypothesis-profile=unit -p no:schemathesis

# Refresh the Chart.js copy the store's web page serves (from the npm registry; committed, no CDN at run time).
vendor-js:
	cd $$(mktemp -d) && npm pack --silent chart.js@$(CHART_JS_VERSION) && tar xzf chart.js-$(CHART_JS_VERSION).tgz && \
	  cp package/dist/chart.umd.min.js $(CURDIR)/services/store/web/vendor/ && \
	  cp package/LICENSE.md $(CURDIR)/services/store/web/vendor/chart.js-LICENSE.md

lint: $(STAMP)
	$(VENV)/bin/ruff check .

# Engine speed over the labelled corpus (the pure and the compiled engine side by side), then issue 7's pipeline
# figures (bench/results.json);
# BENCH_SCALE=0.1 make bench runs the pipeline figures at a tenth of the size.
bench: engine
	$(VENV)/bin/python bench/extract.py
	$(VENV)/bin/python -m bench.run

bench-ingest: $(STAMP)
	$(VENV)/bin/python bench/ingest_http.py

clean:
	rm -rf $(VENV) .dealwire .pytest_cache .ruff_cache test-artifacts services/extract/engine/_compiled
