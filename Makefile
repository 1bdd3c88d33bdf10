# dunning: common tasks. `make demo` and `make test` work on a fresh Debian machine with Swift.
SWIFT ?= swift
N ?= 100000
BENCH_DATE ?= 2026-11-22

.PHONY: deps build release demo test soak fuzz bench bench-data clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

## Runs the nightly job on the bundled fixtures over several nights, with the embedded store.
demo: release
	@scripts/demo.sh

## The test suite (unit, golden, end-to-end). CI runs exactly this.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --skip DunningCLITests
	@# The end-to-end tests spawn the binary with Foundation's Process, which can close a
	@# descriptor another thread has just reopened (swiftlang/swift#57827): they run in their
	@# own process, one at a time, so they cannot disturb the other suites' files.
	$(SWIFT) test --skip-build --filter DunningCLITests --no-parallel

## The long reliability runs, not in CI's default path: a night killed (SIGKILL) at 60 moments,
## each checked for a consistent store and complete outputs, then re-run to the same result;
## and a ledger over 2 GiB.
soak: deps
	$(SWIFT) build --build-tests
	DUNNING_SOAK=1 $(SWIFT) test --skip-build --filter "CrashSafetyTests|HugeInputTests" --no-parallel

## libFuzzer on the CSV reader, the ledger loader (one thread against several, which must agree)
## and the strategy loader, FUZZ_SECONDS each (default 60), not in CI's default path. Corpora
## grow in var/fuzz/<target>; a crash leaves its input in var/fuzz/crashes/ (replay it with
## DUNNING_FUZZ_TARGET=<target> .build/release/dunning-fuzz FILE, then make it a test).
FUZZ_SECONDS ?= 60
fuzz: deps
	@scripts/fuzz.sh $(FUZZ_SECONDS)

## A synthetic portfolio of N customers in var/bench/N (deterministic).
bench-data: release
	@test -f var/bench/$(N)/manifest.json || .build/release/dunning generate --customers $(N) --as-of $(BENCH_DATE) --out var/bench/$(N)

## The nightly run at 10k, 100k and 1M customers (night 1 and a steady night 2: time, rows/s,
## peak RSS, store bytes per open case, linearity), the DuckDB yardstick on the same files, 30
## nights of store growth, then case allocation alone. SIZES, NIGHTS and NIGHTS_N override.
## About five minutes; docs/performance.md explains the method and records the figures.
bench: release
	@scripts/bench.sh $(BENCH_DATE)
	$(SWIFT) build -c release --product dunning-bench
	.build/release/dunning-bench 10000 20 100000 200 1000000 2000

clean:
	rm -rf .build var out
