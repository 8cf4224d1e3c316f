/* SPDX-License-Identifier: MIT */
/*
 * The debug hooks libkdma calls at the places kernel/dma/mapping.c calls debug_dma_*(), plus the
 * events the kernel has no hook for (device accesses, bounce copies, pool events, frees).
 *
 * How the sanitizer attaches: on its first DMA call libkdma looks up the symbol
 * `__dmasan_kdma_hooks` with dlsym(RTLD_DEFAULT). libdmasan.so (LD_PRELOAD) defines it and returns
 * its table; without the preload the lookup fails and every hook site is one predictable branch
 * on a NULL pointer. Hooks are called only from the exported API entry points, never from the
 * internal paths they use (dma_map_sgtable → one map_sg event, dma_alloc_coherent → one alloc
 * event), so nothing is tracked twice. Internal callers inside libkdma use the hidden kdma_*
 * functions, which carry no hooks.
 *
 * A hook must not call back into the exported DMA API. Every hook may be called from any thread,
 * concurrently, and with libkdma locks NOT held (hooks run outside libkdma's own locks), except
 * device_access, which runs with no libkdma lock held either.
 *
 * This header is shared by libkdma and libdmasan and is not installed: the table is versioned by
 * `size` so an older preload keeps working with a newer libkdma (missing members are NULL).
 */
#ifndef DMASAN_COMMON_KDMA_HOOKS_H
#define DMASAN_COMMON_KDMA_HOOKS_H

#include <linux/types.h>
#include <linux/dma-direction.h>

struct device;
struct scatterlist;
struct dma_pool;

/* What a mapping or allocation is; the sanitizer keeps single and page distinct (the kernel
 * does not). Values are stable: they appear in dumps. */
enum kdma_map_type {
	KDMA_TYPE_SINGLE = 0,      /* dma_map_single */
	KDMA_TYPE_PAGE,            /* dma_map_page / dma_map_phys */
	KDMA_TYPE_SG,              /* dma_map_sg / dma_map_sgtable */
	KDMA_TYPE_RESOURCE,        /* dma_map_resource */
	KDMA_TYPE_COHERENT,        /* dma_alloc_attrs / _coherent / _wc / dmam_alloc_* */
	KDMA_TYPE_NONCOHERENT,     /* dma_alloc_pages / dma_alloc_noncoherent */
	KDMA_TYPE_NONCONTIGUOUS,   /* dma_alloc_noncontiguous */
	KDMA_TYPE_POOL,            /* dma_pool_alloc */
	KDMA_TYPE__COUNT
};

/* Facts about how libkdma carried out a streaming mapping (flags of map events). */
#define KDMA_MAP_BOUNCED 0x1u /* lives in a SWIOTLB slot: device accesses never touch the original */
#define KDMA_MAP_IOMMU 0x2u   /* the handle is an IOVA */
#define KDMA_MAP_FAILED 0x4u  /* the map returned DMA_MAPPING_ERROR (handle is the error value) */

/* Why a map failed, when it did (map events with KDMA_MAP_FAILED). */
enum kdma_map_failure {
	KDMA_FAIL_NONE = 0,
	KDMA_FAIL_OVERFLOW,     /* device cannot address it, bouncing off: kernel "overflow" WARN */
	KDMA_FAIL_SWIOTLB_FULL, /* "swiotlb buffer is full" */
	KDMA_FAIL_VMALLOC,      /* "rejecting DMA map of vmalloc memory" */
	KDMA_FAIL_IOVA,         /* IOVA space exhausted */
	KDMA_FAIL_INVALID,      /* bad arguments (NULL device, invalid direction, ...) */
	KDMA_FAIL_OTHER,
};

/* How memory is being released (mem_free hook). */
enum kdma_free_kind {
	KDMA_FREE_KFREE = 0,
	KDMA_FREE_VFREE,
	KDMA_FREE_PAGES, /* __free_pages / free_pages */
	KDMA_FREE_KVFREE,
};

