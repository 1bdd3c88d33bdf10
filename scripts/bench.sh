#!/usr/bin/env bash
# `make bench`: the nightly run on generated portfolios (docs/performance.md explains the method).
#
#   scripts/bench.sh AS_OF
#
# For each size in $SIZES (default 10k, 100k and 1M customers): night 1 on an empty store and
# night 2 (as-of + 1) on the full one, with wall time, ledger rows per second, peak RSS, store size
# and store bytes per open case; then the cost per customer against the previous size (1.00 =
# linear); then the DuckDB yardstick on the same files, checked against dunning's cases.csv; then
# $NIGHTS (30) nights in a row at $NIGHTS_N (100k) customers, to show how the store grows.
set -euo pipefail
cd "$(dirname "$0")/.."
date1="$1"
sizes="${SIZES:-10000 100000 1000000}"
nights="${NIGHTS:-30}"
nights_n="${NIGHTS_N:-100000}"
bin=.build/release/dunning

# /usr/bin/time (peak RSS) and bc are not on every fresh machine; DuckDB only serves the comparison.
if ! [ -x /usr/bin/time ] || ! command -v bc >/dev/null; then
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq time bc >/dev/null
fi
have_duckdb=1
python3 -c 'import duckdb' 2>/dev/null || pip install --quiet duckdb >/dev/null 2>&1 || have_duckdb=0

mkdir -p var/bench
data() {
  local n="$1"
  test -f "var/bench/$n/manifest.json" || test -f "var/bench/$n/manifest.night1" || "$bin" generate --customers "$n" --as-of "$date1" --out "var/bench/$n" >/dev/null
}

# run N NIGHT DATE STORE OUT: one night, timed; sets wall and rss (MB).
run() {
  /usr/bin/time -f '%e %M' -o var/bench/time.txt "$bin" run --allow-any-date --as-of "$3" --input "var/bench/$1" --db "$4" --out "$5" >/dev/null
  read -r wall rss_kb < var/bench/time.txt
  rss=$((rss_kb / 1024))
}

open_cases() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['open_cases'])" "$1/summary.json"; }

echo "dunning $("$bin" --version 2>/dev/null || echo '?'), $(nproc) cores, $(uname -m), $(date -u +%F)"
printf '\n%-10s %-6s %8s %14s %12s %9s %11s %12s\n' customers night wall_s ledger_rows/s peak_rss_MB store_MB open_cases store_B/case
declare -A night1_wall
for n in $sizes; do
  data "$n"
  rows=$(($(wc -l < "var/bench/$n/ledger.csv") - 1))
  store="var/bench/$n.sqlite"
  rm -rf "$store" "$store.lock" "$store.backups"
  "$bin" init --db "$store" >/dev/null
  for night in 1 2; do
    date=$date1; [ "$night" = 2 ] && date=$(date -d "$date1 + 1 day" +%F)
    out="var/bench/out-$n-$night"
    # Night 1 checks the extract's manifest (as_of, rows, SHA-256); night 2 re-reads the same
    # files as the next night's extract, which the manifest's as_of would rightly refuse.
    if [ "$night" = 2 ]; then mv "var/bench/$n/manifest.json" "var/bench/$n/manifest.night1"; fi
    run "$n" "$night" "$date" "$store" "$out"
    if [ "$night" = 2 ]; then mv "var/bench/$n/manifest.night1" "var/bench/$n/manifest.json"; fi
    bytes=$(stat -c %s "$store")
    cases=$(open_cases "$out")
    printf '%-10s %-6s %8s %14.0f %12s %9.0f %11s %12.0f\n' "$n" "$night" "$wall" "$(echo "$rows / $wall" | bc -l)" "$rss" \
      "$(echo "$bytes / 1048576" | bc -l)" "$cases" "$(echo "$bytes / $cases" | bc -l)"
    [ "$night" = 1 ] && night1_wall[$n]=$wall
  done
done

echo
echo "cost per customer against the previous size, night 1 (1.00 = linear):"
previous=""
for n in $sizes; do
  if [ -n "$previous" ]; then
    ratio=$(echo "(${night1_wall[$n]} / $n) / (${night1_wall[$previous]} / $previous)" | bc -l)
    printf '  %s -> %s customers: %.2f\n' "$previous" "$n" "$ratio"
  fi
  previous=$n
done

echo
if [ "$have_duckdb" = 1 ]; then
  echo "DuckDB yardstick (bench/duckdb_nightly.py: DPD, cases, buckets, segments, penalty; 2 threads):"
  for n in $sizes; do
    /usr/bin/time -f '%e %M' -o var/bench/time.txt python3 bench/duckdb_nightly.py "var/bench/$n" "$date1" "var/bench/duckdb-$n.csv" 2 >/dev/null
    read -r wall rss_kb < var/bench/time.txt
    printf '  %-10s wall_s %6s  peak_rss_MB %6s  dunning night 1 %6s s  ' "$n" "$wall" "$((rss_kb / 1024))" "${night1_wall[$n]}"
    python3 bench/compare_cases.py "var/bench/duckdb-$n.csv" "var/bench/out-$n-1/cases.csv"
  done
else
  echo "DuckDB yardstick skipped: pip install duckdb to compare"
fi

echo
echo "the commit against SQLite's own bulk loader (bench/sqlite_import.sh: night 1's rows, the store's indexes):"
for n in $sizes; do
  commit_ms=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['timings_ms']['commit'])" "var/bench/out-$n-1/summary.json")
  printf '  %-10s dunning commit %6.2f s   sqlite3 .import: %s\n' "$n" "$(echo "$commit_ms / 1000" | bc -l)" "$(bench/sqlite_import.sh "var/bench/out-$n-1")"
done

echo
echo "store growth over $nights nights at $nights_n customers (default retention, same inputs, as-of + 1 a night):"
data "$nights_n"
store="var/bench/growth-$nights_n.sqlite"
rm -rf "$store" "$store.lock" "$store.backups"
"$bin" init --db "$store" >/dev/null
mv "var/bench/$nights_n/manifest.json" "var/bench/$nights_n/manifest.night1"
trap 'mv "var/bench/$nights_n/manifest.night1" "var/bench/$nights_n/manifest.json" 2>/dev/null || true' EXIT
printf '  %-6s %-11s %8s %9s %11s %12s\n' night as_of wall_s store_MB open_cases store_B/case
first_bytes=0
for i in $(seq 0 $((nights - 1))); do
  date=$(date -d "$date1 + $i day" +%F)
  run "$nights_n" "$i" "$date" "$store" "var/bench/growth-out"
  bytes=$(stat -c %s "$store")
  cases=$(open_cases var/bench/growth-out)
  [ "$i" = 0 ] && first_bytes=$bytes
  if [ "$i" = 0 ] || [ "$i" = 1 ] || [ $(((i + 1) % 5)) = 0 ]; then
    printf '  %-6s %-11s %8s %9.0f %11s %12.0f\n' "$((i + 1))" "$date" "$wall" "$(echo "$bytes / 1048576" | bc -l)" "$cases" "$(echo "$bytes / $cases" | bc -l)"
  fi
done
printf '  growth after night 1: %.1f MB a night (%.0f bytes per open case a night)\n' \
  "$(echo "($bytes - $first_bytes) / ($nights - 1) / 1048576" | bc -l)" "$(echo "($bytes - $first_bytes) / ($nights - 1) / $cases" | bc -l)"
