# Shared by the shell test layers of tests/production/: TAP-like lines that scripts/test-all.sh
# counts ("ok - …" / "not ok - …"), and the exit status (non-zero when one failed).
# shellcheck shell=bash
failures=0

pass() { echo "ok - $1"; }
fail() { echo "not ok - $1"; shift; [ $# -eq 0 ] || printf '  # %s\n' "$@"; failures=$((failures + 1)); }

# check "what" command...: one test, passing when the command succeeds.
check() {
  local what=$1; shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

finish() { [ "$failures" -eq 0 ]; }
