# Shared by the bench/*.sh scripts; sourced, not run. Usage, after `set -eu`:
#
#   . "$(dirname "$0")/lib.sh"
#   bench_init                      # temp dir in $bench_tmp, cleanup trap
#   bench_build BUILD_DIR TARGET…   # meson setup if missing, ninja the targets
#   bench_start_server NAME CMD…    # sets $server_url, $server_pid; output in $bench_tmp/NAME.*
#   bench_stop PID
#   bench_start_xvfb                # private X server, exports DISPLAY
#   bench_isolate_home              # throwaway HOME and XDG dirs under $bench_tmp
#   bench_start_session_bus         # private D-Bus session bus (needs bench_isolate_home)
#   bench_start_keyring             # unlocked throwaway keyring on that bus
#
# Every process started through these helpers is recorded in $bench_tmp/pids and
# stopped (TERM, then KILL after 5 s) by the exit trap, which also removes $bench_tmp,
# whether the script succeeds, fails or is interrupted.

bench_here=$(cd "$(dirname "$0")" && pwd)
bench_top=$(dirname "$bench_here")
bench_tmp=

bench_log () {
  echo "$(basename "$0"): $*" >&2
}

bench_die () {
  bench_log "$*"
  exit 1
}

# Whether a PID runs; a zombie does not count (a daemon that forked away from us has PID 1
# as its parent, which in a container may never reap it).
bench_alive () {
  kill -0 "$1" 2>/dev/null || return 1
  [ "$(sed -n 's/.*) \(.\).*/\1/p' "/proc/$1/stat" 2>/dev/null)" != Z ]
}

