#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A dump's fences, dma-buf attachments and in-flight descriptors (tests/dump/dump_objects.c):
the runtime's text lists each, the JSON Lines file has one "dump_objects" record with them, and
dmasan-report --format dump renders the record into exactly the runtime's lines (one renderer).

  check_dump_objects.py --preload LIB --report DMASAN_REPORT --outdir DIR PROGRAM
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--preload", required=True)
    ap.add_argument("--report", required=True)
    ap.add_argument("--outdir", required=True)
    ap.add_argument("program")
    a = ap.parse_args()
    shutil.rmtree(a.outdir, ignore_errors=True)
    os.makedirs(a.outdir)
    env = dict(os.environ, LD_PRELOAD=a.preload,
               DMASAN_OPTIONS="json_path=%s/out:log_path=%s/log" % (a.outdir, a.outdir))
    proc = subprocess.run([a.program], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=120)
    fails = []
    if proc.returncode != 0:
        fails.append("program exited %d: %s" % (proc.returncode, proc.stdout))
    log = "".join(open(p, encoding="utf-8").read() for p in glob.glob(a.outdir + "/log.*"))
    jsonl = glob.glob(a.outdir + "/out.*.jsonl")
    recs = [json.loads(l) for p in jsonl for l in open(p, encoding="utf-8") if l.strip()]
    objs = [r for r in recs if r.get("type") == "dump_objects"]
    if len(objs) != 1:
        fails.append("expected one dump_objects record, got %d" % len(objs))
    else:
        o = objs[0]
        fences = sorted((f["seqno"], f["signalled"], f["driver"]) for f in o["fences"])
        if fences != [(1, False, "dumpdrv"), (2, True, "dumpdrv")]:
            fails.append("fences: %s" % o["fences"])
        atts = sorted((x["importer"], x["mapped"], x["exporter"]) for x in o["attachments"])
        if atts != [("disp0", 1, "dump-heap"), ("uart0", 0, "dump-heap")]:
            fails.append("attachments: %s" % o["attachments"])
        descs = [(d["device"], d["state"], d["size"]) for d in o["descriptors"]]
        if len(descs) != 1 or descs[0][0] != "dmac0" or descs[0][2] != 64:
            fails.append("descriptors: %s" % o["descriptors"])
    # the runtime's lines, from the heading to the end of the dump
    m = re.search(r"^(other DMA objects of dump #1:.*?)^==\d+==DMASanitizer: end of mapping",
                  log, re.M | re.S)
    if not m:
        fails.append("no 'other DMA objects' section in the log:\n" + log)
    else:
        runtime = m.group(1).strip()
        for want in ("2 live fences, 2 dma-buf attachments, 1 descriptor in flight",
                     "dumpdrv:dumpdrv context", "UNSIGNALLED", "by disp0: mapped",
                     "by uart0: not mapped", "on dmac0: issued"):
            if want not in runtime:
                fails.append("runtime text lacks %r:\n%s" % (want, runtime))
        tool = subprocess.run([a.report, "--format", "dump"] + jsonl, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
        t = re.search(r"^(other DMA objects of dump #1:.*?)(?:\n\n|\Z)", tool.stdout, re.M | re.S)
        if not t or t.group(1).strip() != runtime:
            fails.append("dmasan-report renders the record differently:\n%s\n--- runtime:\n%s"
                         % (tool.stdout, runtime))
    for f in fails:
        print("FAIL:", f)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
