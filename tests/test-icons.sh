#!/bin/sh
# Checks the app icon and its symbolic variant: well-formed SVG documents with the expected
# canvas (128×128, 16×16), that librsvg (what GTK and GNOME Shell use) renders, and a
# symbolic icon in one colour only, so that GTK can recolour it.
#
# usage: test-icons.sh XMLLINT RSVG_CONVERT APP_ICON.svg SYMBOLIC_ICON.svg
set -u

if [ $# -ne 4 ]; then
  echo "usage: $0 XMLLINT RSVG_CONVERT APP_ICON.svg SYMBOLIC_ICON.svg" >&2
  exit 2
fi

xmllint=$1
rsvg_convert=$2
. "$(dirname "$0")/check-lib.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/certdesk-icons-XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

check_icon () {
  icon=$1
  size=$2
  name=$(basename "$icon")

  if [ ! -f "$icon" ]; then
    fail "$icon does not exist"
    return
  fi
  if ! "$xmllint" --noout "$icon"; then
    fail "$name is not well-formed XML"
    return
  fi
  root=$("$xmllint" --xpath 'concat(namespace-uri(/*), " ", local-name(/*))' "$icon")
  [ "$root" = "http://www.w3.org/2000/svg svg" ] || fail "$name: the root element is '$root', not an SVG <svg>"
  viewbox=$("$xmllint" --xpath 'string(/*/@viewBox)' "$icon")
  [ "$viewbox" = "0 0 $size $size" ] || fail "$name: viewBox '$viewbox', expected '0 0 $size $size'"
  # librsvg reports what it cannot read; any message fails.
  if ! "$rsvg_convert" -w "$size" -h "$size" -o "$tmp/$name.png" "$icon" 2>"$tmp/rsvg.err" ||
     [ -s "$tmp/rsvg.err" ] || [ ! -s "$tmp/$name.png" ]; then
    cat "$tmp/rsvg.err" >&2
    fail "$name: rsvg-convert cannot render it"
    return
  fi
  pass "$name: SVG, $viewbox, renders at ${size}×${size}"
}

check_icon "$3" 128
check_icon "$4" 16

# Symbolic: fills only, one colour (besides the mask's black and white).
colours=$(grep -oE '(fill|stroke|stop-color)="#[0-9a-fA-F]+"' "$4" | sed 's/.*="//; s/"$//' |
            tr 'A-F' 'a-f' | grep -vxE '#(000000|ffffff)' | sort -u)
if [ "$(printf '%s\n' "$colours" | grep -c .)" -ne 1 ]; then
  fail "$(basename "$4") uses the colours $(echo $colours); a symbolic icon has one"
elif grep -qE 'stroke=' "$4"; then
  fail "$(basename "$4") has strokes, which GTK does not recolour"
else
  pass "$(basename "$4") is one colour ($colours), fills only"
fi

finish "icon"
