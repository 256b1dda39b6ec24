#!/bin/sh
# Checks the built AppStream metainfo: appstreamcli validate --no-net finds no error, warning
# or info (pedantic notes are fine), the ID and launchable follow the application ID, and the
# zh_CN translation was merged in.
#
# usage: test-metainfo.sh APPSTREAMCLI METAINFO APPLICATION_ID
#
# One info is expected, by AppStream version: the metainfo carries both <developer> (AppStream
# 1.0) and <developer_name> (what 0.16, Debian 12's, reads), so 0.16 reports the former as an
# unknown tag and 1.x may call the latter deprecated. Every other issue fails, which --strict
# alone cannot express across versions.
set -u

if [ $# -ne 3 ]; then
  echo "usage: $0 APPSTREAMCLI METAINFO APPLICATION_ID" >&2
  exit 2
fi

appstreamcli=$1
metainfo=$2
app_id=$3
. "$(dirname "$0")/check-lib.sh"

out=$("$appstreamcli" validate --no-net --pedantic --explain "$metainfo" 2>&1)
status=$?
printf '%s\n' "$out"
if [ $status -ne 0 ]; then
  fail "appstreamcli validate --no-net exited with $status"
fi
issues=$(printf '%s\n' "$out" | grep -E '^[EWI]: ' |
           grep -vE '^I: [^ ]+ unknown-tag developer$' |
           grep -vE '^I: [^ ]+ developer-name-tag-deprecated')
if [ -n "$issues" ]; then
  printf '%s\n' "$issues" >&2
  fail "appstreamcli reports errors, warnings or infos"
else
  pass "appstreamcli validate: no error, warning or unexpected info"
fi

grep -qF "<id>$app_id</id>" "$metainfo" || fail "the component ID is not $app_id"
grep -qF "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$metainfo" ||
  fail "the launchable is not $app_id.desktop"
for tag in name summary caption p li; do
  grep -qE "<$tag xml:lang=\"zh_CN\">" "$metainfo" || fail "no <$tag xml:lang=\"zh_CN\">: the translation was not merged"
done
[ $failures -eq 0 ] && pass "ID, launchable and zh_CN translation"

finish "metainfo"
