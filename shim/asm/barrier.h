/* SPDX-License-Identifier: MIT */
/*
 * <asm/barrier.h> — memory barriers as C11 fences. They order CPU accesses against a simulated
 * device running in another thread the way the kernel's order them against real hardware.
 */
#ifndef _DMASAN_SHIM_ASM_BARRIER_H
#define _DMASAN_SHIM_ASM_BARRIER_H

#include <linux/compiler.h>

#define mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#define dma_mb() mb()
#define dma_rmb() rmb()
#define dma_wmb() wmb()
#define smp_mb() mb()
#define smp_rmb() rmb()
#define smp_wmb() wmb()
#define __smp_mb() mb()
#define smp_mb__before_atomic() mb()
#define smp_mb__after_atomic() mb()
#define smp_mb__after_spinlock() mb()
#define smp_store_mb(var, value)                                                              \
	do {                                                                                   \
		WRITE_ONCE(var, value);                                                        \
		mb();                                                                          \
	} while (0)
#define smp_store_release(p, v) __atomic_store_n(p, v, __ATOMIC_RELEASE)
#define smp_load_acquire(p) __atomic_load_n(p, __ATOMIC_ACQUIRE)
#define virt_mb() mb()
#define virt_rmb() rmb()
#define virt_wmb() wmb()
#define virt_store_mb(var, value) smp_store_mb(var, value)

#if defined(__x86_64__) || defined(__i386__)
#define cpu_relax() __builtin_ia32_pause()
#else
#define cpu_relax() barrier()
#endif

#endif
