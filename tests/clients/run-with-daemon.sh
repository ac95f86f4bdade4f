#!/usr/bin/env bash
# Usage: run-with-daemon.sh GATEHOUSED COMMAND...
# Starts gatehoused on free loopback ports in a temporary data dir, exports
# GATEHOUSE_URL and GATEHOUSE_ADMIN_URL, runs COMMAND, then stops the daemon.
set -euo pipefail
daemon=$1
shift
tmp=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
"$daemon" --data-dir "$tmp" --listen 127.0.0.1:0 --admin-listen 127.0.0.1:0 --workers 2 >"$tmp/out" 2>"$tmp/err" &
pid=$!
for _ in $(seq 1 150); do
  if grep -q '^gatehoused ready' "$tmp/out"; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$tmp/err" >&2; exit 1; fi
  sleep 0.1
done
line=$(grep '^gatehoused ready' "$tmp/out") || { echo "gatehoused did not become ready" >&2; exit 1; }
GATEHOUSE_URL=$(sed -E 's/.*gateway=([^ ]+).*/\1/' <<<"$line")
GATEHOUSE_ADMIN_URL=$(sed -E 's/.*admin=([^ ]+).*/\1/' <<<"$line")
export GATEHOUSE_URL GATEHOUSE_ADMIN_URL
"$@"
