# Espace Locataire: everyday commands. `make demo` and `make test` work on a fresh machine
# with Python 3.11+ (and the Debian packages of scripts/ensure-system-packages, installed if missing).

PYTHON ?= python3
UV_VERSION := 0.13.8
VENV := .venv
BIN := $(VENV)/bin
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
PORT ?= 8000
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: venv demo run test test-postgresql test-moved-clock lint fix bench system-deps clean

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | $(if $(filter .tools/bin/uv,$(UV)),.tools/bin/uv)
	$(UV) sync --frozen --python $(PYTHON) --quiet
	touch $@

venv: $(VENV)/.synced

demo: venv
	DEMO=true $(BIN)/python manage.py migrate --verbosity 0
	DEMO=true $(BIN)/python manage.py createcachetable
	DEMO=true $(BIN)/python manage.py load_demo --port $(PORT)
	@# The background worker sends emails and SMS; it stops with the server.
	DEMO=true PUBLIC_PORT=$(PORT) $(BIN)/python manage.py worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEMO=true PUBLIC_PORT=$(PORT) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

system-deps:
	@scripts/ensure-system-packages

# Serve the demo as it is (no migration, no reload of its data): after a first `make demo`.
run: venv
	@DEMO=true $(BIN)/python manage.py migrate --check >/dev/null 2>&1 || \
	  { echo "No demo database yet: run 'make demo' first." >&2; exit 1; }
	@# The background worker sends emails and SMS; it stops with the server.
	DEMO=true PUBLIC_PORT=$(PORT) $(BIN)/python manage.py worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEMO=true PUBLIC_PORT=$(PORT) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: venv system-deps
	scripts/run-pytest

# The same suite on PostgreSQL (row locks, COPY, concurrency), in a throwaway database; the
# browser journeys, which test pages rather than the database, and the system tests, which start
# their own PostgreSQL, Redis and haproxy (tests/system/), run once, in `make test`.
test-postgresql: venv system-deps
	scripts/with-throwaway-postgresql scripts/run-pytest -m "not browser and not system"

# The non-browser suite with the clock moved to the 1st of a month, 31 December and 29 February.
test-moved-clock: venv system-deps
	TZ=UTC scripts/test-moved-clock

lint: venv system-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates backoffice/templates backoffice/host_templates --lint
	shellcheck scripts/* .ci/run
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy
	DEMO=true $(BIN)/python manage.py makemigrations --check --dry-run

fix: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Every benchmark (bench/__main__.py), whatever the others gave, then one table; BENCH_QUICK=1
# for a short run (a few minutes), BENCH_NOTICE_ACCOUNTS=2000 for a smaller month of notices.
bench: venv system-deps
	scripts/with-throwaway-postgresql $(BIN)/python -m bench

clean:
	rm -rf $(VENV) .tools var/espace.sqlite3*
