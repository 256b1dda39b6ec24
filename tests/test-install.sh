#!/bin/sh
# Installs the build into a temporary DESTDIR and checks what a package would ship: the
# programs, the desktop file, D-Bus service, metainfo, icons, GSettings schema, zh_CN catalogue
# and man pages, under names that follow the application ID; then runs the installed programs.
#
# usage: test-install.sh MESON CURL BUILD_ROOT APPLICATION_ID BINDIR DATADIR LOCALEDIR MANDIR
#   BINDIR … MANDIR  the configured install directories, absolute (prefix included)
#
# It only copies files out of the build directory (--no-rebuild): meson test has built what
# the test depends on, and nothing here writes into the build tree except meson-logs/.
set -u

if [ $# -ne 8 ]; then
  echo "usage: $0 MESON CURL BUILD_ROOT APPLICATION_ID BINDIR DATADIR LOCALEDIR MANDIR" >&2
  exit 2
fi

meson=$1
curl=$2
build=$3
app_id=$4
shift 4
. "$(dirname "$0")/check-lib.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/certdesk-install-XXXXXX") || exit 1
server_pid=
cleanup () {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

destdir=$tmp/root
bindir=$destdir$1
datadir=$destdir$2
localedir=$destdir$3
mandir=$destdir$4
installed_bindir=$1

# Nothing of the build's own environment may leak into the installed programs.
unset GSETTINGS_SCHEMA_DIR CERTDESK_LOCALEDIR CERTDESK_SERVER CERTDESK_SERVER_BINARY DESTDIR
export HOME="$tmp/home" XDG_DATA_HOME="$tmp/xdg-data" XDG_CACHE_HOME="$tmp/xdg-cache" \
       XDG_CONFIG_HOME="$tmp/xdg-config" XDG_DATA_DIRS="$tmp/no-system-data"
mkdir -p "$HOME"

if ! "$meson" install -C "$build" --destdir "$destdir" --no-rebuild --quiet >"$tmp/install.log" 2>&1; then
  cat "$tmp/install.log" >&2
  fail "meson install --destdir failed"
  exit 1
fi
pass "meson install --destdir $destdir"

# (a) The installed tree.
for f in \
    "$bindir/certdesk" "$bindir/certdesk-cli" "$bindir/certdesk-server" \
    "$datadir/applications/$app_id.desktop" \
    "$datadir/dbus-1/services/$app_id.service" \
    "$datadir/metainfo/$app_id.metainfo.xml" \
    "$datadir/icons/hicolor/scalable/apps/$app_id.svg" \
    "$datadir/icons/hicolor/symbolic/apps/$app_id-symbolic.svg" \
    "$datadir/glib-2.0/schemas/$app_id.gschema.xml" \
    "$localedir/zh_CN/LC_MESSAGES/certdesk.mo" \
    "$mandir/man1/certdesk.1" "$mandir/man1/certdesk-cli.1" "$mandir/man1/certdesk-server.1"; do
  if [ -s "$f" ]; then
    pass "installed ${f#"$destdir"}"
  else
    fail "${f#"$destdir"} is not installed"
  fi
done
for p in certdesk certdesk-cli certdesk-server; do
  [ -x "$bindir/$p" ] || fail "$p is not executable"
  if ldd "$bindir/$p" 2>&1 | grep -q 'not found'; then
    ldd "$bindir/$p" >&2
    fail "$p needs a library that is not found"
  fi
done

# The D-Bus service starts the installed program.
exec_line=$(sed -n 's/^Exec=//p' "$datadir/dbus-1/services/$app_id.service")
[ "$exec_line" = "$installed_bindir/certdesk --gapplication-service" ] ||
  fail "the D-Bus service runs '$exec_line', expected '$installed_bindir/certdesk --gapplication-service'"

# (b) The schema compiles where it was installed (meson leaves that to packagers with DESTDIR).
schemadir=$datadir/glib-2.0/schemas
if glib-compile-schemas --strict "$schemadir" 2>"$tmp/schemas.err" && [ -s "$schemadir/gschemas.compiled" ]; then
  pass "glib-compile-schemas --strict on the installed schemas"
else
  cat "$tmp/schemas.err" >&2
  fail "glib-compile-schemas refuses the installed schemas"
fi

# (c) The installed programs run. No display: --version and --help need none.
run () {
  env -u DISPLAY -u WAYLAND_DISPLAY "$@" >"$tmp/out" 2>&1
}

if run GSETTINGS_SCHEMA_DIR="$schemadir" "$bindir/certdesk" --version &&
   grep -qxE 'certdesk [0-9]+\.[0-9]+\.[0-9]+' "$tmp/out"; then
  pass "certdesk --version: $(cat "$tmp/out")"
else
  cat "$tmp/out" >&2
  fail "the installed certdesk --version, with its installed schema, failed"
fi

# Without the schema it says so, instead of GSettings aborting.
run "$bindir/certdesk" --version
status=$?
if [ $status -eq 1 ] && grep -qF "$app_id" "$tmp/out"; then
  pass "certdesk without its schema names it and exits 1"
else
  cat "$tmp/out" >&2
  fail "certdesk without its schema exited with $status"
fi

if run "$bindir/certdesk-cli" --help && grep -q '^Usage: certdesk-cli' "$tmp/out"; then
  pass "certdesk-cli --help"
else
  cat "$tmp/out" >&2
  fail "the installed certdesk-cli --help failed"
fi

if run "$bindir/certdesk-server" --help && grep -q 'certdesk-server' "$tmp/out"; then
  pass "certdesk-server --help"
else
  cat "$tmp/out" >&2
  fail "the installed certdesk-server --help failed"
fi

# The installed catalogue is the one the programs read (LOCALEDIR points at the real prefix,
# so CERTDESK_LOCALEDIR points it into the DESTDIR here).
if locale -a 2>/dev/null | grep -qiE '^zh_CN\.utf-?8$'; then
  if run LC_ALL=zh_CN.UTF-8 LANGUAGE= CERTDESK_LOCALEDIR="$localedir" "$bindir/certdesk-cli" --help &&
     grep -q '用法' "$tmp/out"; then
    pass "the installed zh_CN catalogue translates certdesk-cli --help"
  else
    cat "$tmp/out" >&2
    fail "certdesk-cli --help with the installed zh_CN catalogue is not in Chinese"
  fi
else
  fail "the zh_CN.UTF-8 locale is not installed; run build-aux/install-deps.sh as root"
fi

# (d) The installed service starts, says where it listens, and stops cleanly on SIGTERM.
"$bindir/certdesk-server" --demo --listen 127.0.0.1:0 --data-dir "$tmp/server-data" \
  >"$tmp/server.out" 2>"$tmp/server.err" &
server_pid=$!
url=
i=0
while [ $i -lt 200 ]; do
  url=$(sed -n 's/^certdesk-server: listening on //p' "$tmp/server.out")
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
  i=$((i + 1))
done
if [ -z "$url" ]; then
  cat "$tmp/server.out" "$tmp/server.err" >&2
  fail "the installed certdesk-server --demo did not say where it listens within 20 s"
else
  pass "certdesk-server --demo listening on $url"
  if run "$curl" --silent --show-error --fail --max-time 10 "$url/api/v1/service" &&
     grep -q '"name" *: *"certdesk-server"' "$tmp/out"; then
    pass "it answers GET /api/v1/service"
  else
    cat "$tmp/out" >&2
    fail "GET $url/api/v1/service failed"
  fi
fi
kill -TERM "$server_pid" 2>/dev/null
wait "$server_pid"
status=$?
server_pid=
if [ $status -eq 0 ]; then
  pass "certdesk-server stops cleanly on SIGTERM"
else
  cat "$tmp/server.err" >&2
  fail "certdesk-server exited with $status on SIGTERM"
fi

finish "install"
