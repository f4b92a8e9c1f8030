#!/usr/bin/env bash
# Runs every test layer against a fresh stack of its own (var/test, port $TEST_PORT) and
# ends with one line "N passed, N failed" summing all layers. Exit status 0 only when
# nothing failed. The API under test is the AddressSanitizer/UBSan build.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1

export ORIENTIR_VAR=$root/var/test
export PORT=${TEST_PORT:-18080}
export PG_FAST=1
export API_BIN=$root/backend/build/asan/orientir-api
export DEMO_PASSWORD=${DEMO_PASSWORD:-orientir-demo}
export ORIENTIR_URL=http://127.0.0.1:$PORT
# The attachment tests check that an infected file is refused: a stand-in for clamdscan.
export ORIENTIR_SCAN_COMMAND=$root/tests/api/scan-stub.sh
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

# The production layers (tests/production/): each script prints "ok - …" / "not ok - …" lines.
shell_layer() {  # shell_layer <name> <script>
  local started=$SECONDS rc p f
  echo "== $1 ($2)"
  "$2" 2>&1 | tee "$out"; rc=${PIPESTATUS[0]}
  p=$(grep -c '^ok - ' "$out"); f=$(grep -c '^not ok - ' "$out")
  [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
  echo "   $1: $((SECONDS - started)) s"
  count "$1" "$p" "$f"
}
shell_layer offline tests/production/offline.sh
shell_layer tls tests/production/tls.sh
shell_layer backup tests/production/backup.sh

echo "== secrets in logs (after every layer above has written its logs)"
# No password, access or refresh token, or the JWT secret may reach a log: a test run
# signs in hundreds of times with the demo password and made-up ones (Pw-…, Nw-…).
secret_hits=$(find -L "$ORIENTIR_VAR/log" -type f -print0 2>/dev/null | xargs -0 -r grep -a -l -E \
  -e "$(printf '%s' "$DEMO_PASSWORD" | sed 's/[][\.*^$]/\\&/g')" \
  -e "$(sed 's/[][\.*^$+/]/\\&/g' "$ORIENTIR_VAR/secret/jwt.key")" \
  -e 'eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}' \
  -e 'orientir_refresh=[A-Za-z0-9_-]{20,}' \
  -e '(Pw|Nw)-[A-Za-z0-9_-]{8,}' || true)
if [ -z "$secret_hits" ]; then count log-secrets 1 0; else echo "secrets found in: $secret_hits"; count log-secrets 0 1; fi

echo "== any folder (make up / make down in a clone under a 0700 directory, as in root's home)"
# A fresh clone of HEAD (what CI tests) in a mktemp -d folder, which postgres cannot traverse:
# the cluster, its log and everything PostgreSQL writes must go where postgres can write.
# As a new user would: none of this run's environment (ORIENTIR_VAR, API_BIN, PGHOST…).
any_dir=$(mktemp -d) any_port=$((PORT + 7))
any_ok=0
fresh() { env -i PATH="$PATH" HOME="${HOME:-/root}" PORT="$any_port" "$@"; }
if git clone -q "$root" "$any_dir/orientir" \
   && (cd "$any_dir/orientir" && fresh make -s up >"$any_dir/up.log" 2>&1) \
   && curl -fsS "http://127.0.0.1:$any_port/api/v1/health" | grep -q '"ok"'; then
  any_ok=1
fi
any_pg=$(cd "$any_dir/orientir" && fresh scripts/stack.sh env 2>/dev/null \
         | sed -n 's/.*PGHOST=\([^ ]*\).*/\1/p')
# make down must stop the rest whatever it finds: the API's supervisor already killed (its
# instances orphaned) included.
kill -KILL "$(cat "$any_dir/orientir/var/run/api.pid" 2>/dev/null)" 2>/dev/null || true
(cd "$any_dir/orientir" && fresh make -s down >>"$any_dir/up.log" 2>&1) || any_ok=0
pattern=$any_dir; [ -n "$any_pg" ] && pattern="$pattern|${any_pg%/socket}"
left=$(pgrep -af -- "$pattern" | grep -v pgrep || true)
if [ -n "$left" ]; then echo "left running: $left"; any_ok=0; fi
if [ "$any_ok" = 1 ]; then count any-folder 1 0; else tail -n 30 "$any_dir/up.log"; count any-folder 0 1; fi
[ -n "$any_pg" ] && case $any_pg in /var/tmp/orientir-*) rm -rf "${any_pg%/socket}" ;; esac
rm -rf "$any_dir"

echo "== shutdown"
scripts/stack.sh down
# A clean shutdown of the sanitizer build exits 0 and leaves no sanitizer report.
exit_status=$(cat "$ORIENTIR_VAR/run/api.exit" 2>/dev/null || echo missing)
reports=$(ls "$sanitizer_log".* 2>/dev/null || true)
if [ -n "$reports" ]; then
  cat -- "$sanitizer_log".*
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
