/* SPDX-License-Identifier: MIT */
/*
 * <linux/io.h> — MMIO accessors on plain memory. A test models device registers as ordinary
 * memory (a buffer passed as the "ioremapped" base); the accessors keep the kernel's ordering:
 * writeX() orders earlier memory writes (descriptors) before the register write, readX() orders
 * the register read before later memory reads; the _relaxed forms do not.
 * A device model whose registers act on access (write-1-to-clear status, doorbells, self-clearing
 * bits) claims its window with dmasim_mmio_claim() (<dmasan/sim.h>): accesses inside it go to the
 * model instead of memory. Unclaimed, the accessors cost one relaxed load more. A register
 * access is one single-copy atomic access, as on the bus: a device model's thread may poll it.
 */
#ifndef _DMASAN_SHIM_LINUX_IO_H
#define _DMASAN_SHIM_LINUX_IO_H

#include <string.h>

#include <asm/barrier.h>
#include <asm/byteorder.h>
#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/mm.h>

/* dmasan: the claimed windows (<dmasan/sim.h>); true when addr lies in one and the model took
 * the access (*val is read or written). */
extern int dmasim_mmio_windows __attribute__((visibility("default")));
bool dmasim_mmio_access(const volatile void __iomem *addr, unsigned int size, u64 *val,
			bool write);

#define __KDMA_MMIO(bwl, type)                                                                \
	static inline type __raw_read##bwl(const volatile void __iomem *addr)                  \
	{                                                                                      \
		u64 __v;                                                                       \
		if (unlikely(__atomic_load_n(&dmasim_mmio_windows, __ATOMIC_RELAXED)) &&       \
		    dmasim_mmio_access(addr, sizeof(type), &__v, false))                       \
			return (type)__v;                                                      \
		return __atomic_load_n((const volatile type *)addr, __ATOMIC_RELAXED);         \
	}                                                                                      \
	static inline void __raw_write##bwl(type val, volatile void __iomem *addr)             \
	{                                                                                      \
		u64 __v = val;                                                                 \
		if (unlikely(__atomic_load_n(&dmasim_mmio_windows, __ATOMIC_RELAXED)) &&       \
		    dmasim_mmio_access(addr, sizeof(type), &__v, true))                        \
			return;                                                                \
		__atomic_store_n((volatile type *)addr, val, __ATOMIC_RELAXED);                \
	}                                                                                      \
	static inline type read##bwl##_relaxed(const volatile void __iomem *addr)              \
	{                                                                                      \
		return __raw_read##bwl(addr);                                                  \
	}                                                                                      \
	static inline void write##bwl##_relaxed(type val, volatile void __iomem *addr)         \
	{                                                                                      \
		__raw_write##bwl(val, addr);                                                   \
	}                                                                                      \
	static inline type read##bwl(const volatile void __iomem *addr)                        \
	{                                                                                      \
		type v;                                                                        \
		__atomic_thread_fence(__ATOMIC_SEQ_CST);                                       \
		v = __raw_read##bwl(addr);                                                     \
		__atomic_thread_fence(__ATOMIC_SEQ_CST);                                       \
		return v;                                                                      \
	}                                                                                      \
	static inline void write##bwl(type val, volatile void __iomem *addr)                   \
	{                                                                                      \
		__atomic_thread_fence(__ATOMIC_SEQ_CST);                                       \
		__raw_write##bwl(val, addr);                                                   \
		__atomic_thread_fence(__ATOMIC_SEQ_CST);                                       \
	}

__KDMA_MMIO(b, u8)
__KDMA_MMIO(w, u16)
__KDMA_MMIO(l, u32)
__KDMA_MMIO(q, u64)

#define ioread8(p) readb(p)
#define ioread16(p) readw(p)
#define ioread32(p) readl(p)
#define ioread64(p) readq(p)
#define iowrite8(v, p) writeb(v, p)
#define iowrite16(v, p) writew(v, p)
#define iowrite32(v, p) writel(v, p)
#define iowrite64(v, p) writeq(v, p)
#define ioread16be(p) be16_to_cpu(readw(p))
#define ioread32be(p) be32_to_cpu(readl(p))
#define iowrite16be(v, p) writew(cpu_to_be16(v), p)
#define iowrite32be(v, p) writel(cpu_to_be32(v), p)
#define lo_hi_writeq(v, p)                                                                    \
	do {                                                                                   \
		writel((u32)(v), (p));                                                         \
		writel((u32)((u64)(v) >> 32), (volatile char __iomem *)(p) + 4);               \
	} while (0)
#define lo_hi_readq(p)                                                                        \
	((u64)readl(p) | ((u64)readl((const volatile char __iomem *)(p) + 4) << 32))

static inline void memcpy_toio(volatile void __iomem *dst, const void *src, size_t count)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	memcpy((void *)dst, src, count);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static inline void memcpy_fromio(void *dst, const volatile void __iomem *src, size_t count)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	memcpy(dst, (const void *)src, count);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static inline void memset_io(volatile void __iomem *dst, int c, size_t count)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	memset((void *)dst, c, count);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* "MMIO" at a physical address is the memory at that address (identity model). */
static inline void __iomem *ioremap(phys_addr_t offset, size_t size __maybe_unused)
{
	return phys_to_virt(offset);
}

#define ioremap_wc ioremap
#define ioremap_uc ioremap
#define ioremap_cache ioremap
#define devm_ioremap(dev, offset, size) ioremap(offset, size)
#define devm_ioremap_wc(dev, offset, size) ioremap(offset, size)

static inline void iounmap(volatile void __iomem *addr __maybe_unused)
{
}

#define mmiowb() wmb()

#endif
