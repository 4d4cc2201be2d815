# Attest: two commands.
#   make run    set up and start Attest with the demo organisations (embedded PostgreSQL)
#   make test   the whole suite, exactly as CI runs it
# Everything else here is a step of those two.

CARGO ?= cargo

.PHONY: run test bench fuzz web build setup-run check sqlx-prepare clean-test-cluster

run: setup-run web build
	./target/debug/attest serve --demo

test:
	bash scripts/test

# The benchmarks, each against a raw baseline measured in the same run (docs/benchmarks.md).
bench: setup-run
	$(CARGO) build --locked --release -p attest-bench -p attest-cli
	./target/release/attest-bench audit
	./target/release/attest-bench credentials
	./target/release/attest-bench badge
	./target/release/attest-bench reqiq
	./target/release/attest-bench load

# The long hunts: every cargo-fuzz target for 10 minutes, then the hostile suite's long profile
# (schemathesis with >= 10,000 cases, a longer sqlmap). Run `make test` once first (tools, venv).
fuzz: build web
	bash scripts/fuzz 600
	.venv/bin/python scripts/hostile/run.py --profile long

setup-run:
	bash scripts/setup-system run

web: web/node_modules
	cd web && npm run build

web/node_modules: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch web/node_modules

build:
	$(CARGO) build --locked -p attest-cli

# Quick local checks while working (a subset of `make test`).
check:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --locked --workspace --all-targets -- -D warnings

# Refresh .sqlx/ after changing a query or a migration.
sqlx-prepare:
	bash scripts/sqlx-prepare

clean-test-cluster:
	$(CARGO) run -q -p attest-pgembed --bin test-cluster -- reset
