# vejamigrate: build, test and run.
#
#   make deps     install the Debian packages the build and tests need (idempotent)
#   make venv     .venv/ with Alembic, SQLAlchemy, psycopg, ruff, pytest (Tests/integration/requirements.txt)
#   make build    swift build (debug)
#   make test     unit tests (swift test), then the integration suite against real Alembic,
#                 PostgreSQL and SQLite, then the SQLite part again on SQLAlchemy 2.0,
#                 then the wizard under tmux (Tests/e2e)
#   make run      the ncurses wizard on a copy of the example project (.tmp/vejapro)
#   make bench    release build, then scripts/bench.sh: vejamigrate against alembic heads and cat
#                 on generated histories of 1,000 and 10,000 migrations (docs/performance.md)

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

PYTHON ?= python3
SWIFT ?= swift
# SCRATCH=.build-NAME builds in a folder of its own (such folders are git-ignored).
SCRATCH ?= .build
SWIFT_BUILD_FLAGS ?=
PYTEST_FLAGS ?= -q

VENV := .venv
VENV_SA20 := .venv-sa20
REQUIREMENTS := Tests/integration/requirements.txt
REQUIREMENTS_SA20 := Tests/integration/requirements-sa20.txt
PIP_FLAGS := --disable-pip-version-check --no-input --quiet

DEBUG_BIN := $(SCRATCH)/debug

.PHONY: run-reset all deps venv venv-sa20 build release test test-unit test-integration test-sa20 test-e2e run bench clean distclean

all: build

# Each package is checked by what the build needs from it, so a machine that
# already has it (installed by hand or by an earlier run) skips apt entirely.
deps:
	@missing=""; \
	dpkg-query -W -f='$${Status}' libncurses-dev 2>/dev/null | grep -q "install ok installed" \
		|| missing="$$missing libncurses-dev"; \
	command -v tmux >/dev/null 2>&1 || missing="$$missing tmux"; \
	compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing="$$missing postgresql"; \
	if [ -z "$$missing" ]; then echo "deps: libncurses-dev, tmux and postgresql are present"; exit 0; fi; \
	echo "deps: installing$$missing"; \
	sudo=""; if [ "$$(id -u)" != 0 ]; then sudo="sudo"; fi; \
	export DEBIAN_FRONTEND=noninteractive; \
	$$sudo apt-get update -q; \
	$$sudo apt-get install -y -q --no-install-recommends $$missing </dev/null

venv: $(VENV)/.installed

$(VENV)/.installed: $(REQUIREMENTS)
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install $(PIP_FLAGS) -r $(REQUIREMENTS)
	@touch $@

venv-sa20: $(VENV_SA20)/.installed

$(VENV_SA20)/.installed: $(REQUIREMENTS_SA20)
	$(PYTHON) -m venv $(VENV_SA20)
	$(VENV_SA20)/bin/pip install $(PIP_FLAGS) -r $(REQUIREMENTS_SA20)
	@touch $@

build:
	$(SWIFT) build --scratch-path $(SCRATCH) $(SWIFT_BUILD_FLAGS)

release:
	$(SWIFT) build -c release --scratch-path $(SCRATCH) $(SWIFT_BUILD_FLAGS)

# Both suites run even when the first fails; the target fails if either did.
test: deps venv venv-sa20 build
	@status=0; \
	$(MAKE) --no-print-directory test-unit || status=1; \
	$(MAKE) --no-print-directory test-integration || status=1; \
	$(MAKE) --no-print-directory test-sa20 || status=1; \
	if [ -d Tests/e2e ]; then $(MAKE) --no-print-directory test-e2e || status=1; fi; \
	exit $$status

test-unit:
	$(SWIFT) test --scratch-path $(SCRATCH) $(SWIFT_BUILD_FLAGS)

test-integration: venv
	VEJAMIGRATE_BIN="$${VEJAMIGRATE_BIN:-$(CURDIR)/$(DEBUG_BIN)/vejamigrate}" \
		$(VENV)/bin/pytest $(PYTEST_FLAGS) Tests/integration

# The SQLite half of the suite on SQLAlchemy 2.0, the version VejaPRO pins.
test-sa20: venv-sa20
	VEJAMIGRATE_BIN="$${VEJAMIGRATE_BIN:-$(CURDIR)/$(DEBUG_BIN)/vejamigrate}" \
		$(VENV_SA20)/bin/pytest $(PYTEST_FLAGS) -m sqlite Tests/integration

# The wizard driven under tmux (Tests/e2e).
test-e2e: venv
	VEJAMIGRATE_TUI_BIN="$${VEJAMIGRATE_TUI_BIN:-$(CURDIR)/$(DEBUG_BIN)/vejamigrate-tui}" \
		$(VENV)/bin/pytest $(PYTEST_FLAGS) Tests/e2e

# Runs in the example project itself, so the wizard finds
# backend/app/migrations/versions the way it would in VejaPRO.
# The wizard runs on a copy of the example (made once, kept between runs), so what you write
# never lands in the repository or in the histories the tests copy. `make run-reset` starts over.
RUN_PROJECT := .tmp/vejapro

run: build $(RUN_PROJECT)
	@cd $(RUN_PROJECT) && "$(CURDIR)/$(DEBUG_BIN)/vejamigrate-tui"; status=$$?; \
	echo "(the example project is $(RUN_PROJECT); make run-reset starts it over)"; exit $$status

$(RUN_PROJECT):
	mkdir -p $(dir $(RUN_PROJECT))
	cp -R examples/vejapro $(RUN_PROJECT)

run-reset:
	rm -rf $(RUN_PROJECT)

# Release build first: the benchmark measures the binaries users run (docs/performance.md).
bench: venv release
	SCRATCH=$(SCRATCH) BENCH_SKIP_BUILD=1 bash scripts/bench.sh

clean:
	rm -rf .build $(SCRATCH) .tmp
	find . -name __pycache__ -type d -prune -not -path "./$(VENV)/*" -not -path "./$(VENV_SA20)/*" -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) $(VENV_SA20)
