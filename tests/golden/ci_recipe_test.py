#!/usr/bin/env python3
"""Runs the dmasan-report commands of a docs/ci.md recipe on recorded findings and checks what
they produce, so the documented pipeline is the tested one.
usage: ci_recipe_test.py github|gitlab CI_MD TOOL INPUTS SUPPRESSIONS WORKDIR SCHEMA
The commands are the `run:` (GitHub) or `script:` (GitLab) lines starting with dmasan-report in
the YAML block after <!-- ci-test: NAME -->."""
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_junit  # noqa: E402
import validate_sarif  # noqa: E402

# The recorded runs (inputs/run1) were made in /home/ci/src; live runs set DMASAN_CI_CHECKOUT.
CHECKOUT = os.environ.get("DMASAN_CI_CHECKOUT", "/home/ci/src")


def recipe(doc, name):
    text = open(doc).read()
    m = re.search(r"<!-- ci-test: %s -->\s*```yaml\n(.*?)```" % name, text, re.S)
    if not m:
        sys.exit(f"no YAML block marked ci-test: {name} in {doc}")
    return m.group(1)


def commands(yaml):
    cmds = []
    for line in yaml.splitlines():
        m = re.match(r"\s*(?:run:|-)\s+(dmasan-report .*)$", line)
        if m:
            cmds.append(m.group(1))
    return cmds


def lacks(yaml, *needs):
    return [f"recipe lacks '{n}'" for n in needs if n not in yaml]


def run_all(cmds, work, env):
    rcs = []
    for c in cmds:
        p = subprocess.run(["bash", "-c", c], cwd=work, env=env, capture_output=True, text=True)
        print(f"$ {c}\n{p.stdout[-2000:]}{p.stderr[-2000:]}exit {p.returncode}")
        rcs.append(p.returncode)
    return rcs


def main():
    name, doc, tool, inputs, supp, work, schema = sys.argv[1:8]
    yaml = recipe(doc, name)
    cmds = commands(yaml)
    errs = []
    min_results = int(os.environ.get("DMASAN_CI_MIN_RESULTS", "5"))
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    shutil.copytree(inputs, os.path.join(work, "dmasan-json"))
    shutil.copy(supp, os.path.join(work, ".dmasan.supp"))
    env = dict(os.environ, PATH=os.path.dirname(os.path.abspath(tool)) + ":" + os.environ["PATH"],
               GITHUB_WORKSPACE=CHECKOUT, CI_PROJECT_DIR=CHECKOUT)
    rcs = run_all(cmds, work, env)
    if len(cmds) < 2:
        errs.append(f"expected a report command and a gate command, found {cmds}")
    elif rcs[:-1] != [0] * (len(rcs) - 1) or rcs[-1] != 1:
        errs.append(f"exit statuses {rcs}: report steps must exit 0, the gate 1 on these findings")
    if name == "github":
        errs += lacks(yaml, "github/codeql-action/upload-sarif", "sarif_file: dmasan.sarif",
                      "security-events: write", "if: always()")
        sarif = os.path.join(work, "dmasan.sarif")
        if not os.path.exists(sarif):
            errs.append("no dmasan.sarif")
        else:
            rc = subprocess.run([sys.executable, validate_sarif.__file__, schema, sarif,
                                 str(min_results)]).returncode
            if rc not in (0, validate_sarif.SKIP):
                errs.append("dmasan.sarif is not valid")
            results = json.load(open(sarif))["runs"][0]["results"]
            uris = [loc["physicalLocation"]["artifactLocation"]["uri"]
                    for r in results for loc in r.get("locations", []) + r.get("relatedLocations", [])]
            if not uris or any(u.startswith(("/", "file:")) for u in uris):
                errs.append(f"locations must be relative to the checkout: {uris}")
    else:
        errs += lacks(yaml, "when: always", "reports:", "junit: dmasan-junit.xml")
        xml = os.path.join(work, "dmasan-junit.xml")
        if not os.path.exists(xml):
            errs.append("no dmasan-junit.xml")
        else:
            sys.argv = ["check_junit.py", xml, str(min_results)]
            if check_junit.main():
                errs.append("dmasan-junit.xml is not well-formed JUnit")
    for e in errs:
        print("error:", e)
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
