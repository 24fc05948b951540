# kaifaqu — see README.md. Targets create .venv with the system python3 (3.11).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: demo test test-fast lint bench serve vendor install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## make demo: install, migrate the embedded SQLite database, load the demo zone, print logins, serve :8000
demo: install
	$(BIN)/kaifaqu demo --host $(HOST) --port $(PORT)

## make test: install test tools (and chromium/fonts via apt where missing), run unit, API and browser tests
# (.ci/run runs the same pytest directly, so that pytest's exit code 5, no tests ran, reaches it: make says 2)
test: install-test
	bash scripts/ensure-system-deps.sh browser
	$(BIN)/pytest

test-fast: install-test
	$(BIN)/pytest -m "not e2e"

lint: install-test
	$(BIN)/ruff check src tests e2e bench
	$(BIN)/python -m django makemigrations --check --dry-run --settings=kaifaqu.settings

bench: install-test
	$(BIN)/python -m bench

serve: install
	$(BIN)/kaifaqu serve --host $(HOST) --port $(PORT)

vendor:
	bash scripts/vendor.sh

clean:
	rm -rf $(VENV) var build *.egg-info src/*.egg-info
