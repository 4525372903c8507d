# The two commands of the README: `make demo` and `make test`. Both set themselves up.
SHELL := /bin/bash
VENV := .venv/bin
DEMO_N ?= 8

.PHONY: setup setup-runtime demo test lint typecheck schemas bench clean env audit lock

setup:
	@bash scripts/setup.sh

setup-runtime:
	@bash scripts/setup.sh runtime

demo: setup-runtime
	@$(VENV)/sohoa demo --n $(DEMO_N)

test: setup
	@$(VENV)/ruff check .
	@$(VENV)/mypy
	@$(VENV)/python -m schemas.export --check
	@$(VENV)/python scripts/audit.py
	@$(VENV)/python -m pytest -q -ra tests

# docker compose's secrets: .env from .env.example, empty values drawn at random, existing ones kept.
env:
	@python3 scripts/make_env.py

# Known vulnerabilities in the installed dependency versions (pip-audit); SOHOA_AUDIT_STRICT=1 fails
# when the vulnerability data cannot be reached instead of saying so and passing.
audit: setup
	@$(VENV)/python scripts/audit.py

# requirements.lock anew: the newest versions pyproject.toml allows, resolved in a scratch virtualenv.
lock:
	@rm -rf .lock-venv && python3 -m venv .lock-venv && .lock-venv/bin/pip install -q --upgrade pip \
	  && .lock-venv/bin/pip install -q -e '.[dev]' \
	  && { sed -n '1,2p' requirements.lock; .lock-venv/bin/pip freeze --exclude-editable; } > requirements.lock.new \
	  && mv requirements.lock.new requirements.lock && rm -rf .lock-venv && echo "requirements.lock remade"

lint: setup
	@$(VENV)/ruff check .
	@$(VENV)/mypy

schemas: setup
	@$(VENV)/python -m schemas.export

clean:
	rm -rf sohoa-data .pytest_cache .ruff_cache .mypy_cache
