#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The gate on processes that died: usage: check_died.py LIBDMASAN DMASAN_REPORT OUTDIR DIE

DIE (runtime/die.c) runs under the preload with json_path, next to a process that does no DMA
(/bin/true), in one directory per way of ending. Exit normally: both leave files with their
summary records and dmasan-report exits 0. abort, SIGKILL, _exit, SIGSEGV: the DMA program's file
has its run record and no summary record, and dmasan-report exits 3 naming it. Without the
preload (dmasan never loaded) the directory stays empty: exit 3, "dmasan was not loaded". A
configuration error (a suppressions file that does not exist) ends DIE with exit status 2, not
the findings' 1."""
import os
import shutil
import subprocess
import sys


def report(tool, d):
    p = subprocess.run([tool, "--format", "summary", d], capture_output=True, text=True)
    return p.returncode, p.stderr


def main():
    lib, tool, out, die = sys.argv[1:5]
    errs = []
    for how, want in (("exit", 0), ("abort", 3), ("kill", 3), ("_exit", 3), ("segv", 3)):
        d = os.path.join(out, how)
        shutil.rmtree(d, ignore_errors=True)
        env = dict(os.environ, LD_PRELOAD=lib, DMASAN_OPTIONS="json_path=" + d + "/run")
        subprocess.run([die, how], env=env, capture_output=True)
        subprocess.run(["/bin/true"], env=env, check=True)
        files = sorted(os.listdir(d)) if os.path.isdir(d) else []
        rc, err = report(tool, d)
        print(f"{how}: files {files}, dmasan-report exit {rc}\n{err}")
        if len(files) != 2:
            errs.append(f"{how}: expected a file per process (the DMA program and /bin/true)")
        if rc != want:
            errs.append(f"{how}: dmasan-report exit status {rc}, expected {want}")
        if want == 3 and f"({die}) has no summary record" not in err:
            errs.append(f"{how}: the process without a summary record is not named")
    d = os.path.join(out, "not-loaded")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)  # as DmasanTest.cmake's fixture leaves it
    env = dict(os.environ, DMASAN_OPTIONS="json_path=" + d + "/run")
    env.pop("LD_PRELOAD", None)
    subprocess.run([die, "exit"], env=env, capture_output=True)
    rc, err = report(tool, d)
    print(f"not loaded: dmasan-report exit {rc}\n{err}")
    if rc != 3 or "dmasan was not loaded" not in err:
        errs.append("an empty directory must give exit status 3 and say dmasan was not loaded")
    env = dict(os.environ, LD_PRELOAD=lib, DMASAN_OPTIONS="suppressions=/nonexistent/dmasan.supp")
    p = subprocess.run([die, "exit"], env=env, capture_output=True, text=True)
    print(f"configuration error: exit {p.returncode}\n{p.stderr}")
    if p.returncode != 2 or "failed to parse suppressions" not in p.stderr:
        errs.append(f"a configuration error must end the program with 2, not {p.returncode}")
    for e in errs:
        print("error:", e)
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
