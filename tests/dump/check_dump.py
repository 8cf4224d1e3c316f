#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Mapping-table dumps through libdmasan.so, each trigger once:

  request  dmasan_dump_mappings(NULL) and ("e1*"): the text table, JSON records, dmasan-report
           --format dump, and with dump_format=kernel the kernel lines, which must equal
           dmasan-report --dump-format kernel of the same records
  exit     dump_at_exit=1 with the mappings leaked: the dump comes after the leak reports
  destroy  dump_at_exit=1, the NIC destroyed with its coherent ring live: the leak report at the
           destroy is followed by a dump of the NIC's table at that moment (the ring listed);
           the exit dump then has nothing left
  signal   dump_signal=10 (SIGUSR1), dumped by the runtime's thread, process exits 0
  error    dump_on_error=1: the dump after the report shows the reported device only

  check_dump.py --preload LIB --report DMASAN_REPORT --outdir DIR --request P --signal P --error P
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys

FAILS = []


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print("FAIL: " + what)


def run(a, name, cmd, options):
    out = os.path.join(a.outdir, name)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    env = dict(os.environ, LD_PRELOAD=a.preload,
               DMASAN_OPTIONS=":".join(["json_path=" + os.path.join(out, "out"),
                                        "log_path=" + os.path.join(out, "log")] + options))
    proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=120)
    logs = glob.glob(os.path.join(out, "log.*"))
    text = open(logs[0], encoding="utf-8").read() if logs else ""
    recs = []
    for path in glob.glob(os.path.join(out, "out.*.jsonl")):
        with open(path, encoding="utf-8") as f:
            recs += [json.loads(line) for line in f if line.strip()]
    return proc, text, recs, out


def before(text, first, then):
    """Both are in text, first before then."""
    return 0 <= text.find(first) < text.find(then)


def dumps(recs, **match):
    return [r for r in recs if r.get("type") == "dump"
            and all(r.get(k) == v for k, v in match.items())]


def report(a, *args):
    return subprocess.run([a.report, "--format", "dump"] + list(args), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True).stdout


def check_request(a):
    proc, text, recs, out = run(a, "request", [a.request], [])
    check(proc.returncode == 0, "request: exit status %d\n%s" % (proc.returncode, proc.stdout))
    check("mapping table dump #1 (request): 5 live entries on 2 devices" in text,
          "request: text header")
    check("device 0000:00:08.0 (driver e1000): 4 live entries, 8704 bytes" in text,
          "request: text per-device totals")
    check("cpu 0-127, device 128-2047" in text, "request: text owner ranges")
    check("mapping table dump #2 (request, filter 'e1*'): 4 live entries on 1 device" in text,
          "request: filtered dump")
    first, second = dumps(recs, dump_id=1), dumps(recs, dump_id=2)
    check(sorted(r["device"] for r in first) == ["0000:00:08.0", "0000:00:1f.2"],
          "request: dump #1 has one record per device")
    check([r["driver"] for r in second] == ["e1000"] and second[0].get("filter") == "e1*",
          "request: dump #2 has the e1000 record only")
    nic = next((r for r in first if r["driver"] == "e1000"), {})
    entries = nic.get("entries", [])
    check([e["type"] for e in entries] == ["coherent", "single", "single", "single"],
          "request: entries oldest first: %s" % [e.get("type") for e in entries])
    check(nic.get("totals", {}).get("entries") == 4 and nic["totals"].get("bytes") == 8704,
          "request: totals")
    rx = entries[1] if len(entries) > 1 else {}
    check(rx.get("owner_ranges") == [{"offset": 0, "size": 128, "owner": "cpu"},
                                     {"offset": 128, "size": 1920, "owner": "device"}],
          "request: owner ranges of the partly synced buffer: %s" % rx.get("owner_ranges"))
    check(entries and entries[-1].get("map_error") == "not_checked", "request: unchecked tx")
    check(all(any(f.get("function") == "fixture_map" for f in e.get("stack", []))
              for e in entries), "request: map stacks reach the program")
    check(nic.get("swiotlb", {}).get("total") == 32768 and nic.get("iova") is None,
          "request: SWIOTLB use of the NIC, no IOVA")
    disk = next((r for r in first if r["driver"] == "ahci"), {})
    check(disk.get("swiotlb", 0) is None and disk.get("iova", {}).get("used") == 8192,
          "request: IOVA use of the disk behind the IOMMU")

    table = report(a, out)
    check("device 0000:00:08.0 (driver e1000): 4 live entries, 8704 bytes" in table,
          "request: dmasan-report renders the dump\n" + table)
    check("cpu[0,128) device[128,2048)" in table, "request: dmasan-report shows owner ranges")

    # the runtime's kernel lines are what dmasan-report makes of the same records
    proc, text, recs, out = run(a, "kernel", [a.request], ["dump_format=kernel"])
    lines = [l for l in text.splitlines() if l and not l.startswith("==")]
    rendered = report(a, "--dump-format", "kernel", out).splitlines()
    check(len(lines) == 9, "kernel: 5 + 4 lines, got %d" % len(lines))
    check(lines == rendered, "kernel: runtime and dmasan-report differ:\n%s\n---\n%s"
          % ("\n".join(lines), "\n".join(rendered)))
    check(any(l.startswith("ahci 0000:00:1f.2 scatter-gather idx ") for l in lines),
          "kernel: sg line")


