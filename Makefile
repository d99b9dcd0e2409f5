# The two commands: `make run` and `make test`. Everything else is what they need.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?=

.PHONY: setup python-packages node-packages assets catalogs messages db run test test-postgres lint format clean

setup: python-packages assets catalogs

python-packages: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

node-packages: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node-packages
	npm run --silent build

# Interface languages: the .po catalogs are committed, compiled here (.mo files are not).
I18N := app/i18n
I18N_SKIP := --ignore-dirs=".* _* node_modules static instance tests bench drafts migrations docs"
catalogs: python-packages
	$(VENV)/bin/pybabel -q compile -d $(I18N)

# Extract every marked string (Python, templates, browser code) and merge it into each catalog.
messages: python-packages
	$(VENV)/bin/pybabel -q extract -F $(I18N)/babel.cfg -k _l -k lazy_gettext -k N_ $(I18N_SKIP) \
		--no-wrap --sort-by-file --project agora-drafts -o $(I18N)/messages.pot .
	$(VENV)/bin/pybabel -q update --no-wrap --no-fuzzy-matching -i $(I18N)/messages.pot -d $(I18N)
	$(PY) -m app.i18n.check

db: setup
	$(FLASK) db upgrade
	$(FLASK) demo load --host $(HOST)
	$(FLASK) search reindex --if-empty

# The production server (gunicorn, gevent) and the other Procfile lines, together; Ctrl-C stops all.
run: db
	$(FLASK) demo guard --host $(HOST)
	HOST=$(HOST) PORT=$(PORT) $(VENV)/bin/honcho start -f Procfile

# The suite on SQLite (browser tests included); then on PostgreSQL when TEST_DATABASE_URL is set.
test: db
	$(VENV)/bin/ruff check app tests bench wsgi.py
	$(VENV)/bin/ruff format --check --quiet app tests bench wsgi.py
	npm test --silent
	env -u TEST_DATABASE_URL $(VENV)/bin/pytest -n auto $(PYTEST_ARGS)
	@if [ -n "$$TEST_DATABASE_URL" ]; then $(MAKE) --no-print-directory test-postgres; fi

# The whole suite again on PostgreSQL (TEST_DATABASE_URL), browser tests aside: they ran above.
test-postgres: setup
	$(VENV)/bin/pytest -n auto -m "not browser" $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check app tests bench wsgi.py
	$(VENV)/bin/ruff format --check app tests bench wsgi.py

format: setup
	$(VENV)/bin/ruff format app tests bench wsgi.py
	$(VENV)/bin/ruff check --fix app tests bench wsgi.py

clean:
	rm -rf $(VENV) node_modules app/static/dist
