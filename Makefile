# The two commands a newcomer needs: `make serve` and `make test`.
# Every target creates .venv itself, so a fresh clone needs nothing else.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The example portal is shown as of its reference date, with statuses frozen to it (see README).
EXAMPLE_DATE := 2025-09-22
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install build serve test lint check clean

# setuptools warns, in a box of asterisks, that a folder named like the package could shadow the
# editable install: true of any checkout, and alarming to someone who only wants the site built.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	PYTHONWARNINGS='ignore:Editable installation' $(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

check: $(STAMP)
	$(BIN)/portal check

build: $(STAMP)
	$(BIN)/portal build --today $(EXAMPLE_DATE) --frozen

serve: $(STAMP)
	$(BIN)/portal serve --today $(EXAMPLE_DATE) --frozen --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check generator tests $(wildcard benchmarks)
	$(BIN)/ruff format --check generator tests $(wildcard benchmarks)
	$(BIN)/mypy

test: $(STAMP)
	$(MAKE) lint
	$(BIN)/pytest -n 2

clean:
	rm -rf site .cache
