#!/bin/sh
# Installs everything CertDesk needs to build, run and test on Debian 12.
# Idempotent: apt-get skips what is already there.
set -eu

packages="
  build-essential meson ninja-build pkg-config gettext itstool locales
  libglib2.0-dev libglib2.0-dev-bin libgtk-3-dev libhandy-1-dev
  libsoup-3.0-dev libjson-glib-dev libsecret-1-dev libpoppler-glib-dev
  libsqlite3-dev libcairo2-dev libpango1.0-dev libargon2-dev
  libgnutls28-dev libqrencode-dev gsettings-desktop-schemas glib-networking
  fonts-arphic-uming fonts-wqy-microhei fonts-noto-cjk poppler-utils groff-base
  xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools
  desktop-file-utils appstream libxml2-utils librsvg2-bin flatpak-builder xdotool
  nginx-light wrk curl imagemagick
  at-spi2-core python3-pyatspi
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

# The translation test runs certdesk-cli in zh_CN.UTF-8; Debian generates only C.UTF-8.
# Enabling the line in /etc/locale.gen keeps the locale when locale-gen runs again.
if ! locale -a 2>/dev/null | grep -qiE '^zh_CN\.utf-?8$'; then
  if [ "$(id -u)" -eq 0 ]; then
    if grep -qE '^# *zh_CN\.UTF-8 UTF-8' /etc/locale.gen 2>/dev/null; then
      sed -i -E 's/^# *(zh_CN\.UTF-8 UTF-8)/\1/' /etc/locale.gen
    elif ! grep -qE '^zh_CN\.UTF-8 UTF-8' /etc/locale.gen 2>/dev/null; then
      echo 'zh_CN.UTF-8 UTF-8' >> /etc/locale.gen
    fi
    locale-gen
  else
    echo "install-deps.sh: not root, so the zh_CN.UTF-8 locale was not generated;" >&2
    echo "  as root: enable 'zh_CN.UTF-8 UTF-8' in /etc/locale.gen and run locale-gen" >&2
  fi
fi
