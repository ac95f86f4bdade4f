#!/usr/bin/env bash
# Builds Gatehouse and starts it: the desktop app when a display exists, otherwise the
# headless daemon gatehoused. Extra arguments go to the program (e.g. --config FILE).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

packaging/install-deps.sh
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake --preset dev
cmake --build --preset dev --target gatehouse gatehoused

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec build/dev/app/gatehouse "$@"
fi
echo "run: no display (neither DISPLAY nor WAYLAND_DISPLAY is set), so starting the headless" >&2
echo "run: daemon gatehoused instead of the desktop app. Stop it with Ctrl+C." >&2
exec build/dev/daemon/gatehoused "$@"
