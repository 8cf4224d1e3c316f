#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Keep the outputs shown in README.md and docs/*.md true to the code.

A fenced block directly after a line

    <!-- output: COMMAND -->

shows what COMMAND prints (stdout and stderr together). COMMAND runs in a shell from the
source directory with $BUILD set to the build directory. Both sides are normalised before
comparing (pids, addresses, the checkout's path, thread-local details), so the check is stable
across machines.

  doc_outputs.py --build DIR [--update] FILE...    exit 1 if a block differs (or was updated)
"""
import argparse
import os
import re
import subprocess
import sys

MARK = re.compile(r"^<!-- output: (.*) -->\s*$")
SRC = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", ".."))


def display(text, build):
    """What the docs show: paths relative to the checkout, the build directory as build/."""
    text = text.replace(os.path.realpath(build) + "/", "build/").replace(SRC + "/", "")
    return "\n".join(line.rstrip() for line in text.replace(SRC, ".").strip().splitlines())


def normalise(text, build):
    """What is compared: also without pids and addresses."""
    text = display(text, build)
    text = re.sub(r"==\d+==", "==PID==", text)
    text = re.sub(r"0x[0-9a-f]{6,16}", "0x…", text)
    text = re.sub(r"\b([DP])=[0-9a-f]{6,16}\b", r"\1=…", text)  # the kernel dump format
    text = re.sub(r"\bidx \d+", "idx …", text)
    text = re.sub(r"\+0x[0-9a-f]+\)", "+0x…)", text)
    # libc's own frames differ between builds of glibc: keep their function names only
    text = re.sub(r"(in __libc_\w+) \S+:\d+(:\d+)?", r"\1", text)
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def run(cmd, build):
    env = dict(os.environ, BUILD=build)
    proc = subprocess.run(cmd, shell=True, cwd=SRC, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=300)
    return proc.stdout


def process(path, build, update):
    lines = open(path, encoding="utf-8").read().split("\n")
    out, i, stale = [], 0, 0
    while i < len(lines):
        out.append(lines[i])
        m = MARK.match(lines[i])
        if not m or i + 1 >= len(lines) or not lines[i + 1].startswith("```"):
            i += 1
            continue
        fence = lines[i + 1]
        j = i + 2
        while j < len(lines) and lines[j] != "```":
            j += 1
        shown = "\n".join(lines[i + 2:j])
        actual = run(m.group(1), build)
        if normalise(shown, build) != normalise(actual, build):
            stale += 1
            print("%s:%d: output of `%s` differs from the code's" % (path, i + 1, m.group(1)),
                  file=sys.stderr)
            if not update:
                import difflib
                sys.stderr.writelines(difflib.unified_diff(
                    (normalise(shown, build) + "\n").splitlines(True),
                    (normalise(actual, build) + "\n").splitlines(True), "shown", "actual"))
        body = display(actual, build) if update else shown
        out.extend([fence] + body.split("\n") + ["```"])
        i = j + 1
    if update and stale:
        open(path, "w", encoding="utf-8").write("\n".join(out))
    return stale


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--update", action="store_true")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    stale = sum(process(f, a.build, a.update) for f in a.files)
    print("doc_outputs: %d block(s) %s" % (stale, "updated" if a.update else "differ"))
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
