#!/usr/bin/env bash
# The production nginx configuration (nginx/production/) on loopback, with a throwaway
# self-signed certificate, in front of two API instances listening on TCP (ORIENTIR_LISTEN)
# against the test stack's database. Checks: HTTP redirects to HTTPS; HSTS and the security
# headers; TLS 1.2 and 1.3 accepted, TLS 1.0 and 1.1 refused by nginx although the same client
# completes them against a control `openssl s_server`; access log with the request id and
# without the query string; gzip of JSON; the password-change rate limit and nginx's own errors
# (413, a NUL in a header, TRACE, an oversized URL and header) as problem+json;
# one instance SIGKILLed under a stream of GETs fails none of them.
# Environment (scripts/test-all.sh sets it): PORT, ORIENTIR_VAR, API_BIN, PGHOST, DEMO_PASSWORD.
# Ports PORT+11 … PORT+15 are used.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/production/lib.sh
. "$root/tests/production/lib.sh"

base=${PORT:?}
http_port=$((base + 11)) https_port=$((base + 12)) api1=$((base + 13)) api2=$((base + 14))
control_port=$((base + 15))
var=${ORIENTIR_VAR:?}
dir=$var/tls
api_bin=${API_BIN:-$root/backend/build/orientir-api}
password=${DEMO_PASSWORD:-orientir-demo}
pids=()

cleanup() {
  touch "$dir/stop"   # ends a stream of GETs still running
  [ -f "$dir/nginx.pid" ] && nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/log/error.log" -s stop 2>/dev/null
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

rm -rf "$dir"
mkdir -p "$dir/log"
ln -sfn "$dir/log" "$var/log/tls-nginx"   # the log-secrets layer reads var/log (find -L)
"$root/scripts/render-production-nginx.sh" "$dir" "$http_port" "$https_port" \
  "127.0.0.1:$api1" "127.0.0.1:$api2"
# The test stack's attachment store is these instances' too (the backup layer checks it).
mkdir -p "$var/files"; ln -sfn "$var/files" "$dir/files"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
  -keyout "$dir/tls/privkey.pem" -out "$dir/tls/fullchain.pem" 2>/dev/null

start_api() {  # start_api <port> <n>: one instance on TCP, its log in var/log (log-secrets reads it)
  ORIENTIR_LISTEN=127.0.0.1:$1 ORIENTIR_WORKERS=4 ORIENTIR_COOKIE_SECURE=1 \
  ORIENTIR_DB="host=${PGHOST:?} dbname=orientir user=orientir_api application_name=orientir-tls" \
  ORIENTIR_JWT_SECRET_FILE=$var/secret/jwt.key ORIENTIR_FILES=$var/files \
    "$api_bin" serve >>"$var/log/tls-api-$2.log" 2>&1 &
  pids+=("$!")
}
start_api "$api1" 1; victim=$!
start_api "$api2" 2; survivor=$!
nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/log/error.log"

url=https://127.0.0.1:$https_port
refused_hc() { ! sh -c "$1" 2>/dev/null; }
c() { curl -sk --max-time 10 "$@" || true; }  # a failed request is a test's to judge
healthy() { [ "$(c -o /dev/null -w '%{http_code}' "$url/api/v1/health")" = 200 ]; }
for _ in $(seq 100); do healthy && break; sleep 0.1; done
if ! healthy; then
  fail "the API answers through the production configuration" "$(tail -n 5 "$var/log/tls-api-1.log")"
  exit 1
fi

# --- redirect, HSTS, headers
hdr=$(curl -s -o /dev/null -D - "http://127.0.0.1:$http_port/schools/7?tab=a" | tr -d '\r')
check "HTTP answers 301 to the same path on HTTPS" \
  grep -qx "Location: https://127.0.0.1/schools/7?tab=a" <<<"$hdr"
no_hsts() { ! grep -qi '^Strict-Transport-Security' <<<"$hdr"; }
check "plain HTTP sends no HSTS" no_hsts
for path in / /api/v1/health /api/v1/nowhere; do
  hdr=$(c -o /dev/null -D - "$url$path" | tr -d '\r')
  missing=""
  for h in "Strict-Transport-Security: max-age=31536000; includeSubDomains" \
           "Content-Security-Policy: default-src 'self'" "X-Content-Type-Options: nosniff" \
           "X-Frame-Options: DENY" "Referrer-Policy: no-referrer"; do
    grep -qiF "$h" <<<"$hdr" || missing="$missing [$h]"
  done
  if [ -z "$missing" ]; then pass "HTTPS $path carries HSTS and the security headers"
  else fail "HTTPS $path carries HSTS and the security headers" "missing:$missing"; fi
done
head -c 1100000 /dev/zero | tr '\0' a >"$dir/big"
c -o "$dir/b413" -D "$dir/h413" -X POST -H 'Content-Type: application/json' \
  --data-binary "@$dir/big" "$url/api/v1/auth/login"
problem_413() {
  grep -q '"code":"request.too_large"' "$dir/b413" && grep -qi '^Strict-Transport-Security' "$dir/h413" \
    && grep -qi '^Content-Type: application/problem+json' "$dir/h413"
}
check "nginx's own 413 is problem+json with HSTS" problem_413
# nginx's other own errors (issue 12, finding 6), sent as raw bytes over TLS: a NUL byte in a
# header, TRACE, a URL and a header beyond large_client_header_buffers (16k).
raw_problem() {  # raw_problem <status> <code> <file with the request's bytes>
  /usr/bin/python3 - "$https_port" "$@" <<'PY'
import json, socket, ssl, sys
port, status, code, request = int(sys.argv[1]), sys.argv[2], sys.argv[3], open(sys.argv[4], "rb").read()
context = ssl.create_default_context()
context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
with context.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=10)) as s:
    s.sendall(request)
    answer = b""
    while chunk := s.recv(65536):
        answer += chunk
