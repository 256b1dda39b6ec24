#!/bin/sh
# Installs what CertDesk needs, builds it and runs the service with the demo holder.
set -eu
cd "$(dirname "$0")/.."

./build-aux/install-deps.sh
[ -f _build/build.ninja ] || meson setup _build
meson compile -C _build
exec ./_build/src/server/certdesk-server --demo "$@"
