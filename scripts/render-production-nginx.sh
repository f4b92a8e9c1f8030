#!/usr/bin/env bash
# Renders the production nginx configuration (nginx/production/ and the snippets of nginx/) into
# DIR for a test on loopback: the production paths and ports below become DIR's, everything
# else stays as deployed. Fails when a production path would be left in the result.
#   render-production-nginx.sh DIR HTTP_PORT HTTPS_PORT API_ADDRESS...
# DIR/tls/fullchain.pem and DIR/tls/privkey.pem are the certificate and key it expects; start
# with: nginx -p DIR -c DIR/nginx.conf -e DIR/log/error.log
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:?usage: render-production-nginx.sh DIR HTTP_PORT HTTPS_PORT API_ADDRESS...}
http_port=${2:?} https_port=${3:?}
shift 3
[ $# -gt 0 ] || { echo "render-production-nginx: no API address" >&2; exit 2; }
mkdir -p "$dir/log" "$dir/temp" "$dir/tls"

for f in "$root"/nginx/*.conf "$root"/nginx/production/*.conf; do
  sed -e "s|^user www-data;|user root;|" \
      -e "s|/run/nginx.pid|$dir/nginx.pid|" \
      -e "s|/var/log/nginx/|$dir/log/|g" \
      -e "s|/var/lib/nginx/|$dir/temp/|g" \
      -e "s|/etc/nginx/tls/|$dir/tls/|g" \
      -e "s|/srv/orientir/frontend|$root/frontend|g" \
      -e "s|/var/lib/orientir/files/|$dir/files/|g" \
      -e "s|^\( *\)listen 80 default_server;|\1listen 127.0.0.1:$http_port default_server;|" \
      -e "s|^\( *\)listen 443 ssl http2 default_server;|\1listen 127.0.0.1:$https_port ssl http2 default_server;|" \
      -e "/listen \[::\]/d" \
      "$f" >"$dir/$(basename "$f")"
done
{
  echo "upstream orientir_api {"
  for a in "$@"; do echo "    server $a max_fails=1 fail_timeout=5s;"; done
  echo "}"
} >"$dir/upstream.conf"

left=$(grep -n -E '/run/nginx|/var/log/nginx|/var/lib/nginx|/etc/nginx/tls|/srv/orientir|listen (80|443)' \
  "$dir"/*.conf || true)
if [ -n "$left" ]; then
  echo "render-production-nginx: production paths left in the rendered configuration:" >&2
  echo "$left" >&2
  exit 1
fi
