# HTTP Methods Lab: `make run` serves the site, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export HOST PORT
# Let Python keep compiled modules (and pytest its rewritten tests) in __pycache__: with
# PYTHONDONTWRITEBYTECODE set, as on some machines, every test worker and every server
# process compiles them all again.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test check update-screenshots browser html-checker lint dev load bench bench-postgres lighthouse wrk clean

## run: serve the site on granian (site/serve.py) at http://$(HOST):$(PORT)
run: $(VENV)/installed
	@echo "Serving HTTP Methods Lab at http://$(HOST):$(PORT) (Ctrl+C stops it)"
	$(BIN)/python site/serve.py

# Worker processes (pytest-xdist) for the fast tests and the browser suite; "auto" is one per core.
WORKERS ?= auto
E2E_WORKERS ?= $(WORKERS)
# In `make test` the fast tests run beside the browser suite, whose workers keep every core
# busy, so in one process: it collects them, and starts each server they share, once instead
# of once per worker (5 to 14 CPU-seconds less a run). The browser suite's Python yields to
# it (nice); Chromium, which Playwright starts in a session of its own, does not where Linux
# groups the scheduler by session (autogroup). Niced there too, it let the fast tests end
# 15 s sooner but the run no sooner (playwright.config.md).
TEST_FAST_WORKERS ?= 0
# Lint: style, formatting and types.
LINT := $(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy
# The fast tests on $(1) workers, with a cache of their own: `make test` runs them beside the
# browser suite, whose failures --last-failed reads back from the default cache.
FAST_TESTS = $(BIN)/python -m pytest tests -n $(1) -o cache_dir=.pytest_cache/fast
# The browser suite, against the production server it starts as `make run` does (granian).
# It records nothing on a first run (recording costs about a quarter of the CPU); it
# re-runs what failed with a trace and a video of each failure, then still fails.
# The browser suite uses neither Hypothesis nor Schemathesis: not loading their pytest
# plugins saves each of its processes about 0.7 CPU-seconds of imports.
E2E_PYTEST := nice -n 10 $(BIN)/python -m pytest -p no:schemathesis -p no:hypothesispytest
E2E_TESTS := $(E2E_PYTEST) e2e -n $(E2E_WORKERS) $(E2E_ARGS) || { \
	echo "Re-running the failed browser tests with traces and videos (test-results/failures/)"; \
	$(E2E_PYTEST) e2e --last-failed --last-failed-no-failures none -n $(E2E_WORKERS) \
	  --tracing retain-on-failure --video retain-on-failure --output test-results/failures \
	  $(E2E_ARGS); exit 1; }

## test: lint and types, the fast tests and the browser suite against granian, side by side (<= 90 s)
test: $(VENV)/installed-dev browser html-checker
	@$(BIN)/python tests/phases.py --limit 90 lint "$(LINT)" + fast "$(call FAST_TESTS,$(TEST_FAST_WORKERS))" + \
	  e2e '$(E2E_TESTS)'; \
	status=$$?; echo "Screenshots: test-results/screenshots/index.html"; exit $$status

## check: lint and types beside the fast tests (about 40 s): the inner loop while coding
check: $(VENV)/installed-dev html-checker
	@$(BIN)/python tests/phases.py lint "$(LINT)" + fast "$(call FAST_TESTS,$(WORKERS))"

## update-screenshots: rewrite this browser's visual baselines in e2e/baselines/<browser>/
update-screenshots: $(VENV)/installed-dev browser
	$(BIN)/python -m pytest e2e/test_every_page.py::test_page --update-baselines \
	  -n $(E2E_WORKERS) -p no:cacheprovider

## browser: find (or, as root, install) a Chromium and ffmpeg for videos; axe-core from npm
browser: $(VENV)/installed-dev
	$(BIN)/python e2e/provision.py

## html-checker: install the W3C's Nu Html Checker (pinned vnu-jar from npm) into .vnu/
html-checker: $(VENV)/installed-dev
	$(BIN)/python -m tests.nu_checker

## dev: Flask's development server with reload and the debugger (never in production)
dev: $(VENV)/installed
	$(BIN)/flask --app site/app.py run --debug --host $(HOST) --port $(PORT)

## load: load test, faults and a soak of the production server; no acknowledged note lost
## (LOAD_ARGS="--soak-seconds 30 --phases worker,soak" for a shorter run; --help lists them)
load: $(VENV)/installed-dev wrk
	$(BIN)/python tests/production/run_load.py $(LOAD_ARGS)

## bench: the site against a one-route Flask app on the same server settings
bench: $(VENV)/installed-dev wrk
	$(BIN)/python tests/production/bench.py

## lighthouse: Lighthouse scores of every page (installs Lighthouse from npm into .lighthouse/)
lighthouse: $(VENV)/installed-dev browser
	@[ -x .lighthouse/node_modules/.bin/lighthouse ] || \
	  npm install --prefix .lighthouse --no-audit --no-fund --silent lighthouse@12
	$(BIN)/python -m tests.production.lighthouse $(PAGES)

## bench-postgres: make bench, plus the notes PUT with the notes in a throwaway PostgreSQL
bench-postgres: $(VENV)/installed-dev wrk
	$(BIN)/python tests/postgres_server.py --durable \
	  $(BIN)/python tests/production/bench.py --notes-database {url} $(BENCH_ARGS)

## wrk: the HTTP load generator, from Debian's package (installed when root)
wrk:
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; } || \
	  { echo "wrk is missing: sudo apt-get install wrk" >&2; exit 1; }

## lint: style, formatting (ruff) and types (mypy)
lint: $(VENV)/installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Installs happen only when a requirements file or pyproject.toml changed since the stamp
# file was touched, so a second `make run` or `make test` starts at once.
$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) || { \
	  echo "Could not create $(VENV): on Debian/Ubuntu install python3-venv first" \
	       "(sudo apt-get install python3-venv)." >&2; exit 1; }

# The site alone, as a production server needs it: its pinned requirements, and the
# package itself, editable (site/ on the import path; templates and code read in place),
# byte-compiled as pip compiles what it installs, so that the server's processes, started
# together, do not each compile it first.
$(VENV)/installed: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --requirement requirements.txt --editable .
	$(BIN)/python -m compileall -q site
	@touch $@

# The test and lint tools beside it, for the tests; then mypy learns the libraries' types
# into .mypy_cache (tests/type_cache.py), once per install, so lint checks our own code.
$(VENV)/installed-dev: requirements-dev.txt $(VENV)/installed
	$(BIN)/python -m pip install --quiet --requirement requirements-dev.txt
	$(BIN)/python -m tests.type_cache
	@touch $@

clean:
	rm -rf $(VENV) test-results .pytest_cache .ruff_cache .mypy_cache .vnu
