#!/usr/bin/env bash
# Installs what the project needs and the machine lacks: Debian packages (one apt-get
# update, --no-install-recommends) and the npm packages pinned in package-lock.json.
# Safe to run again: it does nothing when everything is present.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential pkg-config
  libfcgi-dev libpq-dev libjwt-dev libssl-dev libjansson-dev libxlsxwriter-dev libcmocka-dev
  libmagic-dev libzip-dev
  postgresql postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl
  nginx chromium wrk clang libclang-rt-14-dev curl ca-certificates
  python3-openpyxl
  # make bigdata / make bench: wrk (above), pgbench (in postgresql-15), jq
  postgresql-15 jq
  nodejs npm
  # make test's production layers: the compose file checked offline, every shell script
  # linted, the API containers' health check (cgi-fcgi) tried against a TCP instance
  docker-compose shellcheck libfcgi-bin python3-yaml openssl
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# Node may come from outside Debian (nvm, a tarball): then the Debian packages are not needed.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
read -r -a missing <<<"${missing[*]}"

if [ ${#missing[@]} -gt 0 ]; then
  echo "install: Debian packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "install: need root to install packages" >&2
    exit 1
  fi
  # Keep the packages' own services (system PostgreSQL on :5432, nginx on :80) from starting.
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"
    trap 'rm -f "$policy"' EXIT
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ -f package-lock.json ]; then
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "install: npm packages"
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi
