#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs a documented CI recipe verbatim, from the `dmasan --json` step to the gate, on a tiny
CMake project with a failing test (a DMA bug) and a passing one, and checks that the JSON files
were written and the gate's exit status is 1 (with "clean" after FIXED: both tests pass, and the
gate's exit status is 0).
usage: ci_recipe_live_test.py KIND DOC LAUNCHER TOOL PROJECT WORK BUGGY FIXED [clean]
KIND: github, gitlab (YAML blocks of docs/ci.md), sh (a ```sh block of README.md or
docs/guide.md), man (the example line of dmasan(1)); each is marked `ci-test: NAME` in the doc."""
import glob
import os
import re
import shutil
import subprocess
import sys


def block(kind, doc):
    text = open(doc).read()
    if kind == "man":
        m = re.search(r'^\.\\" ci-test: man\n(.*)$', text, re.M)
        return m and m.group(1).replace("\\-", "-")
    name, lang = (kind, "yaml") if kind in ("github", "gitlab") else (r"\w+", "sh")
    m = re.search(r"<!-- ci-test: %s -->\s*```%s\n(.*?)```" % (name, lang), text, re.S)
    return m and m.group(1)


def github_steps(yaml):
    """[(command, always)] of the `run:` steps, in order."""
    steps = []
    for line in yaml.splitlines():
        if re.match(r"\s*- (name|uses):", line):
            steps.append([None, False])
        elif steps and re.match(r"\s*if: always\(\)", line):
            steps[-1][1] = True
        elif steps and (m := re.match(r"\s*run:\s+(.*)$", line)):
            steps[-1][0] = m.group(1)
    return [(c, a) for c, a in steps if c]


def sh(cmd, cwd, env, errexit=True):
    # GitHub runs `run:` with bash -e -o pipefail; GitLab's script lines stop at a failure. The
    # man page's example is a line for an interactive shell.
    opts = ["-e", "-o", "pipefail"] if errexit else []
    p = subprocess.run(["bash", *opts, "-c", cmd], cwd=cwd, env=env, capture_output=True,
                       text=True)
    print(f"$ {cmd}\n{p.stdout[-3000:]}{p.stderr[-3000:]}exit {p.returncode}")
    return p.returncode


def main():
    kind, doc, launcher, tool, project, work, buggy, fixed = sys.argv[1:9]
    clean = sys.argv[9:] == ["clean"]
    recipe = block(kind, doc)
    if not recipe:
        sys.exit(f"no recipe marked ci-test in {doc}")
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(project, work)
    with open(os.path.join(work, "programs.cmake"), "w") as f:
        f.write(f'set(BUGGY "{buggy}")\nset(FIXED "{fixed}")\n')
    bindir = os.path.join(work, "bin")
    os.makedirs(bindir)
    os.symlink(os.path.abspath(launcher), os.path.join(bindir, "dmasan"))
    os.symlink(os.path.abspath(tool), os.path.join(bindir, "dmasan-report"))
    env = dict(os.environ, PATH=bindir + ":" + os.environ["PATH"], GITHUB_WORKSPACE=work,
               CI_PROJECT_DIR=work)
    env.pop("DMASAN_OPTIONS", None)
    errs = []
    if kind == "github":
        ran, failed = [], False
        for cmd, always in github_steps(recipe):
            if failed and not always:
                continue
            rc = sh(cmd, work, env)
            failed |= rc != 0
            ran.append((cmd, rc))
        test_rc = [rc for c, rc in ran if "dmasan --json" in c]
        if test_rc != ([0] if clean else [8]):
            errs.append(f"the test step must run and {'pass' if clean else 'fail (ctest exit 8)'}: {ran}")
        gate = ran[-1][1] if ran else None
    elif kind == "gitlab":
        lines = [m.group(1) for m in re.finditer(r"^    - (.*)$", recipe, re.M)]
        script = "\n".join(lines)  # one shell, stops at the first failing line
        gate = sh(script, work, env)
        if lines and "dmasan-report" not in lines[-1]:
            errs.append("the last script line must be the gate")
    else:
        if subprocess.run(["cmake", "-S", work, "-B", os.path.join(work, "build")],
                          capture_output=True).returncode:
            sys.exit("cannot configure the project")
        cwd = os.path.join(work, "build") if kind == "man" else work
        gate = sh(recipe, cwd, env, errexit=kind != "man")
        work = cwd
    files = glob.glob(os.path.join(work, "*", "*.jsonl"))
    if not files:
        errs.append(f"the recipe wrote no JSON files under {work}")
    if clean and gate != 0:
        errs.append(f"gate exit status {gate}, expected 0 (a clean project)")
    if not clean and gate != 1:
        errs.append(f"gate exit status {gate}, expected 1 (a finding in a failing test)")
    for e in errs:
        print("error:", e)
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
