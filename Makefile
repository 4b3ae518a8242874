# Developer entry points. `make run` and `make test` set everything up on a fresh machine first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export QT_API := pyside6

.PHONY: run test lint lint-imports dist self-check screenshots clean setup

run: $(STAMP)
	$(BIN)/pfdo-desktop

test: $(STAMP) lint
	LC_ALL=C.UTF-8 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

dist: $(STAMP)
	$(BIN)/pyinstaller --noconfirm --clean build.spec

self-check: dist
	QT_QPA_PLATFORM=offscreen dist/pfdo-desktop/pfdo-desktop --self-check

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen PFDO_UPDATE_DOCS_SCREENSHOTS=1 $(BIN)/python -m pytest -q tests/ui/test_screenshots.py

setup: $(STAMP)

$(STAMP): pyproject.toml tools/install-system-deps.sh
	bash tools/install-system-deps.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf build dist test-artifacts .mypy_cache .ruff_cache

# Benchmarks at region scale (issue 8): minutes, needs the PostgreSQL of tests (see bench/README.md).
.PHONY: bench
bench: $(STAMP)
	LC_ALL=C.UTF-8 QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.run --scale region
