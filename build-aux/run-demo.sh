#!/bin/sh
# Installs what CertDesk needs, builds it and runs the desktop app on its embedded demo
# service (a certdesk-server --demo child on a free loopback port, stopped with the app).
# Without a display it runs the demo service alone, for certdesk-cli.
set -eu
cd "$(dirname "$0")/.."

./build-aux/install-deps.sh
[ -f _build/build.ninja ] || meson setup _build
meson compile -C _build

if [ -z "${DISPLAY-}" ] && [ -z "${WAYLAND_DISPLAY-}" ]; then
  echo "run-demo.sh: no display; running the demo service alone on http://127.0.0.1:8088" >&2
  exec ./_build/src/server/certdesk-server --demo "$@"
fi

# meson devenv points the uninstalled app at its GSettings schema and translations.
exec meson devenv -C _build ./src/client/certdesk --demo "$@"
