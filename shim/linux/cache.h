/* SPDX-License-Identifier: MIT */
/*
 * <linux/cache.h> — cache-line sizes. ARCH_DMA_MINALIGN is arm64's 128 bytes, the strictest
 * common platform: a buffer that is safe for non-coherent DMA there is safe everywhere. The
 * runtime model (dma_get_cache_alignment) follows KDMA_OPTIONS=dma_minalign.
 */
#ifndef _DMASAN_SHIM_LINUX_CACHE_H
#define _DMASAN_SHIM_LINUX_CACHE_H

#include <linux/compiler.h>

#define L1_CACHE_SHIFT 6
#define L1_CACHE_BYTES (1 << L1_CACHE_SHIFT)
#define SMP_CACHE_BYTES L1_CACHE_BYTES
#define ARCH_DMA_MINALIGN 128
#define L1_CACHE_ALIGN(x) (((x) + (L1_CACHE_BYTES - 1)) & ~(L1_CACHE_BYTES - 1))
#define SMP_ALIGN(x) L1_CACHE_ALIGN(x)

#define ____cacheline_aligned __attribute__((__aligned__(SMP_CACHE_BYTES)))
#define ____cacheline_aligned_in_smp ____cacheline_aligned
#define __cacheline_aligned ____cacheline_aligned
#define __cacheline_aligned_in_smp ____cacheline_aligned
#define ____cacheline_internodealigned_in_smp ____cacheline_aligned
#define __ro_after_init
#define __read_mostly
#define cache_line_size() L1_CACHE_BYTES

#endif
