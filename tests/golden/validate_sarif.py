#!/usr/bin/env python3
"""Validate a SARIF file against the OASIS SARIF 2.1.0 schema (Draft 7) and against what GitHub
code scanning needs. Exit 0 ok, 1 invalid, 77 schema absent (skip).
usage: validate_sarif.py SCHEMA FILE.sarif [MIN_RESULTS]"""
import json
import os
import re
import sys

SKIP = 77


def main():
    schema_path, sarif_path = sys.argv[1], sys.argv[2]
    min_results = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    if not os.path.exists(schema_path):
        print(f"SARIF schema not found at {schema_path} (../shared/data beside the checkout); skipping")
        return SKIP
    import jsonschema
    with open(schema_path) as f:
        schema = json.load(f)
    with open(sarif_path) as f:
        log = json.load(f)
    errors = [f"{'/'.join(map(str, e.path))}: {e.message}"
              for e in jsonschema.Draft7Validator(schema).iter_errors(log)]
    errors += github_checks(log, min_results)
    for e in errors:
        print("error:", e)
    print(f"{sarif_path}: {'INVALID' if errors else 'valid'} "
          f"({sum(len(r.get('results', [])) for r in log.get('runs', []))} results)")
    return 1 if errors else 0


def github_checks(log, min_results):
    errs = []
    if log.get("version") != "2.1.0" or "$schema" not in log:
        errs.append("version 2.1.0 and $schema are required")
    for run in log.get("runs", []):
        drv = run["tool"]["driver"]
        for k in ("name", "informationUri", "version", "rules"):
            if k not in drv:
                errs.append(f"tool.driver.{k} missing")
        rules = drv.get("rules", [])
        ids = [r["id"] for r in rules]
        if len(set(ids)) != len(ids):
            errs.append("duplicate rule ids")
        for r in rules:
            for k in ("shortDescription", "fullDescription", "help", "helpUri", "defaultConfiguration"):
                if k not in r:
                    errs.append(f"rule {r['id']}: {k} missing")
        results = run.get("results", [])
        if len(results) < min_results:
            errs.append(f"{len(results)} results, expected at least {min_results}")
        for i, res in enumerate(results):
            where = f"result {i} ({res.get('ruleId')})"
            if res.get("ruleId") not in ids:
                errs.append(f"{where}: ruleId not among the rules")
            elif "ruleIndex" in res and ids[res["ruleIndex"]] != res["ruleId"]:
                errs.append(f"{where}: ruleIndex points at another rule")
            if res.get("level") not in ("error", "warning", "note", "none"):
                errs.append(f"{where}: bad level")
            if not res.get("partialFingerprints"):
                errs.append(f"{where}: no partialFingerprints")
            for loc in res.get("locations", []) + res.get("relatedLocations", []):
                pl = loc.get("physicalLocation", {})
                uri = pl.get("artifactLocation", {}).get("uri", "")
                if re.match(r"^[a-z]+:", uri) and not uri.startswith("file:"):
                    errs.append(f"{where}: uri {uri} is neither relative nor file:")
                if "uriBaseId" in pl.get("artifactLocation", {}) and uri.startswith("/"):
                    errs.append(f"{where}: uri with uriBaseId must be relative")
                if pl.get("region", {}).get("startLine", 1) < 1:
                    errs.append(f"{where}: startLine < 1")
            if not res.get("locations") and not res.get("suppressions"):
                print(f"note: {where} has no source location (GitHub will not show it)")
            links = set(int(x) for x in re.findall(r"(?<!\\)\]\((\d+)\)", res["message"]["text"]))
            rel = set(r["id"] for r in res.get("relatedLocations", []))
            if links != rel:
                errs.append(f"{where}: message links {sorted(links)} != relatedLocations {sorted(rel)}")
    return errs


if __name__ == "__main__":
    sys.exit(main())