/* dma_pool events and the kernel's DMAPOOL_DEBUG findings. */
enum kdma_pool_event {
	KDMA_POOL_CREATE = 0,
	KDMA_POOL_DESTROY,         /* clean destroy */
	KDMA_POOL_DESTROY_BUSY,    /* "dma_pool_destroy %s busy": blocks still allocated */
	KDMA_POOL_ALLOC,
	KDMA_POOL_FREE,
	KDMA_POOL_BAD_DMA,         /* "dma_pool_free %s, %p/%pad (bad dma)" */
	KDMA_POOL_BAD_VADDR,       /* "dma_pool_free %s, %p (bad vaddr)/%pad" */
	KDMA_POOL_ALREADY_FREE,    /* "dma_pool_free %s, dma %pad already free" */
	KDMA_POOL_CORRUPTED,       /* "%s, %p (corrupted)": a free block was written */
};

/* What an API call was given instead of a live object (bad_object hook). */
enum kdma_object_kind {
	KDMA_OBJ_DEVICE = 0, /* a struct device */
	KDMA_OBJ_POOL,       /* a struct dma_pool */
};

/* Result of device_access: what the sanitizer did with the access. */
enum kdma_access_result {
	KDMA_ACCESS_PROCEED = 0, /* libkdma performs the copy on the translated memory */
	KDMA_ACCESS_HANDLED,     /* the sanitizer performed the copy itself (its device view) */
	KDMA_ACCESS_FAULT,       /* the sanitizer reported it as running past its mapping: it
				  * fails with -EFAULT, nothing copied, as an IOMMU would stop it */
};

/* dma-fence events (the fence hook). */
enum kdma_fence_event {
	KDMA_FENCE_INIT = 0,          /* dma_fence_init: info has context, seqno and the names */
	KDMA_FENCE_GET,               /* a new reference */
	KDMA_FENCE_PUT,               /* before the reference is dropped */
	KDMA_FENCE_RELEASE,           /* the last reference went, before ops->release */
	KDMA_FENCE_SIGNAL,            /* the driver called dma_fence_signal*, before anything */
	KDMA_FENCE_SIGNAL_INTERNAL,   /* libkdma signalled it (ops->signaled polled true,
				       * enable_signaling refused, released with callbacks) */
	KDMA_FENCE_ADD_CALLBACK,      /* dma_fence_add_callback, before; info->cb */
	KDMA_FENCE_CALLBACK_REJECTED, /* ... it returned -ENOENT: info->cb will never run */
	KDMA_FENCE_REMOVE_CALLBACK,   /* dma_fence_remove_callback, after; info->cb, info->ret */
	KDMA_FENCE_WAIT,              /* dma_fence_wait*, before waiting */
	KDMA_FENCE_BEGIN_SIGNALLING,  /* dma_fence_begin_signalling (fence NULL) */
	KDMA_FENCE_END_SIGNALLING,
	KDMA_FENCE_RESV_ADD,          /* dma_resv_add_fence: info->resv, info->usage */
};

/* What a fence event carries beyond the fence pointer (fields unused by an event are 0). */
struct kdma_fence_info {
	u64 context, seqno;
	const char *driver, *timeline; /* ops->get_driver_name/get_timeline_name at init */
	const void *cb;                /* the dma_fence_cb of a callback event */
	int ret;                       /* remove_callback: 1 if it was still queued */
	const void *resv;              /* RESV_ADD: the reservation object */
	int usage;                     /* RESV_ADD: enum dma_resv_usage */
	bool container;                /* INIT: a dma_fence_array or dma_fence_chain, which
					* signals when the fences it holds have */
};

