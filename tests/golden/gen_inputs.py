#!/usr/bin/env python3
# Regenerates the hand-designed JSON Lines inputs under inputs/ (run from this directory). The
# records follow docs/report-format.md; the scenario is two runs of an e1000-style NIC test and
# one ring-buffer test, plus last week's baseline. Edit here, rerun, then review the diffs of the
# expected outputs (the golden tests fail until expected/ is updated with --update, see
# run_golden.cmake).
import json
import os

K = '/usr/local/lib/libkdma.so.0'
NIC = '/home/ci/build/tests/nic_test'
RING = '/home/ci/build/tests/ring_test'
SRC = '/home/ci/src/'
LIBC = '/lib/x86_64-linux-gnu/libc.so.6'


def fr(pc, fn, file=None, line=None, mod=None, col=None):
    d = {"pc": pc, "function": fn}
    if file:
        d["file"] = file
    if line:
        d["line"] = line
    if col:
        d["column"] = col
    if mod:
        d["module"] = mod
    # the runtime marks its own, libkdma's and the C library's start-up frames
    base = os.path.basename(mod or "")
    if base.startswith("libdmasan"):
        d.update(internal=True, origin="sanitizer")
    elif base.startswith("libkdma"):
        d.update(internal=True, origin="kdma")
    elif base.startswith(("libc.so", "libc-", "ld-linux")) or fn in (
            "_start", "__libc_start_main", "__libc_start_call_main", "__libc_start_main_impl"):
        d.update(internal=True, origin="startup")
    return d


def p(base, off):
    return hex(base + off)


def libc_tail(base, exe, exe_base):
    return [fr(p(base, 0x271ca), "__libc_start_call_main", mod=LIBC),
            fr(p(base, 0x27285), "__libc_start_main", mod=LIBC),
            fr(p(exe_base, 0x1b21), "_start", mod=exe)]


def w(path, recs):
    with open(path, 'w') as f:
        for r in recs:
            f.write(json.dumps(r, separators=(',', ':')) + '\n')


def run(pid, exe, opts="json_path=/home/ci/build/dmasan/nic_test"):
    return {"type": "run", "dmasan": 1, "pid": pid, "exe": exe, "argv": [exe, "--rx"],
            "options": opts, "time": "2026-11-21T05:10:00Z"}


def size_mismatch(kb, ub, lb, line_shift=0):
    return {
        "type": "violation", "id": 1, "check": "unmap-size-mismatch", "severity": "error",
        "device": "0000:00:08.0", "driver": "e1000",
        "headline": "on dma 0x00000000fee01000 (device e1000 0000:00:08.0)", "tid": 1,
        "message": "device driver frees DMA memory with different size [device address=0x00000000fee01000] "
                   "[map size=2048 bytes] [unmap size=1522 bytes] [mapped as single] [direction=DMA_FROM_DEVICE]",
        "stack": [fr(p(kb, 0x1a20), "dma_unmap_single_attrs", SRC + "src/kdma/mapping.c", 311, K, 2),
                  fr(p(ub, 0x4d17), "e1000_clean_rx_irq", SRC + "drivers/net/e1000/e1000_main.c", 4512 + line_shift, NIC, 4),
                  fr(p(ub, 0x5102), "e1000_clean", SRC + "drivers/net/e1000/e1000_main.c", 3811 + line_shift, NIC, 11),
                  fr(p(ub, 0x9a31), "test_rx_burst", SRC + "tests/nic_test.c", 88, NIC, 5),
                  fr(p(ub, 0x9f10), "main", SRC + "tests/nic_test.c", 140, NIC, 9)] + libc_tail(lb, NIC, ub),
        "related": [{"what": "map", "title": "mapping created by", "tid": 1,
                     "stack": [fr(p(kb, 0x18c4), "dma_map_single_attrs", SRC + "src/kdma/mapping.c", 152, K, 9),
                               fr(p(ub, 0x3e02), "e1000_alloc_rx_buffers", SRC + "drivers/net/e1000/e1000_main.c", 4630, NIC, 18),
                               fr(p(ub, 0x9a01), "test_rx_burst", SRC + "tests/nic_test.c", 80, NIC, 3)]}],
        "facts": {"device_address": "0x00000000fee01000", "map_size": 2048, "unmap_size": 1522,
                  "mapped_as": "single", "direction": "DMA_FROM_DEVICE"}}


