# coanalysis — the two commands a new user types: `make reproduce` and `make test`.
# Each builds .venv from the pinned lock (and the package in editable mode) on first use,
# and again whenever requirements/lock.txt or pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed.stamp

.PHONY: all data reproduce test browser lab bench lock validate clean-venv help

help:
	@echo "make data        rebuild the reconciled case-base tables (data/cases/{conditions,outcomes,participation}.csv)"
	@echo "                 from the two codings and the logs, and the data figures of README.md, data/README.md, docs/reconciliation.md"
	@echo "make reproduce   make data, then run every notebook and rebuild figures/"
	@echo "make test        unit tests + notebooks (nbval) + the offline site in chromium"
	@echo "make browser     install chromium and chromedriver for the site test (apt-get)"
	@echo "make lab         open JupyterLab on notebooks/"
	@echo "make bench       run the benchmarks in benchmarks/"
	@echo "make lock        regenerate requirements/lock.txt from pyproject.toml"

$(STAMP): requirements/lock.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "coanalysis needs Python >= 3.11 (found " + sys.version.split()[0] + "): set PYTHON=python3.11")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	@touch $(STAMP)

# The derived tables of the case base, by the rule the loader checks them with
# (coanalysis.loaders.casebase.reconcile); byte-identical on the shipped data.
data: $(STAMP)
	$(BIN)/python scripts/build_casebase_scores.py

reproduce: $(STAMP) data
	$(BIN)/coanalysis reproduce

# tests/test_site.py opens the offline site in Debian's chromium: installed here when missing
# (apt-get), else a message says how; the other tests run all the same, the site tests then fail.
test: $(STAMP)
	-@bash scripts/install_browser.sh
	$(BIN)/python -m pytest

browser:
	bash scripts/install_browser.sh

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

validate: $(STAMP)
	$(BIN)/coanalysis validate

# Regenerate the lock from the ranges in pyproject.toml (needs the registry).
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/python -m pip install --quiet --upgrade pip
	.lockenv/bin/python -m pip install --quiet --upgrade setuptools wheel ".[dev]"
	echo "# Pinned environment for coanalysis (Python 3.11). Regenerate with \`make lock\` (see README)." > requirements/lock.txt
	.lockenv/bin/python -m pip freeze --all --exclude-editable | grep -vE "^(coanalysis|pip)==" >> requirements/lock.txt
	rm -rf .lockenv

clean-venv:
	rm -rf $(VENV)
