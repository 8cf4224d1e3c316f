#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run a stress program under libdmasan.so and check every record it left on disk.

  run_stress.py --preload LIB --report DMASAN_REPORT --outdir DIR
                (--threads N [--forks K] | --death MODE) -- PROGRAM [ARGS...]

--threads: the program (stress_threads) exits 1 (its N deliberate errors); its JSON has exactly
one violation record, double-unmap, seen N times; each
of the K forked children wrote files of its own with one unmap-size-mismatch and a summary.
--death: the program (death) made five violations and then died by MODE; its JSON holds the five
records, each a complete line. In both cases dmasan-report reads the directory without a single
malformed line and fails the gate (exit status 1).
"""
import argparse
import glob
import json
import os
import shutil
import signal
import subprocess
import sys

DEATH_CHECKS = {"unmap-size-mismatch", "double-unmap", "sync-unknown", "zero-length-map",
                "unmap-direction-mismatch"}
DEATH_STATUS = {"handler": 3, "_exit": 4, "abort": -signal.SIGABRT, "kill": -signal.SIGKILL,
                "segv": -signal.SIGSEGV}


def load(path):
    """The records of one JSON Lines file; a line that does not parse is a lost record."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if text and not text.endswith("\n"):
        raise AssertionError("%s: the last record is incomplete" % path)
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--preload", required=True)
    ap.add_argument("--report", required=True)
    ap.add_argument("--outdir", required=True)
    ap.add_argument("--threads", type=int)
    ap.add_argument("--forks", type=int, default=0)
    ap.add_argument("--death")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd

    shutil.rmtree(a.outdir, ignore_errors=True)
    os.makedirs(a.outdir)
    opts = ["json_path=" + os.path.join(a.outdir, "out"), "log_path=" + os.path.join(a.outdir, "log"),
            "dump_signal=10"]
    env = dict(os.environ, LD_PRELOAD=a.preload, DMASAN_OPTIONS=":".join(opts))
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate()
    sys.stdout.write(out)
    sys.stderr.write(err)
    fail = []
    files = {int(p.rsplit(".", 2)[-2]): p for p in glob.glob(os.path.join(a.outdir, "out.*.jsonl"))}
    recs = {}
    for pid, path in files.items():
        try:
            recs[pid] = load(path)
        except (ValueError, AssertionError) as e:
            fail.append(str(e))
    mine = recs.get(proc.pid, [])
    violations = [r for r in mine if r.get("type") == "violation"]
    summary = [r for r in mine if r.get("type") == "summary"]

    if a.threads:
        if proc.returncode != 1:
            fail.append("exit status %d, expected 1 (the deliberate errors)" % proc.returncode)
        if [v["check"] for v in violations] != ["double-unmap"]:
            fail.append("violations %s, expected one double-unmap" % [v["check"] for v in violations])
        if not summary or summary[0]["errors"] != a.threads:
            fail.append("summary %s, expected %d errors" % (summary, a.threads))
        children = {pid: rs for pid, rs in recs.items() if pid != proc.pid}
        if len(children) != a.forks:
            fail.append("%d children wrote JSON, expected %d" % (len(children), a.forks))
        for pid, rs in children.items():
            checks = [r["check"] for r in rs if r.get("type") == "violation"]
            sums = [r for r in rs if r.get("type") == "summary"]
            runs = [r for r in rs if r.get("type") == "run"]
            if checks != ["unmap-size-mismatch"] or not sums or sums[0]["errors"] != 1:
                fail.append("child %d: %s, summary %s" % (pid, checks, sums))
            if not runs or runs[0]["ppid"] != proc.pid:
                fail.append("child %d: no run record naming its parent" % pid)
    if a.death:
        if proc.returncode != DEATH_STATUS[a.death]:
            fail.append("exit status %d, expected %d" % (proc.returncode, DEATH_STATUS[a.death]))
        got = {v["check"] for v in violations}
        if got != DEATH_CHECKS or len(violations) != len(DEATH_CHECKS):
            fail.append("records %s, expected one each of %s" % (sorted(got), sorted(DEATH_CHECKS)))

    rep = subprocess.run([a.report, "--format", "summary", a.outdir], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    if rep.returncode != 1 or "malformed" in rep.stderr:
        fail.append("dmasan-report: status %d (expected 1): %s" % (rep.returncode, rep.stderr))
    for f in fail:
        print("run_stress: FAIL:", f, file=sys.stderr)
    return 1 if fail else 0


if __name__ == "__main__":
    sys.exit(main())
