#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""map_benchmark bare and under the preload with each CPU-access backend, per platform and
number of other live mappings, in one run: average map, unmap and map+unmap pair latency
(median of --runs runs), ratios to bare, and the resident memory each live mapping costs. Ends
with the NIC example end to end. The load average is printed before and after: the ratios are
only comparable between runs on an equally quiet machine.

  bench/run_map_benchmark.py BUILD_DIR [--runs=3] [--seconds=1] [--threads=1] [--granule=1]
                             [--dir=bidi|to|from] [--platforms=direct,swiotlb_force,...]
                             [--live=0,1000000] [--configs=bare,off,default,nopoison] [--no-nic]
"""
import os, statistics, subprocess, sys, time

ARGS = dict((a[2:].split("=", 1) + [""])[:2] for a in sys.argv[1:] if a.startswith("--"))
POS = [a for a in sys.argv[1:] if not a.startswith("--")]
B = os.path.abspath(POS[0] if POS else "build")
SAN = os.path.join(B, "src/san/libdmasan.so")
BENCH = os.path.join(B, "bench/map_benchmark")
NIC = [os.path.join(B, "examples/nic/nic_test"), "--frames=400"]
RUNS = int(ARGS.get("runs", 3))
PLATFORMS = ARGS.get("platforms", "direct,swiotlb_force,iommu_strict,iommu_lazy").split(",")
LIVE = [int(x) for x in ARGS.get("live", "0").split(",")]
BENCH_ARGS = ["--%s=%s" % (k, ARGS.get(k, d)) for k, d in
              (("seconds", "1"), ("threads", "1"), ("granule", "1"), ("dir", "bidi"))]

ALL_CONFIGS = {  # key: name, preload?, DMASAN_OPTIONS
    "bare": ("bare", False, ""),
    "off": ("dmasan cpu_access=off", True, "cpu_access=off"),
    "default": ("dmasan default (mprotect)", True, ""),
    "nopoison": ("dmasan cpu_access=off poison=0", True, "cpu_access=off:poison=0"),
}
CONFIGS = [ALL_CONFIGS[k] for k in ARGS.get("configs", "bare,off,default").split(",")]


def env_for(preload, opts):
    env = dict(os.environ, DMASAN_OPTIONS="exitcode=0:log_path=/dev/null" + (":" + opts if opts else ""))
    env.pop("LD_PRELOAD", None)
    if preload:
        env["LD_PRELOAD"] = SAN
    return env


def bench_once(platform, live, preload, opts):
    out = subprocess.run([BENCH, "--platform=" + platform, "--live=%d" % live] + BENCH_ARGS,
                         env=env_for(preload, opts), stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True, timeout=1200, check=True).stdout.split()
    return dict((out[i], float(out[i + 1])) for i in range(0, len(out) - 1, 2))


def load():
    with open("/proc/loadavg", encoding="ascii") as f:
        return " ".join(f.read().split()[:3])


def median_of(runs, key):
    return statistics.median(r[key] for r in runs)


def cell(v, base):
    return "%.0f (%.1fx)" % (v, v / base) if base else "%.0f" % v


def main():
    print("map_benchmark %s, median of %d runs; ns per operation, ratio to bare; load average %s" %
          (" ".join(BENCH_ARGS), RUNS, load()))
    print("%-15s %8s %-27s %14s %14s %14s %10s" % ("platform", "live", "configuration", "map ns",
                                                  "unmap ns", "pair ns", "B/live map"))
    for platform in PLATFORMS:
        for live in LIVE:
            base = None
            for name, preload, opts in CONFIGS:
                runs = [bench_once(platform, live, preload, opts) for _ in range(RUNS)]
                m, u = median_of(runs, "map_ns"), median_of(runs, "unmap_ns")
                p = statistics.median(r["map_ns"] + r["unmap_ns"] for r in runs)
                mem = median_of(runs, "mem_per_live_mapping")
                if base is None:
                    base = (m, u, p)
                print("%-15s %8d %-27s %14s %14s %14s %10.0f" % (
                    platform, live, name, cell(m, base[0]), cell(u, base[1]), cell(p, base[2]),
                    mem))
    if "no-nic" in ARGS:
        print("load average at the end: %s" % load())
        return
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
        print("%-15s %8s %-27s %14s" % ("nic example", "", name, "%.0f ms (%.1fx)" % (t, t / base)))
    print("load average at the end: %s" % load())


if __name__ == "__main__":
    main()
