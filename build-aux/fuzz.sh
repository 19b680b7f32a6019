#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Builds the libFuzzer targets with clang in build-fuzz/ (only them, not the
# whole project) and runs them briefly: the `fuzz` suite, 20 seconds per
# target (push, change feed, iCalendar, X12: under two minutes).  CI runs it
# before the tests.  Longer runs: tests/server/README.md.
#
#   build-aux/fuzz.sh
set -eu

cd "$(dirname "$0")/.."

sh build-aux/install-deps.sh

if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang meson setup build-fuzz
fi
ninja -C build-fuzz ${JOBS:+-j "$JOBS"} tests/server/fuzz-push tests/sync/fuzz-changes \
  tests/reports/fuzz-ics tests/reports/fuzz-x12
meson test -C build-fuzz --suite fuzz --no-rebuild --print-errorlogs
