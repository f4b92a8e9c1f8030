# Orientir: the two commands are `make run` and `make test`; both install what is missing.
# This file only orchestrates: the C build lives in backend/Makefile, the stack in scripts/.

PORT ?= 8080
TEST_PORT ?= 18080
FUZZ_SECONDS ?= 60

.PHONY: all deps build frontend-vendor run up down test unit fuzz clean

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

clean:
	-@scripts/stack.sh down 2>/dev/null
	-@ORIENTIR_VAR=$(CURDIR)/var/test scripts/stack.sh down 2>/dev/null
	@scripts/clean-state.sh
	@$(MAKE) -s -C backend clean
