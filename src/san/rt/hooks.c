// SPDX-License-Identifier: MIT
/*
 * How the sanitizer attaches: libkdma looks up __dmasan_kdma_hooks with dlsym on its first DMA
 * call and calls these hooks at the kernel's debug_dma_* places (src/common/kdma_hooks.h), only
 * from its exported entry points, so nothing is tracked twice. Each hook captures the call's
 * stack when the event is remembered (map, unmap, sync, alloc, free) and dispatches to the
 * checks. A thread-local guard makes everything the sanitizer does itself invisible to it.
 */
#include <stdatomic.h>
#include <pthread.h>

#include "common/visibility.h"
#include "checks/checks.h"
#include "checks/checks_fence.h"
#include "checks/checks_dmaengine.h"
#include "checks/checks_dmabuf.h"
#include "report/dump.h"
#include "rt/services.h"
#include "ownership/cpu_access.h"
#include "rt/guard.h"
#include "rt/options.h"
#include "ownership/ownership_hooks.h"
#include "stacks/threads.h"

__thread int san_guard __attribute__((tls_model("initial-exec")));

__thread uintptr_t san_reported_lo __attribute__((tls_model("initial-exec")));
__thread uintptr_t san_reported_hi __attribute__((tls_model("initial-exec")));

static inline struct san_call call_here(struct device *dev, bool with_stack)
{
	san_thread_register();
	return (struct san_call){ dev, with_stack ? dmasan_stack_capture(0) : 0,
				  dmasan_thread_id() };
}

static void h_map(struct device *dev, enum kdma_map_type type, const void *cpu_addr,
		  phys_addr_t phys, size_t size, enum dma_data_direction dir, unsigned long attrs,
		  dma_addr_t handle, unsigned int flags, enum kdma_map_failure why)
{
	struct san_call c;

	if (!san_enter())
		return;
	c = call_here(dev, true);
	san_on_map(&c, type, cpu_addr, phys, size, dir, attrs, handle, flags, why);
	san_leave();
}

static void h_mapping_error(struct device *dev, dma_addr_t handle)
{
	struct san_call c = { dev, 0, 0 };

	if (!san_enter())
		return;
	san_on_mapping_error(&c, handle);
	san_leave();
}

static void h_unmap(struct device *dev, enum kdma_map_type type, dma_addr_t handle, size_t size,
		    enum dma_data_direction dir, unsigned long attrs)
{
	struct san_call c;

	if (!san_enter())
		return;
	c = call_here(dev, true);
	san_dmaengine_release(dev, handle, size, "dma_unmap");
	san_on_unmap(&c, type, handle, size, dir, attrs);
	san_leave();
}

static void h_map_sg(struct device *dev, struct scatterlist *sg, int nents, int mapped_ents,
		     enum dma_data_direction dir, unsigned long attrs, unsigned int flags)
{
	struct san_call c;

	if (!san_enter())
		return;
	c = call_here(dev, true);
	san_on_map_sg(&c, sg, nents, mapped_ents, dir, attrs, flags);
	san_leave();
}

static void h_unmap_sg(struct device *dev, struct scatterlist *sg, int nents,
		       enum dma_data_direction dir, unsigned long attrs)
{
	struct san_call c;

	if (!san_enter())
		return;
	c = call_here(dev, true);
	san_dmaengine_release_sg(dev, sg, nents);
	san_on_unmap_sg(&c, sg, nents, dir, attrs);
	san_leave();
}

static void h_sync(struct device *dev, dma_addr_t handle, size_t size,
		   enum dma_data_direction dir, bool for_cpu, bool after)
{
	struct san_call c;
	struct san_reported reported = { 0 };

	if (!san_enter())
		return;
	if (!after) {
		c = call_here(dev, true);
		if (san_check_direction(&c, dir, for_cpu ? "sync for cpu" : "sync for device"))
			san_on_sync(&c, handle, size, dir, for_cpu, 0, &reported);
	}
	san_shadow_sync(dev, handle, size, dir, for_cpu, after);
	san_leave();
}

static void h_sync_sg(struct device *dev, struct scatterlist *sg, int nelems,
		      enum dma_data_direction dir, bool for_cpu, bool after)
{
	struct san_call c;

	if (!san_enter())
		return;
	if (!after) {
		c = call_here(dev, true);
		san_on_sync_sg(&c, sg, nelems, dir, for_cpu);
	}
	san_shadow_sync_sg(dev, sg, nelems, dir, for_cpu, after);
	san_leave();
}

static void h_alloc(struct device *dev, enum kdma_map_type type, size_t size, const void *cpu_addr,
		    dma_addr_t handle, enum dma_data_direction dir, unsigned long attrs)
{
	struct san_call c;

	if (!san_enter())
		return;
	c = call_here(dev, true);
	san_on_alloc(&c, type, size, cpu_addr, handle, dir, attrs);
	san_leave();
}

static void h_free(struct device *dev, enum kdma_map_type type, size_t size, const void *cpu_addr,
		   dma_addr_t handle, enum dma_data_direction dir)
{
	struct san_call c;

	if (!san_enter())
		return;
	c = call_here(dev, true);
	san_dmaengine_release(dev, handle, size, "dma_free");
	san_on_free(&c, type, size, cpu_addr, handle, dir);
	san_leave();
}

struct access_find {
	struct san_entry copy;
	bool report;
};

static bool access_mark_unchecked(struct san_entry *e, void *arg)
{
	struct access_find *f = arg;

	if (san_entry_take_unchecked(e)) {
		san_entry_snapshot(&f->copy, e);
		f->report = true;
		return true;
	}
	return false;
}

