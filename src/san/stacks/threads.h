/* SPDX-License-Identifier: MIT */
/* The thread registry: report thread ids and every live thread's stack bounds (threads.c). */
#ifndef DMASAN_SAN_THREADS_H
#define DMASAN_SAN_THREADS_H

#include <stdbool.h>
#include <stdint.h>

/* Per thread, read inline by every hook (threads.c): the id + 1 (0: none yet), and the slot of
 * the thread's stack (-1: not registered yet). */
extern __thread unsigned int san_tid_plus1 __attribute__((tls_model("initial-exec")));
extern __thread int san_my_stack_slot __attribute__((tls_model("initial-exec")));

unsigned int san_thread_id_new(void);
void san_thread_register_slow(void);

/* Thread ids in reports ("T0" is the main thread). */
static inline unsigned int dmasan_thread_id(void)
{
	return (san_tid_plus1 ? san_tid_plus1 : san_thread_id_new()) - 1;
}

/* At start-up: the main thread's stack and the calling thread's. */
void san_threads_init(void);
/* The calling thread's stack bounds; once per thread, later calls return at once. */
static inline void san_thread_register(void)
{
	if (__builtin_expect(san_my_stack_slot == -1, 0))
		san_thread_register_slow();
}
/* The calling thread's stack [*lo, *hi) (registering the thread first); false if unknown. */
bool san_thread_stack(uintptr_t *lo, uintptr_t *hi);
/* Whether [lo, hi) overlaps a registered stack, and its bounds. */
bool san_addr_on_stack(uintptr_t lo, uintptr_t hi, uintptr_t *stack_lo, uintptr_t *stack_hi);
/* Whether the stack starting at stack_lo is the calling thread's. */
bool san_stack_is_current(uintptr_t stack_lo);

#endif
