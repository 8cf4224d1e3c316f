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

WHY = {
    "invalid-unmap": "DMA_MAPPING_ERROR is not an address: a failed map left nothing to release, and the IOMMU or bounce layer may release something else in its place.",
    "unknown-unmap": "the DMA layer releases IOVA space, bounce slots or cache lines that belong to another mapping, or to nobody.",
    "double-unmap": "the second unmap releases resources that may already belong to a new mapping (IOVA reuse, bounce slots): memory corruption that shows up far away.",
    "unmap-size-mismatch": "IOMMU and SWIOTLB release exactly what you pass: a shorter size leaks IOVA space or bounce slots, a longer one frees a neighbour's, and the cache maintenance covers the wrong range.",
    "unmap-wrong-function": "each kind is released by different code (coherent memory is freed, streaming mappings are unmapped and synced); the wrong one leaks or corrupts.",
    "free-cpu-addr-mismatch": "the allocator finds the pages from the CPU address; another address frees the wrong pages or crashes.",
    "unmap-sg-nents-mismatch": "dma_unmap_sg walks the CPU entries; the mapped count is smaller when an IOMMU merged segments, so the tail is never unmapped (and never synced back).",
    "unmap-direction-mismatch": "the direction decides the cache maintenance and the bounce copy at unmap: with the wrong one received data is lost or stale data is written back.",
    "unchecked-map-error": "a map can fail (IOMMU or bounce space exhausted, unreachable memory); the device is then programmed with DMA_MAPPING_ERROR and writes to a wild address.",
    "invalid-direction": "the kernel stops with BUG_ON; the direction decides every cache and bounce operation.",
    "zero-length-map": "a zero-length mapping has no defined address range; implementations differ (some fail, some map a page), and it usually hides a logic error.",
    "map-from-stack": "stacks can be vmapped (not physically contiguous, not translatable) and share cache lines with live locals, which cache invalidation then destroys.",
    "map-from-readonly": "text and rodata may not be DMA-able (read-only, possibly not in the linear map), and a FROM_DEVICE or BIDIRECTIONAL mapping would let the device overwrite code or constants.",
    "map-from-vmalloc": "vmalloc memory is only virtually contiguous; a physical address of its first page does not describe the rest of the buffer.",
    "map-invalid-area": "the device would transfer to or from memory that does not exist or belongs to someone else.",
    "map-resource-ram": "dma_map_resource skips the CPU cache maintenance that RAM needs; RAM must go through dma_map_page/single.",
    "overlapping-mapping": "two device-writable mappings of the same memory make the cache maintenance of one destroy the data of the other (an invalidation throws away what the device or CPU just wrote).",
    "sg-segment-too-long": "the hardware (or its descriptor format) cannot express the length: the transfer is truncated or the descriptor overflows.",
    "sg-segment-boundary": "the DMA engine cannot cross the boundary in one descriptor: it wraps around inside the window and transfers to the wrong address.",
    "sync-unknown": "the sync cannot be carried out (no mapping), so the CPU or the device sees stale data; with an IOMMU the address may already belong to another mapping.",
    "sync-out-of-range": "the cache maintenance or bounce copy touches memory outside the mapping: data of neighbours is invalidated or copied over.",
    "sync-direction-mismatch": "the direction selects the cache operation and the bounce copy; a different one copies in the wrong direction or not at all.",
    "sync-sg-nents-mismatch": "the sync walks the CPU entries; with the mapped count, the tail of a merged list is never synced.",
    "cpu-write-device-owned": "on a non-coherent platform the device never sees the store (it sits in the CPU cache), or the cache write-back later tears what the device wrote; through SWIOTLB the store is simply lost at the next copy.",
    "cpu-read-device-owned": "until dma_sync_*_for_cpu the CPU may hold stale cache lines (non-coherent) or the data is still in the bounce slot (SWIOTLB): the driver parses old bytes, by luck right on x86.",
    "device-access-cpu-owned": "after sync_for_cpu the CPU may have dirty lines for the buffer; without sync_for_device they are written back over what the device writes, or the bounce slot is never refreshed.",
    "device-direction-violation": "the direction decides the cache maintenance, the bounce copies and the IOMMU permissions: a device writing a TO_DEVICE buffer faults behind an IOMMU and is discarded by the invalidation elsewhere.",
    "device-access-unmapped": "the device reads or writes memory it was never given: with an IOMMU it faults, without one it corrupts whatever lives there.",
    "device-use-after-unmap": "the memory may already belong to someone else; in lazy IOMMU mode the stale IOTLB entry lets the write through, exactly the window attackers use.",
    "device-access-out-of-bounds": "bytes past the mapping are not covered by its cache maintenance, bounce slot or IOMMU mapping: they are lost, fault, or corrupt a neighbour.",
    "unaligned-mapping": "cache maintenance works on whole lines: a receive buffer sharing its first or last line with other data loses that data at invalidation, or has its DMA data torn by a write-back.",
    "shared-cacheline-write": "the line is invalidated when the device's data is handed to the CPU, so the CPU's update of the neighbouring field is discarded (or it is written back over the received data).",
    "uninit-to-device": "the device (and anyone behind it: firmware, the network, the other end of a link) receives whatever the allocator left in memory, an information leak.",
    "mapping-leak": "IOVA space, bounce slots and pinned memory leak; after enough unbind/bind cycles mappings fail.",
    "map-overflow": "the device cannot reach the buffer and there is no bounce buffer: every such map fails on the real platform.",
    "swiotlb-full": "the bounce pool is exhausted, so mappings fail; drivers that do not handle DMA_MAPPING_ERROR then crash or corrupt memory.",
    "freed-while-mapped": "the device may still write into memory that now belongs to another allocation, and the unmap later does cache maintenance and bounce copies on it.",
    "coherent-freed-wrongly": "coherent memory comes from a different allocator (remapped, uncached or from a pool); kfree/free corrupts the heap and leaks the DMA memory.",
    "pool-destroy-busy": "the blocks still allocated may still be in use by the device; the kernel leaks the pool's chunks rather than free memory under DMA.",
    "pool-bad-free": "the pool would put a block on its free list that it does not own, or under the wrong DMA address: two users get the same block later.",
    "pool-double-free": "the block is on the free list twice and will be handed to two users at once.",
    "fence-double-signal": "a fence is a one-shot event: the second signal usually comes from a second completion path (reset, timeout, irq) that still thinks the job is pending, and it may set an error after waiters have consumed the success.",
    "fence-use-after-free": "the last put freed the fence (after a grace period in the kernel): the signal or wait reads and writes memory that may already be another object, and callbacks queued on it are lost.",
    "fence-never-signalled": "everyone who waits for the fence (other drivers, the display, user space through sync_file) waits forever; the kernel's only trace is a WARN when the last reference goes with callbacks still queued.",
    "fence-leak": "the fence, and everything its release frees (the job, its buffers, a module reference), stays allocated; repeated, memory runs out.",
    "fence-wait-in-signalling": "the fence being waited for may only signal after the current section completes (the same thread, or a lock held here, is needed to signal it): a deadlock that lockdep reports in the kernel only when it is enabled and the lock chain was seen.",
    "fence-callback-lost": "on -ENOENT the callback is not queued and will never run: the work it does (queue the next job, free the request, complete a waiter) never happens and the caller hangs or leaks.",
    "dmaengine-not-issued": "dmaengine_submit() only queues the descriptor; the transfer starts at dma_async_issue_pending(), so without it the driver waits for a completion that never comes (on some controllers the next unrelated issue starts it, which hides the bug).",
    "dmaengine-wrong-mapping": "the DMA controller, not the client, accesses memory: a handle made for the client device may not be valid for the controller (IOMMU, DMA offsets, masks), and the wrong direction gets the wrong cache maintenance and IOMMU permissions.",
    "dmaengine-unmap-in-flight": "the controller keeps transferring into or out of the buffer: with an IOMMU it faults, without one it corrupts memory that now belongs to someone else.",
    "dmaengine-terminate-no-sync": "dmaengine_terminate_async() only asks the controller to stop: the current transfer and the completion callback may still run, so the buffers (and the data the callback uses) must stay until dmaengine_synchronize() returns.",
    "dmabuf-cpu-access-unbalanced": "the exporter syncs caches (or copies from a bounce or device-local copy) in begin_cpu_access: a CPU access outside the bracket sees stale data, and an unmatched end hands the buffer to the devices with caches the CPU never owned.",
    "dmabuf-cpu-access-direction-mismatch": "the exporter chooses the cache operation by direction: closing a read bracket as a write (or the reverse) skips the clean that makes the CPU's writes visible to the devices, or throws away data.",
    "dmabuf-detach-mapped": "the importer's mapping (its sg_table, IOVA space, bounce slots) is only released by dma_buf_unmap_attachment; exporters that do not cache it leak them at every detach.",
    "dmabuf-release-attached": "the buffer and its exporter state are freed while an importer still holds an attachment: the importer's later map, unmap or detach uses freed memory.",
    "dmabuf-read-before-fence": "the write fence is how the producer says the data is ready; a consumer that reads before it signals gets a partly written buffer (tearing, stale or mixed frames), and only on timing that makes it visible.",
    "pool-corruption": "someone wrote to a free block (a use after dma_pool_free); the next owner and the device see corrupted data.",
}


def catalogue(srcdir):
    text = open(os.path.join(srcdir, "src/common/checks.inc"), encoding="utf-8").read()
    pat = re.compile(r'DMASAN_CHECK\((\w+),\s*"([^"]+)",\s*(\w+),\s*(\w),\s*"((?:[^"\\]|\\.)*)",'
                     r'\s*"((?:[^"\\]|\\.)*)",\s*"((?:[^"\\]|\\.)*)"\)', re.S)
    return [dict(id=m[0], sev=m[1].lower(), group=m[2], kernel=m[3], what=m[4], fix=m[5])
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
    srcdir, e2edir, lib = sys.argv[1:4]
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
            out += ["**Why it is a bug.** " + WHY.get(c["id"], "") , ""]
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
