#!/usr/bin/env bash
# Runs every test layer against a fresh stack of its own (var/test, port $TEST_PORT) and
# ends with one line "N passed, N failed" summing all layers. Exit status 0 only when
# nothing failed. The API under test is the AddressSanitizer/UBSan build.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

export ORIENTIR_VAR=$root/var/test
export PORT=${TEST_PORT:-18080}
export PG_FAST=1
export API_BIN=$root/backend/build/asan/orientir-api
export DEMO_PASSWORD=${DEMO_PASSWORD:-orientir-demo}
export ORIENTIR_URL=http://127.0.0.1:$PORT
sanitizer_log=$ORIENTIR_VAR/log/sanitizer
export ASAN_OPTIONS="log_path=$sanitizer_log:detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="log_path=$sanitizer_log:print_stacktrace=1:halt_on_error=1"

passed=0 failed=0
declare -a layer_lines
out=$(mktemp); trap 'rm -f "$out"' EXIT

count() {  # count <layer> <passed> <failed>
  passed=$((passed + $2)); failed=$((failed + $3))
  layer_lines+=("$(printf '  %-10s %4d passed, %d failed' "$1" "$2" "$3")")
}
num() { grep -Eo "$1" "$out" | grep -Eo '[0-9]+' | awk '{s+=$1} END {print s+0}'; }

# A fresh cluster and database for every run.
scripts/stack.sh down >/dev/null 2>&1
eval "$(scripts/stack.sh env)"
rm -rf "$ORIENTIR_VAR"
case $PGHOST in /var/tmp/orientir-*) rm -rf "$(dirname "$PGHOST")" ;; esac

echo "== lint (ESLint: frontend functions up to 150 lines, no unused or undefined names)"
# One file is one test: a file passes when ESLint reports nothing in it (the default
# formatter prints the absolute path of each file with a problem on a line of its own).
node_modules/.bin/eslint frontend/js 2>&1 | tee "$out"; rc=${PIPESTATUS[0]}
total=$(find frontend/js -name '*.js' | wc -l)
f=$(grep -c '^/' "$out")
[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
count lint $((total - f)) "$f"

echo "== unit (cmocka, ASan/UBSan)"
make -s -C backend unit 2>&1 | tee "$out"; rc=${PIPESTATUS[0]}
p=$(num '\[  PASSED  \] [0-9]+'); f=$(num '\[  FAILED  \] [0-9]+')
[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
count unit "$p" "$f"

echo "== stack"
if ! scripts/stack.sh up 2>&1 | tee "$out"; then
  count stack 0 1
  printf '%s\n' "${layer_lines[@]}"
  echo "$passed passed, $failed failed"
  exit 1
fi
eval "$(scripts/stack.sh env)"

echo "== sql (pgTAP)"
pg_prove --verbose --ext .sql -r tests/sql/ 2>&1 | tee "$out"; rc=${PIPESTATUS[0]}
p=$(grep -Ec '^\s*ok [0-9]+' "$out"); f=$(grep -Ec '^\s*not ok [0-9]+' "$out")
[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
count sql "$p" "$f"

node_layer() {  # node_layer <name> <dir>
  local files; files=$(find "$2" -name '*.test.mjs' | sort)
  [ -n "$files" ] || return 0
  echo "== $1"
  # Files run one after another: the resilience tests stop the API and the database.
  # shellcheck disable=SC2086
  node --test --test-concurrency=1 --test-reporter=tap $files 2>&1 | tee "$out"; local rc=${PIPESTATUS[0]}
  local p f
  p=$(num '^# pass [0-9]+'); f=$(num '^# fail [0-9]+')
  [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
  count "$1" "$p" "$f"
}
node_layer api tests/api
node_layer browser tests/browser

echo "== fuzz (libFuzzer, ${FUZZ_SECONDS:-5} s per target)"
make -s -C backend fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-5}" 2>&1 | tee "$out"; rc=${PIPESTATUS[0]}
p=$(grep -Ec '^fuzz [a-z_]+: ok' "$out"); f=$(grep -Ec '^fuzz [a-z_]+: FAIL' "$out")
[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
count fuzz "$p" "$f"

echo "== shutdown"
scripts/stack.sh down
# A clean shutdown of the sanitizer build exits 0 and leaves no sanitizer report.
exit_status=$(cat "$ORIENTIR_VAR/run/api.exit" 2>/dev/null || echo missing)
reports=$(ls "$sanitizer_log".* 2>/dev/null || true)
if [ -n "$reports" ]; then
  cat $reports
  count sanitizer 0 1
elif [ "$exit_status" != 0 ]; then
  echo "the API exited with status $exit_status"
  count sanitizer 0 1
else
  count sanitizer 1 0
fi

echo
echo "Summary by layer:"
printf '%s\n' "${layer_lines[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
