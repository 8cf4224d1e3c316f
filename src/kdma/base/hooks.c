// SPDX-License-Identifier: MIT
/*
 * Attaching the sanitizer: look up the preload's hook getter once, with dlsym(RTLD_DEFAULT), on
 * the first device creation or API call, and hand it libkdma's services. Without the preload the
 * table stays NULL and every hook site costs one predictable branch.
 */
#include <dlfcn.h>

#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <dmasan/sim.h>

#include "base/base.h"
#include "base/fork.h"
#include "mm/mm.h"

const struct kdma_hooks *kdma_hooks_table;
atomic_bool kdma_hooks_ready;
bool kdma_kmalloc_page_private;

static pthread_once_t hooks_once = PTHREAD_ONCE_INIT;

static bool svc_pfn_reserved(unsigned long pfn)
{
	struct page *pg = pfn_to_page(pfn);

	return pg && PageReserved(pg);
}

static phys_addr_t svc_sg_phys(const struct scatterlist *sg)
{
	struct scatterlist *s = (struct scatterlist *)sg; /* the kernel's helpers take no const */

	return sg_page(s) ? sg_phys(s) : 0;
}

static void svc_segment_limits(const struct device *dev, unsigned int *max_size,
			       unsigned long *boundary_mask)
{
	*max_size = dma_get_max_seg_size((struct device *)dev);
	*boundary_mask = dma_get_seg_boundary((struct device *)dev);
}

const struct kdma_services kdma_services = {
	.size = sizeof(struct kdma_services),
	.kmalloc_span = kdma_kmalloc_span,
	.pfn_reserved = svc_pfn_reserved,
	.sg_phys = svc_sg_phys,
	.sg_next = sg_next,
	.segment_limits = svc_segment_limits,
	.sim_stats = dmasim_stats,
	.fork_lock = kdma_fork_lock,
	.fork_unlock = kdma_fork_unlock,
};

static void hooks_lookup(void)
{
	kdma_hooks_getter_t getter;

	/* dlsym returns void *; the POSIX-sanctioned way to turn it into a function pointer. */
	*(void **)&getter = dlsym(RTLD_DEFAULT, KDMA_HOOKS_SYMBOL);
	if (getter) {
		const struct kdma_hooks *t = getter(&kdma_services);

		if (t && t->size >= sizeof(size_t))
			kdma_hooks_table = t;
	}
	kdma_kmalloc_page_private = KDMA_HOOK_PRESENT(kmalloc_page_private) &&
				    kdma_hooks_table->kmalloc_page_private();
	atomic_store_explicit(&kdma_hooks_ready, true, memory_order_release);
}

void kdma_hooks_init(void)
{
	pthread_once(&hooks_once, hooks_lookup);
}
