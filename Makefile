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

.PHONY: help setup serve build check test preview pdf epub offline publish deck bench lock clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-8s %s\n", $$1, $$2}'

setup: $(STAMP) node_modules/.installed ## Create .venv and install the pinned dependencies
	@echo "ready: $(VENV)"

serve: $(STAMP) ## Serve with live reload on http://127.0.0.1:8000/risks-from-learned-optimization/ (findings in a banner on their page)
	$(PY) -m mkdocs serve --no-strict --dev-addr 127.0.0.1:8000

build: $(STAMP) ## Strict build into site/ (a failed build leaves site/ as it was)
	$(PY) -m scripts build

check: $(STAMP) ## Content checks: glossary links, citations, page template, self-checks, forward uses, quotations, copied text, spelling
	$(PY) -m scripts check

pdf: $(STAMP) ## Build site/ and the offline PDF of the whole book inside it
	$(PY) -m scripts build --pdf

deck: $(STAMP) ## Write the self-checks as an Anki deck, CSV and TSV into site/downloads/
	$(PY) -m scripts deck

epub: $(STAMP) ## Build site/ and the EPUB of the whole book inside it (EPUBCheck must pass, when installed)
	$(PY) -m scripts build --epub

offline: $(STAMP) ## Build site/ and the offline bundle inside it: a zip of the site that works from disk
	$(PY) -m scripts build --offline

publish: $(STAMP) ## What the Pages workflow publishes: site/ with the PDF, the EPUB and the offline zip
	$(PY) -m scripts build --pdf --epub --offline

test: check node_modules/.installed ## Run make check, and only when it is clean the whole test suite (on every core)
	$(PY) -m pytest -n auto --dist loadfile

preview: $(STAMP) ## A pull request's preview in preview/: non-strict site, PDF, EPUB, offline zip (what CI uploads)
	$(PY) -m scripts preview --site preview

bench: $(STAMP) node_modules/.installed ## Measure build, edit loop, checker, PDF, EPUB, offline, page weight, browser and Lighthouse; print a table
	$(PY) -m scripts bench

# pinned, so that the lock file's format changes only when we choose
PIP_TOOLS := pip-tools==7.6.2

lock: ## Re-pin requirements.txt from requirements.in (upgrades within the ranges)
	$(PYTHON) -m venv .lockenv && .lockenv/bin/pip install --quiet $(PIP_TOOLS)
	.lockenv/bin/pip-compile --upgrade --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.txt requirements.in
	rm -rf .lockenv

clean: ## Remove the built site, leftover build staging folders and caches (keeps .venv)
	rm -rf site preview .site-* .pytest_cache .cache "$${XDG_CACHE_HOME:-$$HOME/.cache}/risks-from-learned-optimization-notes"
