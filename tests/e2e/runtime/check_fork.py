#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""fork_child under the preload: the child's finding is in <prefix>.<child pid>.jsonl, the
parent's file has none, the child exits with exitcode 1 and the parent with 0."""
import glob, json, os, re, shutil, subprocess, sys

lib, outdir, prog = sys.argv[1:4]
shutil.rmtree(outdir, ignore_errors=True)
os.makedirs(outdir)
env = dict(os.environ, LD_PRELOAD=lib, DMASAN_OPTIONS="json_path=" + os.path.join(outdir, "out"))
proc = subprocess.Popen([prog], env=env, stdout=subprocess.PIPE, text=True)
out, _ = proc.communicate()
print(out)
child = int(re.search(r"child=(\d+)", out).group(1))
status = int(re.search(r"child_status=(-?\d+)", out).group(1))

def checks(pid):
    path = os.path.join(outdir, "out.%d.jsonl" % pid)
    if not os.path.exists(path):
        return []  # a clean process may write no file at all
    with open(path) as f:
        recs = [json.loads(l) for l in f if l.strip()]
    assert any(r.get("type") == "run" and r.get("pid") == pid for r in recs), path
    return [r["check"] for r in recs if r.get("type") == "violation"]

assert checks(child) == ["unmap-size-mismatch"], checks(child)
assert checks(proc.pid) == [], checks(proc.pid)
assert status == 1, "child exit status %d" % status
assert proc.returncode == 0, "parent exit status %d" % proc.returncode
print("ok")
