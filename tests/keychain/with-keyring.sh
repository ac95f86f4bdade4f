#!/bin/sh
# Runs a command against a throwaway gnome-keyring on a private D-Bus session bus: a real
# Secret Service for the tests that never touches the user's own keyring or session.
#   with-keyring.sh COMMAND [ARGS...]
set -eu

for tool in dbus-run-session gnome-keyring-daemon; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "with-keyring.sh: $tool not found (install dbus and gnome-keyring)" >&2
        exit 1
    }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-keyring.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
mkdir -m 700 "$tmp/home" "$tmp/data" "$tmp/config" "$tmp/cache" "$tmp/runtime"
export HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
    XDG_CACHE_HOME="$tmp/cache" XDG_RUNTIME_DIR="$tmp/runtime"
# No prompts, no desktop session's keyring or KWallet: only the keyring started below.
unset DISPLAY WAYLAND_DISPLAY GNOME_KEYRING_CONTROL XDG_CURRENT_DESKTOP DESKTOP_SESSION \
    KDE_FULL_SESSION KDE_SESSION_VERSION GNOME_DESKTOP_SESSION_ID
export GATEHOUSE_TEST_KEYRING=1

status=0
# A keyring that D-Bus activates on demand comes up locked, so start and unlock it first
# (the password creates the login keyring on first use), then wait until it owns its name.
dbus-run-session -- sh -c '
    printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null || {
        echo "with-keyring.sh: gnome-keyring-daemon did not start" >&2
        exit 1
    }
    tries=0
    until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
            org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
            grep -q "boolean true"; do
        tries=$((tries + 1))
        if [ "$tries" -ge 50 ]; then
            echo "with-keyring.sh: gnome-keyring-daemon never appeared on the bus" >&2
            exit 1
        fi
        sleep 0.1
    done
    exec "$@"
' sh "$@" || status=$?
exit "$status"
