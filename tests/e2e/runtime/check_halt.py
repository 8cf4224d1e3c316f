#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""halt_on_error=1: exactly one violation recorded, the marker after the bugs never printed,
exit status = exitcode (1)."""
import glob, json, os, shutil, subprocess, sys

lib, outdir, prog = sys.argv[1:4]
shutil.rmtree(outdir, ignore_errors=True)
os.makedirs(outdir)
env = dict(os.environ, LD_PRELOAD=lib,
           DMASAN_OPTIONS="halt_on_error=1:json_path=" + os.path.join(outdir, "out"))
p = subprocess.run([prog], env=env, stdout=subprocess.PIPE, text=True)
recs = []
for path in glob.glob(os.path.join(outdir, "out.*.jsonl")):
    with open(path) as f:
        recs += [json.loads(l) for l in f if l.strip()]
v = [r["check"] for r in recs if r.get("type") == "violation"]
assert v == ["unmap-size-mismatch"], v
assert "REACHED-AFTER-ERRORS" not in p.stdout
assert p.returncode == 1, p.returncode
print("ok")
