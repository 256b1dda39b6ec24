#!/bin/sh
# Installs what CertDesk needs, builds it and runs every test suite: once in a normal
# build, then once more built with AddressSanitizer and UndefinedBehaviorSanitizer.
# Extra arguments go to both `meson test` runs (e.g. --suite unit).
set -eu
cd "$(dirname "$0")/.."

./build-aux/install-deps.sh

status=0

[ -f _build/build.ninja ] || meson setup _build
meson compile -C _build
meson test -C _build --print-errorlogs "$@" || status=$?

[ -f _build-sanitize/build.ninja ] ||
  meson setup _build-sanitize -Db_sanitize=address,undefined -Db_lundef=false
meson compile -C _build-sanitize
# Leak reports would come from GLib's one-off allocations; memory errors and undefined
# behaviour abort the test.
ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  meson test -C _build-sanitize --print-errorlogs --timeout-multiplier 3 "$@" || status=$?

# One plain closing line for whoever reads the log.
python3 - _build/meson-logs/testlog.json _build-sanitize/meson-logs/testlog.json <<'PY'
import json, sys
counts = {"OK": 0, "FAIL": 0, "SKIP": 0}
for path in sys.argv[1:]:
    for line in open(path, encoding="utf-8"):
        result = json.loads(line).get("result", "FAIL")
        if result in ("OK", "EXPECTEDFAIL"):
            counts["OK"] += 1
        elif result == "SKIP":
            counts["SKIP"] += 1
        else:
            counts["FAIL"] += 1
print(f"{counts['OK']} passed, {counts['FAIL']} failed, {counts['SKIP']} skipped")
PY
exit $status
