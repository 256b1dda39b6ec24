#!/bin/sh
# Usage: bench/list-throughput.sh [BUILD_DIR]
#
# Throughput of GET /api/v1/certificates against nginx serving the same JSON as a static
# file, both on 127.0.0.1, measured with wrk in the same run:
#   1. builds certdesk-server in BUILD_DIR (default _build-bench; set up if missing);
#   2. starts it with --demo on a temporary data dir, signs the demo holder in, accepts
#      the notice, saves one GET /api/v1/certificates answer as a static file;
#   3. starts nginx (own temporary prefix and config, worker_processes auto, access_log
#      off, a free loopback port) serving that file;
#   4. for each --threads value of the service (SERVER_THREADS, default "1 2"): restarts
#      the service on the same data dir, signs in again, and runs
#      `wrk -t2 -c64 -d10s` (after a short untimed warm-up) against the service with
#      the bearer token, then against nginx, and prints requests/s and the ratio.
# wrk, the service and nginx share the machine's cores: on a 2-core machine wrk takes a
# good part of them, so both figures are lower than on a dedicated server.
# Environment: SERVER_THREADS ("1 2"), DURATION (10, seconds), CONNECTIONS (64),
# WRK_THREADS (2), WARMUP (2, seconds; 0 for none), SERVER_ENV (VAR=value words put in
# the service's environment). BENCH_KEEP_TMP=1 keeps the temp dir.
# Everything it starts is stopped, and its temp dir removed, on exit or failure.
set -eu

# shellcheck source=bench/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

build=${1:-_build-bench}
server_threads_list=${SERVER_THREADS:-1 2}
duration=${DURATION:-10}
connections=${CONNECTIONS:-64}
wrk_threads=${WRK_THREADS:-2}
warmup=${WARMUP:-2}
server_env=${SERVER_ENV:-}
demo_id=110105199003071239
demo_password=demo-holder-2026

bench_require wrk nginx curl /usr/bin/python3
bench_init
bench_build "$build" src/server/certdesk-server
server_bin=$bench_build_dir/src/server/certdesk-server

json_get () {
  /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}

# Signs the demo holder in on $server_url, accepts the notice; sets $token.
sign_in () {
  token=$(curl -sS --fail-with-body --max-time 30 -X POST -H 'Content-Type: application/json' \
            -d "{\"id_number\": \"$demo_id\", \"password\": \"$demo_password\"}" \
            "$server_url/api/v1/sessions" | json_get token)
  version=$(curl -sS --fail-with-body --max-time 10 -H "Authorization: Bearer $token" \
              "$server_url/api/v1/notice" | json_get version)
  curl -sS --fail-with-body --max-time 10 -X POST -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $token" -d "{\"version\": \"$version\"}" \
    "$server_url/api/v1/notice/accept" >/dev/null
}

# CPU seconds (user + system) used so far by the given PIDs.
cpu_seconds () {
  ticks=0
  for pid in "$@"; do
    # Fields 14 and 15 of /proc/PID/stat; the command name (field 2) has no spaces here.
    t=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)
    ticks=$((ticks + t))
  done
  awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }'
}

# run_wrk LABEL URL [HEADER] PIDS…: prints one result line, sets $rps.
run_wrk () {
  label=$1 url=$2 header=$3
  shift 3
  if [ "$warmup" -gt 0 ]; then
    timeout $((warmup + 30)) wrk -t"$wrk_threads" -c"$connections" -d"${warmup}s" ${header:+-H "$header"} "$url" >/dev/null
  fi
  before=$(cpu_seconds "$@")
  timeout $((duration + 60)) wrk -t"$wrk_threads" -c"$connections" -d"${duration}s" --latency \
    ${header:+-H "$header"} "$url" >"$bench_tmp/wrk.out"
  after=$(cpu_seconds "$@")
  if grep -q -e 'Non-2xx' -e 'Socket errors' "$bench_tmp/wrk.out"; then
    cat "$bench_tmp/wrk.out" >&2
    bench_die "$label: wrk saw errors"
  fi
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$bench_tmp/wrk.out")
  latency=$(awk '$1 == "Latency" { print $2; exit }' "$bench_tmp/wrk.out")
  p99=$(awk '$1 == "99%" { print $2 }' "$bench_tmp/wrk.out")
  cpu=$(awk -v a="$after" -v b="$before" -v d="$duration" 'BEGIN { printf "%.0f", (a - b) * 100 / d }')
  printf '%-28s %10s req/s   latency avg %-8s p99 %-8s  server CPU %s%%\n' \
    "$label" "$rps" "$latency" "$p99" "$cpu"
}

bench_describe_machine
echo "# wrk -t$wrk_threads -c$connections -d${duration}s (warm-up ${warmup}s); wrk, service and nginx share the cores"

