#!/bin/sh
# Checks the built desktop file and D-Bus service file: desktop-file-validate passes without
# a message, names and the icon follow the application ID, and the zh_CN translation was
# merged in.
#
# usage: test-desktop-file.sh DESKTOP_FILE_VALIDATE DESKTOP_FILE DBUS_SERVICE_FILE APPLICATION_ID
set -u

if [ $# -ne 4 ]; then
  echo "usage: $0 DESKTOP_FILE_VALIDATE DESKTOP_FILE DBUS_SERVICE_FILE APPLICATION_ID" >&2
  exit 2
fi

validate=$1
desktop=$2
service=$3
app_id=$4
. "$(dirname "$0")/check-lib.sh"

# desktop-file-validate exits 0 on mere warnings (and hints); any output counts.
out=$("$validate" "$desktop" 2>&1)
status=$?
if [ $status -ne 0 ] || [ -n "$out" ]; then
  printf '%s\n' "$out" >&2
  fail "desktop-file-validate $desktop (exit $status)"
else
  pass "desktop-file-validate has nothing to say"
fi

key () {
  sed -n "s/^$1=//p" "$desktop"
}

[ "$(basename "$desktop")" = "$app_id.desktop" ] || fail "the desktop file is not named $app_id.desktop"
[ "$(key Icon)" = "$app_id" ] || fail "Icon=$(key Icon), expected $app_id"
[ "$(key Exec)" = "certdesk %U" ] || fail "Exec=$(key Exec), expected 'certdesk %U'"
case ";$(key MimeType)" in *";application/pdf;"*) ;; *) fail "MimeType lacks application/pdf" ;; esac
for k in 'Name\[zh_CN\]' 'GenericName\[zh_CN\]' 'Comment\[zh_CN\]' 'Keywords\[zh_CN\]'; do
  value=$(key "$k")
  if [ -z "$value" ]; then
    fail "no $k: the zh_CN translation was not merged"
  elif ! printf '%s' "$value" | LC_ALL=C grep -q '[^ -~]'; then
    fail "$k=$value is not Chinese"
  fi
done
[ $failures -eq 0 ] && pass "names, icon, Exec, MimeType and the zh_CN translation"

# DBusActivatable=true needs a service file with the same name and an Exec that exists.
if [ "$(key DBusActivatable)" = "true" ]; then
  name=$(sed -n 's/^Name=//p' "$service")
  exec_line=$(sed -n 's/^Exec=//p' "$service")
  [ "$(basename "$service")" = "$app_id.service" ] || fail "the D-Bus service file is not named $app_id.service"
  [ "$name" = "$app_id" ] || fail "the D-Bus service is named $name, expected $app_id"
  case $exec_line in
    /*/certdesk\ --gapplication-service) pass "D-Bus service $name runs $exec_line" ;;
    *) fail "the D-Bus service runs '$exec_line', expected BINDIR/certdesk --gapplication-service" ;;
  esac
fi

finish "desktop file"
