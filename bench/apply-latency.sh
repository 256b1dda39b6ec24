#!/bin/sh
# Usage: bench/apply-latency.sh [BUILD_DIR]
#
# Apply→ready latency of annotated documents under a burst: builds certdesk-server in
# BUILD_DIR (default _build-bench; set up if missing) and, RUNS times (default 3), each
# on a fresh temporary data dir:
#   1. imports a CSV of HOLDERS (default 100) certificates for as many generated
#      resident ID numbers (`certdesk-server import`);
#   2. starts the service on 127.0.0.1 with --processing-seconds 0 (and --threads
#      SERVER_THREADS when set; default one per core);
#   3. registers, signs in and accepts the notice for every holder, 16 at a time;
#   4. lets all holders apply at once (validity_days 90, self_use) and poll
#      GET /api/v1/annotations/{id} every POLL_MS (default 20) ms until ready;
# and prints p50/p90/p99/max of the latency from just before the POST to the first
# poll that says ready (bench/apply_latency.py does steps 3–4, with /usr/bin/python3).
# The client's 100 threads run on the same cores as the service.
# Environment: RUNS (3), HOLDERS (100), POLL_MS (20), SERVER_THREADS (service default),
# SERVER_ENV (VAR=value words put in the service's environment, e.g.
# "GLIBC_TUNABLES=glibc.malloc.trim_threshold=134217728"); BENCH_KEEP_TMP=1 keeps the temp dir.
# Everything it starts is stopped, and its temp dir removed, on exit or failure.
set -eu

# shellcheck source=bench/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

build=${1:-_build-bench}
runs=${RUNS:-3}
holders=${HOLDERS:-100}
poll_ms=${POLL_MS:-20}
server_threads=${SERVER_THREADS:-}
server_env=${SERVER_ENV:-}
helper=$bench_here/apply_latency.py

bench_require /usr/bin/python3
bench_init
bench_build "$build" src/server/certdesk-server
server_bin=$bench_build_dir/src/server/certdesk-server

bench_describe_machine
echo "# $holders holders, poll every $poll_ms ms, --processing-seconds 0, --threads ${server_threads:-default ($(nproc))}${server_env:+, service environment: $server_env}"

/usr/bin/python3 "$helper" csv "$bench_tmp/certificates.csv" --holders "$holders"

run=1
while [ "$run" -le "$runs" ]; do
  data_dir=$bench_tmp/data-$run
  mkdir -m 700 "$data_dir"
  timeout 120 "$server_bin" import "$bench_tmp/certificates.csv" --data-dir "$data_dir" >/dev/null
  # shellcheck disable=SC2086 # SERVER_ENV is a list of VAR=value words
  bench_start_server certdesk env $server_env "$server_bin" --listen 127.0.0.1:0 --data-dir "$data_dir" \
    --processing-seconds 0 ${server_threads:+--threads "$server_threads"}
  echo
  echo "## run $run"
  timeout 600 /usr/bin/python3 "$helper" run "$server_url" --holders "$holders" \
    --poll-ms "$poll_ms" --json "$bench_tmp/run-$run.json"
  bench_stop "$server_pid"
  rm -rf "$data_dir"
  run=$((run + 1))
done

echo
/usr/bin/python3 - "$bench_tmp" "$runs" <<'PY'
import json, sys
tmp, runs = sys.argv[1], int(sys.argv[2])
print("| run | p50 ms | p90 ms | p99 ms | max ms | goal p99 ≤ 1000 ms |")
print("|---|---|---|---|---|---|")
for i in range(1, runs + 1):
    r = json.load(open("%s/run-%d.json" % (tmp, i)))
    print("| %d | %.0f | %.0f | %.0f | %.0f | %s |" % (i, r["p50_ms"], r["p90_ms"], r["p99_ms"],
          r["max_ms"], "met" if r["p99_ms"] <= 1000 else "MISSED"))
PY
