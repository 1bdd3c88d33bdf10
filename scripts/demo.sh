#!/usr/bin/env bash
# Runs the nightly job over the bundled demo nights with a fresh embedded SQLite store:
# four consecutive nights, then a missed night and a catch-up, then a re-run of the last night.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${DUNNING_BIN:-.build/release/dunning}"
store=var/demo/dunning.sqlite
rm -rf var/demo out/demo
"$bin" validate strategies/default.yaml
# A store is made once, explicitly: every other command refuses a store that does not exist.
"$bin" init --db "$store"
# The fixture nights are in the past: --allow-any-date replays them as a simulation (a real run of a
# past night plans no contact for minutes already gone).
for night in fixtures/lifecycle/nights/*/; do
  date=$(basename "$night")
  echo
  "$bin" run --as-of "$date" --strategy strategies/default.yaml --input "$night" --db "$store" --out "out/demo/$date" --allow-any-date
done
last=$(basename "$(ls -d fixtures/lifecycle/nights/*/ | tail -n 1)")
echo
echo "re-running $last: the outputs must not change"
for f in actions cases contacts deferred workload; do cp "out/demo/$last/$f.csv" "var/demo/$f.before.csv"; done
"$bin" run --as-of "$last" --strategy strategies/default.yaml --input "fixtures/lifecycle/nights/$last" --db "$store" --out "out/demo/$last" --allow-any-date
for f in actions cases contacts deferred workload; do
  cmp "var/demo/$f.before.csv" "out/demo/$last/$f.csv" && echo "identical: out/demo/$last/$f.csv"
done
