/* SPDX-License-Identifier: MIT */
/*
 * Per-device coherent memory and the global coherent pool (kernel/dma/coherent.c): a region
 * declared for one device, carved by a bitmap into naturally aligned 2^order-page blocks. A
 * device that has a region allocates only from it: when it is full the allocation fails, with
 * no fallback to normal memory. Releases trust the caller's size (no double-free checks), as the
 * kernel does; the sanitizer checks that through the free hooks of dma_free_attrs.
 *
 * Memcheck: dma_alloc_attrs describes what it hands out as heap blocks and dma_free_attrs leaves
 * a freed block NOACCESS, so a region makes each allocation addressable again before zeroing it
 * (whoever takes it next, a driver or a dma_pool chunk).
 */
#include <errno.h>
#include <string.h>

#include <linux/mm.h>

#include "base/vg.h"
#include "dma/dma.h"

#define BITS_PER_LONG_ (8 * sizeof(unsigned long))

struct dma_coherent_mem {
	void *virt_base;
	dma_addr_t device_base;
	unsigned long pfn_base;
	int size; /* pages */
	unsigned long *bitmap;
	pthread_mutex_t lock;
	bool use_dev_dma_pfn_offset; /* DT pools: handle = phys_to_dma(dev, phys) */
	struct page *owned;          /* pages allocated by us (reserved regions), freed on release */
	unsigned int owned_order;
};

static bool bitmap_test(const unsigned long *bitmap, unsigned long bit)
{
	return bitmap[bit / BITS_PER_LONG_] & (1UL << (bit % BITS_PER_LONG_));
}

static void bitmap_assign(unsigned long *bitmap, unsigned long pos, unsigned long nbits, bool set)
{
	for (unsigned long bit = pos; bit < pos + nbits; bit++) {
		if (set)
			bitmap[bit / BITS_PER_LONG_] |= 1UL << (bit % BITS_PER_LONG_);
		else
			bitmap[bit / BITS_PER_LONG_] &= ~(1UL << (bit % BITS_PER_LONG_));
	}
}

long kdma_bitmap_alloc_region(unsigned long *bitmap, unsigned long bits, unsigned long nbits,
			      unsigned int align_order)
{
	unsigned long step = 1UL << align_order;

	for (unsigned long pos = 0; pos + nbits <= bits; pos += step) {
		unsigned long bit = pos;

		while (bit < pos + nbits && !bitmap_test(bitmap, bit))
			bit++;
		if (bit == pos + nbits) {
			bitmap_assign(bitmap, pos, nbits, true);
			return (long)pos;
		}
	}
	return -1;
}

void kdma_bitmap_release_region(unsigned long *bitmap, unsigned long pos, unsigned long nbits)
{
	bitmap_assign(bitmap, pos, nbits, false);
}

static struct dma_coherent_mem *dma_init_coherent_memory(phys_addr_t phys_addr,
							 dma_addr_t device_addr, size_t size,
							 bool use_dma_pfn_offset)
{
	struct dma_coherent_mem *mem;
	int pages = (int)(size >> PAGE_SHIFT);

	if (!size || pages <= 0 || size >> PAGE_SHIFT > INT32_MAX)
		return ERR_PTR(-EINVAL);
	mem = kdma_zalloc(sizeof(*mem));
	if (!mem)
		return ERR_PTR(-ENOMEM);
	mem->bitmap = kdma_zalloc((pages + BITS_PER_LONG_ - 1) / BITS_PER_LONG_ * sizeof(long));
	if (!mem->bitmap) {
		kdma_free(mem);
		return ERR_PTR(-ENOMEM);
	}
	/* memremap(MEMREMAP_WC) is the identity in the memory model. */
	mem->virt_base = kdma_phys_to_virt(phys_addr);
	mem->device_base = device_addr;
	mem->pfn_base = PHYS_PFN(phys_addr);
	mem->size = pages;
	mem->use_dev_dma_pfn_offset = use_dma_pfn_offset;
	pthread_mutex_init(&mem->lock, NULL);
	return mem;
}

static void dma_free_coherent_memory(struct dma_coherent_mem *mem)
{
	if (!mem)
		return;
	if (mem->owned)
		kdma_free_pages(mem->owned, mem->owned_order);
	pthread_mutex_destroy(&mem->lock);
	kdma_free(mem->bitmap);
	kdma_free(mem);
}