# Stops one PID: TERM, up to 5 s, then KILL; reaps it when it is our child.
bench_kill () {
  pid=$1
  bench_alive "$pid" || { wait "$pid" 2>/dev/null || true; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  i=0
  while bench_alive "$pid" && [ "$i" -lt 50 ]; do
    sleep 0.1
    i=$((i + 1))
  done
  if bench_alive "$pid"; then
    bench_log "PID $pid ignored SIGTERM; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

bench_cleanup () {
  status=$?
  trap - EXIT INT TERM
  if [ -n "$bench_tmp" ] && [ -f "$bench_tmp/pids" ]; then
    # Newest first.
    for pid in $(tac "$bench_tmp/pids"); do
      bench_kill "$pid"
    done
  fi
  if [ -n "$bench_tmp" ] && [ -d "$bench_tmp" ]; then
    if [ -n "${BENCH_KEEP_TMP:-}" ]; then
      bench_log "kept $bench_tmp"
    else
      rm -rf "$bench_tmp"
    fi
  fi
  exit "$status"
}

bench_init () {
  bench_tmp=$(mktemp -d "${TMPDIR:-/tmp}/certdesk-bench.XXXXXX")
  : >"$bench_tmp/pids"
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# Records a PID for the exit trap.
bench_track () {
  echo "$1" >>"$bench_tmp/pids"
}

# Stops a tracked PID now and forgets it.
bench_stop () {
  bench_kill "$1"
  grep -vx "$1" "$bench_tmp/pids" >"$bench_tmp/pids.new" || true
  mv "$bench_tmp/pids.new" "$bench_tmp/pids"
}

bench_build () {
  build=$1
  shift
  case $build in /*) ;; *) build=$bench_top/$build ;; esac
  if [ ! -d "$build" ]; then
    meson setup "$build" "$bench_top" >/dev/null
  fi
  ninja -C "$build" "$@" >/dev/null
  # shellcheck disable=SC2034 # read by the scripts that source this file
  bench_build_dir=$build
}

bench_require () {
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || bench_die "$tool is missing (apt-get install -y nginx-light wrk curl)"
  done
}

# One line naming the machine and what was measured, for docs/performance.md.
bench_describe_machine () {
  model=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
  rev=$(git -C "$bench_top" rev-parse --short HEAD 2>/dev/null || echo unknown)
  dirty=$(git -C "$bench_top" status --porcelain -- src 2>/dev/null | wc -l)
  diff_id=$(git -C "$bench_top" diff HEAD -- src 2>/dev/null | sha256sum | cut -c1-12)
  echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ)  nproc $(nproc)  $model  $(uname -r)  load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# source $rev + $dirty uncommitted file(s) under src/ (diff $diff_id)"
}

# bench_start_server NAME BINARY ARGS…: starts it, waits up to 30 s for its
# "listening on" line and sets server_url and server_pid.
bench_start_server () {
  name=$1
  shift
  "$@" >"$bench_tmp/$name.out" 2>"$bench_tmp/$name.err" &
  server_pid=$!
  bench_track "$server_pid"
  i=0
  server_url=
  while [ "$i" -lt 300 ]; do
    server_url=$(sed -n 's/^certdesk-server: listening on \(http:[^ ]*\).*/\1/p' "$bench_tmp/$name.out")
    [ -n "$server_url" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
    i=$((i + 1))
  done
  if [ -z "$server_url" ]; then
    cat "$bench_tmp/$name.err" >&2
    bench_die "$name did not start"
  fi
  case $server_url in
    http://127.0.0.1:*) ;;
    *) bench_die "$name listens on $server_url, not on 127.0.0.1" ;;
  esac
}

# A free TCP port on 127.0.0.1 (bound and released; nginx retries on a clash).
bench_free_port () {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# bench_start_xvfb: a private X server (its own display number, chosen by Xvfb, no TCP),
# exports DISPLAY. Output in $bench_tmp/xvfb.log.
bench_start_xvfb () {
  command -v Xvfb >/dev/null 2>&1 || bench_die "Xvfb is missing (apt-get install -y xvfb)"
  : >"$bench_tmp/display"
  # -noreset: between two apps nothing is connected, and a server resetting then refuses
  # the next one ("cannot open display").
  Xvfb -displayfd 3 -screen 0 "${XVFB_SCREEN:-1280x1024x24}" -noreset -nolisten tcp -nolisten unix-abstract \
    3>"$bench_tmp/display" 2>"$bench_tmp/xvfb.log" &
  bench_track $!
  i=0
  until grep -q '^[0-9]' "$bench_tmp/display" 2>/dev/null; do
    i=$((i + 1))
    [ "$i" -lt 200 ] || bench_die "Xvfb did not start: $(cat "$bench_tmp/xvfb.log")"
    sleep 0.05
  done
  DISPLAY=":$(head -n 1 "$bench_tmp/display")"
  export DISPLAY
}

# bench_isolate_home: throwaway HOME and XDG dirs under $bench_tmp, so that nothing reads
# or changes the keyring, settings or caches of whoever runs the script.
bench_isolate_home () {
  HOME=$bench_tmp/home
  XDG_RUNTIME_DIR=$bench_tmp/runtime
  XDG_DATA_HOME=$bench_tmp/data
  XDG_CACHE_HOME=$bench_tmp/cache
  XDG_CONFIG_HOME=$bench_tmp/config
  export HOME XDG_RUNTIME_DIR XDG_DATA_HOME XDG_CACHE_HOME XDG_CONFIG_HOME
  mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_CONFIG_HOME"
  mkdir -m 700 "$XDG_RUNTIME_DIR"
  unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL SSH_AUTH_SOCK WAYLAND_DISPLAY
}

# bench_start_session_bus: a private D-Bus session bus, what dbus-run-session starts, but
# as a process of this script, so that the exit trap stops it (dbus-run-session would
# leave its command running when it is killed). Exports DBUS_SESSION_BUS_ADDRESS.
bench_start_session_bus () {
  dbus-daemon --session --nofork --nopidfile --address="unix:path=$XDG_RUNTIME_DIR/bus" \
    --print-address=3 3>"$bench_tmp/bus.address" 2>"$bench_tmp/bus.log" &
  bench_track $!
  i=0
  until [ -s "$bench_tmp/bus.address" ]; do
    i=$((i + 1))
    [ "$i" -lt 200 ] || bench_die "dbus-daemon did not start: $(cat "$bench_tmp/bus.log")"
    sleep 0.05
  done
  DBUS_SESSION_BUS_ADDRESS=$(head -n 1 "$bench_tmp/bus.address")
  export DBUS_SESSION_BUS_ADDRESS
}

# bench_start_keyring: gnome-keyring-daemon on the private bus, with a throwaway login
# keyring created, unlocked and made the default (as tests/keyring-session.sh does). It
# forks away from us, so its PID is asked of the bus and tracked. Without DISPLAY: a
# prompt must fail rather than wait on a screen nobody sees.
bench_start_keyring () {
  daemon_env=$(printf '%s' "bench-$$" | env -u DISPLAY gnome-keyring-daemon --unlock --components=secrets)
  eval "$daemon_env"
  export GNOME_KEYRING_CONTROL
  i=0
  until dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus / \
          org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q true; do
    i=$((i + 1))
    [ "$i" -lt 100 ] || bench_die "gnome-keyring-daemon did not appear on the bus"
    sleep 0.05
  done
  keyring_pid=$(dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus / \
    org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets | awk '{ print $2 }')
  bench_track "$keyring_pid"
}
