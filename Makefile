# borderflow: `make demo` and `make test` work on a machine with only Python 3.11 and make.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev

.PHONY: demo test lint typecheck unit bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

## Ingest the bundled sample corpus into a fresh demo store and print a summary.
demo: $(STAMP)
	BORDERFLOW_HOME=.demo $(BIN)/borderflow demo

## Lint, type-check and run every test.
test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	@scripts/ensure-chromium
	$(BIN)/pytest -n 2 --dist loadfile --no-loadscope-reorder

## Benchmarks (extraction, ingest, datasets, checks, model, web, concurrent writers, and
## 10,000+ generated bad inputs for import and ingest); results go to benchmarks/RESULTS.md.
## benchmarks/web.py uses ApacheBench (apache2-utils) when installed; concurrency.py uses
## PostgreSQL at BORDERFLOW_TEST_PG.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python benchmarks/extract.py
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/datasets.py
	$(BIN)/python benchmarks/checks.py
	$(BIN)/python benchmarks/model.py
	$(BIN)/python benchmarks/model_trust.py
	$(BIN)/python benchmarks/web.py
	$(BIN)/python benchmarks/web_first_load.py
	$(BIN)/python benchmarks/concurrency.py
	$(BIN)/python benchmarks/import_fuzz.py
	$(BIN)/python benchmarks/ingest_fuzz.py
	$(BIN)/python benchmarks/reading.py
	$(BIN)/python benchmarks/number_libraries.py
	$(BIN)/python benchmarks/period_libraries.py

clean:
	rm -rf $(VENV) .demo .mypy_cache .ruff_cache .pytest_cache
