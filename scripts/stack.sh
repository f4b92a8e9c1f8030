#!/usr/bin/env bash
# Starts and stops the local stack: a private PostgreSQL cluster, the API and nginx,
# everything under one state directory ($ORIENTIR_VAR, default var/). Used by
# `make run/up/down` (var/) and `make test` (var/test, its own port).
#
#   stack.sh up        start what is not running (init, migrate, demo data on a new DB)
#   stack.sh run       up, print the URL and logins, stay in the foreground; Ctrl-C stops all
#   stack.sh down      stop everything this state directory started
#   stack.sh pg-stop | pg-start | api-restart   (used by the resilience tests)
#   stack.sh env       print the environment a client needs (PGHOST, ORIENTIR_URL, ...)
# ORIENTIR_WAL_ARCHIVE=1 archives the cluster's WAL to <cluster>/wal-archive (backup.sh pitr).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
VAR=${ORIENTIR_VAR:-$root/var}
PORT=${PORT:-8080}
API_BIN=${API_BIN:-$root/backend/build/orientir-api}
DEMO_PASSWORD=${DEMO_PASSWORD:-orientir-demo}
PG_FAST=${PG_FAST:-0}
WAL_ARCHIVE=${ORIENTIR_WAL_ARCHIVE:-0}
PGBIN=/usr/lib/postgresql/15/bin

mkdir -p "$VAR"
VAR=$(cd "$VAR" && pwd)
run=$VAR/run log=$VAR/log secret=$VAR/secret
mkdir -p "$run" "$log" "$secret" "$VAR/nginx"

say() { printf 'stack: %s\n' "$*"; }

# PostgreSQL refuses to run as root and needs every parent of its data directory to be
# traversable by the postgres user. A clone under /root is not: then keep the cluster
# under /var/tmp, in a directory named after this state directory.
# postgres cannot enter a 0700 clone: run its commands from / so they do not try to.
as_postgres() { (cd / && runuser -u postgres -- "$@"); }

pg_base() {
  if as_postgres test -x "$VAR" 2>/dev/null; then
    echo "$VAR/pg"
  else
    echo "/var/tmp/orientir-$(printf '%s' "$VAR" | sha256sum | cut -c1-12)"
  fi
}
PGBASE=$(pg_base)
PGDATA=$PGBASE/data
PGSOCK=$PGBASE/socket
# Everything PostgreSQL writes lives where postgres can write: its log too (not in the clone).
PGLOG=$PGBASE/postgresql.log
export PGHOST=$PGSOCK PGUSER=postgres PGDATABASE=orientir

pg_running() { [ -f "$PGDATA/postmaster.pid" ] && as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; }

pg_start() {
  mkdir -p "$PGBASE" "$PGSOCK"
  chown postgres "$PGBASE" "$PGSOCK"
  chmod 0700 "$PGSOCK"   # only postgres and root reach the socket: local auth is trust
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    [ "$PGBASE" = "$VAR/pg" ] || say "state directory not traversable by postgres; cluster in $PGBASE"
    as_postgres "$PGBIN/initdb" -D "$PGDATA" -U postgres -A trust \
      --encoding=UTF8 --locale=C.UTF-8 >"$log/initdb.log"
  fi
  pg_running && return 0
  local opts="-c listen_addresses='' -k $PGSOCK -c unix_socket_permissions=0700 -c timezone=Europe/Moscow"
  [ "$PG_FAST" = 1 ] && opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  # ORIENTIR_WAL_ARCHIVE=1: continuous WAL archiving to $PGBASE/wal-archive, what a
  # point-in-time restore replays (scripts/backup.sh; README "Production"). Takes effect
  # when the cluster starts.
  if [ "$WAL_ARCHIVE" = 1 ]; then
    mkdir -p "$PGBASE/wal-archive"; chown postgres "$PGBASE/wal-archive"; chmod 0700 "$PGBASE/wal-archive"
    opts="$opts -c archive_mode=on -c archive_timeout=60"
    opts="$opts -c archive_command='test ! -f $PGBASE/wal-archive/%f && cp %p $PGBASE/wal-archive/%f'"
  fi
  touch "$PGLOG"; chown postgres "$PGLOG"
  ln -sfn "$PGLOG" "$log/postgresql.log"   # where people look for it
  as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGLOG" -o "$opts" -w start >/dev/null
}

