#!/usr/bin/env bash
# make bench: build release, make sure the tools are there, then run scripts/bench.py.
#
#   scripts/bench.sh [bench.py options]     e.g. --runs 11, --sizes 1000
#
# Environment: SCRATCH (build folder, default .build), BENCH_SKIP_BUILD=1 (the Makefile already
# built), BENCH_RUNS, BENCH_SIZES, BENCH_SEED, BENCH_DIR (default .tmp/bench, git-ignored),
# BENCH_TIMER (auto | hyperfine | python).
#
# hyperfine and GNU time come from Debian's packages (`make deps-bench`); when they cannot be
# installed the benchmark falls back to a Python timer and to wait4's rusage for peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."

SCRATCH="${SCRATCH:-.build}"
SWIFT="${SWIFT:-swift}"
PYTHON="${PYTHON:-python3}"

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
    echo "bench: make release (swift build -c release, after the Debian packages it needs)" >&2
    make --no-print-directory release SCRATCH="$SCRATCH" SWIFT="$SWIFT" >&2
fi

if [ ! -x .venv/bin/alembic ]; then
    echo "bench: .venv/bin/alembic is missing: make venv" >&2
    make --no-print-directory venv >&2
fi

# hyperfine and GNU time, through the Makefile's one installer (apt-get as root or through sudo,
# only for what is missing); the benchmark still runs without them.
if ! make --no-print-directory deps-bench >&2; then
    echo "bench: hyperfine and time could not be installed; using the Python fallbacks" >&2
fi

exec "$PYTHON" scripts/bench.py --bin "$SCRATCH/release" "$@"
