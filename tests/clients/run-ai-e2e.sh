#!/usr/bin/env bash
# Usage: run-ai-e2e.sh GATEHOUSED NODE [node --test arguments...]
# Starts tests/mocks/mock-providers.mjs and a gatehoused configured with every provider type
# pointing at it (ai-e2e-config.template.yaml), exports GATEHOUSE_URL, GATEHOUSE_ADMIN_URL,
# GATEHOUSE_ADMIN_TOKEN, MOCK_URL and GATEHOUSE_TEST_KEY, then runs
# `NODE --test ai_e2e.test.mjs` (or NODE --test with the given arguments). Both processes are
# stopped on every exit path.
set -euo pipefail
daemon=$1
node=$2
shift 2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tmp=$(mktemp -d)
mock_pid=""
daemon_pid=""
cleanup() {
  for pid in $daemon_pid $mock_pid; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in $daemon_pid $mock_pid; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Waits (at most 15 s) for a line matching $2 in file $1 while process $3 lives.
wait_for_line() {
  local file=$1 pattern=$2 pid=$3 what=$4
  for _ in $(seq 1 150); do
    if grep -q "$pattern" "$file"; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$what exited before it was ready:" >&2
      cat "$tmp"/*.err >&2 || true
      return 1
    fi
    sleep 0.1
  done
  echo "$what did not become ready" >&2
  return 1
}

"$node" "$here/../mocks/mock-providers.mjs" >"$tmp/mock.out" 2>"$tmp/mock.err" &
mock_pid=$!
wait_for_line "$tmp/mock.out" '^mock-providers ready ' "$mock_pid" mock-providers
MOCK_URL=$(sed -nE 's/^mock-providers ready (http:[^ ]+)$/\1/p' "$tmp/mock.out" | head -n1)

# N random base62 characters (no SIGPIPE under pipefail: every stage reads to the end).
random_alnum() { head -c 96 /dev/urandom | base64 -w0 | LC_ALL=C tr -dc 'A-Za-z0-9' | cut -c1-"$1"; }
# A consumer key of the gateway's own form: "gh-" + 43 base62 characters.
GATEHOUSE_TEST_KEY="gh-$(random_alnum 43)"
GATEHOUSE_ADMIN_TOKEN="e2e-$(random_alnum 32)"
export MOCK_URL GATEHOUSE_TEST_KEY GATEHOUSE_ADMIN_TOKEN
export MOCK_KEY_OPENAI=test-key-openai MOCK_KEY_ANTHROPIC=test-key-anthropic MOCK_KEY_GEMINI=test-key-gemini
export MOCK_KEY_AZURE_OPENAI=test-key-azure MOCK_KEY_MISTRAL=test-key-mistral MOCK_KEY_DEEPSEEK=test-key-deepseek
export MOCK_KEY_GROQ=test-key-groq MOCK_KEY_OPENROUTER=test-key-openrouter MOCK_KEY_TOGETHER=test-key-together
export MOCK_KEY_XAI=test-key-xai

config="$tmp/gatehouse.yaml"
sed "s#@MOCK_URL@#$MOCK_URL#g" "$here/ai-e2e-config.template.yaml" >"$config"
if ! "$daemon" --check-config "$config" >"$tmp/check.out" 2>"$tmp/check.err"; then
  echo "gatehoused rejects the e2e config:" >&2
  cat "$tmp/check.err" >&2
  exit 1
fi

mkdir "$tmp/data"
"$daemon" --data-dir "$tmp/data" --config "$config" --listen 127.0.0.1:0 --admin-listen 127.0.0.1:0 \
  --workers 2 >"$tmp/daemon.out" 2>"$tmp/daemon.err" &
daemon_pid=$!
wait_for_line "$tmp/daemon.out" '^gatehoused ready' "$daemon_pid" gatehoused
line=$(grep '^gatehoused ready' "$tmp/daemon.out" | head -n1)
GATEHOUSE_URL=$(sed -E 's/.*gateway=([^ ]+).*/\1/' <<<"$line")
GATEHOUSE_ADMIN_URL=$(sed -E 's/.*admin=([^ ]+).*/\1/' <<<"$line")
export GATEHOUSE_URL GATEHOUSE_ADMIN_URL

cd "$here"
status=0
if (($#)); then
  "$node" --test "$@" || status=$?
else
  "$node" --test "$here/ai_e2e.test.mjs" || status=$?
fi
if ((status != 0)) && [ -s "$tmp/daemon.err" ]; then
  echo "--- gatehoused stderr (last 40 lines) ---" >&2
  tail -n 40 "$tmp/daemon.err" >&2
fi
exit "$status"
