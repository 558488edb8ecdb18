# vejamigrate: build, test and run.
#
# Every target installs the Debian packages it needs when they are missing (as root, or through
# sudo); a machine that has them never calls apt. docs/setup.md says what each one installs.
#
#   make build    swift build (debug); installs libncurses-dev and libpg-query-dev
#   make release  swift build -c release; the same packages
#   make run      the ncurses wizard on a copy of the example project (.tmp/vejapro); the same packages
#   make test     unit tests (swift test), then the integration suite against real Alembic,
#                 PostgreSQL and SQLite, then the SQLite part again on SQLAlchemy 2.0,
#                 then the wizard under tmux (Tests/e2e); adds tmux and postgresql
#   make fuzz     libFuzzer over the readers, FUZZ_SECONDS each (docs/fuzzing.md); found inputs go to
#                 Tests/VejaMigrateCoreTests/FuzzRegressions, which make test runs
#   make bench    release build, then scripts/bench.sh: vejamigrate against alembic heads and cat
#                 on generated histories of 1,000 and 10,000 migrations (docs/performance.md);
#                 adds hyperfine and time; then make bench-locks
#   make bench-locks  the lock benchmark (issue 9): each lock-safe change, and the same with
#                 "safe": false, applied by Alembic to a 1,000,000-row table on a throwaway
#                 PostgreSQL while a writer runs; the writer's longest stall (docs/performance.md);
#                 adds postgresql
#   make bench-keys   the keystroke benchmark (issue 12): the wizard driven under tmux for three tasks,
#                 every key counted from a cold start to the written file (docs/performance.md); adds tmux
#   make deps     the Debian packages the build and the tests need (deps-build: the build's alone;
#                 deps-bench: the build's and the benchmark's; deps-bench-locks: the build's and PostgreSQL)
#   make venv     .venv/ with Alembic, SQLAlchemy, psycopg, ruff, pytest (Tests/integration/requirements.txt)
#   make install  release build, then vejamigrate and vejamigrate-tui into $(DESTDIR)$(PREFIX)/bin
#                 (PREFIX=/usr/local by default), their man pages into share/man/man1 and the bash,
#                 zsh and fish completions into share/; the same packages as make build
#   make uninstall  removes what make install put there (the same PREFIX and DESTDIR)
#   make man      the man pages alone, in $(SCRATCH)/man (swift-argument-parser's generate-manual plugin)

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

.PHONY: install uninstall man fuzz fuzz-specs run-reset bench-keys all deps deps-build deps-bench deps-bench-locks venv venv-sa20 build release test test-unit test-integration test-sa20 test-e2e run bench bench-locks clean distclean

all: build

