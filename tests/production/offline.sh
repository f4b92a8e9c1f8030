#!/usr/bin/env bash
# What can be checked of the production set-up without a container engine: the compose file
# validates (docker-compose 1.29 config -q), no shell script of the repository has a finding
# of ShellCheck, docker/ keeps its contract (check_docker.py: copied paths, commands per
# stage, health checks, secrets as files), and the production nginx configuration passes nginx -t.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
# shellcheck source=tests/production/lib.sh
. "$root/tests/production/lib.sh"

if out=$(docker-compose -f docker/compose.yaml config -q 2>&1); then
  pass "docker-compose config -q accepts docker/compose.yaml"
else
  fail "docker-compose config -q accepts docker/compose.yaml" "$out"
fi

# Every shell script: *.sh, and files whose first line names sh or bash (scripts without an
# extension), tracked or new; outside a git checkout, every file but var/ and node_modules/.
repo_files() {
  git ls-files --cached --others --exclude-standard 2>/dev/null \
    || find . -type f -not -path './.git/*' -not -path './var/*' -not -path './node_modules/*' | sed 's|^\./||'
}
while IFS= read -r f; do
  [ -f "$f" ] || continue
  case $f in
    *.sh) ;;
    *) head -n 1 "$f" 2>/dev/null | grep -Eq '^#!.*[/ ](ba)?sh( |$)' || continue ;;
  esac
  if out=$(shellcheck -x "$f" 2>&1); then pass "shellcheck $f"; else fail "shellcheck $f" "$out"; fi
done < <(repo_files | sort -u)

/usr/bin/python3 tests/production/check_docker.py "$root" || failures=$((failures + 1))

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
scripts/render-production-nginx.sh "$dir" 1080 1443 127.0.0.1:9001 127.0.0.1:9002
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
  -keyout "$dir/tls/privkey.pem" -out "$dir/tls/fullchain.pem" 2>/dev/null
if out=$(nginx -t -q -p "$dir" -c "$dir/nginx.conf" -e "$dir/log/error.log" 2>&1); then
  pass "nginx -t accepts the production configuration"
else
  fail "nginx -t accepts the production configuration" "$out"
fi
finish
