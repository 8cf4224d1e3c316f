/* SPDX-License-Identifier: MIT */
/*
 * Stack capture and the stack depot: every stack is stored once (hash + append-only mmap arena),
 * named by a 32-bit id, frames kept as PCs and symbolised only when printed.
 */
#ifndef DMASAN_STACK_H
#define DMASAN_STACK_H

#include <stddef.h>
#include <stdint.h>

typedef uint32_t dmasan_stack_id; /* 0: no stack */

#define DMASAN_MAX_FRAMES 64
/* Frames captured beyond stack_depth: libkdma's own, which reports fold into the API call. */
#define DMASAN_KDMA_FRAME_SLACK 8

/* Capture the caller's stack (skipping `skip` innermost frames of dmasan itself), store it in the
 * depot and return its id. Depth is the stack_depth option; the unwinder is the cached-rule walk
 * (unwind.h) with libunwind behind it, or a bare frame-pointer walk with fast_unwind=1. Safe to
 * call from any thread; allocates (libdw, through malloc) only the first time it meets a return
 * address. */
dmasan_stack_id dmasan_stack_capture(unsigned int skip);
/* The same for callers that may hold a runtime lock: while another thread forks it walks frame
 * pointers instead of waiting (stack.c). */
dmasan_stack_id dmasan_stack_capture_nowait(unsigned int skip);

/* The frames of a stored stack: returns the count and points *pcs at them (depot memory). */
unsigned int dmasan_stack_get(dmasan_stack_id id, const uintptr_t **pcs);

struct dmasan_frame {
	uintptr_t pc;
	const char *function; /* NULL if unknown; strings live as long as the process */
	const char *file;     /* NULL if unknown */
	int line;             /* 0 if unknown */
	int column;
	const char *module;   /* path of the object containing pc */
	uintptr_t module_offset;
	int internal;         /* frame of libdmasan/libkdma/libc start-up: not a user frame */
};

/* Symbolise one PC (cached). */
void dmasan_symbolize(uintptr_t pc, struct dmasan_frame *out);

/* Values of struct dmasan_frame.internal: who a frame belongs to. Reports hide leading
 * SANITIZER frames and take the first USER frame for SUMMARY and SARIF. */
enum dmasan_frame_kind {
	DMASAN_FRAME_USER = 0,
	DMASAN_FRAME_SANITIZER, /* libdmasan.so, src/san, src/common */
	DMASAN_FRAME_KDMA,      /* libkdma.so, src/kdma, the shim headers' inline functions */
	DMASAN_FRAME_STARTUP,   /* _start, __libc_start_main, start_thread, clone */
};
/* A PC as stored in a stack is a return address: the symbolisers look up pc - 1 (the call) and
 * report that address in out->pc, as AddressSanitizer prints it. */
#define DMASAN_MAX_INLINE 4
/* Symbolise one PC with its inlined callers: out[0] is the innermost (inlined) function, the
 * last is the function the code was inlined into. Returns the count (1..max). Cached. */
unsigned int dmasan_symbolize_inline(uintptr_t pc, struct dmasan_frame *out, unsigned int max);
/* Whose frame f is (enum above), from its module, or its file and function once symbolised. */
int dmasan_frame_classify(const struct dmasan_frame *f);
/* Store an already captured stack (frames innermost first) in the depot. */
dmasan_stack_id dmasan_stack_put(const uintptr_t *pcs, unsigned int n);

/* Depot statistics for dumps and benchmarks. */
void dmasan_stack_stats(size_t *stacks, size_t *bytes);

#include "stacks/threads.h" /* dmasan_thread_id() */

#endif
