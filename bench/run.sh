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
#   BENCH_SCHEDULE_ARGS="--samples 100" bench/run.sh   options for bench-schedule
#   BENCH_DEMO_ARGS="--sizes 1000,4000" bench/run.sh     options for bench-demo
#
# The first run generates the stores the benchmarks measure into bench/out/
# (the longest: bench-schedule's, about seven minutes, and bench-chart's, about
# six; bench-demo makes and deletes its own three, about three minutes);
# later runs reuse them.  Delete bench/out/ to start again.  Times and the
# whole run from a fresh clone: bench/README.md.
set -eu

cd "$(dirname "$0")/.."

build=${BUILD_DIR:-build}
out=bench/out

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build"
fi
# shellcheck disable=SC2086
meson compile -C "$build" ${JOBS:+-j "$JOBS"} bench-search bench-bare-window bench-calendar bench-chart src/gui/tend src/cli/tend-cli

mkdir -p "$out"

echo "date: $(date -u +%Y-%m-%d)"
echo "machine: $(nproc) cores, $(. /etc/os-release && echo "$PRETTY_NAME")"
echo "cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"

# --- Billing: invoice PDF, 837P of 1,000 claims, aging ----------------------
# The full demo practice (2,000 clients, a year of sessions with its charges,
# payments and claims), generated once into bench/out/billing (about two
# minutes) and reused.
echo "# bench-billing: invoice PDF, 837P batch, aging report"
# shellcheck disable=SC2086
meson compile -C "$build" ${JOBS:+-j "$JOBS"} bench-billing >&2
"$build/bench/bench-billing" --dir "$out"

echo "# bench-codec: the core codec's check of a client and an appointment body"
meson compile -C "$build" ${JOBS:+-j "$JOBS"} bench-codec bench-fts >&2
"$build/bench/bench-codec"

echo "# bench-fts: FTS5 index built four ways, then 1,000 edits re-indexed"
"$build/bench/bench-fts"

echo "# bench-icd10: diagnosis search as you type on the shipped ICD-10-CM list"
meson compile -C "$build" ${JOBS:+-j "$JOBS"} bench-icd10 >&2
"$build/bench/bench-icd10"

echo "# bench-messages: a 5,000-message conversation opened, search across 100,000 messages"
meson compile -C "$build" ${JOBS:+-j "$JOBS"} bench-messages >&2
"$build/bench/bench-messages" --dir "$out"

echo "# bench-video: start to first remote frame, and a 1:1 call's CPU (640x480, 30 fps, loopback)"
meson compile -C "$build" ${JOBS:+-j "$JOBS"} bench-video >&2
"$build/bench/bench-video"

# bench-video-browser: a client's headless Chromium (fake camera) opens a
# join link to a session a TendCall hosts through a real tend-server; needs
# chromium, node and tests/browser's npm packages.
echo "# bench-video-browser: browser join page load to first frame"
meson compile -C "$build" ${JOBS:+-j "$JOBS"} bench-video-browser >&2
sh build-aux/install-node-deps.sh >&2
"$build/bench/bench-video-browser" --runs 15 || echo "bench-video-browser: failed" >&2

echo "# bench-search: search as you type, encrypted against plaintext"
"$build/bench/bench-search" --dir "$out" "$@"

# --- Writes at scale: the demo practice at 1,000, 4,000 and 16,000 clients --
# Each store generated afresh (two years of sessions with their billing),
# timed per 1,000 records, measured in bytes per record, then deleted: about
# three minutes.  BENCH_DEMO_ARGS adds options (--sizes N,N..., --profile).
echo "# bench-demo: demo generation at three sizes, time and bytes per record"
# shellcheck disable=SC2086
meson compile -C "$build" ${JOBS:+-j "$JOBS"} bench-demo >&2
# shellcheck disable=SC2086
"$build/bench/bench-demo" --dir "$out/demo" ${BENCH_DEMO_ARGS:-}

# --- Calendar: the schedule on a million appointments ----------------------
# One store of 50,000 demo clients with two years of appointments (about a
# million) and their notes and billing (5.4 GB), generated once into
# bench/out/ (about seven minutes) and reused.  BENCH_SCHEDULE_ARGS adds
# options (--samples N, --clients N...).
echo "# bench-schedule: calendar queries, conflicts and recurrence"
# shellcheck disable=SC2086
meson compile -C "$build" ${JOBS:+-j "$JOBS"} bench-schedule >&2
# shellcheck disable=SC2086
"$build/bench/bench-schedule" --dir "$out" ${BENCH_SCHEDULE_ARGS:-}

# --- GUI start-up and memory ------------------------------------------------
# Tend opening a 50,000-client store to its first frame of the client list,
# against a bare AdwApplicationWindow program, alternating, in one run.  A
# private D-Bus session with an unlocked keyring holds the store's key; Xvfb
# is the display.
echo "# bench-startup: first frame with 50,000 clients, against a bare window"
appdir=$PWD/$out/startup
if [ ! -f "$appdir/tend.db" ]; then
  mkdir -p "$appdir"
  "$build/src/cli/tend-cli" demo --clients 50000 --store "$appdir/tend.db" --key-file "$appdir/key" >&2