/* dmaengine events (the dmaengine hook). */
enum kdma_dmaengine_event {
	KDMA_DMAE_PREP = 0,        /* a descriptor was prepared: info has its memory segments */
	KDMA_DMAE_SUBMIT,          /* dmaengine_submit returned info->cookie */
	KDMA_DMAE_ISSUE_PENDING,   /* dma_async_issue_pending, before the provider starts */
	KDMA_DMAE_TX_STATUS,       /* dmaengine_tx_status(info->cookie) answered info->status */
	KDMA_DMAE_COMPLETE,        /* the controller finished info->desc, before its callback */
	KDMA_DMAE_TERMINATE_ASYNC, /* dmaengine_terminate_async/_sync, before stopping */
	KDMA_DMAE_SYNCHRONIZE,     /* dmaengine_synchronize/terminate_sync returned */
	KDMA_DMAE_RELEASE,         /* dma_release_channel */
};

/* A piece of memory a descriptor transfers (the controller device's bus addresses). */
struct kdma_dmaengine_seg {
	dma_addr_t addr;
	size_t len;
	bool device_reads; /* the controller reads it (MEM_TO_DEV, memcpy source) */
};

struct kdma_dmaengine_info {
	const void *desc;
	int cookie;
	int status;    /* enum dma_status of TX_STATUS */
	int direction; /* enum dma_transfer_direction of PREP */
	bool cyclic;
	unsigned int nsegs;
	const struct kdma_dmaengine_seg *segs;
};

/* dma-buf events (the dmabuf hook). */
enum kdma_dmabuf_event {
	KDMA_DMABUF_EXPORT = 0,  /* dma_buf_export succeeded */
	KDMA_DMABUF_RELEASE,     /* the last reference went, before ops->release */
	KDMA_DMABUF_ATTACH,      /* dma_buf_attach succeeded (attach, dev) */
	KDMA_DMABUF_DETACH,      /* dma_buf_detach, before anything */
	KDMA_DMABUF_MAP,         /* dma_buf_map_attachment succeeded (attach, dir) */
	KDMA_DMABUF_UNMAP,       /* dma_buf_unmap_attachment, before */
	KDMA_DMABUF_BEGIN_CPU,   /* dma_buf_begin_cpu_access(dir), after the exporter synced */
	KDMA_DMABUF_END_CPU,     /* dma_buf_end_cpu_access(dir), after the exporter synced */
	KDMA_DMABUF_VMAP,        /* dma_buf_vmap made the buffer's kernel mapping (vaddr, size) */
	KDMA_DMABUF_VUNMAP,      /* dma_buf_vunmap undoes it, before */
	KDMA_DMABUF_MOVE,        /* dma_buf_move_notify, before the importers are told */
	KDMA_DMABUF_MAPPING,     /* dma_buf_map_attachment, before the exporter maps (attach) */
	KDMA_DMABUF_UNMAPPED,    /* dma_buf_unmap_attachment, after the exporter unmapped (attach);
				  * also after a failed map */
};

struct scatterlist;

/* What a dma-buf event carries (fields unused by an event are 0). */
struct kdma_dmabuf_info {
	const char *name;            /* EXPORT: the exporter's name */
	const void *resv;            /* EXPORT: the buffer's reservation object */
	int dir;                     /* MAP, UNMAP, BEGIN_CPU, END_CPU */
	struct scatterlist *sgl;     /* MAP: the importer's mapped entries */
	unsigned int nents;          /* MAP: how many of them are mapped (sgt->nents) */
	void *vaddr;                 /* VMAP, VUNMAP: the kernel mapping (NULL for I/O memory) */
	size_t size;                 /* VMAP, VUNMAP: the buffer's size */
	bool dynamic;                /* ATTACH: a dynamic importer (move_notify) */
};

struct kdma_hooks {
	size_t size; /* sizeof(struct kdma_hooks) of the provider; members past it are absent */

	/* --- the kernel's debug_dma_* points (kernel/dma/debug.c), placed as in mapping.c --- */