# process 4242: size mismatch, a cache-line warning, a leak (aggregated count 2), a dump
kb1, ub1, lb1 = 0x7f3a1c200000, 0x55d0c0a00000, 0x7f3a1be00000
leak = {"type": "violation", "id": 3, "check": "mapping-leak", "severity": "error",
        "device": "0000:00:08.0", "driver": "e1000",
        "message": "device driver has pending DMA allocations while released from device [count=2] [total size=8192 bytes]",
        "count": 2,
        "stack": [fr(p(kb1, 0x2210), "dma_alloc_attrs", SRC + "src/kdma/mapping.c", 602, K, 9),
                  fr(p(ub1, 0x2a40), "e1000_setup_tx_resources", SRC + "drivers/net/e1000/e1000_main.c", 1529, NIC, 18),
                  fr(p(ub1, 0x9c00), "test_tx_setup", SRC + "tests/nic_test.c", 101, NIC, 2),
                  fr(p(ub1, 0x9f40), "main", SRC + "tests/nic_test.c", 142, NIC, 9)] + libc_tail(lb1, NIC, ub1),
        "related": [], "facts": {"count": 2, "total_size": 8192}}
unal = {"type": "violation", "id": 2, "check": "unaligned-mapping", "severity": "warning",
        "device": "0000:00:08.0", "driver": "e1000", "tid": 0,
        "message": "FROM_DEVICE mapping [cpu address=0x000055d0c1a43c28] [size=100 bytes] shares cache lines "
                   "[0x000055d0c1a43c00-0x000055d0c1a43c80) with other data [line size=128]",
        "stack": [fr(p(kb1, 0x18c4), "dma_map_single_attrs", SRC + "src/kdma/mapping.c", 152, K, 9),
                  fr(p(ub1, 0x6100), "e1000_read_status_block", SRC + "drivers/net/e1000/e1000_hw.c", 712, NIC, 13),
                  fr(p(ub1, 0x9b00), "test_status", "tests/nic_test.c", 95, NIC, 5),
                  fr(p(ub1, 0x9f20), "main", SRC + "tests/nic_test.c", 141, NIC, 9)] + libc_tail(lb1, NIC, ub1),
        "facts": {"cpu_address": "0x000055d0c1a43c28", "size": 100, "line_size": 128}}


def entry(typ, handle, size, cpu, phys, d, maperr, owners, age, thread, stack):
    return {"type": typ, "handle": handle, "size": size, "cpu_addr": cpu, "phys_addr": phys,
            "direction": d, "map_error": maperr, "owner_ranges": owners, "age": age,
            "thread": thread, "stack": stack}


dump = {"type": "dump", "dump_id": 1, "reason": "request", "time": "2026-11-21T05:10:01Z",
        "device": "0000:00:08.0", "driver": "e1000",
        "entries": [
            entry("single", "0x00000000fee01000", 2048, "0x000055d0c1a40000", "0x0000000012340000",
                  "DMA_FROM_DEVICE", "checked", [{"offset": 0, "size": 2048, "owner": "device"}], 12, 1,
                  [fr(p(kb1, 0x18c4), "dma_map_single_attrs", SRC + "src/kdma/mapping.c", 152, K, 9),
                   fr(p(ub1, 0x3e02), "e1000_alloc_rx_buffers", SRC + "drivers/net/e1000/e1000_main.c", 4630, NIC, 18)]),
            entry("single", "0x00000000fee01800", 1522, "0x000055d0c1a40800", "0x0000000012340800",
                  "DMA_TO_DEVICE", "not_checked", [{"offset": 0, "size": 1536, "owner": "device"}], 3, 0,
                  [fr(p(kb1, 0x18c4), "dma_map_single_attrs", SRC + "src/kdma/mapping.c", 152, K, 9),
                   fr(p(ub1, 0x3f10), "e1000_xmit_frame", SRC + "drivers/net/e1000/e1000_main.c", 3242, NIC, 7)]),
            entry("coherent", "0x00000000fee10000", 4096, "0x00007f3a1d001000", "0x0000000012350000",
                  "DMA_BIDIRECTIONAL", "not_applicable", [], 250, 0,
                  [fr(p(kb1, 0x2210), "dma_alloc_attrs", SRC + "src/kdma/mapping.c", 602, K, 9),
                   fr(p(ub1, 0x2a40), "e1000_setup_tx_resources", SRC + "drivers/net/e1000/e1000_main.c", 1529, NIC, 18)]),
            entry("sg", "0x00000000fee20000", 8192, "0x000055d0c1a50000", "0x0000000012360000",
                  "DMA_BIDIRECTIONAL", "not_applicable",
                  [{"offset": 0, "size": 4096, "owner": "cpu"}, {"offset": 4096, "size": 4096, "owner": "device"}], 40, 2,
                  [fr(p(kb1, 0x1c00), "dma_map_sg_attrs", SRC + "src/kdma/mapping.c", 240, K, 9),
                   fr(p(ub1, 0x4400), "e1000_map_frags", SRC + "drivers/net/e1000/e1000_main.c", 2990, NIC, 12)])],
        "totals": {"entries": 4, "bytes": 15858, "by_type": {"single": 2, "coherent": 1, "sg": 1}},
        "swiotlb": {"used": 2, "total": 32768, "high_water": 6},
        "iova": None}
