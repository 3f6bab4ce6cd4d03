# paradecat: `make serve` to browse the catalogue, `make test` to check everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8001
STAMP := $(VENV)/.installed

.PHONY: install lock serve build validate test lint typecheck layers schema clean chromium fuzz loadtest bench

# Installs exactly what requirements/lock.txt pins, every file checked against its hash, from
# PyPI alone (no machine-wide extra index, wheel folder or constraint), then
# paradecat itself with no dependencies of its own choosing.
LOCKED_PIP := env -u PIP_FIND_LINKS PIP_CONFIG_FILE=/dev/null $(BIN)/pip install --quiet --disable-pip-version-check
$(STAMP): pyproject.toml requirements/lock.txt
	$(PYTHON) -m venv $(VENV)
	$(LOCKED_PIP) --require-hashes --only-binary :all: -r requirements/lock.txt
	$(LOCKED_PIP) --no-deps --no-build-isolation -e .
	# an editable install is not compiled as a wheel's files are: where PYTHONDONTWRITEBYTECODE is
	# set, every run would compile paradecat's modules again (about 45 ms of a warm validate)
	$(BIN)/python -m compileall -q src/paradecat
	touch $(STAMP)

install: $(STAMP)

# Pins every dependency of paradecat and of its tests, with hashes, after pyproject.toml changes
# (tests/test_lock.py fails until it is run).
lock: $(STAMP)
	$(LOCKED_PIP) 'pip-tools>=7.4,<8'
	env -u PIP_FIND_LINKS PIP_CONFIG_FILE=/dev/null $(BIN)/pip-compile --quiet --extra test --generate-hashes \
		--allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links -o requirements/lock.txt pyproject.toml

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
	$(BIN)/ruff check src tests bench fuzz
	$(BIN)/ruff format --check src tests bench fuzz

typecheck: $(STAMP)
	$(BIN)/mypy src/paradecat

# the import contracts in pyproject.toml: the stages' layers, no cycles, click only in cli/
layers: $(STAMP)
	$(BIN)/lint-imports

# the browser tests drive Debian's chromium (Playwright never downloads a browser); apt needs root,
# so sudo is used where we are not root (a GitHub runner)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
chromium:
	command -v chromium >/dev/null || ($(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y chromium)

test: $(STAMP) chromium
	$(BIN)/ruff check src tests bench fuzz
	$(BIN)/ruff format --check src tests bench fuzz
	$(BIN)/mypy src/paradecat
	$(BIN)/lint-imports
	$(BIN)/paradecat schema --check
	$(BIN)/paradecat rules --check docs/rules.md
	$(BIN)/paradecat validate
	# every file a test writes stays in the work tree: pytest's tmp_path, tempfile and the
	# browser's profile (TMPDIR) go under .pytest-tmp/, emptied at each run
	rm -rf .pytest-tmp && mkdir -p .pytest-tmp/tmp
	TMPDIR=$(CURDIR)/.pytest-tmp/tmp $(BIN)/pytest -q --basetemp=$(CURDIR)/.pytest-tmp/base

# Not part of `make test`. Coverage-guided fuzzing of the loader and validator (atheris, libFuzzer):
# inputs that break a promise are saved in fuzz/findings/, the growing corpus in fuzz/corpus/.
FUZZ_SECONDS ?= 600
fuzz: $(STAMP)
	$(BIN)/pip install --quiet -e '.[fuzz]'
	mkdir -p fuzz/corpus fuzz/findings
	$(BIN)/python fuzz/fuzz_validate.py fuzz/corpus -dict=fuzz/yaml.dict -max_len=8192 \
		-max_total_time=$(FUZZ_SECONDS) -artifact_prefix=fuzz/findings/

# Not part of `make test`. 8 clients for 30 s against a 20,000-entry catalogue on 127.0.0.1:
# fails on any 5xx, any 4xx but for the invalid requests, p99 over 500 ms or memory that keeps growing.
loadtest: $(STAMP)
	$(BIN)/python bench/loadtest.py

# Not part of `make test`. Times validate and build, as whole processes side by side with their
# floor (CSafeLoader only) and the peer tools, at 1,000 and 10,000 entries (and 100,000 with
# BENCH_FULL=1), plots them in docs/benchmarks.png, then times paradecat serve against bare
# Datasette. About 10 minutes (45 more with BENCH_FULL=1); see docs/benchmarks.md.
BENCH_FULL ?=
bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python bench/run.py $(if $(BENCH_FULL),--full)
	$(BIN)/python bench/cache.py $(if $(BENCH_FULL),--full)
	$(BIN)/python bench/plot.py
	$(BIN)/python bench/serve.py
	$(BIN)/python bench/publish.py

clean:
	rm -rf $(VENV) paradecat.db .pytest_cache .pytest-tmp .mypy_cache .ruff_cache
