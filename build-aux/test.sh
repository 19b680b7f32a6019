#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The project's test command: installs what is missing, builds, and runs the
# test suites under a private session bus, an unlocked throw-away keyring and
# a virtual X server.
#
#   build-aux/test.sh                  runs everything
#   build-aux/test.sh store            runs the "store" suite only
#   build-aux/test.sh store core       runs two suites
#   build-aux/test.sh store --repeat 3 a suite, with meson test options
#
# Leading words are suite names (each becomes `--suite WORD`); from the first
# argument that starts with "-" on, everything goes to `meson test` as it is.
#
# Once the tests have run, the last line printed is the summary, "N passed, N failed" (with
# ", N skipped" when some were skipped).  CI sets CI=true to build with -Werror.
set -eu

cd "$(dirname "$0")/.."

# Leading bare words name suites: `meson test` itself would take them for
# test names.
in_suites=true
for arg do
  shift
  case $arg in
    -*) in_suites=false ;;
  esac
  if [ "$in_suites" = true ]; then
    set -- "$@" --suite "$arg"
  else
    set -- "$@" "$arg"
  fi
done

sh build-aux/install-deps.sh
# The "browser" suite's npm packages, where its browser is (the baseline;
# build-aux/check-newer.sh leaves that suite out).
if command -v chromium >/dev/null 2>&1; then
  sh build-aux/install-node-deps.sh
fi

setup_args=""
if [ -n "${CI:-}" ]; then
  setup_args="-Dwerror=true"
fi

if [ ! -f build/build.ninja ]; then
  if [ -f build/meson-private/coredata.dat ]; then
    # A configured directory whose last configure failed.
    # shellcheck disable=SC2086
    meson setup --reconfigure build $setup_args
  else
    # shellcheck disable=SC2086
    meson setup build $setup_args
  fi
fi

if ! meson compile -C build; then
  echo "test.sh: the build failed; no tests were run" >&2
  exit 1
fi

log=build/meson-logs/testlog.json
rm -f "$log"

# A fresh, private environment for the tests: nothing of the user's home,
# keyring, settings or session leaks in, and nothing leaks out.
tmp_home=$(mktemp -d)
tmp_runtime=$(mktemp -d)
chmod 700 "$tmp_runtime"
trap 'rm -rf "$tmp_home" "$tmp_runtime"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

HOME=$tmp_home
XDG_RUNTIME_DIR=$tmp_runtime
GTK_A11Y=none
ADW_DISABLE_PORTAL=1
GSETTINGS_BACKEND=memory
GSK_RENDERER=cairo
GSETTINGS_SCHEMA_DIR=$PWD/build/data
NO_AT_BRIDGE=1
export HOME XDG_RUNTIME_DIR GTK_A11Y ADW_DISABLE_PORTAL GSETTINGS_BACKEND \
  GSK_RENDERER GSETTINGS_SCHEMA_DIR NO_AT_BRIDGE

# A display number of our own, so two runs on one machine do not collide.
display=$((90 + $$ % 100))
while [ -e "/tmp/.X$display-lock" ] || [ -e "/tmp/.X11-unix/X$display" ]; do
  display=$((display + 1))
done

status=0
# The keyring must be unlocked before anything asks for it: a locked keyring
# under Xvfb opens a prompt that nobody answers and the test hangs.
# shellcheck disable=SC2016 # expanded by the inner shell, not this one
dbus-run-session -- sh -c '
  eval "$(printf %s test-pass | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL
  display=$1
  shift
  exec xvfb-run -n "$display" -s "-screen 0 1280x800x24" \
    meson test -C build --print-errorlogs --num-processes 2 "$@"
' sh "$display" "$@" || status=$?

if [ ! -f "$log" ]; then
  echo "test.sh: $log is missing: meson test did not run (exit status $status)" >&2
  echo "0 passed, 0 failed"
  exit 1
fi

counts=$(python3 - "$log" <<'PY'
import json
import sys

passed = failed = skipped = 0
with open(sys.argv[1], encoding="utf-8") as log:
    for line in log:
        line = line.strip()
        if not line:
            continue
        result = json.loads(line).get("result")
        if result in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif result == "SKIP":
            skipped += 1
        else:
            failed += 1
print(passed, failed, skipped)
PY
) || {
  echo "test.sh: cannot read $log" >&2
  echo "0 passed, 0 failed"
  exit 1
}

read -r passed failed skipped <<COUNTS
$counts
COUNTS

rc=0
if [ "$status" -ne 0 ]; then
  echo "test.sh: meson test exited with status $status" >&2
  rc=1
fi
if [ "$failed" -gt 0 ]; then
  rc=1
fi
if [ $((passed + failed)) -eq 0 ]; then
  echo "test.sh: no tests ran" >&2
  rc=1
fi

if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
exit "$rc"
