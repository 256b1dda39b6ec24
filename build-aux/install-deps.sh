#!/bin/sh
# Installs everything CertDesk needs to build, run and test on Debian 12.
# Idempotent: apt-get skips what is already there.
set -eu

packages="
  build-essential meson ninja-build pkg-config gettext itstool
  libglib2.0-dev libglib2.0-dev-bin libgtk-3-dev libhandy-1-dev
  libsoup-3.0-dev libjson-glib-dev libsecret-1-dev libpoppler-glib-dev
  libsqlite3-dev libcairo2-dev libpango1.0-dev libargon2-dev
  libgnutls28-dev libqrencode-dev gsettings-desktop-schemas glib-networking
  fonts-arphic-uming fonts-wqy-microhei fonts-noto-cjk poppler-utils
  xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools
  desktop-file-utils appstream
  nginx-light wrk curl imagemagick
"

missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done

if [ -n "$missing" ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -q --no-install-recommends $missing
fi
