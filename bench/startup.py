#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Start-up time and memory: Tend with a full demo store against a bare
AdwApplicationWindow program, in the same run, alternating.

Run inside a D-Bus session with an unlocked keyring and a display (see
bench/run.sh).  Each program prints "tend-bench first-frame-us N" (its
CLOCK_MONOTONIC at the first frame after the window is mapped) and
"tend-bench rss-kb N", then quits.
"""
import os
import statistics
import subprocess
import sys
import time


def run_once(argv, env):
    start_us = time.monotonic_ns() // 1000
    out = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
    frame = rss = None
    for line in out.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "tend-bench":
            if parts[1] == "first-frame-us":
                frame = int(parts[2])
            elif parts[1] == "rss-kb":
                rss = int(parts[2])
    if frame is None:
        sys.exit("startup.py: %s did not report a first frame:\n%s" % (argv[0], out.stderr[-2000:]))
    return (frame - start_us) / 1000.0, rss


def main():
    tend, bare, store = sys.argv[1], sys.argv[2], sys.argv[3]
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 10
    env = dict(os.environ, TEND_BENCH_FIRST_FRAME="1", TEND_STORE_PATH=store)
    tend_ms, bare_ms, tend_rss = [], [], []
    run_once([bare], env)  # warm the page cache for both
    run_once([tend], env)
    for _ in range(runs):
        ms, _ = run_once([bare], env)
        bare_ms.append(ms)
        ms, rss = run_once([tend], env)
        tend_ms.append(ms)
        tend_rss.append(rss)
    t, b = statistics.median(tend_ms), statistics.median(bare_ms)
    print("startup-tend-median-ms: %.1f" % t)
    print("startup-bare-median-ms: %.1f" % b)
    print("startup-ratio: %.2f  (target <= 1.25, issue 18; was 1.5)" % (t / b))
    print("tend-rss-after-client-list-mb: %.1f  (target <= 150)" % (max(tend_rss) / 1024.0))


if __name__ == "__main__":
    main()
