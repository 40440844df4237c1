# The one way in. `make help` lists the targets; every target sets itself up.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt
	@touch $(STAMP)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $@

.PHONY: help setup serve build check test pdf deck bench lock clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-8s %s\n", $$1, $$2}'

setup: $(STAMP) node_modules/.installed ## Create .venv and install the pinned dependencies
	@echo "ready: $(VENV)"

serve: $(STAMP) ## Serve the site with live reload on http://127.0.0.1:8000 (findings show as warnings)
	$(PY) -m mkdocs serve --no-strict --dev-addr 127.0.0.1:8000

build: $(STAMP) ## Strict build into site/ (a failed build leaves site/ as it was)
	$(PY) -m scripts build

check: $(STAMP) ## Content checks: glossary links, citations, page template, self-checks, forward uses, quotations, copied text, spelling
	$(PY) -m scripts check
	$(VENV)/bin/codespell docs README.md CONTRIBUTING.md scripts overrides tests

pdf: $(STAMP) ## Build site/ and the offline PDF of the whole book inside it
	$(PY) -m scripts build --pdf

deck: $(STAMP) ## Write the self-checks as an Anki deck, CSV and TSV into site/downloads/
	$(PY) -m scripts deck

test: $(STAMP) node_modules/.installed ## Run the whole test suite
	$(PY) -m pytest

bench: $(STAMP) ## Measure build, checker, PDF and page weight; print a table
	$(PY) -m scripts bench

lock: ## Re-pin requirements.txt from requirements.in (upgrades within the ranges)
	$(PYTHON) -m venv .lockenv && .lockenv/bin/pip install --quiet pip-tools
	.lockenv/bin/pip-compile --upgrade --generate-hashes --allow-unsafe --strip-extras -o requirements.txt requirements.in
	rm -rf .lockenv

clean: ## Remove the built site and caches (keeps .venv)
	rm -rf site .pytest_cache .cache "$${XDG_CACHE_HOME:-$$HOME/.cache}/risks-from-learned-optimization-notes"
