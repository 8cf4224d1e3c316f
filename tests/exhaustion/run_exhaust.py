#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run json_loss under libdmasan.so with a JSON file that fails, and check that nothing is lost
silently.

  run_exhaust.py --preload LIB --report DMASAN_REPORT --outdir DIR --mode MODE -- PROGRAM

MODE midrun: json_path is a file whose size limit is reached after the first record; full: the
JSON goes to stdout, which is /dev/full; clean: the same without a violation. In every mode the
log says once that JSON records are lost, the text reports all four findings (none in clean),
the summary says how many records were lost, and the exit status is 1 (even for clean). What
the file holds is whole records only, and dmasan-report reads it.

MODE textfull: the text log fails instead (log_path=stdout, which is /dev/full) while JSON goes
to a file. The failure is said once on stderr, the report cut by it is counted lost, the later
three reports and the summary line go to stderr, and the JSON file holds all four records.
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys


def fail(msg):
    print("run_exhaust: FAIL: " + msg)
    sys.exit(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--preload", required=True)
    ap.add_argument("--report", required=True)
    ap.add_argument("--outdir", required=True)
    ap.add_argument("--mode", required=True, choices=["midrun", "full", "clean", "textfull"])
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd

    shutil.rmtree(a.outdir, ignore_errors=True)
    os.makedirs(a.outdir)
    prefix = os.path.join(a.outdir, "out")
    if a.mode == "textfull":
        text_full(a, cmd, prefix)
        return
    opts = []  # the text log stays on stderr: a file would hit the same size limit
    if a.mode == "midrun":
        opts.append("json_path=" + prefix)
        cmd = cmd + [a.mode, prefix]
        stdout = subprocess.PIPE
    else:
        opts.append("json_path=stdout")
        cmd = cmd + [a.mode]
        stdout = open("/dev/full", "w")
    env = dict(os.environ, LD_PRELOAD=a.preload, DMASAN_OPTIONS=":".join(opts))
    proc = subprocess.run(cmd, env=env, stdout=stdout, stderr=subprocess.PIPE, text=True)
    text = proc.stderr
    print(text)

    lost_msgs = re.findall(r"json_path: writing .* failed: .*; this and later JSON records are "
                           r"lost \(text reports continue\)", text)
    if len(lost_msgs) != 1:
        fail("expected the JSON failure said exactly once, got %d" % len(lost_msgs))
    reports = len(re.findall(r"ERROR: DMASanitizer: double-unmap on device", text))
    want = 0 if a.mode == "clean" else 4
    if reports != want:
        fail("expected %d double-unmap text reports, got %d" % (want, reports))
    # midrun: records 2-4 and the summary; full: the run record is the first write that fails,
    # then 4 violations and the summary; clean: run and summary.
    want_lost = {"midrun": 4, "full": 6, "clean": 2}[a.mode]
    m = re.search(r"ERROR: DMASanitizer: (\d+) JSON records? lost \((.*)\); the JSON report is "
                  r"incomplete", text)
    if not m or int(m.group(1)) != want_lost:
        fail("expected the summary to say %d JSON records lost, got %s" %
             (want_lost, m.group(0) if m else "nothing"))
    if proc.returncode != 1:
        fail("exit status %d, expected 1: a run that lost records must fail" % proc.returncode)

    if a.mode == "midrun":
        files = glob.glob(prefix + ".*.jsonl")
        if len(files) != 1:
            fail("expected one JSON file, found %s" % files)
        with open(files[0], encoding="utf-8") as f:
            data = f.read()
        if not data.endswith("\n"):
            fail("the JSON file ends in a cut record")
        recs = [json.loads(line) for line in data.splitlines()]
        kinds = [r.get("type") for r in recs]
        if kinds != ["run", "violation"]:
            fail("expected the run record and the first violation, got %s" % kinds)
        rep = subprocess.run([a.report, "--format", "summary", files[0]], capture_output=True,
                             text=True)
        if "malformed" in rep.stderr.lower() or rep.returncode not in (0, 1):
            fail("dmasan-report could not read the file: %d %s" % (rep.returncode, rep.stderr))
    print("run_exhaust: OK (%s)" % a.mode)


def text_full(a, cmd, prefix):
    env = dict(os.environ, LD_PRELOAD=a.preload,
               DMASAN_OPTIONS="log_path=stdout:json_path=" + prefix)
    with open("/dev/full", "w") as full:
        proc = subprocess.run(cmd + ["full"], env=env, stdout=full, stderr=subprocess.PIPE,
                              text=True)
    text = proc.stderr
    print(text)
    msgs = re.findall(r"ERROR: DMASanitizer: log_path: writing stdout failed: No space left on "
                      r"device; this text is lost, later text goes to stderr \(checking "
                      r"continues\)", text)
    if len(msgs) != 1:
        fail("expected the log failure said exactly once, got %d" % len(msgs))
    reports = len(re.findall(r"ERROR: DMASanitizer: double-unmap on device", text))
    if reports != 3:
        fail("expected the 3 reports after the failure on stderr, got %d" % reports)
    if not re.search(r"SUMMARY: DMASanitizer: .*\(4 errors, 0 warnings\)", text):
        fail("expected the SUMMARY line on stderr")
    if not re.search(r"ERROR: DMASanitizer: 1 text record lost \(No space left on device\); "
                     r"the text log is incomplete", text):
        fail("expected the exit message to count 1 lost text record")
    if proc.returncode != 1:
        fail("exit status %d, expected 1 (four errors)" % proc.returncode)
    files = glob.glob(prefix + ".*.jsonl")
    if len(files) != 1:
        fail("expected one JSON file, found %s" % files)
    with open(files[0], encoding="utf-8") as f:
        recs = [json.loads(line) for line in f.read().splitlines()]
    kinds = [r.get("type") for r in recs]
    if kinds != ["run"] + ["violation"] * 4 + ["summary"]:
        fail("expected the JSON file complete, got %s" % kinds)
    print("run_exhaust: OK (textfull)")


if __name__ == "__main__":
    main()
