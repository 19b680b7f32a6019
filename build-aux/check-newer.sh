#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The newer stack: builds Tend with -Dwerror=true and runs every test suite
# inside a Debian 13 (trixie) root, whose GTK, libadwaita, GStreamer, libsoup
# and SQLCipher are the generation a supported GNOME Flatpak runtime carries
# (the baseline, Debian 12, stays what build-aux/test.sh tests).  Needs root
# (debootstrap, chroot, mount).
#
#   build-aux/check-newer.sh               build and run every suite
#   build-aux/check-newer.sh store gui     some suites (as build-aux/test.sh)
#
# The root is made once with debootstrap from the Debian mirror this machine's
# apt already uses, and kept in $TEND_NEWER_CACHE (default
# ~/.cache/tend/trixie-root); later runs reuse it, its packages and its build
# directory (remove the directory to start again).  From scratch, the root and its packages take a few
# minutes of downloads.
#
# The source tree is copied into the root (its build directories left out),
# the root's /proc, /sys, /dev and /tmp are the host's (bind mounts, undone on
# exit), and build-aux/test.sh runs there with CI=true, so its last line
# "N passed, N failed" is the newer stack's result.  Set TEND_CPU_LOCK to a
# lock file to hold it (flock) only for the compile and the tests, not for
# the downloads.
set -eu

cd "$(dirname "$0")/.."
src=$PWD

if [ "$(id -u)" != 0 ]; then
  echo "check-newer: needs root (debootstrap, chroot and mount)" >&2
  exit 1
fi

root=${TEND_NEWER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tend/trixie-root}
suite=trixie

export DEBIAN_FRONTEND=noninteractive

if ! command -v debootstrap >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi

start=$(date +%s)
log() {
  echo "check-newer: [$(($(date +%s) - start)) s] $*"
}

# 1. The root, made once.  A root whose debootstrap did not finish is thrown
#    away and made again: it is never mounted, so removing it is safe.
if [ ! -f "$root/.tend-root-ready" ]; then
  if grep -qs " $root/" /proc/mounts; then
    echo "check-newer: something is mounted under $root: unmount it first" >&2
    exit 1
  fi
  mirror=$(sh build-aux/debian-mirror.sh)
  partial=$root.partial
  rm -rf "$partial"
  mkdir -p "$(dirname "$root")"
  log "making a $suite root in $root (debootstrap)"
  debootstrap --variant=minbase "$suite" "$partial" "$mirror" >"$partial.log" 2>&1 || {
    tail -n 20 "$partial.log" >&2
    echo "check-newer: debootstrap failed (log: $partial.log)" >&2
    exit 1
  }
  rm -f "$partial.log"
  # Services never start inside the root; PostgreSQL's package makes no
  # cluster of its own (the tests make throw-away ones).
  printf '#!/bin/sh\nexit 101\n' > "$partial/usr/sbin/policy-rc.d"
  chmod 755 "$partial/usr/sbin/policy-rc.d"
  mkdir -p "$partial/etc/postgresql-common"
  echo 'create_main_cluster = false' > "$partial/etc/postgresql-common/createcluster.conf"
  # No manual pages or translations of packages' own documentation.
  cat > "$partial/etc/dpkg/dpkg.cfg.d/tend-nodoc" <<'CFG'
path-exclude=/usr/share/man/*
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
CFG
  touch "$partial/.tend-root-ready"
  rm -rf "$root"
  mv "$partial" "$root"
fi

# 2. Mounts, undone on every exit.  Nothing below ever removes files under a
#    mount point.
mounted=""
cleanup() {
  for m in $mounted; do
    umount -l "$root/$m" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
for m in proc sys dev tmp; do
  if ! mountpoint -q "$root/$m"; then
    case $m in
      proc) mount -t proc proc "$root/proc" ;;
      sys) mount --rbind /sys "$root/sys"; mount --make-rslave "$root/sys" ;;
      dev) mount --rbind /dev "$root/dev"; mount --make-rslave "$root/dev" ;;
      tmp) mount --bind /tmp "$root/tmp" ;;
    esac
    mounted="$m $mounted"
  fi
done
cp /etc/resolv.conf "$root/etc/resolv.conf"

in_root() {
  chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    DEBIAN_FRONTEND=noninteractive "$@"
}

# 3. The source tree, copied in.  The root's own build directory stays, so a
#    second run rebuilds only what changed (tar keeps modification times).
mkdir -p "$root/tend"
find "$root/tend" -mindepth 1 -maxdepth 1 ! -name build -exec rm -rf {} +
tar -C "$src" --exclude=./.git --exclude='./build*' --exclude=./.flatpak-builder \
  --exclude=./tests/browser/node_modules \
  --exclude=./build-aux -cf - . | tar -C "$root/tend" -xf -
tar -C "$src" -cf - build-aux | tar -C "$root/tend" -xf -

# 4. The packages: the same script as on the baseline, which knows trixie.
#    Network-bound, so outside the CPU lock.
log "installing the build dependencies in the root"
in_root sh /tend/build-aux/install-deps.sh

versions=""
for p in libgtk-4-dev libadwaita-1-dev libgstreamer1.0-0 libsoup-3.0-dev \
         libsqlcipher-dev libglib2.0-dev libjson-glib-dev libpoppler-glib-dev \
         libical-dev meson; do
  v=$(in_root dpkg-query -W -f='${Version}' "$p" 2>/dev/null) ||
    v="$(in_root apt-cache show --no-all-versions "$p" 2>/dev/null |
         awk '/^Version:/ { print $2; exit }') (not installed)"
  versions="$versions $p=$v"
done
log "$suite versions:$versions"

# 5. Build with -Werror and run every suite, as CI does on the baseline.
#    test.sh's summary line is the last thing printed.
log "building and testing in the root"
# Every suite but "browser": its Chromium and npm packages are installed on
# the baseline only (the page and the server it drives are the same code).
if [ $# -eq 0 ]; then
  set -- --no-suite browser
fi
${TEND_CPU_LOCK:+flock "$TEND_CPU_LOCK"} chroot "$root" /usr/bin/env -i \
  HOME=/root LANG=C.UTF-8 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  CI=true sh /tend/build-aux/test.sh "$@"
