#!/bin/sh
# Checks the translations: complete catalogues, a complete POTFILES.in, and the CLI
# speaking Chinese in zh_CN.UTF-8.
#
# usage: test-translations.sh SOURCE_ROOT BUILD_LOCALE_DIR CERTDESK_CLI
#   SOURCE_ROOT       the project's source directory (holds po/ and src/)
#   BUILD_LOCALE_DIR  the build's po/ directory, where LANG/LC_MESSAGES/certdesk.mo are built
#   CERTDESK_CLI      the built certdesk-cli
#
# Exits 0 when every check passes, 1 otherwise; a missing zh_CN.UTF-8 locale is a
# failure, not a skip (build-aux/install-deps.sh generates it).
set -u

if [ $# -ne 3 ]; then
  echo "usage: $0 SOURCE_ROOT BUILD_LOCALE_DIR CERTDESK_CLI" >&2
  exit 2
fi

srcdir=$1
localedir=$2
cli=$3
package=certdesk
. "$(dirname "$0")/check-lib.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/certdesk-i18n-XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# The xgettext arguments of meson's i18n.gettext(preset: 'glib'); plain ngettext
# and the other C defaults stay on as well. The language follows each file's
# extension, so GtkBuilder .ui files are read by their translatable="yes".
xgettext_glib () {
  xgettext --from-code=UTF-8 --add-comments \
    --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
    --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
    --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
    --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
    --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
    --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
    --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
    --flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_printf:1:c-format \
    --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format \
    --package-name="$package" "$@"
}

# Relative paths are relative to where the test starts, not to the sources.
case $localedir in /*) ;; *) localedir=$(pwd)/$localedir ;; esac
case $cli in /*) ;; *) cli=$(pwd)/$cli ;; esac

cd "$srcdir" || exit 1

linguas=$(sed -e 's/#.*//' po/LINGUAS | tr -s ' \t' '\n\n' | grep -v '^$')
case " $(echo $linguas) " in
  *" zh_CN "*) ;;
  *) fail "po/LINGUAS does not list zh_CN" ;;
esac

# (a) Every catalogue is valid and complete: no untranslated and no fuzzy messages.
for lang in $linguas; do
  if ! msgfmt --check --statistics -o /dev/null "po/$lang.po" 2>"$tmp/stats"; then
    cat "$tmp/stats" >&2
    fail "msgfmt --check refuses po/$lang.po"
    continue
  fi
  stats=$(cat "$tmp/stats")
  case "$stats" in
    *fuzzy*|*untranslated*) fail "po/$lang.po is not complete: $stats" ;;
    *) pass "po/$lang.po: $stats" ;;
  esac
done

# (b) POTFILES.in is sorted, names only existing files, and lists every source file
# with translatable strings (sources, templates, and the schema, desktop file and
# metainfo in data/). src/server is not translated: the service's API messages
# are English by design, and clients translate by error code.
potfiles=$(sed -e 's/#.*//' -e 's/[[:space:]]*$//' po/POTFILES.in | grep -v '^$')
printf '%s\n' "$potfiles" > "$tmp/potfiles"
if ! LC_ALL=C sort -c -u "$tmp/potfiles" 2>/dev/null; then
  fail "po/POTFILES.in is not sorted (LC_ALL=C sort -u)"
fi
for f in $potfiles; do
  [ -f "$f" ] || fail "po/POTFILES.in lists $f, which does not exist"
done

missing=0
candidates=$( (grep -rlE '(\b_|\bN_|\bC_|\bNC_|ngettext|g_dngettext|g_dpgettext2?)[[:space:]]*\(' src \
                  --include='*.c' --include='*.h' | grep -v '^src/server/'
                grep -rl 'translatable="yes"' ui --include='*.ui'
                find data -name '*.gschema.xml.in' -o -name '*.desktop.in' -o -name '*.metainfo.xml.in') |
              LC_ALL=C sort)
for f in $candidates; do
  # A file counts when xgettext finds a message in it, not a mention in a comment.
  xgettext_glib -o "$tmp/one.pot" "$f" 2>"$tmp/xgettext.err" || {
    cat "$tmp/xgettext.err" >&2
    fail "xgettext cannot read $f"
    continue
  }
  [ -s "$tmp/one.pot" ] || continue
  if ! grep -qxF "$f" "$tmp/potfiles"; then
    fail "$f has translatable strings but is not in po/POTFILES.in"
    missing=1
  fi
  rm -f "$tmp/one.pot"
done
[ $missing -eq 0 ] && pass "po/POTFILES.in lists every file with translatable strings"

# (c) Every message of the template made from POTFILES.in is translated in each catalogue.
if xgettext_glib -o "$tmp/$package.pot" --files-from=po/POTFILES.in 2>"$tmp/xgettext.err"; then
  count=$(grep -c '^msgid ' "$tmp/$package.pot")
  for lang in $linguas; do
    if msgcmp --no-fuzzy-matching "po/$lang.po" "$tmp/$package.pot" 2>"$tmp/msgcmp.err"; then
      pass "po/$lang.po translates all $((count - 1)) messages of the template"
    else
      sed 's/^/  /' "$tmp/msgcmp.err" >&2
      fail "po/$lang.po lacks messages of the template; run 'meson compile certdesk-update-po' and translate them"
    fi
  done
else
  cat "$tmp/xgettext.err" >&2
  fail "xgettext cannot build the template from po/POTFILES.in"
fi

# (d) The built CLI speaks Chinese in zh_CN.UTF-8, from the catalogue built in the build dir.
mo="$localedir/zh_CN/LC_MESSAGES/$package.mo"
if [ ! -f "$mo" ]; then
  fail "$mo was not built (meson compile certdesk-gmo)"
elif ! locale -a 2>/dev/null | grep -qiE '^zh_CN\.utf-?8$'; then
  fail "the zh_CN.UTF-8 locale is not installed; run build-aux/install-deps.sh as root"
else
  run_zh () {
    env -u LANGUAGE LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 CERTDESK_LOCALEDIR="$localedir" \
      CERTDESK_SERVER= HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" "$cli" "$@"
  }

  run_zh --help > "$tmp/help" 2>&1
  status=$?
  if [ $status -ne 0 ]; then
    fail "certdesk-cli --help exited with $status"
  elif grep -q '加注' "$tmp/help" && grep -q '用法' "$tmp/help" && grep -q '密钥环' "$tmp/help"; then
    pass "certdesk-cli --help speaks Chinese"
  else
    sed 's/^/  /' "$tmp/help" >&2
    fail "certdesk-cli --help in zh_CN.UTF-8 has no Chinese text"
  fi

  # A message from the client core (its own gettext calls), without any network.
  run_zh --server http://cert.example.cn list > "$tmp/insecure" 2>&1
  status=$?
  if [ $status -eq 2 ] && grep -q '未加密' "$tmp/insecure"; then
    pass "the client core's messages are in Chinese"
  else
    sed 's/^/  /' "$tmp/insecure" >&2
    fail "a client core error in zh_CN.UTF-8 is not in Chinese (exit $status)"
  fi

  # And the C locale still gets English.
  env -u LANGUAGE LC_ALL=C.UTF-8 CERTDESK_LOCALEDIR="$localedir" "$cli" --help > "$tmp/help-c" 2>&1
  if grep -q '^Usage: certdesk-cli' "$tmp/help-c"; then
    pass "certdesk-cli --help is English in C.UTF-8"
  else
    sed 's/^/  /' "$tmp/help-c" >&2
    fail "certdesk-cli --help in C.UTF-8 is not English"
  fi
fi

finish "translation"
