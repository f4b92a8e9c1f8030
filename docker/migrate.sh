#!/usr/bin/env bash
# The one-shot migration job of docker/compose.yaml: brings the database to this image's schema
# (scripts/migrate.sh, as the superuser) and sets the API's login password from its secret file,
# then exits 0; the API services start only after that (service_completed_successfully).
# Environment: PGHOST, PGDATABASE, PGUSER, POSTGRES_PASSWORD_FILE, API_DB_PASSWORD_FILE.
set -euo pipefail

PGPASSWORD=$(cat "${POSTGRES_PASSWORD_FILE:?}")
export PGPASSWORD
for _ in $(seq 60); do
  pg_isready -q && break
  sleep 1
done
/app/scripts/migrate.sh /app/sql/migrations /app/sql/functions
# psql's :'var' quotes the password; it never appears on a command line or in a log.
psql -X -q -v ON_ERROR_STOP=1 -v pw="$(cat "${API_DB_PASSWORD_FILE:?}")" \
  <<<"alter role orientir_api password :'pw';"
echo "migrate: the API's database password is set"