# What each group of targets needs from Debian, as CHECK=PACKAGE: the package is missing when CHECK,
# a file (a glob is fine) or cmd:NAME (a command on PATH), is not there. Checking what the build
# reads, not dpkg's database, lets a machine that has the files by other means skip apt entirely.
# (Simple `:=` assignments expand at once: PG_NEEDS must come before TEST_NEEDS uses it.)
BUILD_NEEDS := /usr/include/ncursesw/curses.h=libncurses-dev /usr/include/pg_query.h=libpg-query-dev
PG_NEEDS := /usr/lib/postgresql/*/bin/initdb=postgresql
# man, dot, zsh and fish: the install and picture tests render the man pages (man -l), the dot
# output (dot -Tsvg) and load the completion scripts in each shell.
TEST_NEEDS := cmd:tmux=tmux $(PG_NEEDS) cmd:man=man-db cmd:dot=graphviz cmd:zsh=zsh cmd:fish=fish
BENCH_NEEDS := cmd:hyperfine=hyperfine /usr/bin/time=time

# $(call apt_install,NEEDS): installs the packages whose check fails, in one apt-get call
# (apt-get update first, only then), as root or through sudo; without either, or when apt fails,
# it stops with the exact command to run, so a missing header never shows up as a compiler error.
define apt_install
missing=""; \
has() { case "$$1" in cmd:*) command -v "$${1#cmd:}" >/dev/null 2>&1 ;; *) compgen -G "$$1" >/dev/null ;; esac; }; \
$(foreach need,$(1),has '$(firstword $(subst =, ,$(need)))' || missing="$$missing $(lastword $(subst =, ,$(need)))"; ) \
[ -z "$$missing" ] && exit 0; \
install="apt-get install -y -q --no-install-recommends$$missing"; \
fail() { \
	echo "deps: $$1. Install the missing packages as root, then run make again:" >&2; \
	echo "    apt-get update && $$install" >&2; \
	exit 1; \
}; \
if [ "$$(id -u)" = 0 ]; then sudo=""; \
elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; \
else fail "missing:$$missing; installing them needs root, and sudo is not installed"; fi; \
echo "deps: installing$$missing (apt-get$${sudo:+ through sudo})"; \
$$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null \
	&& $$sudo env DEBIAN_FRONTEND=noninteractive $$install </dev/null \
	|| fail "apt-get could not install$$missing"
endef

deps-build:
	@$(call apt_install,$(BUILD_NEEDS))

deps:
	@$(call apt_install,$(BUILD_NEEDS) $(TEST_NEEDS))

deps-bench:
	@$(call apt_install,$(BUILD_NEEDS) $(BENCH_NEEDS))

deps-bench-locks:
	@$(call apt_install,$(BUILD_NEEDS) $(PG_NEEDS))

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

build: deps-build
	$(SWIFT) build --scratch-path $(SCRATCH) $(SWIFT_BUILD_FLAGS)

release: deps-build
	$(SWIFT) build -c release --scratch-path $(SCRATCH) $(SWIFT_BUILD_FLAGS)

# Both suites run even when the first fails; the target fails if either did.
test: deps venv venv-sa20 build
	@status=0; \
	$(MAKE) --no-print-directory test-unit || status=1; \
	$(MAKE) --no-print-directory test-integration || status=1; \
	$(MAKE) --no-print-directory test-sa20 || status=1; \
	if [ -d Tests/e2e ]; then $(MAKE) --no-print-directory test-e2e || status=1; fi; \
	exit $$status

test-unit: deps-build
	$(SWIFT) test --scratch-path $(SCRATCH) $(SWIFT_BUILD_FLAGS)

test-integration: deps venv
	VEJAMIGRATE_BIN="$${VEJAMIGRATE_BIN:-$(CURDIR)/$(DEBUG_BIN)/vejamigrate}" \
		$(VENV)/bin/pytest $(PYTEST_FLAGS) Tests/integration

# The SQLite half of the suite on SQLAlchemy 2.0, the version VejaPRO pins.
test-sa20: venv-sa20
	VEJAMIGRATE_BIN="$${VEJAMIGRATE_BIN:-$(CURDIR)/$(DEBUG_BIN)/vejamigrate}" \
		$(VENV_SA20)/bin/pytest $(PYTEST_FLAGS) -m sqlite Tests/integration

# Random specs over every operation (Tests/integration/test_spec_fuzz.py): `make test` runs 60,
# this runs FUZZ_SPECS of them (default 400): each refused cleanly, or written, formatted and applied on SQLite.
FUZZ_SPECS ?= 400
fuzz-specs: deps venv build
	FUZZ_SPECS=$(FUZZ_SPECS) VEJAMIGRATE_BIN="$${VEJAMIGRATE_BIN:-$(CURDIR)/$(DEBUG_BIN)/vejamigrate}" \
		$(VENV)/bin/pytest $(PYTEST_FLAGS) Tests/integration/test_spec_fuzz.py

# Coverage-guided fuzzing (libFuzzer, swiftc -sanitize=fuzzer,address) of the Python lexer and
# expression parser, the header reader, the schema reader, the SQL reader and the spec reader,
# FUZZ_SECONDS each (default 60); scripts/fuzz.sh, docs/fuzzing.md. Its regression inputs run in `make test`.
FUZZ_SECONDS ?= 60
fuzz: deps-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash scripts/fuzz.sh

# The wizard driven under tmux (Tests/e2e).
test-e2e: deps venv
	VEJAMIGRATE_TUI_BIN="$${VEJAMIGRATE_TUI_BIN:-$(CURDIR)/$(DEBUG_BIN)/vejamigrate-tui}" \
		$(VENV)/bin/pytest $(PYTEST_FLAGS) Tests/e2e

# Runs in a project laid out like VejaPRO, so the wizard finds backend/app/migrations/versions.
# The wizard runs on a copy of the example (made once, kept between runs), so what you write
# never lands in the repository or in the histories the tests copy. `make run-reset` starts over:
# it deletes the copy, makes a fresh one and opens the wizard on it.
RUN_PROJECT := .tmp/vejapro
TUI_BIN := $(CURDIR)/$(DEBUG_BIN)/vejamigrate-tui

# Quitting the wizard (Ctrl-C, or y at "Quit?") exits 130: the user's choice, not a failure, so
# make ends quietly. Any other exit (2: no terminal, 1/3/4: the core's errors) fails make.
# RUN_PROJECT= and TUI_BIN= point it elsewhere (Tests/e2e/test_make_run.py runs it on a temporary copy).
run: build $(RUN_PROJECT)
	$(RUN_WIZARD)

# The wizard in $(RUN_PROJECT), with the exit handling above (run and run-reset share it).
define RUN_WIZARD
@status=0; cd $(RUN_PROJECT) && "$(TUI_BIN)" || status=$$?; \
case $$status in \
0) echo "The example project is $(RUN_PROJECT) (make run-reset starts it over)." ;; \
130) echo "Quit: nothing was written. The example project is $(RUN_PROJECT) (make run-reset starts it over)." ;; \
*) exit $$status ;; \
esac
endef

define COPY_EXAMPLE
mkdir -p $(dir $(RUN_PROJECT))
cp -R examples/vejapro $(RUN_PROJECT)
endef

$(RUN_PROJECT):
	$(COPY_EXAMPLE)

# Starts over: a fresh copy of the example (what was written in the old one is gone), then the wizard.
run-reset: build
	rm -rf $(RUN_PROJECT)
	$(COPY_EXAMPLE)
	$(RUN_WIZARD)

# Release build first: the benchmark measures the binaries users run (docs/performance.md).
# scripts/bench.sh adds hyperfine and time (make deps-bench), and has fallbacks without them.
bench: venv release
	SCRATCH=$(SCRATCH) BENCH_SKIP_BUILD=1 bash scripts/bench.sh
	$(MAKE) --no-print-directory bench-locks
	$(MAKE) --no-print-directory bench-keys

# The lock benchmark (issue 9, about 3 minutes): scripts/bench_locks.py starts its own PostgreSQL on
# 127.0.0.1 and removes it at the end. BENCH_LOCK_ROWS (default 1000000), BENCH_LOCK_RUNS (3),
# BENCH_LOCK_ONLY (e.g. check,not_null), BENCH_DIR (.tmp/bench). BENCH_LOCK_VARIANTS: hand-edited
# migrations measured as a third mode (the fix suggested in docs/performance.md); empty skips them.
BENCH_LOCK_VARIANTS ?= scripts/bench_locks_variants
bench-locks: deps-bench-locks venv release
	BENCH_LOCK_VARIANTS="$(BENCH_LOCK_VARIANTS)" $(VENV)/bin/python scripts/bench_locks.py --bin $(SCRATCH)/release/vejamigrate

# Installing (docs/setup.md). Recursive variables, so that PREFIX given on the command line moves everything.
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(PREFIX)/bin
MAN1DIR = $(PREFIX)/share/man/man1
BASH_COMPLETION_DIR = $(PREFIX)/share/bash-completion/completions
ZSH_COMPLETION_DIR = $(PREFIX)/share/zsh/site-functions
FISH_COMPLETION_DIR = $(PREFIX)/share/fish/vendor_completions.d
EXECUTABLES := vejamigrate vejamigrate-tui
RELEASE_BIN := $(SCRATCH)/release
MAN_OUT := $(SCRATCH)/man
# The date in the pages' footers: the last commit's, so the pages do not change from day to day.
MAN_DATE ?= $(shell git -C "$(CURDIR)" log -1 --format=%cs 2>/dev/null || date +%Y-%m-%d)

# The plugin builds every product in release mode (the same $(SCRATCH)), runs each executable with
# --experimental-dump-help and writes one page per command (--multi-page: vejamigrate.1,
# vejamigrate.status.1, ...) under the plugin's own work folder (emptied first, so a page of a
# command that is gone is not installed), found there by name and collected.
MAN_PLUGIN_OUT = $(SCRATCH)/plugins/GenerateManual/outputs
man: release
	rm -rf "$(MAN_OUT)" "$(MAN_PLUGIN_OUT)" && mkdir -p "$(MAN_OUT)"
	$(SWIFT) package --scratch-path $(SCRATCH) plugin generate-manual --multi-page --date $(MAN_DATE)
	for exe in $(EXECUTABLES); do \
		pages=$$(find "$(MAN_PLUGIN_OUT)" -path "*/$$exe/*.1" 2>/dev/null || true); \
		[ -n "$$pages" ] || { echo "man: the generate-manual plugin wrote no page for $$exe" >&2; exit 1; }; \
		cp $$pages "$(MAN_OUT)/"; \
	done
	# A blank line in a command's discussion (a paragraph break in --help) comes out as an empty
	# mdoc line, which man warns about: .Pp is mdoc's paragraph break.
	sed -i 's/^$$/.Pp/' "$(MAN_OUT)"/*.1
	@ls "$(MAN_OUT)"

install: release man
	install -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(MAN1DIR)" "$(DESTDIR)$(BASH_COMPLETION_DIR)" \
		"$(DESTDIR)$(ZSH_COMPLETION_DIR)" "$(DESTDIR)$(FISH_COMPLETION_DIR)"
	for exe in $(EXECUTABLES); do \
		install -m 755 "$(RELEASE_BIN)/$$exe" "$(DESTDIR)$(BINDIR)/$$exe"; \
		"$(RELEASE_BIN)/$$exe" --generate-completion-script bash > "$(DESTDIR)$(BASH_COMPLETION_DIR)/$$exe"; \
		"$(RELEASE_BIN)/$$exe" --generate-completion-script zsh > "$(DESTDIR)$(ZSH_COMPLETION_DIR)/_$$exe"; \
		"$(RELEASE_BIN)/$$exe" --generate-completion-script fish > "$(DESTDIR)$(FISH_COMPLETION_DIR)/$$exe.fish"; \
	done
	install -m 644 "$(MAN_OUT)"/*.1 "$(DESTDIR)$(MAN1DIR)/"
	@echo "installed vejamigrate $$("$(DESTDIR)$(BINDIR)/vejamigrate" --version) in $(DESTDIR)$(PREFIX)"

# Only the files make install writes: the pages by their names (vejamigrate.1, vejamigrate.*.1, vejamigrate-tui*.1).
uninstall:
	for exe in $(EXECUTABLES); do \
		rm -f "$(DESTDIR)$(BINDIR)/$$exe" "$(DESTDIR)$(BASH_COMPLETION_DIR)/$$exe" \
			"$(DESTDIR)$(ZSH_COMPLETION_DIR)/_$$exe" "$(DESTDIR)$(FISH_COMPLETION_DIR)/$$exe.fish" \
			"$(DESTDIR)$(MAN1DIR)/$$exe.1" "$(DESTDIR)$(MAN1DIR)/$$exe".*.1; \
	done

# The keystroke benchmark (issue 12, about a minute): scripts/bench_keys.py drives the release
# vejamigrate-tui under its own tmux server and checks each written file against `vejamigrate new --spec`.
BENCH_KEYS_FLAGS ?=
bench-keys: release
	@$(call apt_install,cmd:tmux=tmux)
	$(PYTHON) scripts/bench_keys.py --tui $(SCRATCH)/release/vejamigrate-tui --cli $(SCRATCH)/release/vejamigrate $(BENCH_KEYS_FLAGS)

clean:
	rm -rf .build $(SCRATCH) .tmp
	find . -name __pycache__ -type d -prune -not -path "./$(VENV)/*" -not -path "./$(VENV_SA20)/*" -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) $(VENV_SA20)
