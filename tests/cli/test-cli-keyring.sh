#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# tend-cli with the keyring (no --key-file): the key demo stores must come
# back for search.  Needs a Secret Service on the session bus and secret-tool
# (to remove the test's key afterwards); skipped otherwise.  TAP output.
set -u

# meson passes a path relative to the build directory: the tests change directory.
cli=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")

if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  echo "1..0 # SKIP no D-Bus session bus"
  exit 0
fi
if ! command -v secret-tool >/dev/null 2>&1; then
  echo "1..0 # SKIP secret-tool is missing (package libsecret-tools)"
  exit 0
fi

tmp=$(mktemp -d)
store="$tmp/store/tend.db"
cleanup ()
{
  secret-tool clear database "$store" >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT

"$cli" demo --store "$store" --clients 120 --seed 7 >"$tmp/out" 2>"$tmp/err"
status=$?
if [ "$status" -ne 0 ] && grep -q "No keyring is available" "$tmp/err"; then
  echo "1..0 # SKIP no Secret Service: $(head -1 "$tmp/err")"
  exit 0
fi

n=0
failed=0
check ()
{
  desc=$1
  shift
  n=$((n + 1))
  if "$@"; then
    echo "ok $n - $desc"
  else
    failed=$((failed + 1))
    echo "not ok $n - $desc"
    sed 's/^/# /' "$tmp/err" | head -10
  fi
}

check "demo with the keyring exits 0" [ "$status" -eq 0 ]
check "demo says the key is in the keyring" grep -q "keyring" "$tmp/out"
check "the key went into the keyring" sh -c "secret-tool lookup database '$store' | grep -Eqx '[0-9a-f]{64}'"

# The same data through a key file: the keyring store must give the same answers.
"$cli" demo --store "$tmp/file/tend.db" --key-file "$tmp/file.key" --clients 120 --seed 7 >/dev/null 2>&1
for q in a mar 608; do
  "$cli" search --store "$store" --limit 0 "$q" >"$tmp/out" 2>"$tmp/err"
  s1=$?
  "$cli" search --store "$tmp/file/tend.db" --key-file "$tmp/file.key" --limit 0 "$q" >"$tmp/expected" 2>/dev/null
  check "search “$q” with the key from the keyring works" \
    sh -c "[ $s1 -eq 0 ] && [ -s '$tmp/out' ] && cmp -s '$tmp/out' '$tmp/expected'"
done

# A relative path names the same store (and so the same keyring entry).
(cd "$tmp" && "$cli" info --store store/../store/tend.db >"$tmp/out" 2>"$tmp/err")
check "a relative --store finds the same key" grep -qx "Clients: 120" "$tmp/out"

secret-tool clear database "$store"
"$cli" search --store "$store" Ellis >"$tmp/out" 2>"$tmp/err"
status=$?
check "without its key in the keyring, search exits 1" [ "$status" -eq 1 ]
check "without its key in the keyring, the message says so" grep -q "keyring holds no key" "$tmp/err"

echo "1..$n"
[ "$failed" -eq 0 ]
