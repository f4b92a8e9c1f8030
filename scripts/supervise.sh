#!/usr/bin/env bash
# Runs ORIENTIR_INSTANCES (default 2) orientir-api instances behind nginx's upstream and keeps
# them running: an instance that exits is started again after a back-off (0.1 s doubling to
# 5 s, back to 0.1 s once it has run 10 s), and why it exited is logged. SIGTERM/SIGINT stop
# the restarts, pass SIGTERM on (each instance drains its in-flight requests) and wait; the
# supervisor then exits 0 only when every instance exited 0.
#
# Instance i listens on $SUPERVISE_RUN/api-<i>.sock, writes its pid to api-<i>.pid and keeps
# its temporary files in ${TMPDIR:-/tmp}/orientir-<SUPERVISE_ID>-<i>/, which is emptied before
# it starts (what a killed export left behind goes with it) and belongs to nobody else.
# Environment: API_BIN, SUPERVISE_RUN, SUPERVISE_ID, ORIENTIR_INSTANCES, and the ORIENTIR_*
# settings of `orientir-api serve` (ORIENTIR_SOCKET is set here, per instance).
set -uo pipefail

n=${ORIENTIR_INSTANCES:-2}
run=${SUPERVISE_RUN:?}
id=${SUPERVISE_ID:?}
tmp_base=${TMPDIR:-/tmp}
[[ $n =~ ^[1-9][0-9]?$ ]] || { echo "supervise: ORIENTIR_INSTANCES must be 1..99" >&2; exit 2; }

declare -A pid_of instance_of started delay
stopping=0

log() { printf 'ts=%s level=%s msg="supervisor: %s"\n' "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)" "$1" "$2"; }

start() {
  local i=$1 dir=$tmp_base/orientir-$id-$1
  rm -rf -- "$dir" && mkdir -m 0700 -- "$dir"
  rm -f -- "$run/api-$i.sock"
  ORIENTIR_SOCKET=$run/api-$i.sock TMPDIR=$dir "$API_BIN" serve &
  pid_of[$i]=$!
  instance_of[$!]=$i
  started[$i]=$SECONDS
  echo "$!" >"$run/api-$i.pid"
}

why() {  # an exit status as words
  if (($1 > 128)); then echo "killed by signal $(($1 - 128)) ($(kill -l $(($1 - 128)) 2>/dev/null || echo ?))"
  else echo "exited with status $1"; fi
}

stop_all() {
  stopping=1
  local i rc=0 status
  for i in "${!pid_of[@]}"; do [ -z "${pid_of[$i]}" ] || kill -TERM "${pid_of[$i]}" 2>/dev/null || true; done
  for i in "${!pid_of[@]}"; do
    [ -n "${pid_of[$i]}" ] || continue           # exited and waiting for its restart
    wait "${pid_of[$i]}"; status=$?
    ((status == 0)) || { log warn "instance $i $(why "$status") on shutdown"; rc=1; }
    rm -f -- "$run/api-$i.pid"
  done
  log info "stopped $n instance(s)"
  exit "$rc"
}
trap stop_all TERM INT

for ((i = 1; i <= n; i++)); do delay[$i]=0.1; start "$i"; done
log info "started $n instance(s)"

while :; do
  wait -n -p exited; status=$?
  ((stopping)) && break
  [ -n "${exited:-}" ] || continue              # a signal interrupted the wait
  i=${instance_of[$exited]:-}; unset "instance_of[$exited]"
  [ -n "$i" ] || continue                       # not an instance (a back-off sleep)
  pid_of[$i]=""
  if ((SECONDS - started[$i] >= 10)); then delay[$i]=0.1; fi
  log warn "instance $i (pid $exited) $(why "$status"); starting it again in ${delay[$i]} s"
  sleep "${delay[$i]}" & wait $!
  ((stopping)) && break
  start "$i"
  delay[$i]=$(awk -v d="${delay[$i]}" 'BEGIN { d *= 2; if (d > 5) d = 5; print d }')
done