def check_exit(a):
    proc, text, recs, out = run(a, "exit", [a.request, "leak"], ["dump_at_exit=1"])
    check(proc.returncode == 1, "exit: leaks set the exit status (%d)" % proc.returncode)
    exits = [i for i, r in enumerate(recs) if r.get("reason") == "exit"]
    leaks = [i for i, r in enumerate(recs) if r.get("check") == "mapping-leak"]
    check(len(exits) == 2, "exit: one exit record per device")
    check(leaks and exits and max(leaks) < min(exits),
          "exit: the dump records come after the leak reports")
    check(before(text, "ERROR: DMASanitizer: mapping-leak", "(exit): 5 live entries on 2 devices"),
          "exit: text dump after the leak reports")


def check_destroy(a):
    proc, text, recs, out = run(a, "destroy", [a.request, "destroy-leak"], ["dump_at_exit=1"])
    check(proc.returncode == 1, "destroy: the leak sets the exit status (%d)" % proc.returncode)
    d = dumps(recs, reason="destroy")
    check([r["device"] for r in d] == ["0000:00:08.0"], "destroy: one dump, of the NIC: %s" % d)
    entries = d[0].get("entries", []) if d else []
    check([e.get("type") for e in entries] == ["coherent"],
          "destroy: the leaked ring is listed: %s" % [e.get("type") for e in entries])
    leak = [i for i, r in enumerate(recs) if r.get("check") == "mapping-leak"]
    where = [i for i, r in enumerate(recs) if r.get("reason") == "destroy"]
    check(leak and where and leak[0] < where[0], "destroy: the dump record follows the leak")
    check(before(text, "ERROR: DMASanitizer: mapping-leak",
                 "(destroy, device 0000:00:08.0): 1 live entry on 1 device"),
          "destroy: text dump after the leak report\n" + text)
    check("(exit): 0 live entries" in text, "destroy: the exit dump has nothing left")
    table = report(a, out)
    check(re.search(r"dump #\d+ \(destroy\) of pid .*\ndevice 0000:00:08.0 \(driver e1000\): "
                    r"1 live entry", table), "destroy: dmasan-report renders the dump\n" + table)


def check_signal(a):
    log = os.path.join(a.outdir, "signal", "log")
    proc, text, recs, out = run(a, "signal", [a.signal, log, "10"], ["dump_signal=10"])
    check(proc.returncode == 0, "signal: exit status %d\n%s" % (proc.returncode, proc.stdout))
    check("mapping table dump #1 (signal): 5 live entries on 2 devices" in text,
          "signal: text dump")
    check(len(dumps(recs, reason="signal")) == 2, "signal: JSON records")


def check_error(a):
    proc, text, recs, out = run(a, "error", [a.error], ["dump_on_error=1"])
    check(proc.returncode == 1, "error: exit status %d" % proc.returncode)
    v = [r["check"] for r in recs if r["type"] == "violation"]
    check(v == ["sync-unknown"], "error: the finding: %s" % v)
    d = dumps(recs, reason="error")
    check([r["device"] for r in d] == ["0000:00:1f.2"], "error: only the reported device")
    check("(error, device 0000:00:1f.2): 1 live entry on 1 device" in text, "error: text dump")
    check(before(text, "ERROR: DMASanitizer: sync-unknown", "(error, device"),
          "error: dump after the report")


def main():
    ap = argparse.ArgumentParser()
    for opt in ("preload", "report", "outdir", "request", "signal", "error"):
        ap.add_argument("--" + opt, required=True)
    a = ap.parse_args()
    for fn in (check_request, check_exit, check_destroy, check_signal, check_error):
        fn(a)
    if FAILS:
        sys.exit("%d check(s) failed" % len(FAILS))
    print("ok")


if __name__ == "__main__":
    main()
