#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Fails when a translatable string of the sources listed in po/POTFILES.in is
# missing from po/es.po, or when es.po holds a fuzzy or untranslated message.
# Usage: check-translations.sh SOURCE_ROOT BUILD_DIR
#
# To fix a failure: ninja tend-pot && ninja tend-update-po, translate what is
# new in po/es.po, drop the “#, fuzzy” marks, then delete po/tend.pot.
set -eu

if [ $# -ne 2 ]; then
  echo "Usage: $0 SOURCE_ROOT BUILD_DIR" >&2
  exit 2
fi
srcroot=$1
builddir=$2

# msgfmt's statistics are matched in English below.
LC_ALL=C
export LC_ALL
unset LANGUAGE || true

tmp=$(mktemp -d "$builddir/check-translations.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

# POTFILES.in names files relative to the source root; keep its comments and
# blank lines out of xgettext's way.
grep -v -e '^#' -e '^[[:space:]]*$' "$srcroot/po/POTFILES.in" > "$tmp/POTFILES"

# The same keywords as po/meson.build (and the glib preset of i18n.gettext).
if ! xgettext \
    --directory="$srcroot" \
    --files-from="$tmp/POTFILES" \
    --output="$tmp/tend.pot" \
    --package-name=tend \
    --from-code=UTF-8 \
    --keyword=_ \
    --keyword=N_ \
    --keyword=C_:1c,2 \
    --keyword=NC_:1c,2 \
    --keyword=ngettext:1,2 \
    --keyword=g_dngettext:2,3 \
    2> "$tmp/xgettext.err"; then
  cat "$tmp/xgettext.err" >&2
  echo "FAIL: xgettext could not extract the strings of po/POTFILES.in" >&2
  exit 1
fi
cat "$tmp/xgettext.err" >&2

status=0

# A source with translatable strings that POTFILES.in does not list would
# escape the check below.
(
  cd "$srcroot"
  find src -type f \( -name '*.c' -o -name '*.h' \) -exec \
    grep -l -E '(^|[^A-Za-z0-9_])((_|N_|C_|NC_)[[:space:]]*\([[:space:]]*"|(ngettext|g_dngettext)[[:space:]]*\()' {} +
  find ui -type f -name '*.ui' -exec grep -l 'translatable="yes"' {} +
) | sort > "$tmp/translatable" || true
sort "$tmp/POTFILES" > "$tmp/POTFILES.sorted"
unlisted=$(comm -23 "$tmp/translatable" "$tmp/POTFILES.sorted")
if [ -n "$unlisted" ]; then
  echo "FAIL: these files have translatable strings but are not in po/POTFILES.in:" >&2
  echo "$unlisted" | sed 's/^/  /' >&2
  status=1
fi

# Without --use-fuzzy and --use-untranslated, msgcmp also counts fuzzy and
# untranslated entries of es.po as missing.
if ! msgcmp "$srcroot/po/es.po" "$tmp/tend.pot"; then
  echo "FAIL: po/es.po lacks translations of strings in the sources (see above)" >&2
  status=1
fi

if ! msgfmt --check --statistics -o /dev/null "$srcroot/po/es.po" > "$tmp/msgfmt.out" 2>&1; then
  status=1
fi
cat "$tmp/msgfmt.out"
if grep -q -e untranslated -e fuzzy "$tmp/msgfmt.out"; then
  echo "FAIL: po/es.po has untranslated or fuzzy messages" >&2
  status=1
fi

exit $status