# The service, once, to capture the static copy of the answer.
data_dir=$bench_tmp/data
mkdir -m 700 "$data_dir"
first_threads=${server_threads_list%% *}
# shellcheck disable=SC2086 # SERVER_ENV is a list of VAR=value words
bench_start_server certdesk env $server_env "$server_bin" --listen 127.0.0.1:0 --data-dir "$data_dir" --demo \
  --threads "$first_threads"
sign_in
www=$bench_tmp/www
mkdir -p "$www"
curl -sS --fail-with-body --max-time 10 -H "Authorization: Bearer $token" \
  -o "$www/certificates.json" "$server_url/api/v1/certificates"
/usr/bin/python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert len(d["certificates"]) == 3, d' \
  "$www/certificates.json"
echo "# the answer: $(wc -c <"$www/certificates.json") bytes of JSON, 3 certificates"

# nginx, in its own prefix; its workers must be able to read the file.
nginx_prefix=$bench_tmp/nginx
mkdir -p "$nginx_prefix/logs" "$nginx_prefix/temp"
chmod 711 "$bench_tmp"
chmod 755 "$www"
chmod 644 "$www/certificates.json"
nginx_user=
if [ "$(id -u)" = 0 ]; then
  if getent group nogroup >/dev/null; then nginx_user="user nobody nogroup;"; else nginx_user="user nobody;"; fi
fi
nginx_pid=
tries=0
while [ -z "$nginx_pid" ]; do
  tries=$((tries + 1))
  nginx_port=$(bench_free_port)
  cat >"$nginx_prefix/nginx.conf" <<EOF
$nginx_user
daemon off;
master_process on;
worker_processes auto;
pid $nginx_prefix/nginx.pid;
error_log $nginx_prefix/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 65;
  keepalive_requests 1000000;
  client_body_temp_path $nginx_prefix/temp/body;
  proxy_temp_path $nginx_prefix/temp/proxy;
  fastcgi_temp_path $nginx_prefix/temp/fastcgi;
  uwsgi_temp_path $nginx_prefix/temp/uwsgi;
  scgi_temp_path $nginx_prefix/temp/scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    root $www;
    location = /api/v1/certificates {
      default_type application/json;
      try_files /certificates.json =404;
    }
  }
}
EOF
  nginx -p "$nginx_prefix" -c "$nginx_prefix/nginx.conf" -e "$nginx_prefix/logs/error.log" &
  pid=$!
  bench_track "$pid"
  i=0
  while [ "$i" -lt 50 ] && ! curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$nginx_port/api/v1/certificates"; do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
    i=$((i + 1))
  done
  if kill -0 "$pid" 2>/dev/null && curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$nginx_port/api/v1/certificates"; then
    nginx_pid=$pid
  else
    bench_stop "$pid"
    [ "$tries" -lt 3 ] || { cat "$nginx_prefix/logs/error.log" >&2; bench_die "nginx did not start"; }
  fi
done
nginx_url=http://127.0.0.1:$nginx_port/api/v1/certificates
curl -sS --fail --max-time 10 "$nginx_url" | cmp -s - "$www/certificates.json" \
  || bench_die "nginx does not serve the saved answer"
nginx_workers=$(pgrep -P "$nginx_pid" | tr '\n' ' ')
echo "# nginx $(nginx -v 2>&1 | sed 's/.*\///') on 127.0.0.1:$nginx_port, $(echo "$nginx_workers" | wc -w) workers"

echo
printf '%-28s %10s\n' "target" "result"
for threads in $server_threads_list; do
  if [ "$threads" != "$first_threads" ] || [ -z "${server_pid:-}" ]; then
    # shellcheck disable=SC2086 # SERVER_ENV is a list of VAR=value words
    bench_start_server certdesk env $server_env "$server_bin" --listen 127.0.0.1:0 --data-dir "$data_dir" --demo \
      --threads "$threads"
    sign_in
  fi
  curl -sS --fail-with-body --max-time 10 -H "Authorization: Bearer $token" \
    "$server_url/api/v1/certificates" | cmp -s - "$www/certificates.json" \
    || bench_die "the service's answer differs from the saved one"

  run_wrk "service --threads $threads" "$server_url/api/v1/certificates" \
    "Authorization: Bearer $token" "$server_pid"
  service_rps=$rps
  # shellcheck disable=SC2086 # one argument per worker PID
  run_wrk "nginx (static file)" "$nginx_url" "" $nginx_workers
  nginx_rps=$rps
  awk -v s="$service_rps" -v n="$nginx_rps" -v t="$threads" \
    'BEGIN { r = s / n; printf "%-28s %10.2f x nginx   goal >= 0.5: %s\n\n", "ratio (--threads " t ")", r, (r >= 0.5) ? "met" : "MISSED" }'

  bench_stop "$server_pid"
  server_pid=
done
