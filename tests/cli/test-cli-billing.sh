#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# tend-cli billing: export 837p, import 835 (well-formed, again, malformed),
# invoice and superbill PDFs, report CSVs.  TAP output.
# Usage: test-cli-billing.sh PATH-TO-TEND-CLI
set -u

cli=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0

ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok ()
{
  n=$((n + 1))
  failed=$((failed + 1))
  echo "not ok $n - $1"
  for f in "$tmp/out" "$tmp/err"; do
    [ -s "$f" ] && sed 's/^/# /' "$f" | head -20
  done
}
check () { desc=$1; shift; if "$@"; then ok "$desc"; else not_ok "$desc"; fi; }
run ()
{
  "$cli" "$@" --store "$tmp/t.db" --key-file "$tmp/key" >"$tmp/out" 2>"$tmp/err"
  status=$?
}

run demo --clients 40 --years 1 --seed 3
check "demo with a year of sessions exits 0" [ "$status" -eq 0 ]

run export report outstanding
check "the outstanding report exits 0" [ "$status" -eq 0 ]
check "it is CSV with the aging columns" grep -q "^Client,0–30 days,31–60 days,61–90 days,Over 90 days,Client owes" "$tmp/out"
run export report nonsense
check "an unknown report is a usage error" [ "$status" -eq 2 ]

# Make every recent insured session a claim and send them all.
run export 837p --create-claims --test -o "$tmp/claims.837"
check "export 837p exits 0" [ "$status" -eq 0 ]
check "the file is an interchange" sh -c "head -c 3 '$tmp/claims.837' | grep -q ISA"
check "it is readable by its owner only" [ "$(stat -c %a "$tmp/claims.837")" = 600 ]
check "it says how many claims it sent" grep -Eq "Sent [0-9]+ claims?" "$tmp/err"
run export 837p -o "$tmp/again.837"
check "with no drafts left, a second export fails" [ "$status" -eq 1 ]
check "and says so" grep -q "no draft claims" "$tmp/err"

# An 835 that pays 80 % of every line it sent, the rest CO-45.
python3 - "$tmp/claims.837" "$tmp/remit.835" <<'PY'
import sys
text = open(sys.argv[1]).read()
segs = [s.strip().split('*') for s in text.split('~') if s.strip()]
claims = []
for s in segs:
    if s[0] == 'CLM':
        claims.append({'id': s[1], 'lines': []})
    elif s[0] == 'SV1':
        claims[-1]['lines'].append({'proc': s[1], 'amount': s[2]})
    elif s[0] == 'DTP' and s[1] == '472':
        claims[-1]['lines'][-1]['date'] = s[3]
    elif s[0] == 'REF' and s[1] == '6R':
        claims[-1]['lines'][-1]['ref'] = s[2]
def cents(a): return round(float(a) * 100)
def fmt(c): return ('%d.%02d' % divmod(c, 100)).replace('.00', '')
body = []
total = 0
for c in claims[:3]:
    paid = sum(cents(l['amount']) * 8 // 10 for l in c['lines'])
    charged = sum(cents(l['amount']) for l in c['lines'])
    total += paid
    body.append('CLP*%s*1*%s*%s*0*12*P%s' % (c['id'], fmt(charged), fmt(paid), c['id']))
    for l in c['lines']:
        a = cents(l['amount']); p = a * 8 // 10
        body += ['SVC*%s*%s*%s**1' % (l['proc'], fmt(a), fmt(p)), 'DTM*472*' + l['date'],
                 'CAS*CO*45*' + fmt(a - p), 'REF*6R*' + l['ref']]
body.append('CLP*ZZ0000001*4*100*0*0*12*PX')
st = ['ST*835*0001*005010X221A1', 'BPR*I*%s*C*ACH*CCP*01*999999992*DA*123456*1512345678**01*999988880*DA*98765*20261110' % fmt(total),
      'TRN*1*EFT-TEST-1*1512345678', 'N1*PR*TEST PAYER']
st += body
st.append('SE*%d*0001' % (len(st) + 1))
isa = 'ISA*00*          *00*          *ZZ*PAYER          *ZZ*RIVERBEND01    *261110*0900*^*00501*000000901*0*T*:'
out = [isa, 'GS*HP*PAYER*RIVERBEND01*20261110*0900*901*X*005010X221A1'] + st + ['GE*1*901', 'IEA*1*000000901']
open(sys.argv[2], 'w').write('~\n'.join(out) + '~\n')
PY
run import 835 "$tmp/remit.835"
check "import 835 exits 0" [ "$status" -eq 0 ]
check "it reports what it posted" grep -Eq "^Posted [0-9]+ lines of 3 claims" "$tmp/out"
check "it lists the claim it could not match" grep -q "ZZ0000001" "$tmp/out"
run import 835 "$tmp/remit.835"
check "the same remittance twice is refused" [ "$status" -eq 1 ]
check "and nothing is posted again" grep -q "already posted" "$tmp/err"
sed 's/^SE\*\([0-9]*\)\*/SE*999*/' "$tmp/remit.835" > "$tmp/bad.835"
run import 835 "$tmp/bad.835"
check "a malformed 835 exits 1" [ "$status" -eq 1 ]
check "with a clear error" grep -q "segment count" "$tmp/err"
check "and says nothing was posted" grep -q "Nothing was posted" "$tmp/err"
run import 835 "$tmp/nonexistent.835"
check "a missing file exits 1" [ "$status" -eq 1 ]

# PDFs for a client with charges.
run search a --limit 1
number=$(cut -f1 "$tmp/out" | head -1)
run export invoice --client "$number" -o "$tmp/invoice.pdf"
check "export invoice exits 0" [ "$status" -eq 0 ]
check "the invoice is a PDF" sh -c "head -c 5 '$tmp/invoice.pdf' | grep -q '%PDF-'"
check "numbered INV-000001" grep -q "INV-000001" "$tmp/out"
run export superbill --client "$number" --from 2025-11-01 -o "$tmp/superbill.pdf"
check "export superbill exits 0" [ "$status" -eq 0 ]
run export invoice --client "$number"
check "a PDF without --output is a usage error" [ "$status" -eq 2 ]
run export statement --client nobody-at-all -o "$tmp/x.pdf"
check "an unknown client exits 1" [ "$status" -eq 1 ]

run verify-audit
check "the audit chain still verifies" [ "$status" -eq 0 ]

echo "1..$n"
[ "$failed" -eq 0 ]
