# storyline: `make run` and `make test` each set themselves up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXTRAS ?= dev
TEST_EXTRAS ?= dev,browser,spark
TEST_STAMP := $(VENV)/.installed-test
OUT ?= out

.PHONY: run test lint install clean chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e '.[$(EXTRAS)]'
	touch $(STAMP)

install: $(STAMP)

$(TEST_STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e '.[$(TEST_EXTRAS)]'
	touch $(TEST_STAMP) $(STAMP)

# Debian's chromium for the browser tests (playwright cannot download a browser here)
chromium:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; \
	fi

run: install
	$(BIN)/storyline run examples/corpus --db $(OUT)/storyline.db --out $(OUT)
	@echo "report: $(OUT)/index.html   export: $(OUT)/storyline.json   database: $(OUT)/storyline.db"

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

test: $(TEST_STAMP) chromium lint
	@$(BIN)/pytest -q; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: that is a failure"; exit 1; fi; \
	exit $$status

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache .ruff_cache
