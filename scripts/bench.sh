#!/usr/bin/env bash
# Times the nightly run on a generated portfolio: night 1 (empty store) and night 2 (as-of + 1,
# store full). Prints wall time, ledger rows per second and peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
n="$1"; date1="$2"
# /usr/bin/time (peak RSS) and bc (rates) are not on every fresh machine.
if ! [ -x /usr/bin/time ] || ! command -v bc >/dev/null; then
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq time bc >/dev/null
fi
date2=$(date -d "$date1 + 1 day" +%F)
bin=.build/release/dunning
data="var/bench/$n"
store="var/bench/$n.sqlite"
rm -f "$store" "$store.lock"
rows=$(($(wc -l < "$data/ledger.csv") - 1))
printf '%-10s %-8s %10s %14s %12s %10s\n' customers night wall_s ledger_rows/s peak_rss_MB store_MB
for night in 1 2; do
  date=$date1; [ "$night" = 2 ] && date=$date2
  out="var/bench/out-$n-$night"
  /usr/bin/time -f '%e %M' -o var/bench/time.txt "$bin" run --as-of "$date" --input "$data" --db "$store" --out "$out" >/dev/null
  read -r wall rss < var/bench/time.txt
  store_mb=$(du -m "$store" | cut -f1)
  printf '%-10s %-8s %10s %14.0f %12.0f %10s\n' "$n" "$night" "$wall" "$(echo "$rows / $wall" | bc -l)" "$(echo "$rss / 1024" | bc -l)" "$store_mb"
done