pg_stop() {
  if pg_running; then as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null || true; fi
}

db_prepare() {
  psql -X -q -d postgres -At -c "select 1 from pg_database where datname = 'orientir'" | grep -q 1 \
    || createdb orientir
  local out
  if ! out=$("$root/scripts/migrate.sh" "$root/sql/migrations" 2>&1); then
    printf '%s\n' "$out" >&2
    say "migrations failed; a database made from edited migrations needs 'make clean'"
    return 1
  fi
  printf '%s\n' "$out" | grep -v -e ' 0 new' -e ' 0 function' || true
  if [ "$(psql -X -At -c 'select count(*) from app.regions')" = 0 ]; then
    local hash
    hash=$(printf '%s' "$DEMO_PASSWORD" | "$API_BIN" hash-password)
    psql -X -q -v ON_ERROR_STOP=1 -v demo_password_hash="$hash" -f "$root/sql/demo/load.sql" >/dev/null
    say "demo data loaded"
  fi
}

jwt_secret() {
  if [ ! -s "$secret/jwt.key" ]; then
    (umask 077; head -c 48 /dev/urandom | base64 -w0 >"$secret/jwt.key")
  fi
  chmod 0600 "$secret/jwt.key"
}

pid_alive() {  # a zombie still answers kill -0: look at its state
  local pid=$1
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] && ! awk '{exit !($3=="Z")}' "/proc/$pid/stat" 2>/dev/null
}

api_running() { pid_alive "$(cat "$run/api.pid" 2>/dev/null || true)"; }

# The API: scripts/supervise.sh runs ORIENTIR_INSTANCES instances (default 2) and restarts
# one that dies. run/api.pid is the supervisor's; run/api.exit its exit status (0 when every
# instance shut down cleanly); run/api-<i>.pid and api-<i>.sock belong to instance i.
INSTANCES=${ORIENTIR_INSTANCES:-2}
# Body limits in bytes, the API's and nginx's alike: an attached file, a CSV import.
MAX_UPLOAD=${ORIENTIR_MAX_UPLOAD:-20971520}
MAX_IMPORT=${ORIENTIR_MAX_IMPORT:-67108864}

api_start() {
  api_running && return 0
  api_stop   # instances a killed supervisor left behind
  jwt_secret
  rm -f "$run"/api*.sock "$run/api.exit"
  # The wrapper records the exit status so that tests can check a clean shutdown.
  # shellcheck disable=SC2016 # $0, $1, $! and $? belong to the inner bash
  ORIENTIR_INSTANCES=$INSTANCES SUPERVISE_RUN=$run \
  SUPERVISE_ID=$(printf '%s' "$VAR" | sha256sum | cut -c1-12) \
  API_BIN=$API_BIN \
  ORIENTIR_DB="host=$PGSOCK dbname=orientir user=orientir_api application_name=orientir-api" \
  ORIENTIR_JWT_SECRET_FILE=$secret/jwt.key \
  ORIENTIR_FILES=$VAR/files ORIENTIR_MAX_UPLOAD=$MAX_UPLOAD ORIENTIR_MAX_IMPORT=$MAX_IMPORT \
  ORIENTIR_SCAN_COMMAND=${ORIENTIR_SCAN_COMMAND:-} \
  ASAN_OPTIONS=${ASAN_OPTIONS:-} UBSAN_OPTIONS=${UBSAN_OPTIONS:-} \
    setsid bash -c '"$0" & pid=$!; echo $pid >"$1"; wait $pid; echo $? >"$2"' \
      "$root/scripts/supervise.sh" "$run/api.pid" "$run/api.exit" >>"$log/api.log" 2>&1 </dev/null &
  local i ready
  for _ in $(seq 100); do
    ready=1
    for ((i = 1; i <= INSTANCES; i++)); do [ -S "$run/api-$i.sock" ] || ready=0; done
    [ "$ready" = 1 ] && return 0
    sleep 0.1
  done
  say "the API did not start; see $log/api.log"; tail -n 20 "$log/api.log" >&2; return 1
}

