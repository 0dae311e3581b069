# HTTP Methods Lab: `make run` serves the site, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export HOST PORT

.PHONY: run test browser lint dev load wrk clean

## run: serve the site on gunicorn at http://$(HOST):$(PORT)
run: $(VENV)/installed
	@echo "Serving HTTP Methods Lab at http://$(HOST):$(PORT) (Ctrl+C stops it)"
	$(BIN)/gunicorn --config site/gunicorn.conf.py

## test: lint, then the fast tests, then the browser suite
test: $(VENV)/installed browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest tests
	$(BIN)/python -m pytest e2e $(E2E_ARGS)

## browser: find (or, as root, install) a Chromium for the browser suite
browser: $(VENV)/installed
	$(BIN)/python e2e/chromium.py

## dev: Flask's development server with reload and the debugger (never in production)
dev: $(VENV)/installed
	$(BIN)/flask --app site/app.py run --debug --host $(HOST) --port $(PORT)

## load: load test of the production server, then check that no note was lost
load: $(VENV)/installed wrk
	$(BIN)/python tests/load/run_load.py

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
