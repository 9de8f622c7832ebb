# Two commands: `make run` serves the demo, `make test` runs the whole suite.
# Both set everything up first and skip whatever is already up to date.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
BUILD := static/build
BUILT := $(BUILD)/.built
# With debug off the settings refuse to start without a secret key; development and the tests
# use an obviously insecure one unless the environment gives its own.
export DJANGO_SECRET_KEY ?= django-insecure-make-key-for-development-and-tests

# The first Python 3.12+ found: python3.13, python3.12, python3, then pyenv's installs.
define find_python
for candidate in python3.13 python3.12 python3 $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do \
  if "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then echo "$$candidate"; exit 0; fi; \
done; \
echo "No Python 3.12 or newer found. Install Python 3.12+ (python3.12 or python3.13 on PATH) and try again." >&2; exit 1
endef

.PHONY: run test setup install css migrate lint clean

# A task worker runs beside the development server (it sends the emails, which the console
# backend prints here) and stops with it.
run: setup
	DJANGO_DEBUG=1 $(PY) manage.py load_demo
	DJANGO_DEBUG=1 $(PY) manage.py db_worker --no-reload --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

setup: install css migrate

install: $(INSTALLED)

$(PY):
	@python=$$($(find_python)) && echo "Creating $(VENV) with $$python" && "$$python" -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

css: $(BUILT)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# GOV.UK Frontend compiled from its SCSS with the Arial stack (GDS Transport is licensed for
# gov.uk only), its JavaScript and images copied beside it. Built here, never committed.
$(BUILT): node_modules/.package-lock.json static/css/app.scss
	rm -rf $(BUILD) && mkdir -p $(BUILD)/assets
	npx sass --load-path=node_modules --style=compressed --no-source-map static/css/app.scss $(BUILD)/app.css
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $(BUILD)/
	cp -r node_modules/govuk-frontend/dist/govuk/assets/images node_modules/govuk-frontend/dist/govuk/assets/manifest.json $(BUILD)/assets/
	cp node_modules/axe-core/axe.min.js $(BUILD)/
	touch $@

migrate: $(INSTALLED)
	$(PY) manage.py migrate --noinput --verbosity 0

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) node_modules $(BUILD)
