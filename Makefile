# Two entry points: `make run` (install, migrate, demo data, serve) and `make test` (install, suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install browser-deps run test lint format lock bench-catalogue bench-enrolment bench-lrs bench-scorm bench-certificates bench-cascades bench-load clean

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

install: $(VENV)/.installed

# axe-core for the browser journeys' accessibility checks (tests/browser), from the npm
# registry; skipped where npm is missing (the journeys then skip too, saying why).
tests/browser/node_modules/.installed: tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix tests/browser --silent --no-audit --no-fund && touch $@; \
	else echo "npm not found: the browser journeys will be skipped"; fi

browser-deps: tests/browser/node_modules/.installed

run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo_data
	@echo "Serving on http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install browser-deps
	$(PY) -m pytest

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Re-resolve the pinned dependency set from pyproject.toml's ranges.
lock:
	rm -rf /tmp/pan-lock-venv && $(PYTHON) -m venv /tmp/pan-lock-venv
	/tmp/pan-lock-venv/bin/pip install --quiet --upgrade pip
	/tmp/pan-lock-venv/bin/pip install --quiet ".[dev]"
	/tmp/pan-lock-venv/bin/pip freeze --exclude pan-training-platform > requirements.lock

bench-catalogue: install
	$(PY) bench/catalogue.py

bench-enrolment: install
	$(PY) bench/enrolment.py

bench-lrs: install
	$(PY) bench/lrs.py

bench-scorm: install
	$(PY) bench/scorm.py

bench-certificates: install
	$(PY) bench/certificates.py

bench-cascades: install
	$(PY) bench/cascades.py

bench-load: install
	$(PY) bench/load/run.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles tests/browser/node_modules tests/screenshots
