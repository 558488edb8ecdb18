#!/usr/bin/env bash
# Coverage-guided fuzzing of VejaMigrateCore's readers (docs/fuzzing.md), run by `make fuzz`.
#
# Builds one libFuzzer binary from the Core sources and Fuzz/FuzzMain.swift (swiftc
# -sanitize=fuzzer,address -parse-as-library; SwiftPM cannot build a libFuzzer main), seeds a
# corpus per target from the repository's histories, specs and SQL, and runs each target for
# FUZZ_SECONDS. A crash, a sanitizer report, a timeout or running out of memory stops with the
# input saved; copy it to Tests/VejaMigrateCoreTests/FuzzRegressions/TARGET/ so `make test` keeps it.
#
#   FUZZ_SECONDS   seconds per target (default 60)
#   FUZZ_TARGETS   which targets (default: all: python header upgrade sql spec)
#   FUZZ_DIR       the build and corpus folder (default .build-fuzz, git-ignored)
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_EACH=${FUZZ_SECONDS:-60}
TARGETS=${FUZZ_TARGETS:-python header upgrade sql spec}
DIR=${FUZZ_DIR:-.build-fuzz}
BIN=$DIR/vejamigrate-fuzz
REGRESSIONS=Tests/VejaMigrateCoreTests/FuzzRegressions
SWIFTC=${SWIFTC:-swiftc}
mkdir -p "$DIR"

sources=$(find Sources/VejaMigrateCore -name '*.swift' | sort)
if [ ! -x "$BIN" ] || [ -n "$(find Sources/VejaMigrateCore Fuzz -newer "$BIN" -name '*.swift' | head -1)" ]; then
    echo "fuzz: building $BIN (swiftc -sanitize=fuzzer,address -O; a few minutes)"
    # shellcheck disable=SC2086
    "$SWIFTC" -sanitize=fuzzer,address -parse-as-library -O -module-name VejaMigrateCore \
        -I Sources/CPgQuery $sources Fuzz/FuzzMain.swift -o "$BIN" 2>&1 \
        | grep -v -e "ld.gold: warning: Cannot export local symbol" -e "warning: " -e "^ *[0-9]* |" -e "^ *|" || true
    [ -x "$BIN" ] || { echo "fuzz: the build failed" >&2; exit 1; }
fi

# Seeds: every migration the repository holds, the specs, the SQL strings inside the migrations.
seed() {
    local target=$1 corpus=$DIR/corpus/$1
    mkdir -p "$corpus"
    case $target in
        python|header|upgrade)
            find examples Tests/integration/histories Tests/VejaMigrateCoreTests/Golden -name '*.py' -exec cp {} "$corpus"/ \; ;;
        spec)
            find examples -name '*.json' -exec cp {} "$corpus"/ \; ;;
        sql)
            find Tests/VejaMigrateCoreTests/Golden -name '*.sql' -exec cp {} "$corpus"/ \;
            python3 - "$corpus" examples Tests/integration/histories <<'PY'
import ast, hashlib, pathlib, sys
out = pathlib.Path(sys.argv[1])
for root in sys.argv[2:]:
    for path in pathlib.Path(root).rglob("*.py"):
        try:
            tree = ast.parse(path.read_text())
        except (SyntaxError, UnicodeDecodeError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) > 12:
                text = node.value.encode()
                (out / hashlib.sha1(text).hexdigest()).write_bytes(text)
PY
            ;;
    esac
    if [ -d "$REGRESSIONS/$target" ]; then cp "$REGRESSIONS/$target"/* "$corpus"/ 2>/dev/null || true; fi
}

status=0
for target in $TARGETS; do
    seed "$target"
    artifacts=$DIR/artifacts/$target/
    mkdir -p "$artifacts"
    echo "fuzz: $target for ${SECONDS_EACH}s ($(find "$DIR/corpus/$target" -type f | wc -l) inputs in the corpus)"
    if ! FUZZ_TARGET=$target "$BIN" "$DIR/corpus/$target" -max_total_time="$SECONDS_EACH" -timeout=10 \
        -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts" \
        >"$DIR/$target.log" 2>&1; then
        status=1
        echo "fuzz: $target FOUND A FAILURE; the input is in $artifacts (log: $DIR/$target.log)" >&2
        echo "      add it to $REGRESSIONS/$target/ and fix it; FuzzRegressionTests runs it in make test" >&2
    fi
    grep -E "^stat::(number_of_executed_units|new_units_added)|cov: " "$DIR/$target.log" | tail -3 | sed "s/^/fuzz: $target: /"
done
exit $status
