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
POSTGRES_TEST_PATHS ?= tests/sitesearch tests/ateliers tests/prets
# The OpenSearch node of tools/opensearch (make search-node), and the suites run on it.
SEARCH_NODE_URL ?= http://127.0.0.1:9200
SEARCH_TEST_PATHS ?= tests/sitesearch
# In CI every part is required: a part that cannot run fails instead of being skipped.
ifeq ($(CI),true)
POSTGRES_TESTS ?= required
SEARCH_TESTS ?= required
endif
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install test-tools test-machine run serve migrate demo test test-sqlite test-postgres test-search search-node search-node-stop docs-screenshots bench check lock clean

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

## make test-machine: install/start what the tests need (Chromium, PostgreSQL, Java) where root with apt
test-machine:
	@bash tools/test-machine.sh

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	BASE_URL=$(BASE_URL) $(PY) manage.py load_demo

## make run: set everything up and serve the portal with demo content on 127.0.0.1:$(PORT)
run: demo
	@echo "Portail : $(BASE_URL)/   Administration : $(BASE_URL)/admin/"
	BASE_URL=$(BASE_URL) $(PY) manage.py runserver 127.0.0.1:$(PORT)

## make test: the whole suite on SQLite, then on PostgreSQL, then the search suites on OpenSearch
test: test-machine install test-tools
	$(PY) manage.py check
	$(PY) -m pytest
	@$(MAKE) --no-print-directory test-postgres
	@$(MAKE) --no-print-directory test-search

test-postgres: install
	@if $(PY) -c "import psycopg,sys; psycopg.connect('$(TEST_POSTGRES_URL)'.rsplit('/',1)[0]+'/postgres', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== Tests PostgreSQL ($(TEST_POSTGRES_URL))"; \
		DATABASE_URL=$(TEST_POSTGRES_URL) $(PY) -m pytest -p no:cacheprovider -m "not browser" $(POSTGRES_TEST_PATHS); \
		status=$$?; if [ $$status -eq 5 ]; then echo "Aucun test PostgreSQL."; exit 0; fi; exit $$status; \
	elif [ "$(POSTGRES_TESTS)" = required ]; then \
		echo "!! PostgreSQL injoignable sur 127.0.0.1:5432, alors que POSTGRES_TESTS=required."; exit 1; \
	else \
		echo "!! PostgreSQL injoignable sur 127.0.0.1:5432 : tests PostgreSQL NON exécutés (make test-machine)."; \
	fi

## make search-node / search-node-stop: the OpenSearch node on $(SEARCH_NODE_URL), data in var/opensearch/
search-node:
	@bash tools/opensearch/node.sh start

search-node-stop:
	@bash tools/opensearch/node.sh stop

# The search suites on the node (same expectations as on the databases), then the fallback with the node
# stopped for real. Without Java, says so and skips, unless SEARCH_TESTS=required (CI).
test-search: install
	@if ! command -v java >/dev/null || ! command -v mvn >/dev/null; then \
		if [ "$(SEARCH_TESTS)" = required ]; then echo "!! Java/Maven absents, alors que SEARCH_TESTS=required."; exit 1; fi; \
		echo "!! Java ou Maven absent : tests sur OpenSearch NON exécutés (make test-machine, ou apt-get install default-jdk-headless maven)."; \
		exit 0; \
	fi; \
	bash tools/opensearch/node.sh start || exit 1; \
	echo "== Tests de la recherche sur OpenSearch ($(SEARCH_NODE_URL))"; \
	SEARCH_URL=$(SEARCH_NODE_URL) $(PY) -m pytest -p no:cacheprovider -m "not browser" $(SEARCH_TEST_PATHS); \
	status=$$?; \
	bash tools/opensearch/node.sh stop; \
	[ $$status -eq 0 ] || exit $$status; \
	echo "== Nœud arrêté : la recherche se replie sur la base"; \
	SEARCH_URL=$(SEARCH_NODE_URL) SEARCH_NODE_STOPPED=1 $(PY) -m pytest -p no:cacheprovider tests/sitesearch/test_search_node_stopped.py

## make docs-screenshots: the browser tests refresh the screenshots of docs/images/
docs-screenshots: install test-tools
	DOCS_SCREENSHOTS=1 $(PY) -m pytest -p no:cacheprovider -m browser tests/browser

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
