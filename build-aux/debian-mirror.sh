#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Prints the Debian mirror this machine's apt already uses (the first `URIs:`
# of /etc/apt/sources.list.d/debian.sources, else the first `deb` line of
# /etc/apt/sources.list), so that the project's scripts reuse it and never
# name a mirror host themselves.  Exits 1 with a message when there is none.
set -eu

mirror=""
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)
fi
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
  mirror=$(awk '$1 == "deb" && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list)
fi
if [ -z "$mirror" ]; then
  echo "debian-mirror: cannot find the Debian mirror in apt's sources" >&2
  exit 1
fi
printf '%s\n' "$mirror"
