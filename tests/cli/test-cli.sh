#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# tend-cli with --key-file (no keyring): demo, search, verify-audit, info and
# their errors.  TAP output.  Usage: test-cli.sh PATH-TO-TEND-CLI
set -u

# meson passes a path relative to the build directory: the tests change directory.
cli=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0

ok ()
{
  n=$((n + 1))
  echo "ok $n - $1"
}

not_ok ()
{
  n=$((n + 1))
  failed=$((failed + 1))
  echo "not ok $n - $1"
  for f in "$tmp/out" "$tmp/err"; do
    [ -s "$f" ] && sed 's/^/# /' "$f" | head -20
  done
}

check ()
{
  desc=$1
  shift
  if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# run STORE KEY COMMAND [ARG...]: stdout to $tmp/out, stderr to $tmp/err, status to $status
run ()
{
  store=$1
  key=$2
  shift 2
  "$cli" "$@" --store "$store" --key-file "$key" >"$tmp/out" 2>"$tmp/err"
  status=$?
}

a="$tmp/a/tend.db"
b="$tmp/b/tend.db"

# demo into a store that does not exist yet, with a key file that does not either
run "$a" "$tmp/a.key" demo --clients 300 --seed 7
check "demo with 300 clients, seed 7, exits 0" [ "$status" -eq 0 ]
check "demo prints a summary" grep -q "Created 8 clinicians, 2 front-desk staff, 1 biller, 4 rooms and 300 clients in" "$tmp/out"
check "demo wrote a new key file, readable by its owner only" [ "$(stat -c %a "$tmp/a.key")" = 600 ]
check "the key file holds 64 hexadecimal digits" grep -Eqx '[0-9a-f]{64}' "$tmp/a.key"

run "$b" "$tmp/b.key" demo --clients 300 --seed 7
check "demo into a second store, same seed, exits 0" [ "$status" -eq 0 ]
check "the two stores have different keys" sh -c "! cmp -s '$tmp/a.key' '$tmp/b.key'"

# Determinism: the same seed gives the same clients in both stores.
for q in a mar 608 berg "r 4" kaminski 555-3 e; do
  run "$a" "$tmp/a.key" search --limit 0 "$q"
  cp "$tmp/out" "$tmp/search-a"
  sa=$status
  run "$b" "$tmp/b.key" search --limit 0 "$q"
  check "search “$q” gives the same output in both stores" \
    sh -c "[ $sa -eq 0 ] && [ $status -eq 0 ] && [ -s '$tmp/search-a' ] && cmp -s '$tmp/search-a' '$tmp/out'"
done

# Known records of seed 7: they change only if the generator changes (then
# update them, and say so: every demo store changes with it).
tab=$(printf '\t')
run "$a" "$tmp/a.key" search Ellis
check "search finds a known client of seed 7 by last name" \
  grep -qx "R270714${tab}Mariam Ellis${tab}2008-08-08${tab}(608) 555-3215" "$tmp/out"
run "$a" "$tmp/a.key" search R270714
check "search by record number finds exactly that client" \
  sh -c "[ \$(wc -l < '$tmp/out') -eq 1 ] && grep -q '^R270714' '$tmp/out'"
run "$a" "$tmp/a.key" search 6085553215
check "search by phone digits finds the client" grep -q '^R270714' "$tmp/out"
run "$a" "$tmp/a.key" search kaminski
check "search without diacritics finds Kamiński" grep -q "^R476608${tab}Quinn Kamiński${tab}" "$tmp/out"
run "$a" "$tmp/a.key" search --limit 5 a
check "search --limit 5 prints 5 lines" [ "$(wc -l < "$tmp/out")" -eq 5 ]
run "$a" "$tmp/a.key" search zzzzqqq
check "search with no match prints nothing and exits 0" sh -c "[ $status -eq 0 ] && [ ! -s '$tmp/out' ]"

run "$a" "$tmp/a.key" verify-audit
check "verify-audit exits 0" [ "$status" -eq 0 ]
check "verify-audit reports an intact log" grep -Eq '^Audit log intact: [0-9]+ entries$' "$tmp/out"
before=$(sed -n 's/^Audit log intact: \([0-9]*\) entries$/\1/p' "$tmp/out")
run "$a" "$tmp/a.key" search Ellis
run "$a" "$tmp/a.key" verify-audit
after=$(sed -n 's/^Audit log intact: \([0-9]*\) entries$/\1/p' "$tmp/out")
check "each search adds one audit entry" [ "$after" -eq $((before + 1)) ]

run "$a" "$tmp/a.key" info
check "info exits 0" [ "$status" -eq 0 ]
check "info counts 300 clients" grep -qx "Clients: 300" "$tmp/out"
check "info counts 11 staff and 4 rooms" sh -c "grep -qx 'Staff: 11' '$tmp/out' && grep -qx 'Rooms: 4' '$tmp/out'"
check "info shows the schema and cipher versions" \
  sh -c "grep -q '^Schema version: ' '$tmp/out' && grep -q '^Cipher: SQLCipher 4' '$tmp/out'"

# Errors
run "$a" "$tmp/b.key" info
check "a wrong key file exits 1" [ "$status" -eq 1 ]
check "a wrong key file says so" grep -qi "key" "$tmp/err"

printf 'not a key\n' > "$tmp/bad.key"
run "$a" "$tmp/bad.key" search Ellis
check "a malformed key file exits 1" [ "$status" -eq 1 ]
check "a malformed key file is named" grep -q "bad.key" "$tmp/err"

run "$tmp/missing/tend.db" "$tmp/a.key" search Ellis
check "a missing store exits 1" [ "$status" -eq 1 ]
check "a missing store suggests tend-cli demo" grep -q "tend-cli demo" "$tmp/err"
check "a missing store is not created by search" [ ! -e "$tmp/missing/tend.db" ]

run "$tmp/c/tend.db" "$tmp/c.key" demo --clients abc
check "demo --clients abc exits 2" [ "$status" -eq 2 ]
check "demo --clients abc names the option" grep -q -- "--clients" "$tmp/err"
check "a usage error creates nothing" sh -c "[ ! -e '$tmp/c/tend.db' ] && [ ! -e '$tmp/c.key' ]"
run "$tmp/c/tend.db" "$tmp/c.key" demo --clients 50001
check "demo --clients 50001 exits 2" [ "$status" -eq 2 ]
run "$tmp/c/tend.db" "$tmp/c.key" demo --seed -1
check "demo --seed -1 exits 2" [ "$status" -eq 2 ]
run "$a" "$tmp/a.key" search
check "search without TEXT exits 2" [ "$status" -eq 2 ]
run "$a" "$tmp/a.key" frobnicate
check "an unknown command exits 2" [ "$status" -eq 2 ]
run "$a" "$tmp/a.key" info --bogus
check "an unknown option exits 2" [ "$status" -eq 2 ]

run "$a" "$tmp/a.key" demo --clients 10
check "demo into a store that has a practice exits 1" [ "$status" -eq 1 ]
check "demo into a used store says to use a new path" grep -q "new store path" "$tmp/err"
run "$a" "$tmp/a.key" info
check "the refused demo left the store as it was" grep -qx "Clients: 300" "$tmp/out"

# Charts: a year of sessions gives notes, measures, diagnoses and plans, and
# export chart writes them as a PDF (read back with pdftotext when it is installed).
e="$tmp/e/tend.db"
run "$e" "$tmp/e.key" demo --clients 30 --years 1
check "demo --years 1 exits 0" [ "$status" -eq 0 ]
run "$e" "$tmp/e.key" info
check "the demo wrote notes" grep -Eq "^Notes: [1-9][0-9]+" "$tmp/out"
check "the demo wrote measures" grep -Eq "^Measures: [1-9][0-9]*" "$tmp/out"
check "the demo wrote diagnoses" grep -Eq "^Diagnoses: [1-9][0-9]*" "$tmp/out"
run "$e" "$tmp/e.key" search a
record=$(cut -f1 "$tmp/out" | head -1)
run "$e" "$tmp/e.key" export chart --client "$record" --out "$tmp/chart.pdf"
check "export chart exits 0" [ "$status" -eq 0 ]
check "export chart says how many notes" grep -q "Wrote a chart with" "$tmp/out"
check "the chart is a PDF" sh -c "head -c 5 '$tmp/chart.pdf' | grep -q '%PDF-'"
check "the chart is readable by its owner only" sh -c "[ \"\$(stat -c %a '$tmp/chart.pdf')\" = 600 ]"
if command -v pdftotext >/dev/null; then
  pdftotext "$tmp/chart.pdf" "$tmp/chart.txt"
  check "the chart names the record number" grep -q "$record" "$tmp/chart.txt"
fi
run "$e" "$tmp/e.key" export chart --client "$record" --out "$tmp/range.pdf" --from 2099-01-01
check "a range with no sessions still exports" [ "$status" -eq 0 ]
check "a range with no sessions has no notes" grep -q "with 0 notes" "$tmp/out"
run "$e" "$tmp/e.key" export chart --out "$tmp/x.pdf"
check "export chart without --client exits 2" [ "$status" -eq 2 ]
run "$e" "$tmp/e.key" export chart --client NOPE --out "$tmp/x.pdf"
check "export chart of an unknown client exits 1" [ "$status" -eq 1 ]
check "nothing is written for an unknown client" [ ! -e "$tmp/x.pdf" ]
run "$e" "$tmp/e.key" verify-audit
check "the exports were audited and the chain holds" [ "$status" -eq 0 ]

# info and verify-audit only read: the database file and its key id are
# left byte for byte as they were.
(cd "$tmp/a" && sha256sum tend.db tend.db.keyid) >"$tmp/sums"
run "$a" "$tmp/a.key" info
run "$a" "$tmp/a.key" verify-audit
check "info and verify-audit leave the store's file as it was" \
  sh -c "cd '$tmp/a' && sha256sum -c --quiet '$tmp/sums'"

# An empty or cut store file beside its key id is damaged, never a new store.
mkdir -p "$tmp/z" "$tmp/t"
: >"$tmp/z/tend.db"
cp "$tmp/a/tend.db.keyid" "$tmp/z/tend.db.keyid"
head -c 10000 "$a" >"$tmp/t/tend.db"
cp "$tmp/a/tend.db.keyid" "$tmp/t/tend.db.keyid"
for cmd in info verify-audit "search Ellis"; do
  # shellcheck disable=SC2086
  run "$tmp/z/tend.db" "$tmp/a.key" $cmd
  check "$cmd on an empty store file exits 1" [ "$status" -eq 1 ]
  check "$cmd calls an empty store file damaged" grep -q "damaged: it is empty" "$tmp/err"
  check "$cmd left the empty store file empty" [ ! -s "$tmp/z/tend.db" ]
done
run "$tmp/t/tend.db" "$tmp/a.key" info
check "info on a cut store file exits 1" [ "$status" -eq 1 ]
check "info calls a cut store file damaged" grep -q "damaged" "$tmp/err"
check "the cut store file was left as it was" [ "$(stat -c %s "$tmp/t/tend.db")" -eq 10000 ]

"$cli" --help >"$tmp/out" 2>"$tmp/err"
check "--help exits 0 and lists the commands" \
  sh -c "[ $? -eq 0 ] && grep -q verify-audit '$tmp/out'"

echo "1..$n"
[ "$failed" -eq 0 ]
