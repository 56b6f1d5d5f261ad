# Two commands on a fresh clone: `make run` and `make test`. Each sets up .venv when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= .fakecampaign/demo.sqlite3

.PHONY: run test check lint typecheck unit browser test-browser screenshots bench bench-peers fuzz clean bytecode

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "fakecampaign needs Python 3.11 or newer")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

# An editable install leaves the package's bytecode to the first import, and an environment with
# PYTHONDONTWRITEBYTECODE (as on this machine, and in many containers) never writes it: each start then compiles ~150
# modules, ~0.1 s of a ~0.6 s start (README "Performance"). pip compiles an installed package the same way.
# Only changed files are compiled again.
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q fakecampaign

run: $(STAMP) bytecode
	@mkdir -p $(dir $(DEMO_DB))
	$(BIN)/fakecampaign serve --db $(DEMO_DB) --fixtures fixtures/demo.json

# The browser tests (tests/browser) run inside `unit`; `browser` first installs Debian's chromium when missing.
test: check browser unit

check: lint typecheck

lint: $(STAMP)
	$(BIN)/ruff check fakecampaign tests bench scripts
	$(BIN)/ruff format --check fakecampaign tests bench scripts

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP) bytecode
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

browser:
	@scripts/install-browser.sh

test-browser: $(STAMP) bytecode browser
	$(BIN)/python -m pytest tests/browser $(PYTEST_ARGS)

screenshots: $(STAMP) browser
	$(BIN)/python scripts/screenshots.py

bench: $(STAMP) bytecode
	$(BIN)/python -m bench $(BENCH_ARGS)

# Not in CI: installs Java (Debian) and WireMock, Prism, json-server (npm) into .fakecampaign/peers on first use.
bench-peers: $(STAMP) bytecode
	$(BIN)/python -m bench.peers $(BENCH_ARGS)

fuzz: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check 'schemathesis>=4,<5'
	$(BIN)/python scripts/fuzz.py $(FUZZ_EXAMPLES)

clean:
	rm -rf $(VENV) .fakecampaign build *.egg-info
