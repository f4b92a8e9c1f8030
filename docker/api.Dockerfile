# orientir-api and its migration job. Build from the repository root (docker/compose.yaml does):
#   docker build -f docker/api.Dockerfile --target api .
#   docker build -f docker/api.Dockerfile --target migrate .
# build:   debian:bookworm with the -dev packages, compiles backend/ (warnings are errors)
# api:     debian:bookworm-slim with the runtime libraries only, runs as the user orientir
# migrate: debian:bookworm-slim with psql, runs scripts/migrate.sh once (docker/migrate.sh)

FROM debian:bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential pkg-config \
      libfcgi-dev libpq-dev libjwt-dev libssl-dev libjansson-dev libxlsxwriter-dev \
      libmagic-dev libzip-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY backend/Makefile backend/
COPY backend/src/ backend/src/
RUN make -C backend -j2 all

FROM debian:bookworm-slim AS api
# cgi-fcgi (libfcgi-bin) is the health check's FastCGI client.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libfcgi0ldbl libpq5 libjwt0 libssl3 libjansson4 libxlsxwriter4 libfcgi-bin \
      libmagic1 libmagic-mgc libzip4 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin orientir \
 && install -d -o orientir -g orientir -m 0711 /var/lib/orientir/files
COPY --from=build /src/backend/build/orientir-api /usr/local/bin/orientir-api
USER orientir
# Secrets come as files (compose secrets), never as variables; the connection string names no password.
ENV ORIENTIR_LISTEN=:9000 \
    ORIENTIR_JWT_SECRET_FILE=/run/secrets/jwt_secret \
    ORIENTIR_DB_PASSWORD_FILE=/run/secrets/api_db_password \
    ORIENTIR_COOKIE_SECURE=1 \
    ORIENTIR_FILES=/var/lib/orientir/files \
    TMPDIR=/tmp
EXPOSE 9000
ENTRYPOINT ["/usr/local/bin/orientir-api"]
CMD ["serve"]

FROM debian:bookworm-slim AS migrate
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client-15 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin orientir
WORKDIR /app
COPY scripts/migrate.sh scripts/
COPY sql/migrations/ sql/migrations/
COPY sql/functions/ sql/functions/
COPY docker/migrate.sh docker/
# The same uid as the API: both read the api_db_password secret (docker/prepare-host.sh).
USER orientir
ENTRYPOINT ["/app/docker/migrate.sh"]
