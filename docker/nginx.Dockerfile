# nginx with the production configuration (nginx/production/ and the snippets of nginx/) and the
# frontend. Build from the repository root: docker build -f docker/nginx.Dockerfile .
# The TLS certificate and key are mounted at /etc/nginx/tls/ (fullchain.pem, privkey.pem).

# Chart.js, pinned by package-lock.json, as `make` copies it into frontend/vendor/.
FROM debian:bookworm AS vendor
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm ca-certificates \
 && rm -rf /var/lib/apt/lists/*
# Only Chart.js, at the version package-lock.json pins: the other packages are test tools, and
# with package.json present npm would install them all. The lock file is read, not used.
COPY package-lock.json /tmp/package-lock.json
WORKDIR /src
RUN npm install --no-save --ignore-scripts --no-audit --no-fund \
      "chart.js@$(node -p "require('/tmp/package-lock.json').packages['node_modules/chart.js'].version")"

FROM debian:bookworm-slim AS nginx
# curl is the health check's client.
RUN apt-get update \
 && apt-get install -y --no-install-recommends nginx curl ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && rm -f /etc/nginx/sites-enabled/default \
 && ln -sf /dev/stdout /var/log/nginx/access.log \
 && ln -sf /dev/stderr /var/log/nginx/error.log
COPY nginx/api-error-pages.conf nginx/api-errors.conf nginx/fastcgi-api.conf \
     nginx/files-location.conf nginx/security-headers.conf /etc/nginx/
COPY nginx/production/nginx.conf nginx/production/orientir.conf \
     nginx/production/upstream.conf /etc/nginx/
COPY frontend/ /srv/orientir/frontend/
COPY --from=vendor /src/node_modules/chart.js/dist/chart.umd.js /srv/orientir/frontend/vendor/chart.umd.js
EXPOSE 80 443
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
