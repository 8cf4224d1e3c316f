/* SPDX-License-Identifier: MIT */
/*
 * What libkdma tells memcheck about the memory it manages, the only place that includes
 * <valgrind/...>. The allocators live inside libkdma (kmalloc caches, coherent regions, atomic
 * pools, dma_pool), so without these requests memcheck would see one big defined block and
 * miss uninitialised bytes, use after free and leaks of the driver's objects. Natively each
 * request is a few instructions that do nothing (tests/backends runs them under memcheck).
 *
 * Macros, not inline functions: memcheck records the stack at an allocation or free request,
 * and an inlined helper would be the top frame of every report instead of the API call.
 */
#ifndef DMASAN_KDMA_BASE_VG_H
#define DMASAN_KDMA_BASE_VG_H

#include <valgrind/memcheck.h>

/* [p, p + len) is addressable and its bytes count as initialised. */
#define vg_mark_defined(p, len) ((void)VALGRIND_MAKE_MEM_DEFINED((p), (len)))
/* [p, p + len) is addressable, its bytes not initialised. */
#define vg_mark_undefined(p, len) ((void)VALGRIND_MAKE_MEM_UNDEFINED((p), (len)))
/* [p, p + len) may not be touched: every access is an invalid read or write. */
#define vg_mark_noaccess(p, len) ((void)VALGRIND_MAKE_MEM_NOACCESS((p), (len)))

/* p is a heap block of size bytes, as from malloc (zeroed: defined, else undefined). */
#define vg_heap_block_alloc(p, size, zeroed) VALGRIND_MALLOCLIKE_BLOCK((p), (size), 0, (zeroed))
/* The heap block at p is freed: later accesses are use after free. */
#define vg_heap_block_free(p) VALGRIND_FREELIKE_BLOCK((p), 0)

/* A mempool (a dma_pool) anchored at pool; its chunks are described by the calls below. */
#define vg_mempool_create(pool) VALGRIND_CREATE_MEMPOOL((pool), 0, 0)
/* The mempool is gone; its chunks become NOACCESS. */
#define vg_mempool_destroy(pool) VALGRIND_DESTROY_MEMPOOL(pool)
/* The mempool is anchored at new_anchor from now on; its chunks stay allocated. */
#define vg_mempool_move(pool, new_anchor) VALGRIND_MOVE_MEMPOOL((pool), (new_anchor))
/* A chunk of size bytes at addr is handed out from the mempool: addressable, undefined. */
#define vg_mempool_chunk_alloc(pool, addr, size) VALGRIND_MEMPOOL_ALLOC((pool), (addr), (size))
/* The chunk at addr is back in the mempool: NOACCESS. */
#define vg_mempool_chunk_free(pool, addr) VALGRIND_MEMPOOL_FREE((pool), (addr))

#endif