static int dma_assign_coherent_memory(struct device *dev, struct dma_coherent_mem *mem)
{
	struct dma_coherent_mem *none = NULL;

	/* One region per device; atomically, so two racing declarations cannot both win. */
	if (!__atomic_compare_exchange_n(&dev->dma_mem, &none, mem, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		return -EBUSY;
	return 0;
}

int dma_declare_coherent_memory(struct device *dev, phys_addr_t phys_addr, dma_addr_t device_addr,
				size_t size)
{
	struct dma_coherent_mem *mem;
	int ret;

	if (!kdma_check_dev(dev, __func__))
		return -EINVAL;
	mem = dma_init_coherent_memory(phys_addr, device_addr, size, false);
	if (IS_ERR(mem))
		return (int)PTR_ERR(mem);
	ret = dma_assign_coherent_memory(dev, mem);
	if (ret)
		dma_free_coherent_memory(mem);
	return ret;
}

void dma_release_coherent_memory(struct device *dev)
{
	struct dma_coherent_mem *mem;

	if (!dev)
		return;
	mem = __atomic_exchange_n(&dev->dma_mem, NULL, __ATOMIC_ACQ_REL);
	/* a declared region goes back to its declarer addressable, whatever was freed in it */
	if (mem && !mem->owned)
		vg_mark_defined(mem->virt_base, (size_t)mem->size << PAGE_SHIFT);
	dma_free_coherent_memory(mem);
}

void kdma_release_dev_coherent(struct device *dev)
{
	dma_release_coherent_memory(dev);
}

/* rmem_dma_device_init's check: the device must reach the whole region. */
static bool reserved_region_reachable(struct device *dev, phys_addr_t phys, size_t size)
{
	dma_addr_t base = kdma_phys_to_dma(dev, phys);
	u64 limit = dev->coherent_dma_mask;

	if (dev->bus_dma_limit && (!limit || dev->bus_dma_limit < limit))
		limit = dev->bus_dma_limit;
	if (base == DMA_MAPPING_ERROR)
		return false;
	return !dev->coherent_dma_mask || base + size - 1 <= limit;
}

int kdma_dev_reserve_coherent(struct device *dev, size_t size)
{
	unsigned int order = (unsigned int)get_order(size);
	/* Placed where a DT would put it for this device: below 16 MiB for a 24-bit device. */
	gfp_t zone = dev->coherent_dma_mask && dev->coherent_dma_mask <= DMA_BIT_MASK(24) ?
			     GFP_DMA : GFP_DMA32;
	struct dma_coherent_mem *mem;
	struct page *page;
	phys_addr_t phys;
	int ret;

	if (!size || order > MAX_PAGE_ORDER) {
		kdma_warn(dev, "reserved coherent region of %zu bytes: must be 1..%lu bytes", size,
			  PAGE_SIZE << MAX_PAGE_ORDER);
		return -EINVAL;
	}
	page = kdma_alloc_pages(zone | __GFP_ZERO, order);
	if (!page) {
		kdma_warn(dev, "no low memory for a %zu-byte reserved coherent region", size);
		return -ENOMEM;
	}
	phys = page_to_phys(page);
	if (!reserved_region_reachable(dev, phys, PAGE_ALIGN(size))) {
		dev_err(dev, "reserved memory is beyond device's set DMA address range\n");
		kdma_free_pages(page, order);
		return -EINVAL;
	}
	mem = dma_init_coherent_memory(phys, 0, PAGE_ALIGN(size), true);
	if (IS_ERR(mem)) {
		kdma_free_pages(page, order);
		return (int)PTR_ERR(mem);
	}
	mem->owned = page;
	mem->owned_order = order;
	ret = dma_assign_coherent_memory(dev, mem);
	if (ret)
		dma_free_coherent_memory(mem);
	return ret;
}

static dma_addr_t dma_get_device_base(struct device *dev, struct dma_coherent_mem *mem)
{
	if (mem->use_dev_dma_pfn_offset)
		return kdma_phys_to_dma(dev, PFN_PHYS(mem->pfn_base));
	return mem->device_base;
}

static void *__dma_alloc_from_coherent(struct device *dev, struct dma_coherent_mem *mem,
				       ssize_t size, dma_addr_t *dma_handle)
{
	int order = get_order((unsigned long)size);
	long pageno;
	void *ret;

	if (size <= 0 || (size_t)size > (size_t)mem->size << PAGE_SHIFT)
		return NULL;
	pthread_mutex_lock(&mem->lock);
	pageno = kdma_bitmap_alloc_region(mem->bitmap, (unsigned long)mem->size, 1UL << order,
					  (unsigned int)order);
	pthread_mutex_unlock(&mem->lock);
	if (pageno < 0)
		return NULL;
	*dma_handle = dma_get_device_base(dev, mem) + ((dma_addr_t)pageno << PAGE_SHIFT);
	ret = (char *)mem->virt_base + ((size_t)pageno << PAGE_SHIFT);
	vg_mark_undefined(ret, (size_t)size);
	memset(ret, 0, (size_t)size);
	return ret;
}

bool dma_alloc_from_dev_coherent(struct device *dev, ssize_t size, dma_addr_t *dma_handle,
				 void **ret)
{
	struct dma_coherent_mem *mem = dev ? __atomic_load_n(&dev->dma_mem, __ATOMIC_ACQUIRE) : NULL;

	if (!mem)
		return false;
	*ret = __dma_alloc_from_coherent(dev, mem, size, dma_handle);
	return true;
}

static bool __dma_release_from_coherent(struct dma_coherent_mem *mem, int order, void *vaddr)
{
	char *base = mem ? mem->virt_base : NULL;
	unsigned long page;

	if (!mem || (char *)vaddr < base || (char *)vaddr >= base + ((size_t)mem->size << PAGE_SHIFT))
		return false;
	page = (unsigned long)((char *)vaddr - base) >> PAGE_SHIFT;
	if (order < 0 || page + (1UL << order) > (unsigned long)mem->size) {
		/* The kernel would clear bits past the bitmap; refuse instead (still "ours"). */
		kdma_warn(NULL, "coherent release of order %d at page %lu overruns the region", order,
			  page);
		return true;
	}
	pthread_mutex_lock(&mem->lock);
	kdma_bitmap_release_region(mem->bitmap, page, 1UL << order);
	pthread_mutex_unlock(&mem->lock);
	return true;
}

bool dma_release_from_dev_coherent(struct device *dev, int order, void *vaddr)
{
	return dev && __dma_release_from_coherent(__atomic_load_n(&dev->dma_mem, __ATOMIC_ACQUIRE),
						  order, vaddr);
}

/* ---- the global pool (CONFIG_DMA_GLOBAL_POOL, DT linux,dma-default) ---- */

static struct dma_coherent_mem *dma_coherent_default_memory;
static pthread_once_t global_once = PTHREAD_ONCE_INIT;

static void dma_init_global_coherent(void)
{
	u64 size = kdma_opts()->global_coherent_size;
	unsigned int order;
	struct dma_coherent_mem *mem;
	struct page *page;

	if (!size)
		return;
	order = (unsigned int)get_order(size);
	if (order > MAX_PAGE_ORDER) {
		kdma_warn(NULL, "global_coherent_size=%llu exceeds %lu bytes; no global pool",
			  (unsigned long long)size, PAGE_SIZE << MAX_PAGE_ORDER);
		return;
	}
	page = kdma_alloc_pages(GFP_DMA32 | __GFP_ZERO, order);
	if (!page) {
		kdma_warn(NULL, "no low memory for the %llu-byte global coherent pool",
			  (unsigned long long)size);
		return;
	}
	mem = dma_init_coherent_memory(page_to_phys(page), 0, PAGE_ALIGN(size), true);
	if (IS_ERR(mem)) {
		kdma_free_pages(page, order);
		return;
	}
	mem->owned = page;
	mem->owned_order = order;
	dma_coherent_default_memory = mem;
}

void *dma_alloc_from_global_coherent(struct device *dev, ssize_t size, dma_addr_t *dma_handle)
{
	pthread_once(&global_once, dma_init_global_coherent);
	if (!dma_coherent_default_memory)
		return NULL;
	return __dma_alloc_from_coherent(dev, dma_coherent_default_memory, size, dma_handle);
}

bool dma_release_from_global_coherent(int order, void *vaddr)
{
	pthread_once(&global_once, dma_init_global_coherent);
	return __dma_release_from_coherent(dma_coherent_default_memory, order, vaddr);
}

bool kdma_dev_coherent_contains(struct device *dev, phys_addr_t phys, size_t len)
{
	struct dma_coherent_mem *mem = dev ? dev->dma_mem : NULL;
	phys_addr_t base;

	if (!mem)
		return false;
	base = (phys_addr_t)mem->pfn_base << PAGE_SHIFT;
	return phys >= base && phys + len <= base + ((phys_addr_t)mem->size << PAGE_SHIFT);
}
