# HTTP Methods Lab: `make run` serves the site, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export HOST PORT

.PHONY: run test update-screenshots browser lint dev load bench bench-postgres wrk clean

## run: serve the site on gunicorn at http://$(HOST):$(PORT)
run: $(VENV)/installed
	@echo "Serving HTTP Methods Lab at http://$(HOST):$(PORT) (Ctrl+C stops it)"
	$(BIN)/gunicorn --config site/gunicorn.conf.py

# Browser-suite worker processes (pytest-xdist); "auto" is one per core.
E2E_WORKERS ?= auto

## test: lint, the fast tests, the browser suite, then a smoke run against gunicorn
test: $(VENV)/installed browser
	@start=$$(date +%s); status=0; \
	$(BIN)/ruff check . && \
	$(BIN)/python -m pytest tests && \
	$(BIN)/python -m pytest e2e -n $(E2E_WORKERS) $(E2E_ARGS) && \
	$(BIN)/python tests/production/server.py $(BIN)/python -m pytest e2e -m smoke \
	  --base-url {base_url} --output test-results/smoke -p no:cacheprovider \
	  || status=$$?; \
	echo "make test: $$(( $$(date +%s) - start )) s for lint and tests (set-up not counted)"; \
	echo "Screenshots: test-results/screenshots/index.html"; \
	exit $$status

## update-screenshots: rewrite the visual-regression baselines in e2e/baselines/
update-screenshots: $(VENV)/installed browser
	$(BIN)/python -m pytest e2e/test_screenshots.py --update-baselines -n $(E2E_WORKERS)

## browser: find (or, as root, install) a Chromium, and ffmpeg for videos
browser: $(VENV)/installed
	$(BIN)/python e2e/provision.py

## dev: Flask's development server with reload and the debugger (never in production)
dev: $(VENV)/installed
	$(BIN)/flask --app site/app.py run --debug --host $(HOST) --port $(PORT)

## load: load test of the production server, then check that no note was lost
load: $(VENV)/installed wrk
	$(BIN)/python tests/production/run_load.py

## bench: the site against a one-route Flask app on the same server settings
bench: $(VENV)/installed wrk
	$(BIN)/python tests/production/bench.py

## bench-postgres: make bench, plus the notes PUT with the notes in a throwaway PostgreSQL
bench-postgres: $(VENV)/installed wrk
	$(BIN)/python tests/postgres_server.py --durable \
	  $(BIN)/python tests/production/bench.py --notes-database {url} $(BENCH_ARGS)

## wrk: the HTTP load generator, from Debian's package (installed when root)
wrk:
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; } || \
	  { echo "wrk is missing: sudo apt-get install wrk" >&2; exit 1; }

lint: $(VENV)/installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

$(VENV)/installed: requirements.txt
	@$(PYTHON) -m venv $(VENV) || { \
	  echo "Could not create $(VENV): on Debian/Ubuntu install python3-venv first" \
	       "(sudo apt-get install python3-venv)." >&2; exit 1; }
	$(BIN)/python -m pip install --quiet --requirement requirements.txt
	@touch $@

clean:
	rm -rf $(VENV) test-results .pytest_cache .ruff_cache
