// SPDX-License-Identifier: MIT
/*
 * The fast unwinder. A frame-pointer walk is only right while every function on the stack keeps
 * rbp as its frame pointer; code built with -fomit-frame-pointer (most of libc, many drivers)
 * breaks it silently, skipping callers. So each return address's DWARF rule (CFA from rsp or
 * rbp, where the return address and the caller's rbp are saved) is read once with libdw and kept
 * in a lock-free cache, and the walk applies the rules to the stack memory: the same answer as
 * libunwind, for a hash lookup and two loads per frame. Every step is checked (the frame lies in
 * this thread's stack, above the previous one, 8-byte aligned; the return address is code of a
 * loaded object with CFI); a stack that fails any check is handed back to libunwind.
 */
#include <stdatomic.h>
#include <string.h>

#include "stacks/threads.h"
#include "stacks/unwind.h"

#if defined(__x86_64__)

#define RULE_BITS 14
#define RULE_SLOTS (1u << RULE_BITS)
#define RULE_PROBES 16

/* Slots are claimed once (pc from 0 to its value) and never reused; the rule is published
 * after it with `ready`, so readers take no lock. A full table only means more misses. */
struct rule_slot {
	_Atomic uintptr_t pc;
	atomic_int ready;
	struct dmasan_cfi_rule rule;
};

static struct rule_slot rules[RULE_SLOTS];

static unsigned int rule_hash(uintptr_t pc)
{
	return (unsigned int)((pc * 0x9e3779b97f4a7c15ull) >> (64 - RULE_BITS));
}

static void rule_of(uintptr_t pc, struct dmasan_cfi_rule *out)
{
	unsigned int h = rule_hash(pc), i;
	struct rule_slot *free_slot = NULL;

	for (i = 0; i < RULE_PROBES; i++) {
		struct rule_slot *s = &rules[(h + i) & (RULE_SLOTS - 1)];
		uintptr_t key = atomic_load_explicit(&s->pc, memory_order_acquire);

		if (key == pc) {
			if (atomic_load_explicit(&s->ready, memory_order_acquire)) {
				*out = s->rule;
				return;
			}
			break; /* another thread is filling it in */
		}
		if (!key) {
			free_slot = s;
			break;
		}
	}
	dmasan_cfi_rule_read(pc, out);
	if (free_slot) {
		uintptr_t zero = 0;

		if (atomic_compare_exchange_strong(&free_slot->pc, &zero, pc)) {
			free_slot->rule = *out;
			atomic_store_explicit(&free_slot->ready, 1, memory_order_release);
		}
	}
}

static bool on_stack(uintptr_t addr, uintptr_t lo, uintptr_t hi)
{
	return addr >= lo && addr + sizeof(uintptr_t) <= hi && !(addr & (sizeof(uintptr_t) - 1));
}

static uintptr_t read_word(uintptr_t addr, struct dmasan_unwind_reads *reads)
{
	uintptr_t v = *(const uintptr_t *)addr;

	if (reads) {
		if (reads->n < DMASAN_UNWIND_READS) {
			reads->addr[reads->n] = addr;
			reads->val[reads->n] = v;
		}
		if (reads->n <= DMASAN_UNWIND_READS)
			reads->n++;
	}
	return v;
}

__attribute__((noinline)) int dmasan_unwind_fast(uintptr_t *out, unsigned int max,
						struct dmasan_unwind_reads *reads)
{
	/* This function keeps its frame pointer (libdmasan is built with them): its frame gives
	 * the first CFA, return address and the caller's rbp. */
	const uintptr_t *fp = __builtin_frame_address(0);
	uintptr_t lo, hi, cfa, rbp, pc;
	bool rbp_known = true;
	unsigned int n = 0;

	if (!san_thread_stack(&lo, &hi) || !on_stack((uintptr_t)fp, lo, hi - sizeof(uintptr_t)))
		return -1;
	if (reads)
		reads->n = 0;
	/* not recorded: this frame is gone when a memoised walk is checked, and what it holds (the
	 * caller's frame pointer and a return address into it) follows from where it is */
	cfa = (uintptr_t)(fp + 2);
	rbp = fp[0];
	pc = fp[1];
	while (n < max) {
		struct dmasan_cfi_rule r;
		uintptr_t base, next;

		if (!pc)
			break; /* a thread's first frame without CFI saying so */
		rule_of(pc, &r);
		if (r.kind == DMASAN_CFI_UNUSABLE)
			return -1;
		out[n++] = pc;
		if (r.kind == DMASAN_CFI_OUTERMOST)
			break;
		if (r.cfa_rbp && !rbp_known)
			return -1;
		/* rsp in that frame, at its call, is the CFA of the frame it called */
		base = r.cfa_rbp ? rbp : cfa;
		next = base + (intptr_t)r.cfa_off;
		if (next <= cfa || !on_stack(next + r.ra_off, lo, hi))
			return -1;
		if (r.rbp == DMASAN_CFI_RBP_SAVED) {
			if (!on_stack(next + r.rbp_off, lo, hi))
				return -1;
			rbp = read_word(next + r.rbp_off, reads);
		} else if (r.rbp == DMASAN_CFI_RBP_UNDEFINED) {
			rbp_known = false;
		}
		pc = read_word(next + r.ra_off, reads);
		cfa = next;
	}
	return (int)n;
}

#else /* other architectures: libunwind */

int dmasan_unwind_fast(uintptr_t *out, unsigned int max, struct dmasan_unwind_reads *reads)
{
	return -1;
}

#endif
