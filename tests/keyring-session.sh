#!/bin/sh
# Runs a command on a private D-Bus session bus with a throwaway HOME, XDG dirs and an
# unlocked throwaway login keyring, so keyring tests never read, change or prompt for the
# keyring of whoever runs them. Exits with the command's status.
#
#   keyring-session.sh [--no-secrets] COMMAND [ARG…]
#
# --no-secrets (or KEYRING_SESSION_NO_SECRETS=1) gives instead a bus on which no Secret
# Service runs and none can be activated, for the tests of a desktop without one.
# The command sees KEYRING_SESSION_DIR, the throwaway directory all of this lives in
# (HOME, XDG dirs; with --no-secrets, the bus's service directory is its services/),
# KEYRING_SESSION_NO_SECRETS, and KEYRING_SESSION_PASSWORD, the keyring's password.
set -eu

if [ "${1-}" = "--inside-bus" ]; then
  shift
  if [ "$KEYRING_SESSION_NO_SECRETS" = 1 ]; then
    exec "$@"
  fi

  # The daemon creates the login keyring with this password, unlocks it and makes it
  # the default collection; prints the variables its clients need (none, in 42.1).
  export KEYRING_SESSION_PASSWORD="certdesk-test-$$"
  daemon_env=$(printf '%s' "$KEYRING_SESSION_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets)
  eval "$daemon_env"
  export GNOME_KEYRING_CONTROL

  # It forks before taking its name on the bus: a client that came first would have
  # D-Bus activate a second daemon.
  tries=0
  until dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus / \
          org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets |
        grep -q true; do
    tries=$((tries + 1))
    if [ "$tries" -gt 100 ]; then
      echo "keyring-session.sh: gnome-keyring-daemon did not appear on the bus" >&2
      exit 99
    fi
    sleep 0.05
  done

  # Stopped by the outer script, whatever way the command ends.
  dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus / \
    org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets |
    awk '{ print $2 }' > "$KEYRING_SESSION_DIR/daemon.pid"

  status=0
  "$@" || status=$?
  exit $status
fi

if [ "${1-}" = "--no-secrets" ]; then
  shift
  KEYRING_SESSION_NO_SECRETS=1
fi
export KEYRING_SESSION_NO_SECRETS="${KEYRING_SESSION_NO_SECRETS:-0}"

# The daemon can outlive the bus (it is no child of ours, and leaves our process group):
# stop it, and wait until it is gone (a zombie counts: PID 1 of a container may not reap).
# shellcheck disable=SC2317 # called from the EXIT trap
stop_daemon () {
  pid=$(cat "$tmp/daemon.pid" 2>/dev/null) || return 0
  [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = gnome-keyring-d ] || return 0
  kill "$pid" 2>/dev/null || return 0
  tries=0
  while [ "$tries" -lt 50 ] && [ -r "/proc/$pid/stat" ] &&
        [ "$(sed -n 's/.*) \(.\).*/\1/p' "/proc/$pid/stat")" != Z ]; do
    sleep 0.1
    tries=$((tries + 1))
  done
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/certdesk-keyring.XXXXXX")
trap 'stop_daemon; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

export KEYRING_SESSION_DIR="$tmp"
export HOME="$tmp/home"
export XDG_RUNTIME_DIR="$tmp/runtime"
export XDG_DATA_HOME="$tmp/data"
export XDG_CACHE_HOME="$tmp/cache"
export XDG_CONFIG_HOME="$tmp/config"
mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_CONFIG_HOME"
mkdir -m 700 "$XDG_RUNTIME_DIR"

# No display: a keyring prompt must fail rather than wait on a screen nobody sees, and
# D-Bus must not autolaunch a bus through X11. No address of a keyring outside.
unset DISPLAY WAYLAND_DISPLAY GNOME_KEYRING_CONTROL SSH_AUTH_SOCK DBUS_SESSION_BUS_ADDRESS

if [ "$KEYRING_SESSION_NO_SECRETS" = 1 ]; then
  mkdir "$tmp/services"
  cat > "$tmp/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=$tmp</listen>
  <auth>EXTERNAL</auth>
  <!-- Empty: nothing, org.freedesktop.secrets included, can be activated. -->
  <servicedir>$tmp/services</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
  set -- --config-file="$tmp/bus.conf" -- sh "$0" --inside-bus "$@"
else
  set -- -- sh "$0" --inside-bus "$@"
fi

status=0
dbus-run-session "$@" || status=$?
exit $status
