# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
# `make run PORT=8001` when 8000 is taken.
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test bench bench-recompute bench-simulation lint check-compose clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

# The embedded default: SQLite, Celery tasks inline, demo data and demo users.
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(STAMP)
	$(PY) manage.py makemigrations --check --dry-run --settings=talenta.settings.test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yml
	# One process per core, each with its own test database (see talenta/settings/test.py).
	$(PY) -m pytest -n auto --maxprocesses 4

# Needs PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/talenta_bench).
bench: $(STAMP)
	$(PY) bench/run.py

# A province-wide what-if simulation against the real full refresh, and beside a real refresh.
bench-simulation: $(STAMP)
	$(PY) bench/simulation.py --pegawai $${BENCH_PEGAWAI:-100000}

# The recompute against its physical floor, on real Celery workers (needs Redis: CELERY_BROKER_URL).
# BENCH_PEGAWAI=500000 for the linearity run.
bench-recompute: $(STAMP)
	$(PY) bench/recompute.py --pegawai $${BENCH_PEGAWAI:-100000}

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles
