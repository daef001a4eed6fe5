# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Values that satisfy production checks without being real secrets.
DEPLOY_ENV := DEBUG=false ALLOWED_HOSTS=quy.example.vn CSRF_TRUSTED_ORIGINS=https://quy.example.vn \
	SITE_URL=https://quy.example.vn \
	SECRET_KEY=check-deploy-only-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ \
	LEDGER_SIGNING_KEY=check-deploy-only-ledger-key-0123456789abcdef

# `make run PORT=8001` when 8000 is taken.
PORT ?= 8000

# Test processes in parallel (pytest-xdist); 2 is this kind of machine's core count.
TEST_WORKERS ?= 2

.PHONY: run test install lint format check-deploy bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --campaign-today
	SITE_URL=http://127.0.0.1:$(PORT) $(BIN)/python manage.py run_all 127.0.0.1:$(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-deploy: $(STAMP)
	$(DEPLOY_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING

test: lint check-deploy
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -n $(TEST_WORKERS) -m "not serial"
	$(BIN)/python -m pytest -m serial
	@echo "Screenshots of the browser tests: $(CURDIR)/test-artifacts/screenshots/"

# Every benchmark on PostgreSQL, one table (bench/run.py, bench/README.md). The database
# holds 1.000.000 donations: `seed_demo --scale 1000000` (run.py says how when missing).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/lddh_bench
BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev,bench]"
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/run.py --migrate $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var/lddh.sqlite3 staticfiles
