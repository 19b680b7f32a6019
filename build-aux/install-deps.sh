#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs everything Tend needs to build, run and test on Debian 12
# (bookworm), the baseline, or Debian 13 (trixie), the newer stack that
# build-aux/check-newer.sh tests.  Needs root.  Safe to run again: it does
# nothing when the packages are already there.
set -eu

codename=$(. /etc/os-release && printf %s "${VERSION_CODENAME:-}")

PACKAGES="
  build-essential meson ninja-build pkg-config gettext
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev
  libjson-glib-dev libsecret-1-dev libsodium-dev libical-dev
  libsoup-3.0-dev libpoppler-glib-dev libcairo2-dev libpango1.0-dev
  desktop-file-utils appstream flatpak-builder
  xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools
  adwaita-icon-theme fonts-cantarell poppler-utils
  libpq-dev postgresql openssl ca-certificates
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev libgstreamer-plugins-bad1.0-dev
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
  gstreamer1.0-nice gstreamer1.0-tools libnice-dev
  libcurl4-openssl-dev coturn python3-aiosmtpd locales
"
# clang and libFuzzer for build-aux/fuzz.sh, and the browser the "browser"
# suite drives (Chromium through npm's playwright-core), on the baseline only.
if [ "$codename" = bookworm ]; then
  PACKAGES="$PACKAGES clang libclang-rt-14-dev chromium"
  # Debian's npm, unless Node.js with its own npm is there already.
  if ! command -v npm >/dev/null 2>&1; then
    PACKAGES="$PACKAGES nodejs npm"
  fi
fi

missing=""
for p in $PACKAGES libsqlcipher-dev; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing="$missing $p"
  fi
done
# SQLCipher must be 4.x (bookworm's own 3.4 has no FTS5): check the version too.
if dpkg-query -W -f='${Version}' libsqlcipher-dev 2>/dev/null | grep -q '^3\.'; then
  missing="$missing libsqlcipher-dev"
fi

# The locales the tests format dates and money in (English and Spanish, as
# the translations): compiled once, when they are not there yet.
ensure_locales () {
  for loc in en_US es_ES; do
    if ! locale -a 2>/dev/null | grep -qi "^$loc\.utf-\?8$"; then
      if [ "$(id -u)" = 0 ] && command -v localedef >/dev/null 2>&1; then
        localedef -i "$loc" -f UTF-8 "$loc.UTF-8" || echo "install-deps: could not make the $loc.UTF-8 locale" >&2
      fi
    fi
  done
}

if [ -z "$missing" ]; then
  ensure_locales
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    echo "install-deps: installing:$missing (with sudo)" >&2
    exec sudo sh "$0" "$@"
  fi
  echo "install-deps: missing packages:$missing" >&2
  echo "install-deps: run this script as root to install them" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive

# bookworm-backports, on the same mirror the machine already uses.
if [ "$codename" = bookworm ] &&
   ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  mirror=$(sh "$(dirname "$0")/debian-mirror.sh")
  cat > /etc/apt/sources.list.d/tend-backports.sources <<SRC
Types: deb
URIs: $mirror
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi

apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $PACKAGES >/dev/null
if [ "$codename" = bookworm ]; then
  apt-get install -y -qq --no-install-recommends -t bookworm-backports libsqlcipher-dev >/dev/null
else
  apt-get install -y -qq --no-install-recommends libsqlcipher-dev >/dev/null
fi
ensure_locales
