#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""json_path and log_path in directories that do not exist yet are created like `mkdir -p`
(0755 under umask 022); paths where no file can be created are an error at start-up, before any
report, and checking goes on (the finding is still reported on stderr, exit status 1)."""
import glob, json, os, shutil, stat, subprocess, sys

lib, outdir, prog = sys.argv[1:4]
shutil.rmtree(outdir, ignore_errors=True)
os.makedirs(outdir)


def run(opts):
    env = dict(os.environ, LD_PRELOAD=lib, DMASAN_OPTIONS=opts)
    return subprocess.run([prog], env=env, capture_output=True, text=True,
                          preexec_fn=lambda: os.umask(0o022))


errs = []
deep = os.path.join(outdir, "new", "deeper")
p = run(f"json_path={deep}/run:log_path={outdir}/logs/run")
files = glob.glob(os.path.join(deep, "run.*.jsonl"))
if len(files) != 1:
    errs.append(f"expected one JSON file in {deep}, found {files}; stderr:\n{p.stderr}")
else:
    checks = [json.loads(l).get("check") for l in open(files[0]) if l.strip()]
    if "double-unmap" not in checks:
        errs.append(f"no double-unmap record in {files[0]}: {checks}")
if not glob.glob(os.path.join(outdir, "logs", "run.*")):
    errs.append("no text log in the created logs/ directory")
for d in (os.path.join(outdir, "new"), deep, os.path.join(outdir, "logs")):
    if os.path.isdir(d) and stat.S_IMODE(os.stat(d).st_mode) != 0o755:
        errs.append(f"{d}: mode {oct(os.stat(d).st_mode)}, expected 0755")

blocker = os.path.join(outdir, "a-file")
open(blocker, "w").close()
p = run(f"json_path={blocker}/sub/run:log_path={blocker}/log")
first = p.stderr.find("double-unmap")
for name in ("json_path", "log_path"):
    at = p.stderr.find(f"ERROR: DMASanitizer: {name}={blocker}/")
    if at < 0 or (first >= 0 and at > first):
        errs.append(f"no start-up error for {name} before the report:\n{p.stderr}")
if first < 0 or p.returncode != 1:
    errs.append(f"checking must go on (double-unmap on stderr, exit 1); exit {p.returncode}")
for e in errs:
    print("error:", e)
sys.exit(1 if errs else 0)
