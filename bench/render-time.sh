#!/bin/sh
# The desktop client's preview render time against poppler alone: builds
# bench/bench-render and runs it in a private Xvfb (GDK_GL=disable, throwaway HOME, no
# session bus needed), once per scale factor. See bench-render.c for what is timed.
#
#   bench/render-time.sh [BUILD_DIR]          # default _build-bench
#
# Knobs: RUNS (timed rounds, default 30), WARMUP (default 5), SCALES (GDK_SCALE values,
# default "1 2"), WINDOWS (window sizes, default "960x720 1280x1000"), PDF (a PDF to use
# instead of the generated certificate).
set -eu

. "$(dirname "$0")/lib.sh"

RUNS=${RUNS:-30}
WARMUP=${WARMUP:-5}
SCALES=${SCALES:-1 2}
WINDOWS=${WINDOWS:-960x720 1280x1000}
PDF=${PDF:-}

bench_init
bench_build "${1:-_build-bench}" bench/bench-render
bench_describe_machine
bench_isolate_home
bench_start_xvfb

for scale in $SCALES; do
  for window in $WINDOWS; do
    echo
    echo "## GDK_SCALE=$scale, window $window"
    # shellcheck disable=SC2046 # --pdf FILE is two words or none
    GDK_SCALE=$scale GDK_GL=disable GDK_BACKEND=x11 NO_AT_BRIDGE=1 GSETTINGS_BACKEND=memory \
      timeout 300 "$bench_build_dir/bench/bench-render" --runs "$RUNS" --warmup "$WARMUP" \
      --width "${window%x*}" --height "${window#*x}" $( [ -n "$PDF" ] && printf -- '--pdf %s' "$PDF" )
  done
done
