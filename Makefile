# Orientir: the two commands are `make run` and `make test`; both install what is missing.
# This file only orchestrates: the C build lives in backend/Makefile, the stack in scripts/.

PORT ?= 8080
TEST_PORT ?= 18080
FUZZ_SECONDS ?= 60
BENCH_SECONDS ?= 10

.PHONY: all deps build frontend-vendor run up down test unit fuzz bigdata bench backup restore clean

all: build

deps:
	@scripts/install-deps.sh

build: deps frontend-vendor
	@$(MAKE) -s -C backend all

# Front-end libraries come pinned from npm (package-lock.json) and are copied, not committed.
frontend-vendor: deps
	@mkdir -p frontend/vendor
	@if [ -f node_modules/chart.js/dist/chart.umd.js ]; then \
	  cp -u node_modules/chart.js/dist/chart.umd.js frontend/vendor/chart.umd.js; fi

run: build
	@PORT=$(PORT) scripts/stack.sh run

up: build
	@PORT=$(PORT) scripts/stack.sh up

down:
	@scripts/stack.sh down

test: deps frontend-vendor
	@$(MAKE) -s -C backend all asan
	@TEST_PORT=$(TEST_PORT) scripts/test-all.sh

unit: deps
	@$(MAKE) -s -C backend unit

fuzz: deps
	@$(MAKE) -s -C backend fuzz FUZZ_SECONDS=$(FUZZ_SECONDS)

# The Russia-scale data set, loaded into the stack of `make run` (var/); minutes, ~3 GB.
bigdata: build
	@PORT=$(PORT) scripts/stack.sh up >/dev/null
	@scripts/bigdata.sh

# wrk / pgbench / static nginx on its own stack (var/bench-stack/); not part of `make test`.
# BENCH_DATA=demo for the demo data set; see scripts/bench.sh for the other settings.
bench: build
	@BENCH_SECONDS=$(BENCH_SECONDS) scripts/bench.sh

# A consistent pg_dump -Fc of the running stack's database to var/backups/orientir-<UTC time>.dump.
backup:
	@scripts/backup.sh dump

# FILE=var/backups/….dump restored into a fresh cluster in var/restore/ (RESTORE_VAR=… elsewhere);
# serve it with ORIENTIR_VAR=$$PWD/var/restore PORT=8081 make up.
RESTORE_VAR ?= $(CURDIR)/var/restore
restore: deps
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/orientir-….dump"; exit 2; }
	@scripts/backup.sh restore "$(FILE)" "$(RESTORE_VAR)"

clean:
	-@scripts/stack.sh down 2>/dev/null
	-@ORIENTIR_VAR=$(CURDIR)/var/test scripts/stack.sh down 2>/dev/null
	-@ORIENTIR_VAR=$(CURDIR)/var/restore scripts/stack.sh down 2>/dev/null
	-@for d in var/bench-stack/*/; do [ -d "$$d" ] && ORIENTIR_VAR=$(CURDIR)/$$d scripts/stack.sh down 2>/dev/null; done; true
	@scripts/clean-state.sh
	@$(MAKE) -s -C backend clean
