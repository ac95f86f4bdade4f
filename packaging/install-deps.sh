#!/usr/bin/env bash
# Installs every Debian package Gatehouse needs to build, run and test, then the
# Node test clients. Idempotent and non-interactive: safe to run on every build.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

packages=(
  # build
  build-essential cmake ninja-build ccache pkg-config clang lld libclang-rt-14-dev
  # Qt 6.4 and friends
  qt6-base-dev qt6-base-dev-tools qt6-svg-dev qt6-charts-dev qt6-tools-dev
  qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n libqt6sql6-sqlite
  qt6-qpa-plugins libgl-dev libqt6opengl6-dev
  # core libraries
  libsqlite3-dev libssl-dev libyaml-cpp-dev qtkeychain-qt6-dev libsecret-1-0
  # run and test
  sqlite3 nginx wrk curl gnome-keyring libsecret-tools dbus dbus-x11 xvfb xauth
  libbenchmark-dev procps psmisc libhttp-parser-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
# nginx from Debian starts a system service on install; tests start their own.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet nginx 2>/dev/null; then
  systemctl stop nginx || true
fi

if ! command -v npm >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q nodejs npm
fi

# Official SDK clients used by the end-to-end tests.
if [ -f "$here/tests/clients/package-lock.json" ]; then
  lock="$here/tests/clients/package-lock.json"
  stamp="$here/tests/clients/node_modules/.gatehouse-lock.sha256"
  sum=$(sha256sum "$lock" | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ]; then
    (cd "$here/tests/clients" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$sum" >"$stamp"
  fi
fi
echo "install-deps: all dependencies present"