fi
HOME=$(mktemp -d) XDG_RUNTIME_DIR=$(mktemp -d)
chmod 700 "$XDG_RUNTIME_DIR"
export HOME XDG_RUNTIME_DIR
export GSETTINGS_SCHEMA_DIR=$PWD/$build/data GSETTINGS_BACKEND=memory GSK_RENDERER=cairo \
  GTK_A11Y=none NO_AT_BRIDGE=1 ADW_DISABLE_PORTAL=1
# shellcheck disable=SC2016
dbus-run-session -- sh -c '
  eval "$(printf %s bench-pass | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL
  tr -d "\n" < "$1/key" | secret-tool store --label="Tend benchmark key" \
    xdg:schema app.tend.Tend.DatabaseKey database "$1/tend.db"
  xvfb-run -n $((120 + $$ % 50)) -s "-screen 0 1280x800x24" \
    python3 bench/startup.py "$2/src/gui/tend" "$2/bench/bench-bare-window" "$1/tend.db" 10
' sh "$appdir" "$build" 2>/dev/null | grep -v "fd limit" || echo "bench-startup: failed" >&2

# --- Calendar grid: query plus layout (needs the store bench-schedule makes) --
echo "# bench-calendar: a busy clinician's week and a ten-clinician day, query plus layout"
GSK_RENDERER=cairo GTK_A11Y=none xvfb-run -n $((170 + $$ % 50)) -s "-screen 0 1280x800x24" \
  "$build/bench/bench-calendar" "$out" || echo "bench-calendar: failed (run bench-schedule first)" >&2


# --- Charts: opening a chart, note search, the measure graph, the export ----
# A store of 300,000 notes (1,000 clients, one with 300 notes) made once
# into bench/out/chart.db (about six minutes) and reused.  BENCH_CHART_ARGS
# adds options (--notes N, --samples N).
echo "# bench-chart: chart open, note search, measure graph, PDF export"
# shellcheck disable=SC2086
GSK_RENDERER=cairo GTK_A11Y=none xvfb-run -n $((220 + $$ % 50)) -s "-screen 0 1280x800x24" \
  "$build/bench/bench-chart" --dir "$out" ${BENCH_CHART_ARGS:-} || echo "bench-chart: failed" >&2

# --- Server and sync: a throwaway PostgreSQL and a real tend-server --------
# bench-server: authenticated empty change-feed requests per second, the
# same and /healthz with 16 sign-ins running, and memory per idle
# connection; bench-push: pushes checked by the record policy; bench-sync:
# initial sync of 100,000 records, a pull of 1,000 changes, a push of
# 10,000, live-channel latency, on loopback and over two constrained links
# (its own network namespace, so root; otherwise loopback only), then pushes
# before and after a server restart.  BENCH_SYNC_RECORDS changes the
# 100,000; BENCH_SYNC_LINKS the links ("loopback,100:10,20:40": Mbit/s and
# round trip in ms).  bench-reminders: 10,000 due reminders through the
# outbox to aiosmtpd on loopback, and the sync endpoints' p95 before and
# during (BENCH_REMINDERS_ARGS, e.g. "--relay-nice --rate 400").
echo "# bench-server: change-feed throughput, with sign-ins, memory per idle connection"
# shellcheck disable=SC2086
meson compile -C "$build" ${JOBS:+-j "$JOBS"} bench-server bench-sync bench-push src/server/tend-server src/cli/tend-cli >&2
"$build/bench/bench-server" || echo "bench-server: failed" >&2
# bench-portal: 200 clients at once on the client portal (issue 13), each
# with its own session, as people (a pause between requests) and back to back;
# then every client's live event stream open, and messages pushed into them.
echo "# bench-portal: the client portal under 200 clients"
# shellcheck disable=SC2086
meson compile -C "$build" ${JOBS:+-j "$JOBS"} bench-portal >&2
"$build/bench/bench-portal" ${BENCH_PORTAL_ARGS:-} || echo "bench-portal: failed" >&2
echo "# bench-push: pushes checked by the record policy, 500 operations a request"
"$build/bench/bench-push" "${BENCH_PUSH_RECORDS:-5000}" || echo "bench-push: failed" >&2
echo "# bench-reminders: 10,000 due reminders to a local SMTP server, sync endpoints meanwhile"
# shellcheck disable=SC2086
meson compile -C "$build" ${JOBS:+-j "$JOBS"} bench-reminders >&2
# shellcheck disable=SC2086
"$build/bench/bench-reminders" ${BENCH_REMINDERS_ARGS:-} || echo "bench-reminders: failed" >&2
echo "# bench-sync: initial sync, pull, push, live latency"
"$build/bench/bench-sync" "$build/src/cli/tend-cli" "${BENCH_SYNC_RECORDS:-100000}" \
  "${BENCH_SYNC_LINKS:-loopback,100:10,20:40}" || echo "bench-sync: failed" >&2
