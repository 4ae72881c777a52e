# Two entry points (see README): `make up` runs Gofer with a demo; `make test` runs the test suite.
VENV ?= .venv
PY := $(VENV)/bin/python
GOFER := $(VENV)/bin/gofer

.PHONY: dev up test lint bench images test-data

$(VENV)/.installed: pyproject.toml sdk/pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ./sdk -e '.[dev]'
	touch $@

dev: $(VENV)/.installed

up: dev
	bash scripts/up.sh

images:
	bash scripts/build-test-images.sh

test-data:
	bash scripts/fetch-webhook-examples.sh

test: dev images test-data
	$(VENV)/bin/ruff check gofer sdk tests bench triggers
	$(VENV)/bin/mypy
	url=$$(bash scripts/test-postgres.sh) && GOFER_TEST_POSTGRES_URL=$$url $(VENV)/bin/pytest -q

lint: dev
	$(VENV)/bin/ruff format --check gofer sdk tests bench triggers
	$(VENV)/bin/ruff check gofer sdk tests bench triggers
	$(VENV)/bin/mypy

bench: dev images
	$(PY) bench/overhead.py
