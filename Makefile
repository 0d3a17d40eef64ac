# The two commands of the README. Each sets itself up: a virtualenv in .venv/ with the project installed.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/dealwire dev --once seeds/

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .

# Engine speed over the labelled corpus, then issue 7's pipeline figures (bench/results.json);
# BENCH_SCALE=0.1 make bench runs the pipeline figures at a tenth of the size.
bench: $(STAMP)
	$(VENV)/bin/python bench/extract.py
	$(VENV)/bin/python -m bench.run

clean:
	rm -rf $(VENV) .dealwire .pytest_cache .ruff_cache
