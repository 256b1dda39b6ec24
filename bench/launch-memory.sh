#!/bin/sh
# The desktop client against Evince, in the same run: launch → window mapped, and resident
# memory with a certificate previewed.
#
#   bench/launch-memory.sh [BUILD_DIR]          # default _build-bench
#
# One private session for everything: Xvfb (GDK_GL=disable, so no Mesa), a private D-Bus
# session bus, throwaway HOME and XDG dirs, an unlocked throwaway gnome-keyring. Then:
#
# 1. certdesk-server --demo on 127.0.0.1 (free port, temporary data dir,
#    --processing-seconds 0); `certdesk-cli login --password-stdin` signs the demo holder in
#    and keeps the password in the keyring, `notice --accept`, `annotate --wait` and
#    `download` fetch one signed certificate PDF from it: the file both apps open.
# 2. Warm-up: `certdesk` once (it signs in from the keyring and fetches the list; with the
#    cached certificate list, that run fills the cache), `evince FILE.pdf` once, and
#    `certdesk FILE.pdf` once, which also tells whether this build opens files.
# 3. ROUNDS rounds, the order of the apps alternating between rounds, each app:
#      exec → its window is mapped and viewable (`xdotool search --onlyvisible --pid PID`,
#      polled every POLL s), then SETTLE s, then VmRSS (/proc/PID/status) and Pss
#      (/proc/PID/smaps_rollup) of that process, then SIGTERM and a GAP s pause.
#    The apps: `certdesk` (the list, from the keyring and the cache), `evince FILE.pdf`,
#    and `certdesk FILE.pdf` (a certificate previewed) when the build supports it; when it
#    does not (the process exits without a window), the memory of `certdesk` is reported
#    in its place and labelled so; and bench-empty-window, an empty libhandy window started
#    as certdesk starts its own: the floor under both figures.
# Prints every measurement, then medians and the ratios to Evince against the goals
# (launch ≤ 0.5 ×, memory ≤ 0.8 ×).
#
# Knobs: ROUNDS (default 7), SETTLE (s after mapping before reading memory, 1.5), GAP (s
# between launches, 1), POLL (s between window checks, 0.01), LAUNCH_TIMEOUT (s, 20),
# CACHE_SECONDS (s the first certdesk runs to fill its cache, 5), PDF (a PDF to open
# instead of the downloaded certificate), EVINCE (default evince), SCREENSHOT_DIR (save a
# PNG of the screen at each memory reading there, to check what the apps showed).
#
# Needs: Xvfb, dbus-daemon, gnome-keyring-daemon, evince, xdotool, /usr/bin/python3. Run
# as root it installs the missing ones with apt-get; otherwise it says what to install.
# Not a test: nothing runs it but a developer.
set -eu

. "$(dirname "$0")/lib.sh"

ROUNDS=${ROUNDS:-7}
SETTLE=${SETTLE:-1.5}
GAP=${GAP:-1}
POLL=${POLL:-0.01}
LAUNCH_TIMEOUT=${LAUNCH_TIMEOUT:-20}
CACHE_SECONDS=${CACHE_SECONDS:-5}
PDF=${PDF:-}
SCREENSHOT_DIR=${SCREENSHOT_DIR:-}
EVINCE=${EVINCE:-evince}

DEMO_ID_NUMBER=110105199003071239   # src/server/cd-demo.h, docs/server.md
DEMO_PASSWORD=demo-holder-2026

# Tools: command → Debian package.
missing=
for pair in Xvfb:xvfb dbus-daemon:dbus gnome-keyring-daemon:gnome-keyring evince:evince \
            xdotool:xdotool xwininfo:x11-utils /usr/bin/python3:python3; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing="$missing ${pair#*:}"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "launch-memory.sh: installing$missing" >&2
    # shellcheck disable=SC2086 # one word per package
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing >&2
  else
    echo "launch-memory.sh: missing; install with: sudo apt-get install$missing" >&2
    exit 1
  fi
fi

bench_init
# Everything: the server, the CLI, the app, the compiled schema (data/) and catalogues (po/).
bench_build "${1:-_build-bench}" bench/bench-empty-window
build=$bench_build_dir
bench_describe_machine
echo "# $("$EVINCE" --version 2>/dev/null), $(Xvfb -version 2>&1 | grep -m1 'X.Org X Server' || echo Xvfb)"

bench_isolate_home
bench_start_xvfb
bench_start_session_bus
bench_start_keyring