stop_pid() {  # TERM, up to 10 s to finish its requests, then KILL
  local pid=$1
  pid_alive "$pid" || return 0
  # It may exit between the check and the signal: that is what we want, not an error.
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do pid_alive "$pid" || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

api_stop() {
  local f
  stop_pid "$(cat "$run/api.pid" 2>/dev/null || true)"   # the supervisor drains its instances
  # An instance the supervisor left behind (the supervisor itself was killed) is stopped too.
  for f in "$run"/api-[0-9]*.pid; do
    [ -e "$f" ] || continue
    stop_pid "$(cat "$f" 2>/dev/null || true)"
    rm -f "$f"
  done
  rm -f "$run/api.pid"
}

nginx_user() {  # nginx workers must reach frontend/ and the API socket
  if runuser -u nobody -- test -r "$root/frontend/index.html" 2>/dev/null \
     && runuser -u nobody -- test -x "$run" 2>/dev/null; then
    echo "nobody nogroup"
  else
    echo "root root"
  fi
}

nginx_running() { pid_alive "$(cat "$VAR/nginx/nginx.pid" 2>/dev/null || true)"; }

nginx_start() {
  nginx_running && return 0
  mkdir -p "$VAR/nginx/temp"
  local user f; user=$(nginx_user)
  # The template and the snippets it includes are rendered side by side: nginx resolves
  # a relative include against the directory of the main configuration file.
  local servers="" i
  for ((i = 1; i <= INSTANCES; i++)); do
    servers="$servers        server unix:$run/api-$i.sock max_fails=1 fail_timeout=1s;\\n"
  done
  for f in "$root"/nginx/*.conf "$root/nginx/local.conf.template"; do
    sed -e "s|@VAR@|$VAR|g" -e "s|@ROOT@|$root|g" -e "s|@PORT@|$PORT|g" -e "s|@USER@|$user|g" \
      -e "s|@MAX_UPLOAD@|$MAX_UPLOAD|g" -e "s|@MAX_IMPORT@|$MAX_IMPORT|g" \
      -e "s|^ *@API_SERVERS@|$servers|" "$f" >"$VAR/nginx/$(basename "$f")"
  done
  mv "$VAR/nginx/local.conf.template" "$VAR/nginx/nginx.conf"
  nginx -p "$VAR/nginx" -c "$VAR/nginx/nginx.conf" -e "$log/nginx-error.log"
}

nginx_stop() {
  if nginx_running; then
    nginx -p "$VAR/nginx" -c "$VAR/nginx/nginx.conf" -e "$log/nginx-error.log" -s quit || true
  fi
  for _ in $(seq 50); do nginx_running || break; sleep 0.1; done
}

wait_healthy() {  # up to a minute: a loaded machine starts slowly
  for _ in $(seq 300); do
    curl -fsS "http://127.0.0.1:$PORT/api/v1/health" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  say "the stack did not become healthy on port $PORT"; return 1
}

up() {
  [ -x "$API_BIN" ] || { say "no API binary at $API_BIN (run make)"; exit 1; }
  pg_start
  db_prepare
  api_start
  nginx_start
  wait_healthy
}

# Stops everything this state directory started, whatever state it finds: a step that fails
# does not keep the next one from running.
down() {
  local rc=0
  nginx_stop || rc=1
  api_stop || rc=1
  pg_stop || rc=1
  return $rc
}

banner() {
  cat <<MSG

  Ориентир is running at  http://127.0.0.1:$PORT/

  Demo logins (password: $DEMO_PASSWORD)
    committee                 Комитет общего и профессионального образования
    loiro                     ЛОИРО
    mo-vsevolozhsky           a municipality (one per municipality: mo-<name>)
    school-47-04-001          a school (one per school: school-<code>)

MSG
}

case ${1:-} in
  up) up; banner ;;
  run)
    trap 'echo; say "stopping"; down; exit 0' INT TERM
    up; banner
    echo "  Press Ctrl-C to stop."
    while true; do sleep 1; done ;;
  down) down ;;
  pg-stop) pg_stop ;;
  pg-start) pg_start ;;
  api-restart) api_stop; api_start ;;
  env)
    echo "export PGHOST=$PGSOCK PGUSER=postgres PGDATABASE=orientir ORIENTIR_URL=http://127.0.0.1:$PORT ORIENTIR_VAR=$VAR" ;;
  *) echo "usage: $0 up|run|down|pg-stop|pg-start|api-restart|env" >&2; exit 2 ;;
esac
