#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The npm packages the "browser" test suite needs (tests/browser/package.json,
# versions locked in its package-lock.json): playwright-core, which drives
# Debian's own Chromium (it downloads no browser), and axe-core.  Installed
# into tests/browser/node_modules (not in git); does nothing when they are
# there already.  Needs npm and the network the first time.
set -eu

cd "$(dirname "$0")/../tests/browser"

if [ -f node_modules/.tend-installed ] &&
   [ node_modules/.tend-installed -nt package-lock.json ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "install-node-deps: npm is missing (build-aux/install-deps.sh installs it)" >&2
  exit 1
fi
npm ci --no-audit --no-fund --loglevel=error >/dev/null
touch node_modules/.tend-installed
