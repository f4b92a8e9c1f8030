#!/usr/bin/env bash
# Brings the database to the schema of this checkout, in two steps:
# 1. sql/migrations/NNNN_*.sql in order, each once and in its own transaction,
#    recording a SHA-256 checksum so that an edited, already-applied migration
#    is detected (tables, types, indexes, policies, grants, data changes and the
#    small helpers that policies call);
# 2. sql/functions/*.sql in the fixed order below (shared first, triggers last),
#    each applied again, in its own transaction, whenever its SHA-256 differs
#    from the one recorded in public.schema_functions: every function has its one
#    current definition there (create or replace, its grants and comment).
# Connection comes from the libpq environment (PGHOST, PGUSER, PGDATABASE): a superuser.
# Usage: migrate.sh [migrations dir [functions dir]]
set -euo pipefail

dir=${1:-"$(dirname "$0")/../sql/migrations"}
fdir=${2:-"$dir/../functions"}
# Function files in the order they are applied; a new file must be added here.
function_files=(shared audit auth attachments organisations instruments campaigns submissions deficits
  projects csv_import documents assignments programs practices partnerships reports exports
  triggers)
psql_q() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 "$@"; }

# A database migrated before the migrations were split from sql/functions has
# migrations but no public.schema_functions (and versions that no longer exist):
# applying the new numbering to it would corrupt it.
old=$(psql_q -At <<'SQL'
select case when to_regclass('public.schema_migrations') is null then ''
            when to_regclass('public.schema_functions') is null then 'old' end
SQL
)
if [ "$old" = old ] && [ -n "$(psql_q -At -c 'select 1 from public.schema_migrations limit 1')" ]; then
  echo "migrate: this database predates the restructure (functions in sql/functions/): run \`make clean\`" >&2
  exit 1
fi

psql_q -c "create table if not exists public.schema_migrations (
  version text primary key,
  checksum text not null,
  applied_at timestamptz not null default now())" >/dev/null
psql_q -c "create table if not exists public.schema_functions (
  file text primary key,
  checksum text not null,
  applied_at timestamptz not null default now())" >/dev/null

for version in $(psql_q -At -c 'select version from public.schema_migrations order by version'); do
  if [ ! -e "$dir/$version.sql" ]; then
    echo "migrate: this database predates the restructure (it records migration $version, which no longer exists): run \`make clean\`" >&2
    exit 1
  fi
done

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

for f in "$fdir"/*.sql; do
  [ -e "$f" ] || continue
  case " ${function_files[*]} " in *" $(basename "$f" .sql) "*) ;; *)
    echo "migrate: $f is not in the order of scripts/migrate.sh" >&2; exit 1;; esac
done
reapplied=0
for name in "${function_files[@]}"; do
  file="$fdir/$name.sql"
  sum=$(sha256sum "$file" | cut -d' ' -f1)
  recorded=$(psql_q -At -v f="$name" <<<"select checksum from public.schema_functions where file = :'f'")
  [ "$recorded" = "$sum" ] && continue
  # Bodies are checked when called, not when created: the files may refer to
  # each other's functions in any order. The file and its record commit together.
  { printf 'set local check_function_bodies = off;\n'
    cat "$file"
    printf '\n;reset role;\ninsert into public.schema_functions(file, checksum) values (:%s, :%s)\n' \
      "'file'" "'checksum'"
    printf '  on conflict (file) do update set checksum = excluded.checksum, applied_at = now();\n'
  } | psql_q --single-transaction -v file="$name" -v checksum="$sum" -f - >/dev/null
  echo "migrate: applied functions/$name"
  reapplied=$((reapplied + 1))
done
echo "migrate: $reapplied function file(s) applied"