# What both apps see. GDK_GL=disable: no Mesa (HEADLESS.md: +57 MB, +200 ms on a first
# GTK process); NO_AT_BRIDGE: no accessibility bus to start on the private bus.
export GDK_GL=disable GDK_BACKEND=x11 NO_AT_BRIDGE=1 LC_ALL=C.UTF-8 LANGUAGE=
export GSETTINGS_SCHEMA_DIR="$build/data" CERTDESK_LOCALEDIR="$build/po"

bench_start_server server "$build/src/server/certdesk-server" --demo --listen 127.0.0.1:0 \
  --data-dir "$bench_tmp/server-data" --processing-seconds 0
export CERTDESK_SERVER="$server_url"
cli () {
  timeout 60 "$build/src/cli/certdesk-cli" --server "$server_url" "$@"
}

# The password goes through standard input, never the command line.
printf '%s\n' "$DEMO_PASSWORD" | cli login --id "$DEMO_ID_NUMBER" --password-stdin >"$bench_tmp/cli.log"
cli notice --accept >>"$bench_tmp/cli.log"
if [ -z "$PDF" ]; then
  cert_no=$(cli --json list | /usr/bin/python3 -c '
import json, sys
data = json.load(sys.stdin)
items = data["certificates"] if isinstance(data, dict) else data
print(next(c["cert_no"] for c in items if c.get("status") == "valid"))')
  cli annotate "$cert_no" --days 30 --wait >>"$bench_tmp/cli.log"
  PDF=$bench_tmp/certificate.pdf
  cli download "$cert_no" -o "$PDF" >>"$bench_tmp/cli.log"
fi
[ -s "$PDF" ] || bench_die "no PDF to open"
echo "# PDF: $PDF, $(wc -c <"$PDF") bytes, $(pdfinfo "$PDF" 2>/dev/null | sed -n 's/^Pages: *//p') page(s)"

now_ns () {
  date +%s%N
}

# launch NAME CMD…: starts it, waits until its window is viewable, sets launch_ms and
# launch_pid; returns 1 when the process ends (or LAUNCH_TIMEOUT passes) without one.
launch () {
  name=$1
  shift
  start=$(now_ns)
  "$@" >>"$bench_tmp/$name.log" 2>&1 &
  launch_pid=$!
  bench_track "$launch_pid"
  deadline=$((start + LAUNCH_TIMEOUT * 1000000000))
  until xdotool search --onlyvisible --pid "$launch_pid" >/dev/null 2>&1; do
    if ! bench_alive "$launch_pid" || [ "$(now_ns)" -gt "$deadline" ]; then
      bench_stop "$launch_pid"
      return 1
    fi
    sleep "$POLL"
  done
  launch_ms=$((($(now_ns) - start) / 1000000))
}

# memory PID: sets rss_kb and pss_kb.
memory () {
  rss_kb=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status")
  pss_kb=$(awk '$1 == "Pss:" { print $2 }' "/proc/$1/smaps_rollup")
}

# screenshot FILE.png: the whole screen, to check what the apps showed.
screenshot () {
  mkdir -p "$(dirname "$1")"
  /usr/bin/python3 -c '
import sys, gi
gi.require_version("Gdk", "3.0")
from gi.repository import Gdk
root = Gdk.get_default_root_window()
Gdk.pixbuf_get_from_window(root, 0, 0, root.get_width(), root.get_height()).savev(sys.argv[1], "png", [], [])
' "$1" || bench_log "no screenshot $1"
}

# measure KEY NAME CMD…: one launch, then memory after SETTLE s; appends to $bench_tmp/KEY.
measure () {
  key=$1
  shift
  if ! launch "$@"; then
    bench_log "$1 did not show a window; its output:"
    tail -n 5 "$bench_tmp/$1.log" >&2
    xwininfo -root >/dev/null 2>&1 || bench_log "the X server $DISPLAY does not answer: $(tail -n 3 "$bench_tmp/xvfb.log")"
    return 1
  fi
  sleep "$SETTLE"
  memory "$launch_pid"
  [ -z "$SCREENSHOT_DIR" ] || screenshot "$SCREENSHOT_DIR/$key-$round.png"
  bench_stop "$launch_pid"
  echo "$launch_ms $rss_kb $pss_kb" >>"$bench_tmp/$key"
  printf '%-22s launch %5d ms   VmRSS %6.1f MB   Pss %6.1f MB\n' "$key" "$launch_ms" \
    "$(echo "$rss_kb" | awk '{ print $1 / 1024 }')" "$(echo "$pss_kb" | awk '{ print $1 / 1024 }')"
  sleep "$GAP"
}

# Warm-up: page cache, fontconfig caches in the new HOME, GSettings, evince's daemon on
# the bus, and certdesk's cached list (the first certdesk run signs in and fetches it).
launch warmup-certdesk "$build/src/client/certdesk" || bench_die "certdesk did not show a window: $(tail -n 5 "$bench_tmp/warmup-certdesk.log")"
sleep "$CACHE_SECONDS"
[ -z "$SCREENSHOT_DIR" ] || screenshot "$SCREENSHOT_DIR/warmup-certdesk.png"
bench_stop "$launch_pid"
launch warmup-evince "$EVINCE" "$PDF" || bench_die "evince did not show a window: $(tail -n 5 "$bench_tmp/warmup-evince.log")"
sleep "$SETTLE"
bench_stop "$launch_pid"
opens_files=yes
if launch warmup-certdesk-pdf "$build/src/client/certdesk" "$PDF"; then
  sleep "$SETTLE"
  bench_stop "$launch_pid"
else
  opens_files=no
  bench_log "this certdesk does not open a PDF given on the command line ($(tail -n 1 "$bench_tmp/warmup-certdesk-pdf.log")); measuring its list instead"
fi
sleep "$GAP"

echo
echo "# exec → window mapped (ms), VmRSS and Pss after mapping + $SETTLE s; $ROUNDS rounds"
round=1
while [ "$round" -le "$ROUNDS" ]; do
  if [ $((round % 2)) = 1 ]; then order="certdesk evince pdf empty"; else order="empty pdf evince certdesk"; fi
  for app in $order; do
    case $app in
      certdesk) measure certdesk certdesk "$build/src/client/certdesk" ;;
      evince) measure evince evince "$EVINCE" "$PDF" ;;
      pdf) [ "$opens_files" = no ] || measure certdesk-pdf certdesk-pdf "$build/src/client/certdesk" "$PDF" ;;
      empty) measure empty-window empty-window "$build/bench/bench-empty-window" ;;
    esac
  done
  round=$((round + 1))