	/* dma_map_single/dma_map_page/dma_map_phys/dma_map_resource, after the map (also on failure,
	 * with KDMA_MAP_FAILED and the reason). cpu_addr is the driver's pointer (NULL for resource
	 * mappings); phys is the physical address of the original buffer. */
	void (*map)(struct device *dev, enum kdma_map_type type, const void *cpu_addr, phys_addr_t phys,
		    size_t size, enum dma_data_direction dir, unsigned long attrs, dma_addr_t handle,
		    unsigned int flags, enum kdma_map_failure why);
	/* dma_mapping_error(), before the comparison. */
	void (*mapping_error)(struct device *dev, dma_addr_t handle);
	/* unmap of single/page/resource: called BEFORE the real unmap so that the checks see the
	 * live state; `type` is the releasing function's kind. */
	void (*unmap)(struct device *dev, enum kdma_map_type type, dma_addr_t handle, size_t size,
		      enum dma_data_direction dir, unsigned long attrs);
	/* dma_map_sg/sgtable after the map; mapped_ents <= 0 means it failed. */
	void (*map_sg)(struct device *dev, struct scatterlist *sg, int nents, int mapped_ents,
		       enum dma_data_direction dir, unsigned long attrs, unsigned int flags);
	/* dma_unmap_sg/sgtable, before the real unmap (the IOMMU path rewrites sg fields). */
	void (*unmap_sg)(struct device *dev, struct scatterlist *sg, int nents,
			 enum dma_data_direction dir, unsigned long attrs);
	/* A sync about to happen (before libkdma copies or flushes) and one that happened. The
	 * sanitizer checks in `sync`, and moves ownership at the point where data moves: for_cpu
	 * after the copy back, for_device before the copy out. `for_cpu` selects the direction. */
	void (*sync)(struct device *dev, dma_addr_t handle, size_t size, enum dma_data_direction dir,
		     bool for_cpu, bool after);
	void (*sync_sg)(struct device *dev, struct scatterlist *sg, int nelems,
			enum dma_data_direction dir, bool for_cpu, bool after);
	/* dma_alloc_* (coherent, wc, pages, noncoherent, noncontiguous): after; cpu_addr NULL = failed. */
	void (*alloc)(struct device *dev, enum kdma_map_type type, size_t size, const void *cpu_addr,
		      dma_addr_t handle, enum dma_data_direction dir, unsigned long attrs);
	/* dma_free_*: before the real free. */
	void (*free)(struct device *dev, enum kdma_map_type type, size_t size, const void *cpu_addr,
		     dma_addr_t handle, enum dma_data_direction dir);

	/* --- beyond the kernel --- */

	/* A simulated device access (dmasim_dma_read/write), one call per physically contiguous
	 * piece, after translation. phys is (phys_addr_t)-1 when the address did not translate (the
	 * access then fails with -EFAULT whatever the hook returns); `stale` is set when an IOMMU
	 * translation came from an IOTLB entry whose mapping is already unmapped (lazy mode).
	 * `buf` is the device's side of the copy (read destination / write source). */
	enum kdma_access_result (*device_access)(struct device *dev, dma_addr_t addr, phys_addr_t phys,
						 void *buf, size_t len, bool is_write, bool stale);
	/* An IOMMU fault (unmapped IOVA or permission), after it was recorded. */
	void (*iommu_fault)(struct device *dev, dma_addr_t iova, bool is_write, const char *reason);
	/* SWIOTLB copied `size` bytes between the original (orig) and its slot (tlb).
	 * to_device: orig → slot. */
	void (*bounce)(struct device *dev, phys_addr_t orig, phys_addr_t tlb, size_t size,
		       bool to_device);
	/* dma_pool lifecycle and findings. */
	void (*pool)(struct dma_pool *pool, struct device *dev, const char *pool_name,
		     enum kdma_pool_event ev, const void *vaddr, dma_addr_t handle, size_t size);
	/* kfree/vfree/kvfree/__free_pages about to release [ptr, ptr+size). Also called, with
	 * size 0, for a pointer the allocator does not own (not freed then): coherent memory
	 * released with kfree is how the sanitizer names coherent-freed-wrongly. */
	void (*mem_free)(const void *ptr, size_t size, enum kdma_free_kind kind);
	/* Device lifecycle. destroy is called after devres release, before the device is freed:
	 * what is still live is the driver's leak (kernel L1). */
	void (*device_create)(struct device *dev);
	void (*device_destroy)(struct device *dev);

