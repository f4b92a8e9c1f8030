#!/usr/bin/env bash
# Backups of the stack's database (state directory $ORIENTIR_VAR, default var/):
#   backup.sh dump                   a consistent pg_dump -Fc (one snapshot) to
#                                    <state>/backups/orientir-<UTC time>.dump, then the new
#                                    files of the attachment store (<state>/files) added to
#                                    <state>/backups/files; prints the dump's path
#   backup.sh restore FILE [STATE]   a fresh cluster in STATE (default var/restore) with the
#                                    roles of sql/migrations/0001_roles.sql and FILE restored
#                                    into its database orientir (refuses a cluster that has
#                                    one), and the stored files beside FILE into STATE/files
#   backup.sh base                   a base backup (pg_basebackup, WAL included) to
#                                    <state>/backups/base-<UTC time>/; prints its path
#   backup.sh pitr BASE TIME STATE   point-in-time restore: a new cluster in STATE from the base
#                                    backup BASE, replaying the WAL archived by this state's
#                                    cluster (ORIENTIR_WAL_ARCHIVE=1) up to TIME, then promoted
# Restored clusters listen on a unix socket in their own state directory only; serve one with
# ORIENTIR_VAR=<STATE> PORT=<port> scripts/stack.sh up (its migrations are then a no-op).
# The attachment store is content-addressed (a file's name is its SHA-256) and files are never
# changed, only added: its backup grows by the new files, and a dump's files are all there once
# the dump is (the API stores a file before its row commits).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
VAR=${ORIENTIR_VAR:-$root/var}
mkdir -p "$VAR"
VAR=$(cd "$VAR" && pwd)
backups=$VAR/backups
stack() { ORIENTIR_VAR=$1 "$root/scripts/stack.sh" "${@:2}"; }
pghost_of() { stack "$1" env | sed -n 's/.*PGHOST=\([^ ]*\).*/\1/p'; }
stamp() { date -u +%Y%m%dT%H%M%SZ; }
say() { printf 'backup: %s\n' "$*" >&2; }
as_postgres() { (cd / && runuser -u postgres -- "$@"); }

export PGUSER=postgres
PGHOST=$(pghost_of "$VAR")
export PGHOST

# Dumps and base backups hold password and refresh-token hashes: only root reads backups/.
private_backups() { mkdir -p "$backups"; chmod 0700 "$backups"; }

dump() {
  private_backups
  local f; f=$backups/orientir-$(stamp).dump
  # The dump is one repeatable-read snapshot; it is complete only once renamed.
  pg_dump -Fc -d orientir -f "$f.part"
  mv "$f.part" "$f"
  copy_store "$VAR/files" "$backups/files"
  echo "$f"
}

# Adds the files of store $1 that $2 lacks (the temporary uploads excepted); keeps the modes.
copy_store() {
  [ -d "$1" ] || return 0
  mkdir -p "$2"; chmod 0711 "$2"
  (cd "$1" && find . -mindepth 2 -maxdepth 2 -type f -regex './[0-9a-f][0-9a-f]/[0-9a-f]*' -print0) \
    | (cd "$1" && xargs -0 -r cp -a --parents -n -t "$2")
}

restore() {
  local file=${1:?usage: backup.sh restore FILE [STATE]} target=${2:-$root/var/restore} host
  [ -r "$file" ] || { say "cannot read $file"; exit 1; }
  mkdir -p "$target"; target=$(cd "$target" && pwd)
  stack "$target" pg-start
  host=$(pghost_of "$target")
  if [ -n "$(psql -X -h "$host" -d postgres -At -c "select 1 from pg_database where datname = 'orientir'")" ]; then
    say "the cluster of $target already has a database orientir: restore into a fresh state directory"
    exit 1
  fi
  # Roles are cluster-wide, not in the dump: the migrations define them.
  PGOPTIONS='-c client_min_messages=warning' \
    psql -X -q -h "$host" -d postgres -v ON_ERROR_STOP=1 -f "$root/sql/migrations/0001_roles.sql" >/dev/null
  createdb -h "$host" orientir
  pg_restore -h "$host" -d orientir --exit-on-error --single-transaction "$file"
  copy_store "$(dirname "$file")/files" "$target/files"
  say "restored $file into the cluster of $target (socket $host)"
}

base() {
  private_backups
  local d; d=$backups/base-$(stamp)
  pg_basebackup -D "$d.part" -Fp -X stream -c fast
  mv "$d.part" "$d"
  echo "$d"
}

pitr() {
  local basedir=${1:?usage: backup.sh pitr BASE TIME STATE} time=${2:?} target=${3:?} pgbase data archive
  archive=$(dirname "$PGHOST")/wal-archive
  [ -f "$basedir/backup_label" ] || { say "$basedir is not a base backup"; exit 1; }
  [ -d "$archive" ] || { say "no WAL archive at $archive (start the cluster with ORIENTIR_WAL_ARCHIVE=1)"; exit 1; }
  mkdir -p "$target"; target=$(cd "$target" && pwd)
  pgbase=$(dirname "$(pghost_of "$target")")
  data=$pgbase/data
  [ ! -e "$data" ] || { say "$data exists: restore into a fresh state directory"; exit 1; }
  mkdir -p "$pgbase"; chown postgres "$pgbase"
  cp -a "$basedir" "$data"
  chown -R postgres "$data"; chmod 0700 "$data"
  # The archive may sit where only postgres and root can enter: restore_command runs as postgres.
  cat >>"$data/postgresql.auto.conf" <<CONF
restore_command = 'cp $archive/%f %p'
recovery_target_time = '$time'
recovery_target_action = 'promote'
CONF
  touch "$data/recovery.signal"; chown postgres "$data/recovery.signal"
  stack "$target" pg-start
  local host; host=$(pghost_of "$target")
  for _ in $(seq 300); do
    [ "$(psql -X -h "$host" -d postgres -At -c 'select pg_is_in_recovery()' 2>/dev/null)" = f ] && break
    sleep 0.1
  done
  [ "$(psql -X -h "$host" -d postgres -At -c 'select pg_is_in_recovery()')" = f ] \
    || { say "the cluster of $target did not finish recovery; see its postgresql.log"; exit 1; }
  say "restored $basedir to $time into the cluster of $target (socket $host)"
}

case ${1:-} in
  dump) dump ;;
  restore) restore "${@:2}" ;;
  base) base ;;
  pitr) pitr "${@:2}" ;;
  *) echo "usage: $0 dump | restore FILE [STATE] | base | pitr BASE TIME STATE" >&2; exit 2 ;;
esac
