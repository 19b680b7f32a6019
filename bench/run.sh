#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Builds the benchmarks and runs them; prints their figures as "key: value"
# lines (progress goes to stderr).  Results and targets: bench/README.md.
#
#   bench/run.sh                       build/, stores cached in bench/out/
#   BUILD_DIR=build-bench bench/run.sh another build directory
#   JOBS=1 bench/run.sh                fewer compile jobs on a shared machine
#   bench/run.sh --clients 5000        extra arguments go to bench-search
#
# The first run generates two stores of 50,000 demo clients (about half a
# minute); later runs reuse them.  Delete bench/out/ to start again.
set -eu

cd "$(dirname "$0")/.."

build=${BUILD_DIR:-build}
out=bench/out

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build"
fi
# shellcheck disable=SC2086
meson compile -C "$build" ${JOBS:+-j "$JOBS"} bench-search
# (bench-startup: add its target to the compile line above.)

mkdir -p "$out"

echo "date: $(date -u +%Y-%m-%d)"
echo "machine: $(nproc) cores, $(. /etc/os-release && echo "$PRETTY_NAME")"
echo "cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"

echo "# bench-search: search as you type, encrypted against plaintext"
"$build/bench/bench-search" --dir "$out" "$@"

# --- GUI start-up (bench/bench-startup) -------------------------------------
# Its owner adds it here: build it above, run it with its own options, and
# print its figures as "key: value" lines under a "# bench-startup" header,
# like bench-search.  Keep the two independent: either may fail alone.
# ---------------------------------------------------------------------------
