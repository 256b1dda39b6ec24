# Sourced by the data checks (test-*.sh): each check reports with pass or fail, and
# finish exits with the verdict, so one run shows every failure, not just the first.
failures=0

fail () {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

pass () {
  echo "ok: $*"
}

# finish WHAT: exits 1 when a check failed, else 0.
finish () {
  if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
  fi
  echo "all $1 checks passed"
  exit 0
}
