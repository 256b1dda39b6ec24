#!/bin/sh
# Installs what CertDesk needs, builds it and runs every test suite.
set -eu
cd "$(dirname "$0")/.."

./build-aux/install-deps.sh
[ -f _build/build.ninja ] || meson setup _build
meson compile -C _build

status=0
meson test -C _build --print-errorlogs "$@" || status=$?

# One plain closing line for whoever reads the log.
python3 - _build/meson-logs/testlog.json <<'PY'
import json, sys
counts = {"OK": 0, "FAIL": 0, "SKIP": 0}
for line in open(sys.argv[1], encoding="utf-8"):
    result = json.loads(line).get("result", "FAIL")
    key = result if result in counts else "FAIL"
    if result == "EXPECTEDFAIL":
        key = "OK"
    counts[key] += 1
print(f"{counts['OK']} passed, {counts['FAIL']} failed, {counts['SKIP']} skipped")
PY
exit $status
