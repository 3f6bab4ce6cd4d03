# paradecat: `make serve` to browse the catalogue, `make test` to check everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8001
STAMP := $(VENV)/.installed

.PHONY: install serve build validate test lint typecheck schema clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

validate: $(STAMP)
	$(BIN)/paradecat validate

build: $(STAMP)
	$(BIN)/paradecat build --db paradecat.db

# serve validates and builds paradecat.db before it starts Datasette
serve: $(STAMP)
	$(BIN)/paradecat serve --db paradecat.db --port $(PORT)

schema: $(STAMP)
	$(BIN)/paradecat schema

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: $(STAMP)
	$(BIN)/mypy src/paradecat

test: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy src/paradecat
	$(BIN)/paradecat schema --check
	$(BIN)/paradecat rules --check docs/rules.md
	$(BIN)/paradecat validate
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) paradecat.db .pytest_cache .mypy_cache .ruff_cache