static enum kdma_access_result h_device_access(struct device *dev, dma_addr_t addr,
					       phys_addr_t phys, void *buf, size_t len,
					       bool is_write, bool stale)
{
	enum kdma_access_result res = KDMA_ACCESS_PROCEED;
	struct access_find f = { .report = false };

	if (!san_enter())
		return res;
	san_thread_register();
	/* The device was handed a handle nobody checked with dma_mapping_error(). */
	san_table_visit_bus(dev, addr, addr + 1, access_mark_unchecked, &f);
	if (f.report) {
		struct san_call c = { dev, 0, dmasan_thread_id() };

		san_report_unchecked(&c, &f.copy, is_write ? "device write" : "device read");
	}
	san_dmabuf_device_access(dev, addr, len, is_write);
	res = san_shadow_device_access(dev, addr, phys, buf, len, is_write, stale);
	san_leave();
	return res;
}

static void h_bounce(struct device *dev, phys_addr_t orig, phys_addr_t tlb, size_t size,
		     bool to_device)
{
	if (!san_enter())
		return;
	san_shadow_bounce(dev, orig, tlb, size, to_device);
	san_leave();
}

static void h_pool(struct dma_pool *pool, struct device *dev, const char *pool_name,
		   enum kdma_pool_event ev, const void *vaddr, dma_addr_t handle, size_t size)
{
	struct san_call c;

	if (!san_enter())
		return;
	c = call_here(dev, ev == KDMA_POOL_ALLOC || ev == KDMA_POOL_FREE);
	san_on_pool(&c, pool, pool_name, ev, vaddr, handle, size);
	san_leave();
}

static void h_mem_free(const void *ptr, size_t size, enum kdma_free_kind kind)
{
	static const char *const how[] = { "kfree", "vfree", "__free_pages", "kvfree" };

	cpu_access_released(ptr, size); /* before the allocator touches it */
	if (san_take_reported((uintptr_t)ptr, (uintptr_t)ptr + (size ? size : 1)))
		return; /* the kfree interposer (intercept.c) reported it already */
	if (!san_enter())
		return;
	/* Marked so that a free() libkdma makes underneath does not report it again. */
	if (san_check_release_memory(ptr, size, kind <= KDMA_FREE_KVFREE ? how[kind] : "free",
				     false))
		san_mark_reported((uintptr_t)ptr, (uintptr_t)ptr + size);
	san_leave();
}

static void h_bad_object(const void *obj, enum kdma_object_kind kind, bool destroyed,
			 const char *fn)
{
	struct san_call c;

	if (!san_enter())
		return;
	c = call_here(NULL, true);
	san_on_bad_object(&c, obj, kind, destroyed, fn);
	san_leave();
}

static void h_device_create(struct device *dev)
{
}

static void h_device_destroy(struct device *dev)
{
	if (!san_enter())
		return;
	san_leaks_device(dev);
	san_fence_device_destroy(dev);
	san_dump_wait();
	san_table_device_gone(dev);
	san_leave();
}

/* Whole pages are what the mprotect backend protects: then every kmalloc object gets its own. */
static bool h_kmalloc_page_private(void)
{
	return cpu_access_backend() == CPU_ACCESS_MPROTECT;
}

static void h_fence(const void *fence, enum kdma_fence_event ev, const struct kdma_fence_info *info)
{
	if (!san_enter())
		return;
	san_on_fence(fence, ev, info);
	san_leave();
}

static void h_dmaengine(const void *chan, struct device *dma_dev, enum kdma_dmaengine_event ev,
			const struct kdma_dmaengine_info *info)
{
	if (!san_enter())
		return;
	san_thread_register();
	san_on_dmaengine(chan, dma_dev, ev, info);
	san_leave();
}

static void h_dmabuf(const void *dmabuf, const void *attach, struct device *dev,
		     enum kdma_dmabuf_event ev, const struct kdma_dmabuf_info *info)
{
	if (!san_enter())
		return;
	san_on_dmabuf(dmabuf, attach, dev, ev, info);
	san_leave();
}

static const struct kdma_hooks san_hooks = {
	.size = sizeof(struct kdma_hooks),
	.map = h_map,
	.mapping_error = h_mapping_error,
	.unmap = h_unmap,
	.map_sg = h_map_sg,
	.unmap_sg = h_unmap_sg,
	.sync = h_sync,
	.sync_sg = h_sync_sg,
	.alloc = h_alloc,
	.free = h_free,
	.device_access = h_device_access,
	.bounce = h_bounce,
	.pool = h_pool,
	.mem_free = h_mem_free,
	.device_create = h_device_create,
	.device_destroy = h_device_destroy,
	.kmalloc_page_private = h_kmalloc_page_private,
	.fence = h_fence,
	.dmaengine = h_dmaengine,
	.dmabuf = h_dmabuf,
	.bad_object = h_bad_object,
};

/* What only the end of the process can tell: fences never signalled, descriptors never issued. */
static void san_exit_checks(void)
{
	san_fence_at_exit();
	san_dmaengine_at_exit();
}

static void san_init(void)
{
	san_threads_init();
	dmasan_set_leak_callback(san_leaks_at_exit);
	dmasan_set_exit_checks_callback(san_exit_checks);
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

const struct kdma_services *san_kdma;

/* Found by libkdma with dlsym; libkdma hands over its services in the same call. */
const struct kdma_hooks *__dmasan_kdma_hooks(const struct kdma_services *svc);

DMASAN_EXPORT const struct kdma_hooks *
__dmasan_kdma_hooks(const struct kdma_services *svc)
{
	bool entered = san_enter();

	if (svc && svc->size >= sizeof(size_t))
		san_kdma = svc;

	dmasan_runtime_init();
	pthread_once(&init_once, san_init);
	if (entered)
		san_leave();
	return &san_hooks;
}
