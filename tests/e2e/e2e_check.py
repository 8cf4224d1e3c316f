#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run one end-to-end program under libdmasan.so and check what it reported.

  e2e_check.py --preload LIB --outdir DIR --source FILE (--expect ID | --clean) [--exitcode N]
               [--at FILE:LINE] [--related-at WHAT=FILE:LINE] [--device NAME]
               [--launcher PATH] -- PROGRAM [ARGS...]

The program runs with LD_PRELOAD=LIB (or through the dmasan launcher) and
DMASAN_OPTIONS=json_path=DIR/out plus the options named in the source on a line
"E2E_OPTIONS: ..." (KDMA_OPTIONS from "E2E_KDMA_OPTIONS: ..."). --expect: the program's own
JSON Lines file has a violation with that exact check id and the exit status is non-zero
(or N with --exitcode); --only (or "E2E_ONLY: yes" in the source): and no violation of another
check; E2E_FUNCTION in the source: the first report's innermost user frame is in that
function; --at: the first such report's innermost frame outside the DMA layer is at that file (base
name) and line ("E2E_STACK: f,g,..." in the source: its frames outside the DMA layer begin with
those functions); --related-at: so is that report's related WHAT stack's ("map", "unmap", ...);
--device: that report names this device. --clean: no violation at all and exit
status 0. "E2E_EXITCODE: N" in the source is --exitcode N for the buggy build.
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys


def source_setting(path, key):
    if not path:
        return ""
    with open(path, encoding="utf-8") as f:
        m = re.search(r"\b" + key + r":\s*(\S.*?)\s*(\*/)?$", f.read(), re.M)
    return m.group(1) if m else ""


