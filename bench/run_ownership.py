#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The ownership layer's costs in one run: bench_ownership and the NIC example, bare and under
the preload in each configuration, with ratios to bare.

  bench/run_ownership.py BUILD_DIR
"""
import os, subprocess, sys, time

B = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build")
SAN = os.path.join(B, "src/san/libdmasan.so")
BENCH = os.path.join(B, "bench/bench_ownership")
NIC = [os.path.join(B, "examples/nic/nic_test"), "--frames=400"]

CONFIGS = [  # name, preload?, DMASAN_OPTIONS, wrapper, bench scale
    ("bare", False, "", [], 1),
    ("sanitizer, no ownership", True, "poison=0:cpu_access=off", [], 1),
    ("transitions (cpu_access=off)", True, "cpu_access=off", [], 1),
    ("mprotect", True, "cpu_access=mprotect", [], 1),
    ("mprotect, mprotect_lazy=0", True, "cpu_access=mprotect:mprotect_lazy=0", [], 1),
    ("valgrind memcheck", True, "cpu_access=valgrind",
     ["valgrind", "-q", "--suppressions=" + os.path.join(os.path.dirname(B), "tools/valgrind/dmasan.supp")], 20),
]


def run(cmd, preload, opts, wrap):
    env = dict(os.environ, DMASAN_OPTIONS="exitcode=0:log_path=/dev/null" + (":" + opts if opts else ""))
    if preload:
        env["LD_PRELOAD"] = SAN
    t0 = time.monotonic()
    out = subprocess.run(wrap + cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         text=True, timeout=1800).stdout
    return out, time.monotonic() - t0


def main():
    rows = []
    for name, preload, opts, wrap, scale in CONFIGS:
        out, _ = run([BENCH, str(scale)], preload, opts, wrap)
        vals = dict((l.split()[0], float(l.split()[1])) for l in out.splitlines() if len(l.split()) == 2)
        _, nic = run(NIC, preload, opts, wrap)
        vals["nic_example_ms"] = nic * 1000
        rows.append((name, vals))
    keys = ["map_unmap_rx", "map_unmap_tx", "rx_then_read", "sync_pair_rx", "cpu_read_owned",
            "nic_example_ms"]
    base = rows[0][1]
    print("%-30s" % "configuration" + "".join("%22s" % k for k in keys))
    for name, vals in rows:
        cells = []
        for k in keys:
            v = vals.get(k)
            cells.append("%22s" % ("-" if v is None else "%.0f (%.1fx)" % (v, v / base[k] if base.get(k) else 0)))
        print("%-30s" % name + "".join(cells))
    print("(ns per operation; nic_example_ms: 400 frames end to end; ratios to bare, one run)")


if __name__ == "__main__":
    main()
