#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The runtime's text report and dmasan-report's text of the same JSON must be identical.

  runtime_vs_tool.py SRCDIR E2EDIR LIBDMASAN DMASAN_REPORT WORKDIR

Runs every e2e program tests/e2e/<check-id>.c (the buggy ones) under LIBDMASAN with both
log_path (text) and json_path, once symbolised and once with symbolize=0 (module+offset
frames), renders the JSON Lines with `dmasan-report --fail-on never` and compares each report
block byte for byte: from the "=====" rule to the report's own "SUMMARY: DMASanitizer: <id>"
line. Normalised, because only the tool prints them: its "NOTE: seen N times in M processes"
lines (aggregated counts). A run in which neither side has a report (a program whose finding
depends on timing) compares nothing; the test fails unless there are at least as many reports
compared as runs. The counts must agree too: the runtime's exit line "SUMMARY: DMASanitizer: N
occurrences, U unique (E errors, W warnings), S suppressed" and the tool's totals line carry the
same numbers in the same words (the test fails unless some run counted more occurrences than
unique findings, so the comparison covers repeats). Other lines outside report blocks differ by
design and are not compared (the runtime's start-up notes, the tool's process count).
"""
import glob
import os
import re
import shutil
import subprocess
import sys

RULE = "=" * 65
TOTALS = re.compile(r"\d+ occurrences?, \d+ unique \(\d+ errors?, \d+ warnings?\), \d+ suppressed")


def totals(text, prefix):
    """The totals of the line starting with prefix; the runtime prints none when it found nothing."""
    for line in text.splitlines():
        m = TOTALS.search(line)
        if line.startswith(prefix) and m:
            return m.group(0)
    return None


def blocks(text):
    out, cur = [], None
    for line in text.splitlines(keepends=True):
        if line.rstrip("\n") == RULE:
            cur = [line]
            continue
        if cur is None:
            continue
        if line.startswith("NOTE: seen "):
            continue
        cur.append(line)
        if line.startswith("SUMMARY: DMASanitizer: ") and not TOTALS.search(line):
            out.append("".join(cur))
            cur = None
    return out


REPEATS = [0]  # runs whose findings occurred more often than they are unique


def run_one(prog, src, lib, tool, work, opts):
    name = os.path.basename(prog) + ("" if not opts else "." + opts.replace("=", "-"))
    d = os.path.join(work, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    env = dict(os.environ, LD_PRELOAD=lib,
               DMASAN_OPTIONS=":".join(filter(None, [opts, "log_path=" + d + "/log",
                                                      "json_path=" + d + "/report"])))
    m = re.search(r"E2E_KDMA_OPTIONS:\s*(\S+)", open(src, encoding="utf-8").read())
    if m:
        env["KDMA_OPTIONS"] = m.group(1)
    subprocess.run([prog], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   cwd=d, timeout=120)
    logs = glob.glob(d + "/log.*")
    jsons = glob.glob(d + "/report.*.jsonl")
    if len(logs) > 1 or len(jsons) != 1:  # the log is created by the first report only
        return name, "expected one JSON file and at most one log, found %s %s" % (logs, jsons)
    log = open(logs[0], encoding="utf-8", errors="replace").read() if logs else ""
    runtime = blocks(log)
    p = subprocess.run([tool, "--fail-on", "never", jsons[0]], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, errors="replace", timeout=120)
    if p.returncode != 0:
        return name, "dmasan-report failed: " + p.stderr
    tool_blocks = blocks(p.stdout)
    rt_totals = totals(log, "SUMMARY: DMASanitizer: ") or "0 occurrences, 0 unique (0 errors, 0 warnings), 0 suppressed"
    tool_totals = totals(p.stdout, "dmasan-report: ")
    # a process that another tool stopped (AddressSanitizer's own halt, in the ASan build)
    # wrote no summary record and printed no totals: only its reports compare
    died = '"type":"summary"' not in open(jsons[0], encoding="utf-8", errors="replace").read()
    if rt_totals != tool_totals and not died:
        return name, "counts differ:\n  runtime: %r\n  tool:    %r" % (rt_totals, tool_totals)
    n = re.match(r"(\d+) occurrences?, (\d+) unique", rt_totals)
    REPEATS[0] += int(n.group(1)) > int(n.group(2))
    if not runtime and not tool_blocks:
        return name, 0  # a timing-dependent program that reported nothing this time
    if runtime != tool_blocks:
        for i, (a, b) in enumerate(zip(runtime, tool_blocks)):
            if a != b:
                al, bl = a.splitlines(), b.splitlines()
                j = next((k for k in range(min(len(al), len(bl))) if al[k] != bl[k]),
                         min(len(al), len(bl)))
                return name, ("report %d differs at line %d:\n  runtime: %r\n  tool:    %r" %
                              (i + 1, j + 1, al[j] if j < len(al) else None,
                               bl[j] if j < len(bl) else None))
        return name, "%d runtime reports, %d from the tool" % (len(runtime), len(tool_blocks))
    return name, len(runtime)


def main():
    src, e2edir, lib, tool, work = sys.argv[1:6]
    progs = []
    for c in sorted(glob.glob(os.path.join(src, "tests/e2e/*.c"))):
        prog = os.path.join(e2edir, "e2e_" + os.path.basename(c)[:-2])
        if os.access(prog, os.X_OK):
            progs.append((prog, c))
    if len(progs) < 10:
        print("found only %d e2e programs in %s" % (len(progs), e2edir), file=sys.stderr)
        return 1
    bad, runs, reports = 0, 0, 0
    for prog, c in progs:
        for opts in ("", "symbolize=0"):
            name, res = run_one(prog, c, lib, tool, work, opts)
            runs += 1
            if isinstance(res, str):
                bad += 1
                print("%s: %s" % (name, res), file=sys.stderr)
            else:
                reports += res
    print("%d runs, %d reports compared, %d runs differ" % (runs, reports, bad))
    if reports < runs:  # nearly every program reports at least once: the comparison ran
        print("too few reports compared", file=sys.stderr)
        return 1
    if not REPEATS[0]:
        print("no run had repeated occurrences: the counts were not really compared",
              file=sys.stderr)
        return 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