head, _, body = answer.decode("utf-8", "replace").partition("\r\n\r\n")
problem = json.loads(body) if "application/problem+json" in head.lower() else {}
russian = any("а" <= c <= "я" for c in problem.get("title", "").lower())
sys.exit(0 if head.split()[1] == status and problem.get("code") == code and russian else 1)
PY
}
long=$(head -c 20000 /dev/zero | tr '\0' a)
printf 'GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\nConnection: close\r\n\r\n' >"$dir/r-nul"
printf 'TRACE /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >"$dir/r-trace"
printf 'GET /api/v1/health?%s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' "$long" >"$dir/r-url"
printf 'GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\nConnection: close\r\n\r\n' "$long" >"$dir/r-header"
check "a NUL byte in a header → 400 problem+json" raw_problem 400 request.malformed "$dir/r-nul"
check "TRACE → 405 problem+json" raw_problem 405 method.not_allowed "$dir/r-trace"
check "a 20 KB URL → 414 problem+json" raw_problem 414 request.uri_too_long "$dir/r-url"
check "a 20 KB header → 400 problem+json" raw_problem 400 request.malformed "$dir/r-header"

# --- the API containers' health check (docker/compose.yaml), run against instance 2
hc=$(/usr/bin/python3 -c 'import sys, yaml
print(yaml.safe_load(open(sys.argv[1]))["services"]["api-1"]["healthcheck"]["test"][1])' \
  "$root/docker/compose.yaml")
check "the compose health check of an API instance passes against a live one" \
  sh -c "${hc//127.0.0.1:9000/127.0.0.1:$api2}"
check "the same health check fails where no instance listens" \
  refused_hc "${hc//127.0.0.1:9000/127.0.0.1:$control_port}"

# --- protocols: the control server proves the client can speak TLS 1.0 and 1.1
handshake() {  # handshake <port> <-tls1|-tls1_1|...>: the client completes a handshake
  echo | timeout 10 openssl s_client -connect "127.0.0.1:$1" "$2" -cipher 'DEFAULT@SECLEVEL=0' \
    -brief 2>&1 | grep -q '^Protocol version'
}
refused() { ! handshake "$@"; }
for v in tls1 tls1_1; do
  openssl s_server -accept "$control_port" "-$v" -cipher 'DEFAULT@SECLEVEL=0' -quiet \
    -cert "$dir/tls/fullchain.pem" -key "$dir/tls/privkey.pem" >/dev/null 2>&1 &
  control=$!
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$control_port") 2>/dev/null && break; sleep 0.1; done
  check "the client completes a -$v handshake with a control s_server -$v" handshake "$control_port" "-$v"
  kill "$control" 2>/dev/null; wait "$control" 2>/dev/null || true
  check "nginx refuses -$v from the same client" refused "$https_port" "-$v"
done
check "nginx accepts TLS 1.2" handshake "$https_port" -tls1_2
check "nginx accepts TLS 1.3" handshake "$https_port" -tls1_3

# --- the API through TLS: sign-in, gzip, access log
token=$(c -X POST -H 'Content-Type: application/json' \
  -d "{\"login\":\"loiro\",\"password\":\"$password\"}" "$url/api/v1/auth/login" \
  | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
check "sign-in through the production configuration" test -n "$token"
gzipped() {  # gzipped <path>: the response is compressed for a client that asks
  c -o /dev/null -D - -H "Authorization: Bearer $token" -H 'Accept-Encoding: gzip' "$url$1" \
    | tr -d '\r' | grep -qi '^Content-Encoding: gzip'
}
campaign=$(psql -X -At -d orientir -c 'select min(id) from app.campaigns')
check "JSON is gzipped" gzipped /api/v1/schools
check "CSV is gzipped" gzipped "/api/v1/reports/summary.csv?campaign_id=$campaign"

# --- an attached file: up through the upload location, down through X-Accel-Redirect
practice=$(psql -X -At -d orientir -c 'select min(id) from app.practices')
pdf=$root/tests/fixtures/files/program-chromium.pdf
attachment=$(c -X POST -H "Authorization: Bearer $token" --data-binary "@$pdf" \
  "$url/api/v1/practices/$practice/attachments?name=%D0%9F%D1%80%D0%B8%D0%BA%D0%B0%D0%B7.pdf" \
  | sed -n 's/^{"id" *: *\([0-9]*\).*/\1/p')
check "a PDF is attached through the production configuration" test -n "$attachment"
downloaded() {
  c -D "$dir/download.head" -o "$dir/download.pdf" -H "Authorization: Bearer $token" "$url/api/v1/attachments/$attachment"
  cmp -s "$pdf" "$dir/download.pdf" && tr -d '\r' <"$dir/download.head" | grep -qi '^content-type: application/pdf' \
    && tr -d '\r' <"$dir/download.head" | grep -qi '^strict-transport-security: '
}
check "it comes back byte for byte from the internal location, with HSTS" downloaded
hidden() { [ "$(c -o /dev/null -w '%{http_code}' "$url/_files/")" = 404 ]; }
check "the store itself is not reachable from outside (/_files/ → 404)" hidden
c -o /dev/null -H 'X-Request-Id: tls-test-rid-1' "$url/api/v1/schools?token=query-secret-1"
sleep 0.2
log_clean() {
  grep -Eq '"GET /api/v1/schools HTTP/[0-9.]+" [0-9]{3} .*rid=tls-test-rid-1 ' "$dir/log/access.log" \
    && ! grep -q query-secret-1 "$dir/log/access.log"
}
check "the access log has the request id and the path, not the query string" log_clean

# --- password changes are rate-limited: 1/s with a burst of 5 per address
codes=""
for _ in $(seq 10); do
  codes="$codes $(c -o "$dir/pw.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    -d '{}' "$url/api/v1/me/password")"
done
# Sign-in: 5/s with a burst of 20; an empty body is refused by the API at once (no PBKDF2).
# The 30 attempts go at once, so that a slow machine cannot spread them over the refill.
attempts=()
for i in $(seq 30); do
  c -o "$dir/login-$i.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d '{}' \
    "$url/api/v1/auth/login" >"$dir/login-$i.code" &
  attempts+=("$!")
done
wait "${attempts[@]}"
login_codes=$(cat "$dir"/login-*.code)
login_limited() { [[ $login_codes == *429* ]] && grep -q '"code":"request.rate_limited"' "$dir"/login-*.json; }
check "sign-in attempts beyond the burst get 429 problem+json" login_limited
rate_limited() { [[ $codes == *429* ]] && grep -q '"code":"request.rate_limited"' "$dir/pw.json"; }
check "password changes beyond the burst get 429 problem+json (codes:$codes)" rate_limited

# --- one instance killed under a stream of GETs
stream() {  # stream <n>: GETs until the stop file appears, one status a line
  while [ ! -e "$dir/stop" ]; do
    c -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $token" "$url/api/v1/regions" \
      >>"$dir/stream-$1"
  done
}
rm -f "$dir/stop" "$dir"/stream-*
spids=()
for i in 1 2 3 4 5 6; do stream "$i" & spids+=("$!"); done
sleep 0.7
kill -KILL "$victim" || fail "instance 1 was running when killed"
wait "$victim" 2>/dev/null || true
sleep 2
touch "$dir/stop"
wait "${spids[@]}"
total=$(cat "$dir"/stream-* | wc -l)
bad=$(cat "$dir"/stream-* | grep -vc '^200$' || true)
after=$(tail -n 5 "$dir/stream-1" | tr '\n' ' ')
none_failed() { [ "$total" -gt 50 ] && [ "$bad" -eq 0 ]; }
check "an instance killed under $total GETs: none fails ($bad not 200; last: $after)" none_failed
kill -TERM "$survivor" || true
status=0; wait "$survivor" || status=$?
check "the other instance shuts down cleanly on SIGTERM (status $status)" test "$status" -eq 0
pids=()
finish
