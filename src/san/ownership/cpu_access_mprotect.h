/* SPDX-License-Identifier: MIT */
/* The mprotect CPU-access backend (cpu_access_mprotect.c), driven by cpu_access.c. */
#ifndef DMASAN_SAN_CPU_ACCESS_MPROTECT_H
#define DMASAN_SAN_CPU_ACCESS_MPROTECT_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

bool mp_init(size_t line_size, bool lazy); /* installs the SIGSEGV/SIGTRAP handlers */
void mp_protect(uintptr_t lo, uintptr_t hi);   /* lines of [lo, hi) become device-owned */
void mp_unprotect(uintptr_t lo, uintptr_t hi);
/* Lazy give-back (whole pages, each closed for exactly the lines of one mapping): the lines of
 * [lo, hi) come back to the CPU, whose bytes are `bytes` while the memory keeps the poison; the
 * pages stay closed until the first CPU access. False: not done, unprotect as usual. */
bool mp_give_back(uintptr_t lo, uintptr_t hi, const void *bytes);
/* [lo, hi) goes to the device again, all of its pages held: their bytes to view (if not NULL),
 * the lines owned again, no system call. False: not done (memory accesses open held pages). */
bool mp_take_held(uintptr_t lo, uintptr_t hi, void *view);
/* Open the held pages of [lo, hi) for good, with their bytes (touched: by the program, as a
 * syscall's buffer; else memory being freed). */
void mp_open_held_range(uintptr_t lo, uintptr_t hi, bool touched);
/* kfree and friends release [lo, hi): held pages open, whole pages forget their past. */
void mp_released(uintptr_t lo, uintptr_t hi);
/* Open every held page and hold no more (the program installs its own SIGSEGV handler). */
void mp_lazy_stop(void);
/* Whether lazy give-back is on (uninstrumented: callable inside a sanitizer runtime's start-up). */
bool mp_lazy_on(void);
bool mp_is_handler(void (*fn)(int, siginfo_t *, void *)); /* our SIGSEGV handler? */
void mp_inside_begin(void);            /* the sanitizer itself touches program memory */
void mp_inside_end(void);
struct san_entry;
/* Recorded faults → reports (not in signal context). `released`: an entry that just left the
 * table (unmap), still the mapping of faults inside it. */
void mp_drain(const struct san_entry *released);
/* The calling thread's DMA layer copied [lo, hi) itself: drop its faults there. */
void mp_forgive(uintptr_t lo, uintptr_t hi);

/* Syscalls that hand a buffer to the kernel (intercept_syscalls.c). A syscall cannot fault
 * into our handler: the kernel would return EFAULT. So: report device-owned lines in
 * [lo, hi) (kernel_writes: the kernel stores into the buffer, as read() does), then keep the
 * protected pages of the range accessible until mp_syscall_close(). */
bool mp_any_protected(void); /* cheap: false while no page is protected */
/* Keep the protected pages of [lo, hi) accessible until mp_close_pages() (the sanitizer's own
 * accesses, a syscall's); returns how many of at most max it opened. */
unsigned int mp_open_pages(uintptr_t lo, uintptr_t hi, uintptr_t *pages, unsigned int max);
void mp_close_pages(const uintptr_t *pages, unsigned int n);
unsigned int mp_syscall_open(uintptr_t lo, uintptr_t hi, bool kernel_writes, const char *call,
			     uintptr_t *pages, unsigned int max);
void mp_syscall_close(const uintptr_t *pages, unsigned int n);

#endif