	/* Asked once when libkdma attaches: true makes every kmalloc object page-private (a page
	 * of its own), for the sanitizer's mprotect backend, which protects whole pages: a
	 * receive buffer must not share its page with unrelated data the CPU keeps using. */
	bool (*kmalloc_page_private)(void);

	/* --- the DMA subsystem around the mapping API --- */

	/* dma-fence lifecycle. Called before libkdma touches the fence (except REMOVE_CALLBACK and
	 * CALLBACK_REJECTED, which report a result), so a use after release is seen before it
	 * happens. The fence pointer is only a key: the sanitizer never dereferences it. */
	void (*fence)(const void *fence, enum kdma_fence_event ev, const struct kdma_fence_info *info);
	/* dmaengine client calls and the controller's completions. chan is only a key; dma_dev is
	 * the controller's device (what client memory must be mapped for). */
	void (*dmaengine)(const void *chan, struct device *dma_dev, enum kdma_dmaengine_event ev,
			  const struct kdma_dmaengine_info *info);
	/* dma-buf sharing. dmabuf and attach are keys; dev is the importer's device (ATTACH, MAP,
	 * UNMAP, DETACH). */
	void (*dmabuf)(const void *dmabuf, const void *attach, struct device *dev,
		       enum kdma_dmabuf_event ev, const struct kdma_dmabuf_info *info);

	/* An API call was given a device or dma_pool pointer that is not a live object: never
	 * created or initialised (garbage), or already destroyed (`destroyed`). libkdma refuses
	 * the call without touching the object; obj is only a key, never dereferenced. fn names
	 * the call. */
	void (*bad_object)(const void *obj, enum kdma_object_kind kind, bool destroyed,
			   const char *fn);
};

struct dmasim_stats;

/*
 * The other direction of the seam: what libkdma tells the sanitizer about its own objects. The
 * sanitizer knows nothing of libkdma's private layouts or symbols; it asks through this table,
 * which libkdma hands to the getter when it attaches. Versioned by `size` like the hook table.
 * Every member may be called from inside a hook, on any thread; none calls a hook or takes a lock
 * a hook caller may hold.
 */
struct kdma_services {
	size_t size; /* sizeof(struct kdma_services) of libkdma; members past it are absent */

	/* The live kmalloc object containing p: its size, with its start in *start; 0 if p is in
	 * no live kmalloc object. */
	size_t (*kmalloc_span)(const void *p, const void **start);
	/* Whether the page frame is reserved (declared MMIO, a reserved-memory region). */
	bool (*pfn_reserved)(unsigned long pfn);
	/* The physical address an sg entry describes (its page plus offset); 0 without a page. */
	phys_addr_t (*sg_phys)(const struct scatterlist *sg);
	/* The entry after sg, following chain links; NULL after the last. */
	struct scatterlist *(*sg_next)(struct scatterlist *sg);
	/* The device's segment limits as the mapping stack applies them (kernel defaults when the
	 * driver set none: 64 KiB, no boundary). */
	void (*segment_limits)(const struct device *dev, unsigned int *max_size,
			       unsigned long *boundary_mask);
	/* SWIOTLB and IOVA use as seen by dev, for dumps; 0 or -errno. */
	int (*sim_stats)(struct device *dev, struct dmasim_stats *out);
	/* fork(): take libkdma's process-wide locks (the sanitizer's prepare handler calls it
	 * after taking its own), and release them after fork() in the parent or the child. */
	void (*fork_lock)(void);
	void (*fork_unlock)(bool child);
};

/* Defined by libdmasan.so, looked up by libkdma, which passes its services. */
typedef const struct kdma_hooks *(*kdma_hooks_getter_t)(const struct kdma_services *svc);
#define KDMA_HOOKS_SYMBOL "__dmasan_kdma_hooks"

#endif
