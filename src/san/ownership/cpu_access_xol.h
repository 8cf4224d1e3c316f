/* SPDX-License-Identifier: MIT */
/*
 * Out-of-line execution for the mprotect backend (cpu_access_xol.c, x86-64): an instruction that
 * faulted on a protected page runs once from a per-thread slot followed by a jump to a trampoline
 * that closes the page again, instead of being single-stepped (a debug trap per instruction costs
 * several times a page fault). Only instructions that run the same anywhere qualify: a ModRM
 * memory operand that is not RIP-relative, no control transfer. Others are single-stepped.
 */
#ifndef DMASAN_SAN_CPU_ACCESS_XOL_H
#define DMASAN_SAN_CPU_ACCESS_XOL_H

#include <stdbool.h>
#include <stdint.h>

/* The instruction at ip qualifies: its length, else 0. Reads only the instruction's bytes. */
unsigned int xol_insn_len(const uint8_t *ip);

/* At start-up: the slots' memory. False: single-step everything. */
bool xol_init(void);

/* Signal context, the faulting instruction at *rip touched protected page `page`, which the
 * caller opens: redirect *rip to a slot that runs the instruction and then closes the page
 * (mp_reclose). False: the instruction does not qualify or no slot is free. */
bool xol_begin(uintptr_t *rip, uintptr_t page);

/* Signal context: whether rip is inside the calling thread's running slot; if so, its original
 * instruction address is stored in *orig. */
bool xol_running(uintptr_t rip, uintptr_t *orig);
/* The running slot's instruction touched a second protected page: 1 added, 0 known already,
 * -1 no room (a third page). */
int xol_add_page(uintptr_t page);

/* Provided by the mprotect backend: close `page` again after an instruction, unless no
 * device-owned line is left on it or a syscall has it open. Runs from the trampoline with the
 * program's registers live: general-purpose registers only. */
void mp_reclose(uintptr_t page);

#endif
