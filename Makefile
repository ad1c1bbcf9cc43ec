# Biodiversithèque — the two commands: `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Every absolute URL the portal writes (e-mails, .ics, feeds) starts with it; the demo's Wagtail Site follows it.
BASE_URL ?= http://127.0.0.1:$(PORT)
# PostgreSQL used by the tests that need its behaviour (locking, French text search).
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/biodiversitheque
# On PostgreSQL: the tests marked `postgresql` (they live here) and the rest of these folders, whose
# behaviour depends on the engine (search backend, locking).
POSTGRES_TEST_PATHS ?= tests/sitesearch tests/ateliers
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install test-tools run serve migrate demo test test-sqlite test-postgres bench check lock clean

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

install: $(VENV)/.installed

# axe-core for the browser tests' accessibility checks (skipped, with a message, where npm is absent).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "!! npm absent : axe-core non installé, les tests navigateur seront ignorés."; fi

test-tools: node_modules/.installed

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	BASE_URL=$(BASE_URL) $(PY) manage.py load_demo

## make run: set everything up and serve the portal with demo content on 127.0.0.1:$(PORT)
run: demo
	@echo "Portail : $(BASE_URL)/   Administration : $(BASE_URL)/admin/"
	BASE_URL=$(BASE_URL) $(PY) manage.py runserver 127.0.0.1:$(PORT)

## make test: the whole suite, on SQLite then the PostgreSQL-specific tests on PostgreSQL
test: install test-tools
	$(PY) manage.py check
	$(PY) -m pytest
	@$(MAKE) --no-print-directory test-postgres

test-postgres: install
	@if $(PY) -c "import psycopg,sys; psycopg.connect('$(TEST_POSTGRES_URL)'.rsplit('/',1)[0]+'/postgres', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== Tests PostgreSQL ($(TEST_POSTGRES_URL))"; \
		DATABASE_URL=$(TEST_POSTGRES_URL) $(PY) -m pytest -p no:cacheprovider -m "not browser" $(POSTGRES_TEST_PATHS); \
		status=$$?; if [ $$status -eq 5 ]; then echo "Aucun test PostgreSQL."; exit 0; fi; exit $$status; \
	else \
		echo "!! PostgreSQL injoignable sur 127.0.0.1:5432 : tests PostgreSQL NON exécutés (ignorés)."; \
	fi

## make bench: performance figures (see README)
bench: install
	$(PY) -m bench

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

## make lock: re-resolve dependencies from pyproject.toml into requirements.lock
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip
	.lock-venv/bin/pip install --quiet ".[test]"
	.lock-venv/bin/pip freeze --exclude biodiversitheque > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) var/db.sqlite3
