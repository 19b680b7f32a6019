#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks that `tend` leaves GStreamer, libnice and poppler to its modules.

    check-modules.py TEND LIBTEND_VIDEO LIBTEND_PDF

- `tend` has no DT_NEEDED entry for GStreamer, libnice or poppler (they
  would be mapped and relocated before its first frame: bench/README.md,
  bench-startup);
- libtend-video.so needs GStreamer and libnice, libtend-pdf.so poppler
  (so the libraries did move, and were not dropped);
- every `tend_*` function libtend-video.so leaves undefined is one `tend`
  exports, so the module loads into it (libtend-pdf.so needs none).
Prints each problem and exits 1 when there is any (TAP output).
"""

import re
import subprocess
import sys


def needed(path):
    out = subprocess.run(["readelf", "-d", "-W", path], check=True,
                         capture_output=True, text=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def symbols(path, undefined):
    args = ["nm", "-D", "--undefined-only" if undefined else "--defined-only", path]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return {line.split()[-1] for line in out.splitlines() if line.strip()}


def main():
    tend, video, pdf = sys.argv[1:4]
    checks = []
    tend_needed = needed(tend)
    heavy = [lib for lib in tend_needed if re.match(r"lib(gst|nice|poppler)", lib)]
    checks.append(("tend links no GStreamer, libnice or poppler", not heavy, heavy))
    video_needed = needed(video)
    checks.append(("libtend-video.so links GStreamer's webrtc and libnice",
                   any(l.startswith("libgstwebrtc-1.0") for l in video_needed) and
                   any(l.startswith("libnice") for l in video_needed), video_needed))
    pdf_needed = needed(pdf)
    checks.append(("libtend-pdf.so links poppler-glib",
                   any(l.startswith("libpoppler-glib") for l in pdf_needed), pdf_needed))
    exported = symbols(tend, False)
    missing = sorted(s for s in symbols(video, True) if s.startswith("tend_") and s not in exported)
    checks.append(("tend exports every tend_ function libtend-video.so uses", not missing, missing))
    own = sorted(s for s in symbols(pdf, True) if s.startswith("tend_"))
    checks.append(("libtend-pdf.so uses nothing of the program", not own, own))

    print("1..%d" % len(checks))
    failed = 0
    for i, (name, ok, detail) in enumerate(checks, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
        if not ok:
            failed += 1
            print("# %s" % " ".join(detail))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
