#!/usr/bin/env python3
"""Well-formedness and shape of dmasan-report's JUnit XML for GitLab/Jenkins: the counts in
<testsuites>/<testsuite> match the testcases, classname+name pairs are unique, each failure has a
message, a type and the full text report as its body.
usage: check_junit.py FILE.xml MIN_TESTCASES"""
import sys
import xml.etree.ElementTree as ET


def main():
    root = ET.parse(sys.argv[1]).getroot()
    min_cases = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    errs = []
    if root.tag != "testsuites":
        errs.append("root is not <testsuites>")
    suites = root.findall("testsuite")
    cases = [c for s in suites for c in s.findall("testcase")]
    if len(cases) < min_cases:
        errs.append(f"{len(cases)} testcases, expected at least {min_cases}")
    fails = [c for c in cases if c.find("failure") is not None]
    skips = [c for c in cases if c.find("skipped") is not None]
    for el, cs in [(root, cases)] + [(s, s.findall("testcase")) for s in suites]:
        got = {k: int(el.get(k, -1)) for k in ("tests", "failures", "errors", "skipped")}
        want = {"tests": len(cs), "failures": sum(c.find("failure") is not None for c in cs),
                "errors": 0, "skipped": sum(c.find("skipped") is not None for c in cs)}
        if got != want:
            errs.append(f"<{el.tag}> counts {got} != {want}")
    keys = [(c.get("classname"), c.get("name")) for c in cases]
    if len(set(keys)) != len(keys):
        errs.append("classname+name pairs are not unique")
    for c in cases:
        if not (c.get("classname") or "").startswith("dmasan."):
            errs.append(f"testcase {c.get('name')}: classname {c.get('classname')}")
        f = c.find("failure")
        if f is not None and not (f.get("message") and f.get("type") and
                                  "SUMMARY: DMASanitizer:" in (f.text or "")):
            errs.append(f"testcase {c.get('name')}: failure lacks message, type or report body")
    for e in errs:
        print("error:", e)
    print(f"{sys.argv[1]}: {len(cases)} testcases, {len(fails)} failures, {len(skips)} skipped: "
          f"{'BAD' if errs else 'ok'}")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
