#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Generate docs/checks.md from src/common/checks.inc and real reports of the e2e programs.

  gen_checks_md.py SRCDIR E2EDIR LIBDMASAN [--check]

For every group A/B check it runs E2EDIR/e2e_<id> under LIBDMASAN and pastes the text report
of that check (paths made relative to SRCDIR). --check: do not write; fail if docs/checks.md
lacks a section or a real report for a check (the e2e tests keep the reports themselves honest).
"""
import os
import re
import subprocess
import sys

# When a check fires, where that needs more than its one-line definition.
WHEN = {
    "unaligned-mapping": [
        "The rule is about other data in the mapping's cache lines, so dmasan decides from the",
        "allocation, not from the address alone. The bytes sharing the mapping's first and last line",
        "are either:",
        "",
        "- **slack of the buffer's own kmalloc object**: skb headroom in front of `skb->data`",
        "  (offset 66 = `NET_SKB_PAD + NET_IP_ALIGN`), a dword-aligned block buffer alone in its",
        "  object, the unused tail of a rounded-up allocation. kmalloc aligns and rounds every object",
        "  to the DMA alignment, so no other object reaches into those lines. Not a finding, unless",
        "  the CPU writes those bytes while the device owns the line (a field of the same struct",
        "  updated during the transfer, metadata pushed into the headroom too early): then the",
        "  warning comes at the sync or unmap that found the write, together with",
        "  `shared-cacheline-write`;",
        "- **memory outside the buffer's allocation**: another object, static or stack data, libc or",
        "  page memory whose other users dmasan cannot know. Reported at map time.",
        "",
        "So `kmalloc(66 + len)` mapped at offset 66 and `kmalloc(len + 8)` mapped at offset 4 are",
        "silent (`tests/e2e/variants/unaligned-mapping.skb-headroom.c`, `.dword-aligned.c`, fixed",
        "twins), while a receive buffer embedded in a struct next to a field the driver updates",
        "during the transfer (`tests/e2e/unaligned-mapping.c`) or carved out of a static array",
        "(`.dword-aligned.c`) is reported. Coherent devices are never warned: they have no cache",
        "maintenance to get wrong.",
    ],
}


def catalogue(srcdir):
    text = open(os.path.join(srcdir, "src/common/checks.inc"), encoding="utf-8").read()
    s = r'\s*"((?:[^"\\]|\\.)*)"'
    pat = re.compile(r'DMASAN_CHECK\((\w+),\s*"([^"]+)",\s*(\w+),\s*(\w),' + s + ',' + s + ',' + s +
                     ',' + s + r'\)', re.S)
    return [dict(id=m[0], sev=m[1].lower(), group=m[2], kernel=m[3], what=m[4], why=m[5], fix=m[6])
            for m in (x.groups()[1:] for x in pat.finditer(text))]


VALGRIND_ONLY = {"uninit-to-device": "vg_uninit_buggy"}  # needs memcheck's definedness


def source_of(cid, srcdir):
    if cid in VALGRIND_ONLY:
        return "tests/e2e/valgrind/%s.c" % cid
    return "tests/e2e/%s.c" % cid


def real_report(e2edir, lib, cid, srcdir):
    prog = [os.path.join(e2edir, "e2e_" + cid)]
    if cid in VALGRIND_ONLY:
        prog = ["valgrind", "-q", "--suppressions=" + os.path.join(srcdir, "tools/valgrind/dmasan.supp"),
                os.path.join(e2edir, "..", "backends", VALGRIND_ONLY[cid])]
    src = open(os.path.join(srcdir, source_of(cid, srcdir)), encoding="utf-8").read()
    env = dict(os.environ, LD_PRELOAD=lib, DMASAN_OPTIONS="symbolize=1")
    for key, var in (("E2E_OPTIONS", None), ("E2E_KDMA_OPTIONS", "KDMA_OPTIONS")):
        m = re.search(key + r":\s*(\S+)", src)
        if m and var:
            env[var] = m.group(1)
    p = subprocess.run(prog, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                       text=True)
    build = os.path.realpath(os.path.join(e2edir, "..", ".."))
    lines = p.stderr.replace(build + "/", "build/").replace(srcdir.rstrip("/") + "/", "")
    lines = lines.splitlines()
    start = next((i for i, l in enumerate(lines) if re.search(r"(ERROR|WARNING): DMASanitizer: " + re.escape(cid) + r"\b", l)), None)
    if start is None:
        return None
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("SUMMARY: DMASanitizer: " + cid) or i == len(lines) - 1)
    block = lines[start - 1 if start and lines[start - 1].startswith("====") else start:end + 1]
    return "\n".join(block)


def main():
    srcdir, e2edir, lib = (os.path.abspath(a) for a in sys.argv[1:4])
    check_only = "--check" in sys.argv
    out_path = os.path.join(srcdir, "docs/checks.md")
    checks = catalogue(srcdir)
    if check_only:
        doc = open(out_path, encoding="utf-8").read()
        bad = [c["id"] for c in checks if '<a id="%s"></a>' % c["id"] not in doc]
        bad += [c["id"] + " (no real report)" for c in checks
                if not re.search(r"(ERROR|WARNING): DMASanitizer: %s\b" % re.escape(c["id"]), doc)]
        for b in bad:
            print("docs/checks.md: missing", b, file=sys.stderr)
        return 1 if bad else 0
    out = ["# dmasan checks", "",
           "Every report carries one check id (the contract: `ERROR: DMASanitizer: <id>`, the JSON",
           "`\"check\"`, the SARIF rule and the suppression type). Groups: **A** API bookkeeping (the",
           "kernel's CONFIG_DMA_API_DEBUG checks, sharper), **B** memory lifetime, **C** ownership.",
           "Reports below are real: `tests/e2e/gen_checks_md.py` regenerates this file from",
           "`src/common/checks.inc` and the end-to-end programs `tests/e2e/<id>.c` (each modelled on a",
           "real kernel fix, cited in the file); the test `e2e_docs_checks` fails when a section or a",
           "report is missing. Disable a check with `DMASAN_OPTIONS=check_<id_with_underscores>=0`.", ""]
    for g, title in (("A", "A. API bookkeeping"), ("B", "B. Memory lifetime"), ("C", "C. Ownership")):
        out += ["## " + title, ""]
        for c in (c for c in checks if c["group"] == g):
            out += ['<a id="%s"></a>' % c["id"], "### %s (%s)" % (c["id"], c["sev"]), ""]
            out += ["**What it means.** " + c["what"].replace('\\"', '"') + ".", ""]
            out += ["**Why it is a bug.** " + c["why"].replace('\\"', '"') + ".", ""]
            if c["id"] in WHEN:
                out += ["**When it is reported.** " + WHEN[c["id"]][0]] + WHEN[c["id"]][1:] + [""]
            kern = ("The kernel's CONFIG_DMA_API_DEBUG says: \"%s\"." % c["kernel"]) if c["kernel"] \
                else ("None: the kernel's DMA debug layer checks bookkeeping only; the ownership "
                      "layer is described in [ownership.md](ownership.md)." if g == "C"
                      else "The kernel's DMA debug layer has no such message (see the catalogue).")
            out += ["**Kernel analogue.** " + kern, ""]
            rep = real_report(e2edir, lib, c["id"], srcdir)
            out += ["**A real report** (`%s`):" % source_of(c["id"], srcdir), "", "```",
                    rep or "(no report captured: run tests/e2e/gen_checks_md.py)", "```", ""]
            out += ["**How to fix.** " + c["fix"] + ".", ""]
    out += ["## How the checks see the driver", "",
            "libkdma calls the sanitizer's hook table (`src/common/kdma_hooks.h`) at the places where",
            "kernel/dma/mapping.c calls `debug_dma_*()`, and only from its exported entry points, so an",
            "internal path (dma_map_sgtable, dma_pool chunks, devres) is never tracked twice. The preload",
            "also interposes `free`, `realloc`, `reallocarray`, `munmap` and `mremap` for group B.",
            "The live-mapping table keeps per mapping: device, handle, size, kind (single and page apart),",
            "direction, sg counts, CPU and physical address, map-error state, attributes, and the stacks of",
            "the map and of the last sync in each direction; unmapped entries stay in a 4096-entry history",
            "so later misuse names where the mapping was made and unmapped.", "",
            "Limits worth knowing:", "",
            "- Ranges are whole mappings, not first cache lines: overlaps anywhere in the range count, and",
            "  `sync-out-of-range` (dead in the kernel) fires. Overlap is by bytes; sharing a cache line",
            "  without sharing bytes is `unaligned-mapping` / `shared-cacheline-write` (group C).",
            "- The kernel's 2026 exemption of platforms without a DMA alignment (x86) is not applied: dmasan",
            "  models the strictest platform.",
            "- For an sg list coalesced by an IOMMU, output segment i is paired with input entry i's memory,",
            "  as in the kernel, so `freed-while-mapped`/`overlapping-mapping` see only those entries.",
            "- `map-invalid-area` asks the kernel (`mincore`) whether memory is mapped, with a per-thread",
            "  cache that munmap/mremap through the interceptors invalidate; glibc's internal unmaps are not",
            "  seen, which can only hide a report, never invent one.",
            "- `map-from-stack` knows the stacks of the main thread and of every thread that entered the",
            "  sanitizer (a DMA call or a simulated device access).", ""]
    with open(out_path, "w", encoding="utf-8") as f:
        f.write("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
