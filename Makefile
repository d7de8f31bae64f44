# Two commands: `make run` (set up everything and serve on http://127.0.0.1:5000) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export FLASK_APP := wsgi

.PHONY: lock setup translations db demo run test test-postgres lint format extract-messages browser-deps office-deps pdf-deps clean serve-prod bench bench-quick

# requirements.lock pins every package to the version CI tested (`make lock` rewrites it).
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip 'setuptools>=78.1.1'  # the venv's own 65.5 has known CVEs
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

lock:
	PYTHON=$(PYTHON) bash scripts/lock.sh

setup: $(STAMP) translations

translations: $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d lokalatih/translations >/dev/null

db: setup
	mkdir -p instance
	$(BIN)/flask db upgrade

demo: db
	$(BIN)/flask certificates demo-signing-key
	$(BIN)/flask demo load

run: demo
	$(BIN)/flask dev --host 127.0.0.1 --port 5000

# Production shape locally: PostgreSQL, gunicorn (gunicorn.conf.py) and one scheduler (docs/DEPLOY.md).
serve-prod: setup
	bash scripts/serve-prod.sh

# Load benchmarks against gunicorn on PostgreSQL (docs/PERFORMANCE.md); not part of `make test`.
bench: setup
	bash scripts/ensure-wrk.sh
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev,bench]'
	bash bench/load/run.sh

# A few minutes: issue 21's figures only (each hot path next to the ceiling, CPU per request, the
# class at human pace for 250 to 3,000 participants), written into docs/PERFORMANCE.md.
bench-quick: setup
	bash scripts/ensure-wrk.sh
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev,bench]'
	bash bench/load/run.sh --only hot,pace --command 'make bench-quick' --pace-seconds 30

browser-deps:
	bash scripts/ensure-browser.sh

# A gallery of the main pages of each role at 390x844 and 1366x768 in docs/screenshots/.
screenshots: setup browser-deps
	$(BIN)/python scripts/screenshots.py

office-deps:
	bash scripts/ensure-libreoffice.sh

pdf-deps:
	bash scripts/ensure-pdf-tools.sh

test: setup browser-deps office-deps pdf-deps
	$(BIN)/pytest $(PYTEST_ARGS)

# The same suite against the PostgreSQL on this machine (see .ci/run).
test-postgres: setup browser-deps office-deps pdf-deps
	LOKALATIH_TEST_DATABASE_URL=$${LOKALATIH_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} \
		$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Refresh the message catalogues after changing user-facing strings.
extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ -k N_plural:1,2 -o lokalatih/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i lokalatih/translations/messages.pot -d lokalatih/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) instance/*.sqlite
