#!/usr/bin/env bash
# make bench: build release, make sure the tools are there, then run scripts/bench.py.
#
#   scripts/bench.sh [bench.py options]     e.g. --runs 11, --sizes 1000
#
# Environment: SCRATCH (build folder, default .build), BENCH_SKIP_BUILD=1 (the Makefile already
# built), BENCH_RUNS, BENCH_SIZES, BENCH_SEED, BENCH_DIR (default .tmp/bench, git-ignored),
# BENCH_TIMER (auto | hyperfine | python).
#
# hyperfine and GNU time come from Debian's packages; when they cannot be installed the
# benchmark falls back to a Python timer and to wait4's rusage for peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."

SCRATCH="${SCRATCH:-.build}"
SWIFT="${SWIFT:-swift}"
PYTHON="${PYTHON:-python3}"

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
    echo "bench: swift build -c release" >&2
    "$SWIFT" build -c release --scratch-path "$SCRATCH" >&2
fi

if [ ! -x .venv/bin/alembic ]; then
    echo "bench: .venv/bin/alembic is missing: make venv" >&2
    make --no-print-directory venv >&2
fi

missing=()
command -v hyperfine >/dev/null 2>&1 || missing+=(hyperfine)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    if [ "$(id -u)" != 0 ]; then sudo="sudo -n"; fi
    echo "bench: installing ${missing[*]} (apt-get)" >&2
    if ! { DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null >&2 \
        || { $sudo apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null >&2; }; }; then
        echo "bench: could not install ${missing[*]}; using the Python fallbacks" >&2
    fi
fi

exec "$PYTHON" scripts/bench.py --bin "$SCRATCH/release" "$@"