w('inputs/run1/nic_test.4242.jsonl',
  [run(4242, NIC), size_mismatch(kb1, ub1, lb1), unal, leak, dump,
   {"type": "summary", "errors": 3, "warnings": 1, "suppressed": 0, "live_mappings": 4}])

# process 4243 (another test case of the same binary): the same size mismatch at other addresses,
# a double unmap, the same leak once.
kb2, ub2, lb2 = 0x7f11aa000000, 0x5600aa000000, 0x7f11a9c00000
dbl = {"type": "violation", "id": 1, "check": "double-unmap", "severity": "error",
       "device": "0000:00:08.0", "driver": "e1000", "tid": 0,
       "message": "device driver tries to free DMA memory it has not allocated [device address=0x00000000fee03000] [size=2048 bytes]",
       "stack": [fr(p(kb2, 0x1a20), "dma_unmap_single_attrs", SRC + "src/kdma/mapping.c", 311, K, 2),
                 fr(p(ub2, 0x5a00), "e1000_clean_tx_ring", SRC + "drivers/net/e1000/e1000_main.c", 2040, NIC, 4),
                 fr(p(ub2, 0x5c00), "e1000_down", SRC + "drivers/net/e1000/e1000_main.c", 531, NIC, 2),
                 fr(p(ub2, 0x9d00), "test_down_twice", SRC + "tests/nic_test.c", 120, NIC, 2),
                 fr(p(ub2, 0x9f10), "main", SRC + "tests/nic_test.c", 146, NIC, 9)] + libc_tail(lb2, NIC, ub2),
       "related": [{"what": "map", "tid": 0,
                    "stack": [fr(p(kb2, 0x18c4), "dma_map_single_attrs", SRC + "src/kdma/mapping.c", 152, K, 9),
                              fr(p(ub2, 0x3f10), "e1000_xmit_frame", SRC + "drivers/net/e1000/e1000_main.c", 3242, NIC, 7)]},
                   {"what": "unmap", "title": "first unmapped by", "tid": 0,
                    "stack": [fr(p(kb2, 0x1a20), "dma_unmap_single_attrs", SRC + "src/kdma/mapping.c", 311, K, 2),
                              fr(p(ub2, 0x5a00), "e1000_clean_tx_ring", SRC + "drivers/net/e1000/e1000_main.c", 2040, NIC, 4),
                              fr(p(ub2, 0x5b80), "e1000_reset_task", SRC + "drivers/net/e1000/e1000_main.c", 3490, NIC, 3)]}],
       "facts": {"device_address": "0x00000000fee03000", "size": 2048}}
leak2 = json.loads(json.dumps(leak).replace(hex(ub1)[:-5], hex(ub2)[:-5]))
leak2["count"] = 1
w('inputs/run1/nic_test.4243.jsonl',
  [run(4243, NIC), size_mismatch(kb2, ub2, lb2), dbl, leak2,
   {"type": "summary", "errors": 3, "warnings": 0, "suppressed": 0}])

