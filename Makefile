# TalentBridge: `make demo` runs the demo on the embedded SQLite store;
# `make test` sets everything up and runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.PHONY: demo test lint system-deps clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) (Python 3.11)"; exit 1; }
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV) || \
	  { scripts/setup-system.sh venv && $(PYTHON) -m venv $(VENV); }
	$(VENV)/bin/python -m pip install -q --upgrade pip
	$(VENV)/bin/python -m pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-*; touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/talentbridge demo $(DEMO_ARGS)

system-deps:
	scripts/setup-system.sh

test: system-deps $(STAMP)
	scripts/test.sh $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks scripts
	$(VENV)/bin/ruff format --check src tests benchmarks scripts
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) .pg test-output .pytest_cache .mypy_cache .ruff_cache
