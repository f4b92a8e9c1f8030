#!/usr/bin/env bash
# Applies sql/migrations/NNNN_*.sql in order, each once and in its own transaction,
# recording a SHA-256 checksum so that an edited, already-applied migration is detected.
# Connection comes from the libpq environment (PGHOST, PGUSER, PGDATABASE): a superuser.
set -euo pipefail

dir=${1:-"$(dirname "$0")/../sql/migrations"}
psql_q() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 "$@"; }

psql_q -c "create table if not exists public.schema_migrations (
  version text primary key,
  checksum text not null,
  applied_at timestamptz not null default now())" >/dev/null

applied=0
for file in "$dir"/[0-9][0-9][0-9][0-9]_*.sql; do
  [ -e "$file" ] || continue
  version=$(basename "$file" .sql)
  sum=$(sha256sum "$file" | cut -d' ' -f1)
  recorded=$(psql_q -At -v v="$version" <<<"select checksum from public.schema_migrations where version = :'v'")
  if [ -n "$recorded" ]; then
    if [ "$recorded" != "$sum" ]; then
      echo "migrate: $version was edited after it was applied (checksum $recorded, now $sum)" >&2
      exit 1
    fi
    continue
  fi
  # The file and its record commit together or not at all.
  { cat "$file"
    printf '\n;insert into public.schema_migrations(version, checksum) values (:%s, :%s);\n' \
      "'version'" "'checksum'"
  } | psql_q --single-transaction -v version="$version" -v checksum="$sum" -f - >/dev/null
  echo "migrate: applied $version"
  applied=$((applied + 1))
done
echo "migrate: $applied new migration(s)"
