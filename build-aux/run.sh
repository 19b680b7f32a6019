#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Builds Tend and runs it from the build directory, with the schema compiled
# there.  Extra arguments go to tend:  build-aux/run.sh --help
set -eu

cd "$(dirname "$0")/.."

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run.sh: Tend needs a graphical session, and neither DISPLAY nor" >&2
  echo "run.sh: WAYLAND_DISPLAY is set. Run this from a desktop session" >&2
  echo "run.sh: (or under xvfb-run for a headless check)." >&2
  exit 1
fi

sh build-aux/install-deps.sh

if [ ! -f build/build.ninja ]; then
  if [ -f build/meson-private/coredata.dat ]; then
    meson setup --reconfigure build
  else
    meson setup build
  fi
fi
meson compile -C build

GSETTINGS_SCHEMA_DIR=$PWD/build/data
# The translations the build made (LANG=es_US.UTF-8 build-aux/run.sh).
TEND_LOCALEDIR=$PWD/build/po
export GSETTINGS_SCHEMA_DIR TEND_LOCALEDIR
exec build/src/gui/tend "$@"
