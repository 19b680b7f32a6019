#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the Flatpak manifests' structure (the `data` suite runs it).

    check-manifest.py SOURCE_ROOT

For flatpak/app.tend.Tend.json and its Devel variant:
- the runtime is org.gnome.Platform, one still supported, the same in both;
- every source is pinned: git by commit (40 hex digits), archives and files
  by sha256 from an https address; only the app itself comes from the
  checkout (a "dir" source);
- the app is built alone: -Dserver=false, -Dtests=false, -Dbench=false, and
  the profile that goes with the ID; each -D option exists in
  meson_options.txt;
- every dependency() the app's meson.build files ask for is in the runtime
  or built by a module, and every module builds something the app needs;
- finish-args are the minimum the app needs.
Prints each problem and exits 1 when there is any.
"""

import json
import os
import re
import sys

# What org.gnome.Platform 50 provides that Tend's meson.build files may ask
# for, by pkg-config name.  From gnome-build-meta's gnome-50 branch
# (elements/sdk-platform.bst: GTK 4.22, libadwaita 1.9, libsoup 3.6,
# json-glib 1.10, libsecret 0.21) and the freedesktop-sdk 25.08 platform it
# builds on (elements/platform.bst: GLib, cairo, pango, GStreamer 1.26 with
# gst-plugins-bad's webrtcbin, libnice, libsrtp2, PipeWire, PulseAudio,
# OpenSSL).  Not in it: libsodium, SQLCipher, libical, poppler (modules
# below) and libpq (tend-server only, never in the Flatpak).
RUNTIME = {
    "glib-2.0", "gio-2.0", "gio-unix-2.0", "gobject-2.0", "gmodule-2.0",
    "json-glib-1.0", "cairo", "pango", "pangocairo", "libsecret-1",
    "gtk4", "libadwaita-1", "libsoup-3.0", "openssl", "libcrypto", "zlib",
    "libxml-2.0", "gstreamer-1.0", "gstreamer-base-1.0",
    "gstreamer-app-1.0", "gstreamer-video-1.0", "gstreamer-audio-1.0",
    "gstreamer-sdp-1.0", "gstreamer-rtp-1.0", "gstreamer-webrtc-1.0",
    "gstreamer-plugins-base-1.0", "gstreamer-plugins-bad-1.0", "nice",
    "libpipewire-0.3", "libpulse",
}

# What each module builds for the app (pkg-config names); an empty list marks
# a tool used only while building (and cleaned up).
MODULES = {
    "libsodium": ["libsodium"],
    "tcl": [],  # SQLCipher's build generates its sources with tclsh
    "sqlcipher": ["sqlcipher"],
    "libical": ["libical"],
    "poppler": ["poppler-glib"],
}

# Never in the app: plain SQLite (it exports SQLCipher's symbols and the
# store would be written unencrypted) and libpq (server only).
FORBIDDEN = {"sqlite3", "libpq"}

FINISH_ARGS = {
    "--share=network",       # sync with the practice's server
    "--share=ipc",           # X11 shared memory, for the fallback below
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",          # GPU rendering (GTK's GL renderer)
    "--socket=pulseaudio",   # video sessions: microphone and sound
}
REQUIRED_FINISH_ARGS = FINISH_ARGS - {"--socket=pulseaudio"}

# GNOME 48's runtime went end-of-life on 2026-03-24, when GNOME 50 came out;
# a runtime is supported until the release two after it.
OLDEST_SUPPORTED = 50

VARIANTS = {
    "app.tend.Tend.json": ("app.tend.Tend", "default"),
    "app.tend.Tend.Devel.json": ("app.tend.Tend.Devel", "development"),
}

HEX40 = re.compile(r"^[0-9a-f]{40}$")
HEX64 = re.compile(r"^[0-9a-f]{64}$")

problems = []


def problem(where, text):
    problems.append(f"{where}: {text}")


def load_modules(manifest_dir, modules, where):
    """Modules with the files they name read in (as flatpak-builder does)."""
    out = []
    for m in modules:
        if isinstance(m, str):
            path = os.path.join(manifest_dir, m)
            if not os.path.isfile(path):
                problem(where, f"module file {m} is missing")
                continue
            with open(path, encoding="utf-8") as f:
                m = json.load(f)
        out.append(m)
        out.extend(load_modules(manifest_dir, m.get("modules", []), where))
    return out


def check_sources(module, where, is_app):
    sources = module.get("sources", [])
    if not sources:
        problem(where, "no sources")
    for s in sources:
        kind = s.get("type")
        if kind == "git":
            if not HEX40.match(s.get("commit", "")):
                problem(where, f"git source {s.get('url')} is not pinned by a 40-digit commit")
            if "branch" in s:
                problem(where, "git source names a branch: pin a commit (and a tag) instead")
            if not s.get("url", "").startswith("https://"):
                problem(where, f"git source {s.get('url')} is not https")
        elif kind in ("archive", "file"):
            if not HEX64.match(s.get("sha256", "")):
                problem(where, f"{kind} {s.get('url') or s.get('path')} has no sha256")
            if "url" in s and not s["url"].startswith("https://"):
                problem(where, f"{kind} {s['url']} is not https")
        elif kind == "dir" and is_app:
            if s.get("path") != "..":
                problem(where, "the app's own source must be the checkout (path \"..\")")
        else:
            problem(where, f"source type {kind!r} is not allowed here")


def meson_options(root):
    with open(os.path.join(root, "meson_options.txt"), encoding="utf-8") as f:
        text = f.read()
    options = {}
    for m in re.finditer(r"option\(\s*'([^']+)'(.*?)\)\s*$", text, re.M | re.S):
        choices = re.search(r"choices:\s*\[([^\]]*)\]", m.group(2))
        options[m.group(1)] = (re.findall(r"'([^']*)'", choices.group(1)) if choices else None)
    return options


def app_dependencies(root, disabled_dirs):
    """pkg-config names of every dependency() in the meson.build files the
    app's build reads (directories its options switch off left out)."""
    names = set()
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        dirnames[:] = [d for d in dirnames
                       if not d.startswith((".", "build"))
                       and os.path.normpath(os.path.join(rel, d)) not in disabled_dirs]
        if "meson.build" in filenames:
            with open(os.path.join(dirpath, "meson.build"), encoding="utf-8") as f:
                names.update(re.findall(r"\bdependency\(\s*'([^']+)'", f.read()))
    return names