def records(outdir):
    """{pid: [record, ...]} of every JSON Lines file written under outdir."""
    out = {}
    for path in glob.glob(os.path.join(outdir, "out.*.jsonl")):
        pid = int(path.rsplit(".", 2)[-2])
        with open(path, encoding="utf-8") as f:
            out[pid] = [json.loads(line) for line in f if line.strip()]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--preload")
    ap.add_argument("--launcher")
    ap.add_argument("--outdir", required=True)
    ap.add_argument("--source")
    ap.add_argument("--expect")
    ap.add_argument("--clean", action="store_true")
    ap.add_argument("--only", action="store_true", help="with --expect: no other check id")
    ap.add_argument("--exitcode", type=int)
    ap.add_argument("--at")
    ap.add_argument("--device")
    ap.add_argument("--user-module", help="the first report's first frame outside the DMA "
                    "layer is in this module (base name): symbolize=0 reports")
    ap.add_argument("--related-at", action="append", default=[],
                    help="WHAT=FILE:LINE: the first report's related WHAT stack starts there")
    ap.add_argument("--options", default="")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd

    shutil.rmtree(a.outdir, ignore_errors=True)
    os.makedirs(a.outdir)
    env = dict(os.environ)
    opts = ["json_path=" + os.path.join(a.outdir, "out")]
    for extra in (source_setting(a.source, "E2E_OPTIONS"), a.options):
        if extra:
            opts.append(extra)
    env["DMASAN_OPTIONS"] = ":".join(opts)
    kopts = source_setting(a.source, "E2E_KDMA_OPTIONS")
    if kopts:
        env["KDMA_OPTIONS"] = kopts
    if a.launcher:
        cmd = [a.launcher, "--"] + cmd
    else:
        env["LD_PRELOAD"] = a.preload
    proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sys.stdout.write(proc.stdout)
    sys.stderr.write(proc.stderr)
    recs = records(a.outdir)
    # The program's own pid is the one that wrote a run record for the executable we started
    # (exec keeps the pid); any other file belongs to a child it forked.
    violations = [r for rs in recs.values() for r in rs if r.get("type") == "violation"]
    found = sorted({r["check"] for r in violations})
    fail = []
    if a.expect:
        if a.expect not in found:
            fail.append("expected a '%s' finding, got %s" % (a.expect, found or "none"))
        # "E2E_EXITCODE: N" in the source: the program's own checks of what the calls returned
        # passed (it returns 3 otherwise), so the status is the sanitizer's.
        src_code = source_setting(a.source, "E2E_EXITCODE")
        want = a.exitcode if a.exitcode is not None else (int(src_code) if src_code else None)
        if want is not None and proc.returncode != want:
            fail.append("exit status %d, expected %d" % (proc.returncode, want))
        if want is None and proc.returncode == 0:
            fail.append("exit status 0 for a buggy program")
        # "E2E_COUNT: N": exactly N findings of the expected check (one per bug, however often
        # the program repeats it)
        count = source_setting(a.source, "E2E_COUNT")
        got = sum(1 for r in violations if r["check"] == a.expect)
        # An ASan build with halt_on_error stops the program at its first poisoned access: only
        # the findings up to there can be there.
        halted = "ERROR: AddressSanitizer" in proc.stderr
        if count and (got > int(count) or (got < int(count) and not halted)):
            fail.append("%d '%s' findings, expected %s" % (got, a.expect, count))
        only = a.only or source_setting(a.source, "E2E_ONLY").split()[:1] == ["yes"]
        if only and set(found) - {a.expect}:
            fail.append("expected only '%s', also got %s" % (a.expect, sorted(set(found) - {a.expect})))
    # Optional details the source asks for: related stacks ("E2E_RELATED: map,unmap") and facts
    # ("E2E_FACTS: map_size=34816 unmap_size=32768") of the first finding of the expected check,
    # and the thread it names ("E2E_TID: 0").
    first = next((r for r in violations if r["check"] == a.expect), None) if a.expect else None
    if first:
        for what in filter(None, source_setting(a.source, "E2E_RELATED").split(",")):
            rel = [x for x in first.get("related", []) if x.get("what") == what and x.get("stack")]
            if not rel:
                fail.append("no related '%s' stack in the %s report" % (what, a.expect))
        want_stack = [f for f in source_setting(a.source, "E2E_STACK").split(",") if f]
        got_stack = [f.get("function") for f in first.get("stack", []) if not f.get("internal")]
        if want_stack and got_stack[:len(want_stack)] != want_stack:
            fail.append("the %s report's stack is %s, expected it to begin with %s" %
                        (a.expect, got_stack, want_stack))
        for kv in source_setting(a.source, "E2E_FACTS").split():
            key, _, val = kv.partition("=")
            got = first.get("facts", {}).get(key)
            if str(got) != val:
                fail.append("fact %s is %r, expected %s" % (key, got, val))
    # "E2E_FUNCTION: name": the first finding's innermost frame outside the DMA layer is in that
    # function (what SUMMARY and the suggested suppression key name).
    func = source_setting(a.source, "E2E_FUNCTION")
    if first and func:
        frame = next((f for f in first.get("stack", []) if not f.get("internal")), {})
        if frame.get("function") != func:
            fail.append("the %s report is in %s, expected %s" % (a.expect, frame.get("function"),
                                                                 func))
    tid = source_setting(a.source, "E2E_TID")
    if first and tid and str(first.get("tid")) != tid:
        fail.append("the %s report names thread T%s, expected T%s" % (a.expect, first.get("tid"), tid))
    if first and a.at:
        frame = next((f for f in first.get("stack", []) if not f.get("internal")), {})
        where = "%s:%s" % (os.path.basename(frame.get("file", "?")), frame.get("line", "?"))
        if where != a.at:
            fail.append("the %s report is at %s, expected %s" % (a.expect, where, a.at))
    for spec in a.related_at if first else []:
        what, _, want = spec.partition("=")
        rel = next((x for x in first.get("related", []) if x.get("what") == what), {})
        frame = next((f for f in rel.get("stack", []) if not f.get("internal")), {})
        where = "%s:%s" % (os.path.basename(frame.get("file", "?")), frame.get("line", "?"))
        if where != want:
            fail.append("the %s report's related %s stack is at %s, expected %s"
                        % (a.expect, what, where, want))
    if first and a.user_module:
        frame = next((f for f in first.get("stack", []) if not f.get("internal")), {})
        got = os.path.basename(frame.get("module") or "?")
        if got != a.user_module:
            fail.append("the %s report's first user frame is in module %s, expected %s"
                        % (a.expect, got, a.user_module))
    if first and a.device and first.get("device") != a.device:
        fail.append("the %s report names device %r, expected %s" % (a.expect, first.get("device"),
                                                                  a.device))
    if a.clean:
        if violations:
            fail.append("expected no findings, got %s" % found)
        if proc.returncode != 0:
            fail.append("exit status %d for a correct program" % proc.returncode)
    if a.expect and not recs:
        fail.append("no JSON Lines file was written in %s" % a.outdir)
    for f in fail:
        print("e2e_check: FAIL:", f, file=sys.stderr)
    return 1 if fail else 0


if __name__ == "__main__":
    sys.exit(main())
