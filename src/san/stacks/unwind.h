/* SPDX-License-Identifier: MIT */
/*
 * The fast unwinder (unwind.c): the DWARF call-frame rules of each return address, read once
 * with libdw (symbolize.c) and cached, then applied to the stack memory directly. Correct for
 * code with or without frame pointers; a stack it cannot walk with certainty goes to libunwind.
 */
#ifndef DMASAN_SAN_UNWIND_H
#define DMASAN_SAN_UNWIND_H

#include <stdbool.h>
#include <stdint.h>

enum dmasan_cfi_kind {
	DMASAN_CFI_UNUSABLE = 1, /* no CFI, or a rule the walk does not apply: use libunwind */
	DMASAN_CFI_FRAME,        /* CFA = rsp or rbp + offset, return address at CFA + offset */
	DMASAN_CFI_OUTERMOST,    /* return address undefined: the first frame of a thread */
};

enum dmasan_cfi_rbp {
	DMASAN_CFI_RBP_SAME,      /* the caller's rbp is this frame's */
	DMASAN_CFI_RBP_SAVED,     /* at CFA + rbp_off */
	DMASAN_CFI_RBP_UNDEFINED, /* lost: a later rule based on rbp cannot be applied */
};

/* How the frame whose code contains a return address's call is unwound (x86-64). */
struct dmasan_cfi_rule {
	uint8_t kind;    /* enum dmasan_cfi_kind */
	uint8_t cfa_rbp; /* the CFA is based on rbp, else on rsp */
	uint8_t rbp;     /* enum dmasan_cfi_rbp */
	int32_t cfa_off, ra_off, rbp_off;
};

/* The rule for return address ra, from the CFI of the object containing ra - 1 (libdw; takes the
 * symboliser's lock, may allocate). DMASAN_CFI_UNUSABLE when there is none. */
void dmasan_cfi_rule_read(uintptr_t ra, struct dmasan_cfi_rule *out);

/* The stack words a walk read, in order: the same words holding the same values give the same
 * walk again (the rules are fixed per return address), which is how captures are memoised. */
#define DMASAN_UNWIND_READS 48
struct dmasan_unwind_reads {
	unsigned int n;    /* DMASAN_UNWIND_READS + 1: more than fit */
	uintptr_t addr[DMASAN_UNWIND_READS], val[DMASAN_UNWIND_READS];
};

/* Walk the caller's stack: out[0] is the return address into the caller of this function, as
 * unw_backtrace's first frame. Returns the count, or -1 when the walk cannot be trusted (a frame
 * without usable CFI, a frame address outside the thread's stack or not above the previous one):
 * then the caller uses libunwind. Records the words it read in *reads when not NULL. */
int dmasan_unwind_fast(uintptr_t *out, unsigned int max, struct dmasan_unwind_reads *reads);

#endif