def check_manifest(root, name, app_id, profile):
    where = f"flatpak/{name}"
    manifest_dir = os.path.join(root, "flatpak")
    with open(os.path.join(manifest_dir, name), encoding="utf-8") as f:
        manifest = json.load(f)

    if manifest.get("id", manifest.get("app-id")) != app_id:
        problem(where, f"the ID is not {app_id}")
    if manifest.get("runtime") != "org.gnome.Platform" or manifest.get("sdk") != "org.gnome.Sdk":
        problem(where, "the runtime must be org.gnome.Platform with org.gnome.Sdk")
    version = manifest.get("runtime-version", "")
    if not version.isdigit() or int(version) < OLDEST_SUPPORTED:
        problem(where, f"runtime-version {version!r}: GNOME {OLDEST_SUPPORTED} or later is needed (older ones are end-of-life)")
    if manifest.get("command") != "tend":
        problem(where, "the command is not tend")

    args = set(manifest.get("finish-args", []))
    for a in sorted(args - FINISH_ARGS):
        problem(where, f"finish-arg {a} is more than the app needs")
    for a in sorted(REQUIRED_FINISH_ARGS - args):
        problem(where, f"finish-arg {a} is missing")

    modules = load_modules(manifest_dir, manifest.get("modules", []), where)
    if not modules or modules[-1].get("name") != "tend":
        problem(where, "the last module must be tend itself")
        return manifest, modules
    app = modules[-1]
    deps = modules[:-1]

    for m in modules:
        check_sources(m, f"{where} module {m.get('name')}", m is app)

    # The app alone, with options that exist.
    opts = meson_options(root)
    given = {}
    for o in app.get("config-opts", []):
        m = re.match(r"^-D([^=]+)=(.*)$", o)
        if m:
            given[m.group(1)] = m.group(2)
            if m.group(1) not in opts:
                problem(where, f"{o}: meson_options.txt has no option {m.group(1)}")
            elif opts[m.group(1)] is not None and m.group(2) not in opts[m.group(1)]:
                problem(where, f"{o}: not one of {opts[m.group(1)]}")
    for option, value in (("server", "false"), ("tests", "false"), ("bench", "false"), ("profile", profile)):
        if given.get(option) != value:
            problem(where, f"the app must be built with -D{option}={value}")

    # Every dependency covered, every module needed.
    disabled = {os.path.normpath(d) for opt, d in (("server", "src/server"), ("tests", "tests"), ("bench", "bench"))
                if given.get(opt) == "false"}
    needed = app_dependencies(root, disabled)
    built = {}
    for m in deps:
        n = m.get("name")
        if n not in MODULES:
            problem(where, f"module {n}: add what it builds to MODULES in flatpak/check-manifest.py")
            continue
        for pc in MODULES[n]:
            built[pc] = n
    for pc in sorted(needed):
        if pc in FORBIDDEN:
            problem(where, f"the app's build asks for {pc}, which must never be in the Flatpak")
        elif pc not in RUNTIME and pc not in built:
            problem(where, f"dependency('{pc}') is neither in the GNOME runtime nor built by a module")
    for m in deps:
        n = m.get("name")
        if MODULES.get(n) and not any(pc in needed for pc in MODULES[n]):
            problem(where, f"module {n} builds nothing the app asks for")
    return manifest, modules


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = sys.argv[1]
    seen = {}
    for name, (app_id, profile) in VARIANTS.items():
        seen[name] = check_manifest(root, name, app_id, profile)

    # The variants differ only in the ID, its profile and the Devel markings.
    (m1, mods1), (m2, mods2) = seen.values()
    for key in ("runtime", "runtime-version", "sdk", "finish-args", "cleanup"):
        if m1.get(key) != m2.get(key):
            problem("flatpak/", f"the two manifests differ in {key}")
    if [json.dumps(m, sort_keys=True) for m in mods1[:-1]] != [json.dumps(m, sort_keys=True) for m in mods2[:-1]]:
        problem("flatpak/", "the two manifests build different modules")

    for p in problems:
        print(p)
    if problems:
        return 1
    print(f"flatpak manifests: {len(VARIANTS)} checked, {sum(len(s[1]) for s in seen.values())} modules, all sources pinned")
    return 0


if __name__ == "__main__":
    sys.exit(main())
