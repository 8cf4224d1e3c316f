#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""map_benchmark bare and under the preload with each CPU-access backend, per platform, in one
run: average map and unmap latency (median of --runs runs), ratios to bare, and the resident
memory each live mapping costs. Ends with the NIC example end to end.

  bench/run_map_benchmark.py BUILD_DIR [--runs=3] [--seconds=1] [--threads=1] [--granule=1]
                             [--dir=bidi|to|from] [--platforms=direct,swiotlb_force,...]
"""
import os, statistics, subprocess, sys, time

ARGS = dict(a[2:].split("=", 1) for a in sys.argv[1:] if a.startswith("--"))
POS = [a for a in sys.argv[1:] if not a.startswith("--")]
B = os.path.abspath(POS[0] if POS else "build")
SAN = os.path.join(B, "src/san/libdmasan.so")
BENCH = os.path.join(B, "bench/map_benchmark")
NIC = [os.path.join(B, "examples/nic/nic_test"), "--frames=400"]
RUNS = int(ARGS.get("runs", 3))
PLATFORMS = ARGS.get("platforms", "direct,swiotlb_force,iommu_strict,iommu_lazy").split(",")
BENCH_ARGS = ["--%s=%s" % (k, ARGS.get(k, d)) for k, d in
              (("seconds", "1"), ("threads", "1"), ("granule", "1"), ("dir", "bidi"))]

CONFIGS = [  # name, preload?, DMASAN_OPTIONS
    ("bare", False, ""),
    ("dmasan cpu_access=off", True, "cpu_access=off"),
    ("dmasan default (mprotect)", True, ""),
]


def env_for(preload, opts):
    env = dict(os.environ, DMASAN_OPTIONS="exitcode=0:log_path=/dev/null" + (":" + opts if opts else ""))
    env.pop("LD_PRELOAD", None)
    if preload:
        env["LD_PRELOAD"] = SAN
    return env


def bench_once(platform, preload, opts):
    out = subprocess.run([BENCH, "--platform=" + platform] + BENCH_ARGS, env=env_for(preload, opts),
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                         timeout=600, check=True).stdout.split()
    return dict((out[i], float(out[i + 1])) for i in range(0, len(out) - 1, 2))


def median_of(runs, key):
    return statistics.median(r[key] for r in runs)


def cell(v, base):
    return "%.0f (%.1fx)" % (v, v / base) if base else "%.0f" % v


def main():
    print("map_benchmark %s, median of %d runs; ns per operation, ratio to bare" %
          (" ".join(BENCH_ARGS), RUNS))
    print("%-15s %-27s %18s %18s %14s" % ("platform", "configuration", "map ns", "unmap ns",
                                          "B/live map"))
    for platform in PLATFORMS:
        base = None
        for name, preload, opts in CONFIGS:
            runs = [bench_once(platform, preload, opts) for _ in range(RUNS)]
            m, u = median_of(runs, "map_ns"), median_of(runs, "unmap_ns")
            mem = median_of(runs, "mem_per_live_mapping")
            if base is None:
                base = (m, u)
            print("%-15s %-27s %18s %18s %14.0f" % (platform, name, cell(m, base[0]),
                                                     cell(u, base[1]), mem))
    base = None
    for name, preload, opts in CONFIGS:
        times = []
        for _ in range(RUNS):
            t0 = time.monotonic()
            subprocess.run(NIC, env=env_for(preload, opts), stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=600, check=True)
            times.append((time.monotonic() - t0) * 1000)
        t = statistics.median(times)
        base = base or t
        print("%-15s %-27s %18s" % ("nic example", name, "%.0f ms (%.1fx)" % (t, t / base)))


if __name__ == "__main__":
    main()