done

# column FILE N: the median of column N (the lower middle one for an even count).
median () {
  awk -v c="$2" '{ print $c }' "$1" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

echo
echo "# medians of $ROUNDS"
launch_c=$(median "$bench_tmp/certdesk" 1)
launch_e=$(median "$bench_tmp/evince" 1)
if [ "$opens_files" = yes ]; then
  mem_key=certdesk-pdf
  mem_label="certdesk FILE.pdf (certificate previewed)"
else
  mem_key=certdesk
  mem_label="certdesk (its list: this build does not open FILE.pdf)"
fi
rss_c=$(median "$bench_tmp/$mem_key" 2)
pss_c=$(median "$bench_tmp/$mem_key" 3)
rss_e=$(median "$bench_tmp/evince" 2)
pss_e=$(median "$bench_tmp/evince" 3)
awk -v lc="$launch_c" -v le="$launch_e" -v rc="$rss_c" -v re="$rss_e" -v pc="$pss_c" -v pe="$pss_e" \
    -v label="$mem_label" -v rl="$(median "$bench_tmp/certdesk" 2)" -v pl="$(median "$bench_tmp/certdesk" 3)" '
  function verdict (ok) { return ok ? "met" : "missed" }
  BEGIN {
    printf "launch → mapped: certdesk (list) %d ms, evince FILE.pdf %d ms: %.2f × (goal ≤ 0.5: %s)\n",
           lc, le, lc / le, verdict(lc / le <= 0.5)
    printf "memory: %s VmRSS %.1f MB, Pss %.1f MB\n", label, rc / 1024, pc / 1024
    printf "        evince FILE.pdf VmRSS %.1f MB, Pss %.1f MB\n", re / 1024, pe / 1024
    printf "        ratio VmRSS %.2f ×, Pss %.2f × (goal ≤ 0.8: %s by VmRSS, %s by Pss)\n",
           rc / re, pc / pe, verdict(rc / re <= 0.8), verdict(pc / pe <= 0.8)
    printf "        (certdesk showing its list: VmRSS %.1f MB, Pss %.1f MB)\n", rl / 1024, pl / 1024
  }'
if [ "$opens_files" = yes ]; then
  echo "        (certdesk FILE.pdf launch → mapped: $(median "$bench_tmp/certdesk-pdf" 1) ms)"
fi
floor_ms=$(median "$bench_tmp/empty-window" 1)
floor_mb=$(median "$bench_tmp/empty-window" 2 | awk '{ printf "%.1f", $1 / 1024 }')
echo "floor: an empty libhandy window (bench-empty-window): launch $floor_ms ms, VmRSS $floor_mb MB"
