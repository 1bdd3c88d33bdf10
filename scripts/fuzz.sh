#!/usr/bin/env bash
# `make fuzz`: each fuzz target for a fixed budget (seconds, default 60), with growing corpora.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
# A build of its own: every Swift module instrumented for coverage and AddressSanitizer.
swift build -c release --scratch-path .build-fuzz --product dunning-fuzz -Xswiftc -DFUZZING -Xswiftc -sanitize=fuzzer,address
fuzzer=.build-fuzz/release/dunning-fuzz
mkdir -p var/fuzz/csv var/fuzz/ledger var/fuzz/strategy var/fuzz/crashes
# Seeds: the bundled fixtures.
cp fixtures/lifecycle/nights/2026-02-26/*.csv var/fuzz/csv/
tail -n +2 fixtures/lifecycle/nights/2026-02-26/ledger.csv > var/fuzz/ledger/seed.csv
cp strategies/default.yaml var/fuzz/strategy/
# And every input found before (each also replayed by the tests).
for target in csv ledger strategy; do
  if [ -d fixtures/fuzz/$target ]; then cp fixtures/fuzz/$target/* var/fuzz/$target/; fi
done
status=0
for target in csv ledger strategy; do
  echo "== $target ($seconds s)"
  if ! DUNNING_FUZZ_TARGET=$target "$fuzzer" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 \
      -artifact_prefix=var/fuzz/crashes/$target- var/fuzz/$target 2>var/fuzz/$target.log; then
    status=1
    grep -E "ERROR|SUMMARY|Fatal|precondition" var/fuzz/$target.log | head -5
  fi
  grep -E "stat::number_of_executed_units|stat::new_units_added" var/fuzz/$target.log
done
exit $status
