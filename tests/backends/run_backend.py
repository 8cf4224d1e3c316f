#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run a group C program under a CPU-access backend and check the outcome.

  run_backend.py --preload LIBS --outdir DIR [--wrap CMD] [--check ID | --clean]
                 [--stderr REGEX] [--no-stderr REGEX] -- PROGRAM [ARGS...]

LIBS is the LD_PRELOAD value (e.g. libasan.so:libdmasan.so). --wrap runs the program under
another tool (valgrind ...). --check: the JSON Lines output holds a violation with that id;
--clean: none at all, and exit status 0 (a fixed program checks it read the device's data).
--stderr/--no-stderr: a regex the tool's output must (not) contain, for
reports that come from the backend itself (memcheck's).
"""
import argparse, glob, json, os, re, shlex, shutil, subprocess, sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--preload", default="")  # empty: the launcher in --wrap preloads
    ap.add_argument("--outdir", required=True)
    ap.add_argument("--wrap", default="")
    ap.add_argument("--options", default="")
    ap.add_argument("--check")
    ap.add_argument("--clean", action="store_true")
    ap.add_argument("--stderr")
    ap.add_argument("--no-stderr")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd[:1] == ["--"] else a.cmd
    shutil.rmtree(a.outdir, ignore_errors=True)
    os.makedirs(a.outdir)
    env = dict(os.environ, LD_PRELOAD=a.preload) if a.preload else dict(os.environ)
    env.update(
        DMASAN_OPTIONS=":".join(filter(None, ["json_path=" + a.outdir + "/out", a.options])))
    proc = subprocess.run(shlex.split(a.wrap) + cmd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=600)
    sys.stdout.write(proc.stdout)
    found = set()
    for path in glob.glob(os.path.join(a.outdir, "out.*.jsonl")):
        for line in open(path, encoding="utf-8"):
            if line.strip():
                rec = json.loads(line)
                if rec.get("type") == "violation":
                    found.add(rec["check"])
    fail = []
    if a.check and a.check not in found:
        fail.append("expected a '%s' finding, got %s" % (a.check, sorted(found) or "none"))
    if a.clean and found:
        fail.append("expected no findings, got %s" % sorted(found))
    if a.clean and proc.returncode != 0:
        fail.append("exit status %d for a correct program" % proc.returncode)
    if a.stderr and not re.search(a.stderr, proc.stdout):
        fail.append("output lacks /%s/" % a.stderr)
    if a.no_stderr and re.search(a.no_stderr, proc.stdout):
        fail.append("output has /%s/" % a.no_stderr)
    for f in fail:
        print("run_backend: FAIL:", f, file=sys.stderr)
    return 1 if fail else 0


if __name__ == "__main__":
    sys.exit(main())
