/* SPDX-License-Identifier: MIT */
/*
 * CPU-access backends (cpu_access=auto|asan|valgrind|mprotect|off): make CPU loads and stores to
 * device-owned receive lines fault at the access, with the access's own stack, on top of the
 * transition checks of shadow.c.
 *  - valgrind: memcheck marks the lines NOACCESS and describes them as a DMA mapping; memcheck's
 *    own "Invalid read/write" report names the mapping. Definedness (V-bits) lets us find
 *    uninitialised bytes handed to the device (uninit-to-device).
 *  - asan: __asan_poison_memory_region on the lines (ASan's own shadow saved and restored), and
 *    ASan's use-after-poison report turned into ours through its error-report callback.
 *  - mprotect: pages of device-owned lines PROT_NONE, a SIGSEGV handler that records violations
 *    and runs other accesses once with the page open (cpu_access_mprotect.c); pages given back
 *    whole at an unmap may stay closed until the CPU's first touch (mprotect_lazy). Best effort.
 */
#ifndef DMASAN_SAN_CPU_ACCESS_H
#define DMASAN_SAN_CPU_ACCESS_H

#include <linux/types.h>

struct device;

enum cpu_access_backend { CPU_ACCESS_NONE, CPU_ACCESS_VALGRIND, CPU_ACCESS_ASAN, CPU_ACCESS_MPROTECT };

/* Chosen once from the cpu_access option and what the process runs under. */
enum cpu_access_backend cpu_access_backend(void);
const char *cpu_access_backend_name(void);

/* A receive piece [lo, hi) starts being tracked (at map) / stops (at release). Returns a cookie
 * (0: no backend). `what` describes the memory in the backend's own reports. */
uintptr_t cpu_access_track(uintptr_t lo, uintptr_t hi, const char *what);
void cpu_access_untrack(uintptr_t cookie);
/* The device takes / the CPU gets back [lo, hi), a part of a tracked piece. */
void cpu_access_protect(uintptr_t cookie, uintptr_t lo, uintptr_t hi);
void cpu_access_unprotect(uintptr_t cookie, uintptr_t lo, uintptr_t hi);

/* Lazy give-back (mprotect): the CPU gets [lo, hi) back and `bytes` are what it must see there
 * (the device view; memory still holds the poison). True: the backend keeps the bytes and the
 * pages closed until the first CPU access, nothing else to do; false: unprotect and copy as
 * usual. */
bool cpu_access_give_back(uintptr_t cookie, uintptr_t lo, uintptr_t hi, const void *bytes);
/* [lo, hi) goes to the device again: if the backend still holds its bytes (memory: the
 * poison), they go to view (NULL: dropped) and the lines are protected. False: do it as usual. */
bool cpu_access_take_held(uintptr_t cookie, uintptr_t lo, uintptr_t hi, void *view);
/* kfree and friends are about to release [p, p + size). */
void cpu_access_released(const void *p, size_t size);

/* The sanitizer itself is about to read and write [lo, hi) of a tracked piece (views, poison,
 * edge bytes): pages the backend keeps protected for other device-owned lines stay accessible
 * until cpu_access_touch_end() instead of trapping at each instruction (mprotect). */
struct cpu_access_touch {
	unsigned int n;
	uintptr_t pages[8];
};
void cpu_access_touch_begin(uintptr_t cookie, uintptr_t lo, uintptr_t hi,
			    struct cpu_access_touch *t);
void cpu_access_touch_end(struct cpu_access_touch *t);

/* The device may read [lo, hi): report uninit-to-device if some bytes were never initialised
 * (valgrind only; elsewhere the definedness is unknown). */
void cpu_access_check_defined(struct device *dev, dma_addr_t bus, uintptr_t lo, uintptr_t hi,
			      unsigned int dir);

/* Turn violations the mprotect backend recorded in signal context into reports. Cheap when
 * there are none; called from the hooks and at exit. `released`: an entry that just left the
 * table (NULL if none). */
struct san_entry;
void cpu_access_drain(const struct san_entry *released);

/* The DMA layer (a SWIOTLB bounce) copied [lo, hi) on the calling thread: not a CPU access of
 * the driver, whoever owns those lines (mprotect: the faults it took are dropped). */
void cpu_access_dma_layer_copied(uintptr_t lo, uintptr_t hi);

/* Whether CPU stores to receive lines are caught at the access (so the transition layer need
 * not report them again). */
bool cpu_access_traps_writes(void);

/* Brackets around the sanitizer's own reads of program memory: under valgrind they would
 * otherwise be reported as the program's errors. */
void cpu_access_quiet_begin(void);
void cpu_access_quiet_end(void);

#endif
