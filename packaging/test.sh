#!/usr/bin/env bash
# Builds Gatehouse and runs the whole test suite: installs what is missing (Debian
# packages, npm test clients), configures the `dev` preset, builds, runs CTest, then a
# short libFuzzer smoke of the HTTP parser (clang, `fuzz` preset).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

packaging/install-deps.sh
# Share the compiler cache between checkouts in different folders (CI clones afresh).
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake --preset dev
cmake --build --preset dev
ctest --preset dev "$@"

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
ctest --test-dir build/fuzz -L fuzz --output-on-failure