# process 5001: a ring test with record types the tool does not use, special characters in a
# function name (XML/JSON escaping), an unsymbolised finding and an empty dump at exit.
kb3, ub3, lb3 = 0x7f0000200000, 0x560000a00000, 0x7f0000000000
sync = {"type": "violation", "check": "sync-direction-mismatch", "severity": "error",
        "device": "ring0", "driver": "ringdrv", "tid": 0,
        "message": "device driver syncs DMA memory with different direction [device address=0x0000000080004000] "
                   "[size=512 bytes] [mapping direction=DMA_TO_DEVICE] [sync direction=DMA_FROM_DEVICE]",
        "stack": [fr(p(kb3, 0x1e00), "dma_sync_single_for_cpu", SRC + "src/kdma/mapping.c", 420, K, 2),
                  fr(p(ub3, 0x1200), "ring_poll<rx & \"tx\">", SRC + "examples/ring/ring.c", 77, RING, 3),
                  fr(p(ub3, 0x2000), "main", SRC + "examples/ring/ring_test.c", 30, RING, 5)] + libc_tail(lb3, RING, ub3),
        "related": [{"what": "map", "tid": 0,
                     "stack": [fr(p(kb3, 0x18c4), "dma_map_single_attrs", SRC + "src/kdma/mapping.c", 152, K, 9),
                               fr(p(ub3, 0x1100), "ring_fill", SRC + "examples/ring/ring.c", 52, RING, 9)]},
                    {"what": "sync_for_device", "tid": 0, "stack": []}],
        "facts": {"device_address": "0x0000000080004000", "size": 512,
                  "mapping_direction": "DMA_TO_DEVICE", "sync_direction": "DMA_FROM_DEVICE"}}
nosym = {"type": "violation", "check": "device-access-unmapped", "severity": "error",
         "device": "ring0", "driver": "ringdrv",
         "message": "device ring0 read 64 bytes at bus address 0x00000000dead0000, which no live mapping covers",
         "stack": [{"pc": "0x560000a01f00", "module": RING}, {"pc": "0x7f0000203000", "module": K}],
         "facts": {"bus_address": "0x00000000dead0000", "size": 64, "access": "read"}}
w('inputs/run1/ring_test.5001.jsonl',
  [run(5001, RING, "json_path=/home/ci/build/dmasan/ring_test:dump_at_exit=1"),
   {"type": "module", "path": RING, "base": "0x560000a00000", "build_id": "3f2a9c"},
   sync, {"type": "stats", "stacks": 120, "depot_bytes": 40960}, nosym,
   {"type": "dump", "dump_id": 2, "reason": "exit", "device": "ring0", "driver": "ringdrv",
    "entries": [], "totals": {"entries": 0, "bytes": 0}, "swiotlb": None,
    "iova": {"used": 0, "total": 4294967296, "high_water": 8192}},
   {"type": "summary", "errors": 2, "warnings": 0, "suppressed": 0}])

# baseline: last week's run had the same size mismatch, with the code a few lines further up.
w('inputs/baseline/nic_test.4000.jsonl',
  [run(4000, NIC), size_mismatch(0x7f5500000000, 0x55aa00000000, 0x7f54ff000000, line_shift=-7),
   {"type": "summary", "errors": 1, "warnings": 0, "suppressed": 0}])

# Our own mapping types in the kernel's dump format: noncontiguous, pool and page entries.
def bare(typ, handle, size, phys, d, maperr):
    return {"type": typ, "handle": handle, "size": size, "phys_addr": phys, "direction": d,
            "map_error": maperr, "owner_ranges": [], "age": 3, "thread": 1, "stack": []}


w('inputs/noncontiguous.jsonl',
  [run(7001, '/home/ci/build/tests/cam_test', ""),
   {"type": "dump", "dump_id": 1, "reason": "request", "time": "2026-11-21T05:10:01Z",
    "device": "0000:00:0a.0", "driver": "uvc",
    "entries": [bare("noncontiguous", "0x00000000fef00000", 65536, "0x0000000022000000",
                     "DMA_FROM_DEVICE", "not_applicable"),
                bare("pool", "0x00000000fef80000", 64, "0x0000000022100000", "DMA_BIDIRECTIONAL",
                     "not_applicable"),
                bare("page", "0x00000000fef90000", 4096, "0x0000000022200000", "DMA_TO_DEVICE",
                     "checked")],
    "totals": {"entries": 3, "bytes": 69696}}])
