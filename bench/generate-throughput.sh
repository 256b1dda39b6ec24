#!/bin/sh
# Usage: bench/generate-throughput.sh [BUILD_DIR] [DOCUMENTS]
#
# Document generation throughput: builds bench/bench-generate in BUILD_DIR (default
# _build-bench, set up if missing), then renders and signs DOCUMENTS (default 400)
# annotated certificates with realistic records on 1 and on 2 threads, pinned to CPUs 0
# and 1 with `taskset -c 0,1`, and prints documents/s, render and sign ms per document
# and the document sizes. One signed document of each run is checked with pdfsig, whose
# output must say "Signature is Valid". Offline; the signing key and the sample
# documents are in a temporary directory removed at exit, also on failure.
# Each thread count runs twice: with glibc malloc as it is ("default"), and with
# GLIBC_TUNABLES=glibc.malloc.trim_threshold=134217728 ("no-trim"), which stops the
# worker threads' malloc arenas from giving pages back to the kernel after every
# document (see docs/performance.md).
# Environment: THREADS (default "1 2"), ROUNDS (default 1: runs per thread count and
# malloc setting), MALLOC_VARIANTS (default "default no-trim").
set -eu

# shellcheck source=bench/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

build=${1:-_build-bench}
documents=${2:-400}
threads_list=${THREADS:-1 2}
rounds=${ROUNDS:-1}
malloc_variants=${MALLOC_VARIANTS:-default no-trim}

bench_require taskset pdfsig
bench_init
bench_build "$build" bench/bench-generate
bench_generate=$bench_build_dir/bench/bench-generate

bench_describe_machine
echo "# taskset -c 0,1 $bench_generate --documents $documents --threads T"

mkdir "$bench_tmp/key"
for variant in $malloc_variants; do
  case $variant in
    default) tunables=${GLIBC_TUNABLES:-} ;;
    no-trim) tunables=glibc.malloc.trim_threshold=134217728 ;;
    *) bench_die "unknown malloc variant $variant (default, no-trim)" ;;
  esac
  for threads in $threads_list; do
    round=1
    while [ "$round" -le "$rounds" ]; do
      out=$bench_tmp/out-$variant-$threads-$round
      mkdir "$out"
      echo
      echo "## malloc $variant, threads $threads, round $round"
      GLIBC_TUNABLES=$tunables taskset -c 0,1 timeout 600 "$bench_generate" \
        --documents "$documents" --threads "$threads" \
        --key-dir "$bench_tmp/key" --output-dir "$out" >"$out/result.txt" \
        || { cat "$out/result.txt"; bench_die "bench-generate failed"; }
      grep -v '^sample:' "$out/result.txt"
      if pdfsig "$out/sample.pdf" 2>&1 | grep -q 'Signature is Valid'; then
        echo "pdfsig: Signature is Valid"
      else
        pdfsig "$out/sample.pdf" >&2 || true
        bench_die "pdfsig does not validate the sample document"
      fi
      round=$((round + 1))
    done
  done
done
