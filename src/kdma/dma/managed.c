/* SPDX-License-Identifier: MIT */
/*
 * devres-managed DMA (kernel/dma/mapping.c dmam_*, mm/dmapool.c dmam_pool_*): allocations and
 * pools that disappear at unbind. dmasim_device_destroy releases devres, newest first, before the
 * sanitizer counts leaks, as the kernel releases devres before its unbind leak check.
 *
 * dmam_alloc_* are API entry points: they fire the alloc hook once themselves and allocate
 * through the unhooked path, and the devres release fires the matching free hook.
 */
#include <linux/dmapool.h>
#include <linux/mm.h>

#include "dma/dma.h"

struct dma_devres {
	size_t size;
	void *vaddr;
	dma_addr_t dma_handle;
	unsigned long attrs;
};

/* What dma_free_attrs does: per-device coherent memory goes back silently (no debug hook in the
 * kernel either), anything else is reported to the free hook, then freed. */
static void dmam_free(struct device *dev, size_t size, void *vaddr, dma_addr_t dma,
		      unsigned long attrs)
{
	if (dma_release_from_dev_coherent(dev, get_order(size), vaddr) || !vaddr)
		return;
	KDMA_HOOK(free, dev, KDMA_TYPE_COHERENT, size, vaddr, dma, DMA_BIDIRECTIONAL);
	kdma_free_attrs_nohook(dev, size, vaddr, dma, attrs);
}

static void dmam_release(struct device *dev, void *res)
{
	struct dma_devres *this = res;

	dmam_free(dev, this->size, this->vaddr, this->dma_handle, this->attrs);
}

static int dmam_match(struct device *dev, void *res, void *match_data)
{
	struct dma_devres *this = res, *match = match_data;

	if (this->vaddr != match->vaddr)
		return 0;
	WARN(this->size != match->size || this->dma_handle != match->dma_handle,
	     "dmam_free_coherent: %p allocated as %zu bytes at dma 0x%llx, freed as %zu bytes at "
	     "dma 0x%llx\n", this->vaddr, this->size, (unsigned long long)this->dma_handle,
	     match->size, (unsigned long long)match->dma_handle);
	return 1;
}

void *dmam_alloc_attrs(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t gfp,
		       unsigned long attrs)
{
	struct dma_devres *dr;
	void *vaddr;

	if (!kdma_check_dev(dev, __func__))
		return NULL;
	if (!dma_handle || !size) {
		kdma_warn(dev, "%s: %s", __func__, size ? "NULL dma_handle" : "zero-size allocation");
		return NULL;
	}
	kdma_hooks_init();
	dr = devres_alloc(dmam_release, sizeof(*dr), gfp);
	if (!dr)
		return NULL;
	/* As dma_alloc_attrs: per-device coherent memory is final and not hooked. */
	if (!dma_alloc_from_dev_coherent(dev, (ssize_t)size, dma_handle, &vaddr)) {
		vaddr = kdma_alloc_attrs_nohook(dev, size, dma_handle, gfp, attrs);
		KDMA_HOOK(alloc, dev, KDMA_TYPE_COHERENT, size, vaddr,
			  vaddr ? *dma_handle : DMA_MAPPING_ERROR, DMA_BIDIRECTIONAL, attrs);
	}
	if (!vaddr) {
		devres_free(dr);
		return NULL;
	}
	dr->vaddr = vaddr;
	dr->dma_handle = *dma_handle;
	dr->size = size;
	dr->attrs = attrs;
	devres_add(dev, dr);
	return vaddr;
}

void *dmam_alloc_coherent(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t gfp)
{
	return dmam_alloc_attrs(dev, size, dma_handle, gfp, 0);
}

void dmam_free_coherent(struct device *dev, size_t size, void *vaddr, dma_addr_t dma_handle)
{
	struct dma_devres match_data = { size, vaddr, dma_handle, 0 };

	if (!kdma_check_dev(dev, __func__))
		return;
	/* The kernel WARNs and still frees: the caller said the memory is coherent memory. */
	WARN(devres_destroy(dev, dmam_release, dmam_match, &match_data),
	     "dmam_free_coherent: no devres entry for %p (%zu bytes, dma 0x%llx) on %s\n", vaddr,
	     size, (unsigned long long)dma_handle, dev_name(dev));
	dmam_free(dev, size, vaddr, dma_handle, 0);
}

/* ---- managed pools ---- */

static void dmam_pool_release(struct device *dev, void *res)
{
	dma_pool_destroy(*(struct dma_pool **)res);
}

static int dmam_pool_match(struct device *dev, void *res, void *match_data)
{
	return *(struct dma_pool **)res == match_data;
}

struct dma_pool *dmam_pool_create(const char *name, struct device *dev, size_t size, size_t align,
				  size_t allocation)
{
	struct dma_pool **ptr, *pool;

	if (!kdma_check_dev(dev, __func__))
		return NULL;
	ptr = devres_alloc(dmam_pool_release, sizeof(*ptr), GFP_KERNEL);
	if (!ptr)
		return NULL;
	pool = *ptr = dma_pool_create(name, dev, size, align, allocation);
	if (pool)
		devres_add(dev, ptr);
	else
		devres_free(ptr);
	return pool;
}

void dmam_pool_destroy(struct dma_pool *pool)
{
	struct device *dev;

	if (!pool)
		return;
	dev = kdma_dma_pool_dev(pool);
	WARN(devres_release(dev, dmam_pool_release, dmam_pool_match, pool),
	     "dmam_pool_destroy: pool %p is not managed by %s\n", (void *)pool, dev_name(dev));
}
