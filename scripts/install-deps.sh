#!/usr/bin/env bash
# Installs the system packages dunning needs when they are missing (Debian/Ubuntu).
# Idempotent and quiet when everything is present; safe to run from make and CI.
set -euo pipefail
# util-linux gives flock(1), which the end-to-end lock test uses to hold a lock from another process.
# chromium renders the HTML report in a real headless browser in the end-to-end tests.
# libmimalloc-dev: the allocator the dunning binary links (docs/performance.md).
# libssl-dev: libcrypto, whose SHA-256 checks the files an extract's manifest.json names.
packages=(libsqlite3-dev libmimalloc-dev libssl-dev sqlite3 util-linux chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# The schema test checks strategies with a real JSON Schema validator (scripts/check-schema.py).
if ! command -v python3 >/dev/null 2>&1; then
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq python3 python3-pip >/dev/null
fi
if ! python3 -c "import jsonschema, yaml" 2>/dev/null; then
  echo "installing: jsonschema pyyaml (pip)" >&2
  python3 -m pip install -q jsonschema pyyaml 2>/dev/null || python3 -m pip install -q --break-system-packages jsonschema pyyaml
fi
if ! command -v swift >/dev/null 2>&1; then
  echo "error: swift is not on PATH (Swift 6.1 or later is required)" >&2
  exit 69
fi
