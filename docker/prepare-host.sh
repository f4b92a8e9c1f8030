#!/usr/bin/env bash
# Creates the secret files docker/compose.yaml mounts, once, with random values:
#   DIR/postgres_password   the PostgreSQL superuser's (read by db, uid 999, and migrate)
#   DIR/api_db_password     the API login role's (read by migrate and the API, uid 10001)
#   DIR/jwt_secret          the HS256 key that signs access tokens (read by the API only)
# DIR (default docker/secrets, or $ORIENTIR_SECRETS) is 0700 on the host; a file that exists
# is kept. Secrets are bind-mounted with the host's owner and mode, hence the owners below.
# Usage: docker/prepare-host.sh [DIR]
set -eu

dir=${1:-${ORIENTIR_SECRETS:-$(dirname "$0")/secrets}}
api_uid=10001
mkdir -p "$dir"
chmod 0700 "$dir"

make_secret() {  # make_secret <name> <owner uid> <mode>
  local f=$dir/$1
  if [ ! -s "$f" ]; then
    (umask 077; head -c 48 /dev/urandom | base64 -w0 | tr '+/' '-_' >"$f")
    echo "prepare-host: wrote $f"
  fi
  chown "$2" "$f"
  chmod "$3" "$f"
}
# The superuser's password is read by two users (postgres in db, orientir in migrate): the
# host directory's 0700 keeps it from the host's other users.
make_secret postgres_password 0 0444
make_secret api_db_password "$api_uid" 0400
make_secret jwt_secret "$api_uid" 0400
