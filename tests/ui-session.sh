#!/bin/sh
# Runs a command in a private X server (Xvfb) and, inside it, keyring-session.sh: a private
# D-Bus session bus, throwaway HOME and XDG dirs and an unlocked throwaway keyring. The X
# server is outside and the bus inside, as /work/shared/HEADLESS.md says; DISPLAY is hidden
# from the keyring daemon (so no prompt can wait on a screen nobody sees) and given back to
# the command. Exits with the command's status.
#
#   ui-session.sh [--no-secrets] COMMAND [ARG…]
#
# Xvfb picks a free display itself (-displayfd), so parallel tests never race for one.
set -eu

here=$(cd "$(dirname "$0")" && pwd)

if [ "${1-}" = "--inside-keyring" ]; then
  shift
  export DISPLAY="$UI_SESSION_DISPLAY"
  exec "$@"
fi

secrets=""
if [ "${1-}" = "--no-secrets" ]; then
  secrets=--no-secrets
  shift
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/certdesk-ui.XXXXXX")
xvfb_pid=""
# shellcheck disable=SC2317 # called from the EXIT trap
stop_xvfb () {
  if [ -n "$xvfb_pid" ]; then
    kill "$xvfb_pid" 2>/dev/null || true
    wait "$xvfb_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap stop_xvfb EXIT
trap 'exit 130' INT TERM

# -noreset: an X server whose last client leaves resets and refuses the next one for a
# moment (helpers such as the AT-SPI launcher connect and leave).
Xvfb -displayfd 3 -screen 0 1280x1024x24 -noreset -nolisten tcp -nolisten unix-abstract \
  3>"$tmp/display" 2>"$tmp/xvfb.log" &
xvfb_pid=$!

tries=0
until grep -q '^[0-9]' "$tmp/display" 2>/dev/null; do
  tries=$((tries + 1))
  if [ "$tries" -gt 200 ] || ! kill -0 "$xvfb_pid" 2>/dev/null; then
    echo "ui-session.sh: Xvfb did not start" >&2
    cat "$tmp/xvfb.log" >&2
    exit 99
  fi
  sleep 0.05
done
export UI_SESSION_DISPLAY=":$(head -n 1 "$tmp/display")"

# Not exec: the trap stops Xvfb when the command is done.
status=0
# shellcheck disable=SC2086 # $secrets is empty or one word
sh "$here/keyring-session.sh" $secrets sh "$here/ui-session.sh" --inside-keyring "$@" || status=$?
exit $status
