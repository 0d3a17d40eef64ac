# The two commands of the README. Each sets itself up: a virtualenv in .venv/ with the project installed.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test unit lint bench clean tools

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/dealwire dev --once seeds/

# Debian's docker-compose validates docker-compose.yml without a Docker engine (tests/unit/deploy).
tools:
	@command -v docker-compose >/dev/null || { apt-get update -qq && apt-get install -y -qq docker-compose >/dev/null; }

test: $(STAMP) tools
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

# The fast loop: no broker, no database, no service process.
unit: $(STAMP) tools
	$(VENV)/bin/pytest -q tests/unit

lint: $(STAMP)
	$(VENV)/bin/ruff check .

bench: $(STAMP)
	$(VENV)/bin/python bench/extract.py

clean:
	rm -rf $(VENV) .dealwire .pytest_cache .ruff_cache
