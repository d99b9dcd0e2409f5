# The two commands: `make run` and `make test`. Everything else is what they need.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?=

.PHONY: setup python-packages node-packages assets db run test test-postgres lint format clean

setup: python-packages assets

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

db: setup
	$(FLASK) db upgrade
	$(FLASK) demo load --host $(HOST)

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
