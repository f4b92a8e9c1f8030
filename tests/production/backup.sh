#!/usr/bin/env bash
# Backups and point-in-time recovery (scripts/backup.sh) against the test stack's database:
# 1. a dump restored into a fresh cluster (WAL archiving on, ORIENTIR_WAL_ARCHIVE=1) has the
#    row count of every table and the checksum of the audit log of the source;
# 2. on that cluster: base backup, write A, note the time, write B, WAL archived; a cluster
#    restored from the base backup and the archive to the noted time has A and not B.
# Every cluster but the test stack's lives under a mktemp -d directory, removed at the end.
# Environment (scripts/test-all.sh sets it): ORIENTIR_VAR, PGHOST.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/production/lib.sh
. "$root/tests/production/lib.sh"

var=${ORIENTIR_VAR:?}
tmp=$(mktemp -d)
chmod 0755 "$tmp"   # postgres keeps the throwaway clusters in it (else stack.sh uses /var/tmp)
restored=$tmp/restored pitr=$tmp/pitr
stack() { ORIENTIR_VAR=$1 "$root/scripts/stack.sh" "${@:2}"; }
pghost_of() { stack "$1" env | sed -n 's/.*PGHOST=\([^ ]*\).*/\1/p'; }
cleanup() {
  local s h
  for s in "$pitr" "$restored"; do
    h=$(pghost_of "$s")
    stack "$s" pg-stop >/dev/null 2>&1 || true
    case $h in /var/tmp/orientir-*) rm -rf "$(dirname "$h")" ;; esac
  done
  rm -rf "$tmp"
}
trap cleanup EXIT

# Row counts of every table, one "schema.table count" a line, and the audit log's checksum.
snapshot() {  # snapshot <socket dir>
  psql -X -At -h "$1" -d orientir -v ON_ERROR_STOP=1 <<'SQL'
select format('select %L || '' '' || count(*) from %I.%I', schemaname || '.' || tablename, schemaname, tablename)
from pg_tables where schemaname not in ('pg_catalog', 'information_schema')
order by schemaname, tablename
\gexec
select 'audit_log md5 ' || md5(coalesce(string_agg(a::text, E'\n' order by a.id), '')) from app.audit_log a;
SQL
}

before=$(snapshot "${PGHOST:?}")
file=$(ORIENTIR_VAR=$var "$root/scripts/backup.sh" dump)
check "backup.sh dump writes a timestamped custom-format dump under backups/" \
  grep -Eq "^$var/backups/orientir-[0-9]{8}T[0-9]{6}Z\.dump$" <<<"$file"
if ! ORIENTIR_WAL_ARCHIVE=1 ORIENTIR_VAR=$var "$root/scripts/backup.sh" restore "$file" "$restored" 2>"$tmp/restore.log"; then
  fail "backup.sh restore into a fresh cluster" "$(tail -n 5 "$tmp/restore.log")"
  finish; exit 1
fi
pass "backup.sh restore into a fresh cluster"
rhost=$(pghost_of "$restored")
after=$(snapshot "$rhost")
tables=$(grep -vc '^audit_log md5' <<<"$before")
if [ "$before" = "$after" ] && [ "$tables" -gt 20 ]; then
  pass "the restored database has the row count of each of its $tables tables and the audit log's checksum"
else
  fail "the restored database has the row counts and the audit log's checksum" "$(diff <(echo "$before") <(echo "$after") | head -n 10)"
fi
nonzero=$(awk '$1 != "audit_log" && $2 > 0' <<<"$before" | wc -l)
check "the comparison is not of empty tables ($nonzero tables with rows)" test "$nonzero" -gt 10
# The attached files: every file the restored database names is in the restored store, whole.
files_restored() {
  local n=0 missing=0 sha size
  while IFS='|' read -r sha size; do
    n=$((n + 1))
    [ "$(stat -c %s "$restored/files/${sha:0:2}/$sha" 2>/dev/null)" = "$size" ] || missing=$((missing + 1))
  done < <(psql -X -At -h "$rhost" -d orientir -c 'select distinct sha256, size from app.attachments')
  echo "$n files, $missing missing" >"$tmp/files.txt"
  [ "$n" -gt 0 ] && [ "$missing" -eq 0 ]
}
check "the restored store holds every attached file of the restored database" files_restored
sed 's/^/# /' "$tmp/files.txt"
restore_again() { ! ORIENTIR_VAR=$var "$root/scripts/backup.sh" restore "$file" "$restored" 2>/dev/null; }
check "a second restore into the same cluster is refused" restore_again

# --- point in time: the restored cluster archives its WAL
q() { psql -X -At -h "$rhost" -d orientir -v ON_ERROR_STOP=1 -c "$1"; }
q 'create table public.pitr_probe (v text primary key)' >/dev/null
base=$(ORIENTIR_VAR=$restored "$root/scripts/backup.sh" base 2>"$tmp/base.log") \
  || { fail "backup.sh base" "$(tail -n 5 "$tmp/base.log")"; finish; exit 1; }
pass "backup.sh base"
q "insert into public.pitr_probe values ('A')" >/dev/null
sleep 1
target=$(q 'select now()')
sleep 1
q "insert into public.pitr_probe values ('B')" >/dev/null
segment=$(q 'select pg_walfile_name(pg_switch_wal())')
archived=$(dirname "$rhost")/wal-archive/$segment
for _ in $(seq 100); do [ -f "$archived" ] && break; sleep 0.1; done
check "the WAL with B is archived" test -f "$archived"
if ORIENTIR_VAR=$restored "$root/scripts/backup.sh" pitr "$base" "$target" "$pitr" 2>"$tmp/pitr.log"; then
  pass "backup.sh pitr restores the base backup and the archived WAL to $target"
  probe=$(psql -X -At -h "$(pghost_of "$pitr")" -d orientir -c "select string_agg(v, ',' order by v) from public.pitr_probe" 2>&1 || true)
  check "write A (before the time) is there and write B (after it) is not: [$probe]" test "$probe" = A
else
  fail "backup.sh pitr restores the base backup and the archived WAL to $target" "$(tail -n 5 "$tmp/pitr.log")"
fi
finish
