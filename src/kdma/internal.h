/* SPDX-License-Identifier: MIT */
/*
 * libkdma internals: the interfaces between the modules of the mapping stack. The split follows
 * kernel/dma/: mapping.c (dispatch + debug hooks) → direct.c | iommu.c | ops; swiotlb.c under
 * both; coherent.c, pool.c, dmapool.c for allocators; mm.c/slab.c for the memory model; device.c
 * and sim.c for simulated devices. Nothing here is exported: the library is built with hidden
 * visibility and only the kernel API (shim/) and <dmasan/...h> are public (src/kdma/exports.map).
 */
#ifndef DMASAN_KDMA_INTERNAL_H
#define DMASAN_KDMA_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>

#include <linux/types.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/dma-map-ops.h>
#include <linux/scatterlist.h>
#include <dmasan/sim.h>

#include "common/kdma_hooks.h"

/* ---------------------------------------------------------------- hooks (hooks.c) ---- */

/* The sanitizer's hook table or NULL; resolved once (kdma_hooks_init) on first use. */
extern const struct kdma_hooks *kdma_hooks_table;
void kdma_hooks_init(void);
/* The sanitizer's answer to kmalloc_page_private, fixed when the hooks attach. */
extern bool kdma_kmalloc_page_private;
/* The live kmalloc object containing p (mm/slab.c): size, start in *start; 0 if none. */
size_t kdma_kmalloc_span(const void *p, const void **start);
/* What libkdma hands the sanitizer when it attaches (base/hooks.c). */
extern const struct kdma_services kdma_services;
/* Set (release) once kdma_hooks_init has run; kdma_hooks_ensure() is the cheap check the API
 * entry points and device creation use before their first hook. */
extern atomic_bool kdma_hooks_ready;
static inline void kdma_hooks_ensure(void)
{
	if (__builtin_expect(!atomic_load_explicit(&kdma_hooks_ready, memory_order_acquire), 0))
		kdma_hooks_init();
}

/* KDMA_HOOK(map, dev, ...) calls the hook when the preload provides it. */
#define KDMA_HOOK_PRESENT(member)                                                             \
	(kdma_hooks_table &&                                                                  \
	 kdma_hooks_table->size >= offsetof(struct kdma_hooks, member) + sizeof(void *) &&    \
	 kdma_hooks_table->member)
#define KDMA_HOOK(member, ...)                                                                \
	do {                                                                                  \
		if (__builtin_expect(KDMA_HOOK_PRESENT(member), 0))                           \
			kdma_hooks_table->member(__VA_ARGS__);                                \
	} while (0)

/* ------------------------------------------------------------ messages (printk.c) ---- */

/* "DMA-API: <dev>: ..." style messages on stderr, for invalid input and kernel WARNs. */
void kdma_warn(const struct device *dev, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Validate the (dev, dir) pair every API entry needs; prints why and returns false if bad. */
bool kdma_check_dev(const struct device *dev, const char *fn);
bool kdma_check_dir(const struct device *dev, enum dma_data_direction dir, const char *fn);

/* ---------------------------------------------------------- memory model (mm.c) ---- */

/* Physical addresses are virtual addresses (identity), so ordinary heap memory sits above
 * 4 GiB as on real machines. Low zones exist as reserved regions mapped below 4 GiB (ZONE_DMA32)
 * and below 16 MiB (ZONE_DMA, when that range is free), served by a buddy allocator. */
static inline phys_addr_t kdma_virt_to_phys(const void *p)
{
	return (phys_addr_t)(uintptr_t)p;
}

static inline void *kdma_phys_to_virt(phys_addr_t p)
{
	return (void *)(uintptr_t)p;
}

/* Zone of a gfp mask: GFP_DMA → ZONE_DMA, GFP_DMA32 → ZONE_DMA32, else normal (page-aligned
 * anonymous memory). Returns the first page or NULL. Memory is zeroed if __GFP_ZERO. */
struct page *kdma_alloc_pages(gfp_t gfp, unsigned int order);
void kdma_free_pages(struct page *page, unsigned int order);
/* Highest physical address of "RAM" (for dma_get_required_mask): top of the user address space
 * model, i.e. 2^47 - 1 on x86-64. */
phys_addr_t kdma_max_phys(void);
bool kdma_is_vmalloc_addr(const void *p);
/* Memory returned by kmalloc and family: start and usable size of the object containing p,
 * or false. */
bool kdma_kmalloc_object(const void *p, const void **start, size_t *size);

/* Allocation without hooks (libkdma's own bookkeeping; never reported as driver memory). */
void *kdma_zalloc(size_t size);
void kdma_free(void *p);

/* ------------------------------------------------------- device state (device.c) ---- */

struct iommu_domain;
struct io_tlb_mem;
struct devres_node;

struct kdma_dev {
	struct device *dev;
	char name[64];
	char driver[64];
	struct device_driver drv;
	bool owned;                  /* allocated by dmasim_device_create (freed at destroy) */
	u64 dma_mask_storage;        /* dev->dma_mask points here for simulated devices */
	struct device_dma_parameters parms;
	struct bus_dma_region range_map[2];
	enum dmasim_iommu iommu_mode;
	enum dmasim_bounce bounce;
	bool untrusted;
	bool iommu_fromdev_rw;
	struct iommu_domain *domain; /* iommu.c, when iommu_mode != NONE */
	atomic_int refcount;
	pthread_mutex_t devres_lock;
	struct devres_node *devres_head; /* newest first: released in reverse order of addition */
};

static inline struct kdma_dev *kdma_of(const struct device *dev)
{
	return dev ? dev->kdma : NULL;
}

/* Release all devres of dev in reverse order (device.c). */
void kdma_devres_release_all(struct device *dev);

/* --------------------------------------------------------- direct path (direct.c) ---- */

dma_addr_t kdma_phys_to_dma(struct device *dev, phys_addr_t phys);  /* DMA_MAPPING_ERROR on a miss */
phys_addr_t kdma_dma_to_phys(struct device *dev, dma_addr_t addr);  /* (phys_addr_t)-1 on a miss */
bool kdma_dma_capable(struct device *dev, dma_addr_t addr, size_t size, bool is_ram);
bool kdma_dma_coherent_ok(struct device *dev, phys_addr_t phys, size_t size);
bool kdma_kmalloc_needs_bounce(struct device *dev, size_t size, enum dma_data_direction dir);

/* Every map below reports a failure reason through *why when it returns DMA_MAPPING_ERROR, and
 * sets KDMA_MAP_* facts in *flags. */
dma_addr_t dma_direct_map_phys(struct device *dev, phys_addr_t phys, size_t size,
			       enum dma_data_direction dir, unsigned long attrs, unsigned int *flags,
			       enum kdma_map_failure *why);
void dma_direct_unmap_phys(struct device *dev, dma_addr_t addr, size_t size,
			   enum dma_data_direction dir, unsigned long attrs);
int dma_direct_map_sg(struct device *dev, struct scatterlist *sgl, int nents,
		      enum dma_data_direction dir, unsigned long attrs, unsigned int *flags);
void dma_direct_unmap_sg(struct device *dev, struct scatterlist *sgl, int nents,
			 enum dma_data_direction dir, unsigned long attrs);
void dma_direct_sync_single_for_cpu(struct device *dev, dma_addr_t addr, size_t size,
				    enum dma_data_direction dir);
void dma_direct_sync_single_for_device(struct device *dev, dma_addr_t addr, size_t size,
				       enum dma_data_direction dir);
void dma_direct_sync_sg_for_cpu(struct device *dev, struct scatterlist *sgl, int nents,
				enum dma_data_direction dir);
void dma_direct_sync_sg_for_device(struct device *dev, struct scatterlist *sgl, int nents,
				   enum dma_data_direction dir);
void *dma_direct_alloc(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t gfp,
		       unsigned long attrs);
void dma_direct_free(struct device *dev, size_t size, void *cpu_addr, dma_addr_t dma_addr,
		     unsigned long attrs);
struct page *dma_direct_alloc_pages(struct device *dev, size_t size, dma_addr_t *dma_handle,
				    enum dma_data_direction dir, gfp_t gfp);
void dma_direct_free_pages(struct device *dev, size_t size, struct page *page,
			   dma_addr_t dma_addr, enum dma_data_direction dir);
bool dma_direct_need_sync(struct device *dev, dma_addr_t dma_addr);
u64 dma_direct_get_required_mask(struct device *dev);
int dma_direct_supported(struct device *dev, u64 mask);
size_t dma_direct_max_mapping_size(struct device *dev);

/* The arch cache-maintenance points of a non-coherent device (arch_sync_dma_for_*). They are
 * where real hardware writes back / invalidates; here they count and stay observable. */
void kdma_arch_sync_for_device(phys_addr_t phys, size_t size, enum dma_data_direction dir);
void kdma_arch_sync_for_cpu(phys_addr_t phys, size_t size, enum dma_data_direction dir);
/* How many times each arch sync point ran since start (tests observe the cache maintenance). */
u64 kdma_arch_sync_count(bool for_cpu);

/* ------------------------------------------------------------ SWIOTLB (swiotlb.c) ---- */

#define IO_TLB_SHIFT 11
#define IO_TLB_SIZE (1 << IO_TLB_SHIFT)   /* 2 KiB slots */
#define IO_TLB_SEGSIZE 128                /* slots per segment: 256 KiB max bounce */
#define IO_TLB_DEFAULT_SIZE (64UL << 20)

bool is_swiotlb_active(struct device *dev);
bool is_swiotlb_force_bounce(struct device *dev);
/* True if phys lies in a bounce pool of dev (swiotlb_find_pool != NULL). */
bool is_swiotlb_buffer(struct device *dev, phys_addr_t phys);
size_t swiotlb_max_mapping_size(struct device *dev);
/* Bounce-map [phys, phys+size): copies orig → slot whatever dir, returns the bus address of the
 * slot or DMA_MAPPING_ERROR ("swiotlb buffer is full" printed, *why set). */
dma_addr_t swiotlb_map(struct device *dev, phys_addr_t phys, size_t size,
		       enum dma_data_direction dir, unsigned long attrs,
		       enum kdma_map_failure *why);
/* Lower level, used by the IOMMU path for untrusted devices: returns the slot's phys or
 * (phys_addr_t)-1. */
phys_addr_t swiotlb_tbl_map_single(struct device *dev, phys_addr_t phys, size_t mapping_size,
				   unsigned int alloc_align_mask, enum dma_data_direction dir,
				   unsigned long attrs);
void swiotlb_tbl_unmap_single(struct device *dev, phys_addr_t tlb_addr, size_t mapping_size,
			      enum dma_data_direction dir, unsigned long attrs);
void swiotlb_sync_single_for_device(struct device *dev, phys_addr_t tlb_addr, size_t size,
				    enum dma_data_direction dir);
void swiotlb_sync_single_for_cpu(struct device *dev, phys_addr_t tlb_addr, size_t size,
				 enum dma_data_direction dir);
/* The original buffer's phys for a phys inside a used slot, or (phys_addr_t)-1. */
phys_addr_t swiotlb_orig_phys(phys_addr_t tlb_addr);

/* Bounce pool statistics for dumps (the kernel's debugfs swiotlb/ counters, plus per-area use).
 * All zero until the first bounce creates the pool. */
#define KDMA_SWIOTLB_MAX_AREAS 256
struct kdma_swiotlb_stats {
	unsigned long nslabs;       /* slots in all pools (io_tlb_nslabs) */
	unsigned long used;         /* slots in use now (io_tlb_used) */
	unsigned long used_hiwater; /* most slots in use at once (io_tlb_used_hiwater) */
	unsigned long maps;         /* bounce mappings made since start */
	unsigned long full;         /* "swiotlb buffer is full" failures since start */
	unsigned int npools;        /* 1, more when swiotlb_dynamic grew the pool */
	unsigned int nareas;        /* areas per pool */
	unsigned long area_nslabs;  /* slots per area of the default pool */
	unsigned long area_used[KDMA_SWIOTLB_MAX_AREAS]; /* slots in use per area, all pools */
	phys_addr_t start, end;     /* default pool [start, end) */
};
void kdma_swiotlb_stats(struct kdma_swiotlb_stats *st);
/* Write 0 to io_tlb_used_hiwater: the high-water mark restarts from the current use. */
void kdma_swiotlb_reset_hiwater(void);

/* ------------------------------------------------------------- IOMMU (iommu.c) ---- */

int kdma_iommu_attach(struct device *dev); /* creates the domain at device create */
void kdma_iommu_detach(struct device *dev);
dma_addr_t iommu_dma_map_phys(struct device *dev, phys_addr_t phys, size_t size,
			      enum dma_data_direction dir, unsigned long attrs,
			      unsigned int *flags, enum kdma_map_failure *why);
void iommu_dma_unmap_phys(struct device *dev, dma_addr_t dma_handle, size_t size,
			  enum dma_data_direction dir, unsigned long attrs);
int iommu_dma_map_sg(struct device *dev, struct scatterlist *sg, int nents,
		     enum dma_data_direction dir, unsigned long attrs, unsigned int *flags);
void iommu_dma_unmap_sg(struct device *dev, struct scatterlist *sg, int nents,
			enum dma_data_direction dir, unsigned long attrs);
dma_addr_t iommu_dma_map_resource(struct device *dev, phys_addr_t phys, size_t size,
				  enum dma_data_direction dir, unsigned long attrs);
void iommu_dma_unmap_resource(struct device *dev, dma_addr_t handle, size_t size,
			      enum dma_data_direction dir, unsigned long attrs);
void iommu_dma_sync_single_for_cpu(struct device *dev, dma_addr_t dma_handle, size_t size,
				   enum dma_data_direction dir);
void iommu_dma_sync_single_for_device(struct device *dev, dma_addr_t dma_handle, size_t size,
				      enum dma_data_direction dir);
void iommu_dma_sync_sg_for_cpu(struct device *dev, struct scatterlist *sgl, int nelems,
			       enum dma_data_direction dir);
void iommu_dma_sync_sg_for_device(struct device *dev, struct scatterlist *sgl, int nelems,
				  enum dma_data_direction dir);
void *iommu_dma_alloc(struct device *dev, size_t size, dma_addr_t *handle, gfp_t gfp,
		      unsigned long attrs);
void iommu_dma_free(struct device *dev, size_t size, void *cpu_addr, dma_addr_t handle,
		    unsigned long attrs);
struct sg_table *iommu_dma_alloc_noncontiguous(struct device *dev, size_t size,
					       enum dma_data_direction dir, gfp_t gfp,
					       unsigned long attrs);
void iommu_dma_free_noncontiguous(struct device *dev, size_t size, struct sg_table *sgt,
				  enum dma_data_direction dir);
bool iommu_dma_need_sync(struct device *dev, dma_addr_t dma_addr);
size_t iommu_dma_max_mapping_size(struct device *dev);
size_t iommu_dma_opt_mapping_size(void);
unsigned long iommu_dma_get_merge_boundary(struct device *dev);
/* Device-side translation through the emulated IOTLB/page tables for one access that does not
 * cross a granule. Returns 0 and *phys, or -EFAULT after recording a fault. *stale is set if the
 * translation came from an IOTLB entry of an already-unmapped IOVA (lazy mode window). */
int kdma_iommu_translate(struct device *dev, dma_addr_t iova, bool is_write, phys_addr_t *phys,
			 bool *stale);
/* Lazy mode: invalidate the IOTLB and free every queued IOVA of dev now (dmasim_iommu_flush).
 * No effect on strict or non-IOMMU devices. */
void kdma_iommu_flush(struct device *dev);

/* IOMMU faults, kept in a per-process ring of the last KDMA_IOMMU_FAULT_RING (iommu_fault.c). */
enum kdma_iommu_fault_kind {
	KDMA_IOMMU_FAULT_UNMAPPED = 0, /* no translation for the IOVA */
	KDMA_IOMMU_FAULT_PERM,         /* mapped, but without the read/write permission */
	KDMA_IOMMU_FAULT_RANGE,        /* beyond the IOMMU's 48-bit address width */
};
#define KDMA_IOMMU_FAULT_RING 256
struct kdma_iommu_fault {
	u64 seq;                /* 1, 2, ...: order of the fault in the process */
	struct device *dev;     /* identity only: may be destroyed since */
	char dev_name[64];
	dma_addr_t iova;
	bool is_write;
	enum kdma_iommu_fault_kind kind;
	unsigned int reason_code; /* VT-d fault reason (0x04, 0x05, 0x06) */
	const char *reason;       /* its text, e.g. "PTE Write access is not set" */
};
/* Copy up to max of the most recent faults, oldest first; returns the number copied. */
size_t kdma_iommu_faults_get(struct kdma_iommu_fault *out, size_t max);
u64 kdma_iommu_fault_count(void); /* faults since start (or the last clear) */
void kdma_iommu_faults_clear(void);

/* ---------------------------------------------------- coherent pools (coherent.c, pool.c) -- */

/* Per-device coherent memory (dev->dma_mem). Return true when the device has such memory (the
 * result, possibly NULL in *ret, is final: no fallback, kernel semantics). */
bool dma_alloc_from_dev_coherent(struct device *dev, ssize_t size, dma_addr_t *dma_handle,
				 void **ret);
bool dma_release_from_dev_coherent(struct device *dev, int order, void *vaddr);
/* Whether [phys, phys + len) lies in dev's declared coherent region: memory the device may
 * touch without a tracked mapping (its allocations carry no debug hook, as in the kernel). */
bool kdma_dev_coherent_contains(struct device *dev, phys_addr_t phys, size_t len);
void kdma_release_dev_coherent(struct device *dev); /* at destroy */
/* Global coherent pool (linux,dma-default analogue), when configured. */
void *dma_alloc_from_global_coherent(struct device *dev, ssize_t size, dma_addr_t *dma_handle);
bool dma_release_from_global_coherent(int order, void *vaddr);
/* Atomic pools (kernel, dma32, dma) for non-blocking allocations of non-coherent devices. */
struct page *dma_alloc_from_pool(struct device *dev, size_t size, void **cpu_addr, gfp_t gfp,
				 bool (*phys_addr_ok)(struct device *, phys_addr_t, size_t));
bool dma_free_from_pool(struct device *dev, void *start, size_t size);

/* (issue 5 additions) A device's reserved coherent region (dmasim_config.reserved_mem_size, DT
 * shared-dma-pool): allocated below 4 GiB, declared with dma_declare_coherent_memory semantics,
 * handles = phys_to_dma of the region; freed by kdma_release_dev_coherent. 0 or -errno. */
int kdma_dev_reserve_coherent(struct device *dev, size_t size);
/* bitmap_find_free_region-like: first free run of nbits starting at a multiple of 2^align_order
 * in a bitmap of `bits` bits; marks it used and returns its position, or -1. */
long kdma_bitmap_alloc_region(unsigned long *bitmap, unsigned long bits, unsigned long nbits,
			      unsigned int align_order);
void kdma_bitmap_release_region(unsigned long *bitmap, unsigned long pos,
				unsigned long nbits);

/* Atomic pools: statistics and a synchronous expansion (what the background worker does), so
 * tests never wait for the worker. */
enum kdma_atomic_pool_id { KDMA_ATOMIC_POOL_KERNEL, KDMA_ATOMIC_POOL_DMA32, KDMA_ATOMIC_POOL_DMA,
			   KDMA_ATOMIC_POOL__COUNT };
struct kdma_atomic_pool_stats {
	bool present;     /* the pool exists (ZONE_DMA pool only when the zone does) */
	size_t size;      /* bytes owned by the pool */
	size_t avail;     /* bytes free */
	size_t target;    /* atomic_pool_size: below this much free, the pool grows */
	u64 nr_allocs;    /* successful allocations */
	u64 nr_expansions;
};
void kdma_atomic_pool_stats(enum kdma_atomic_pool_id id, struct kdma_atomic_pool_stats *st);
void kdma_atomic_pool_expand_now(void);

/* dma_pool counters (dmapool.c), for tests and the sanitizer's pool listings. */
struct dma_pool;
struct kdma_dma_pool_stats {
	size_t nr_blocks, nr_active, nr_pages;
	unsigned int size, allocation, boundary;
};
void kdma_dma_pool_stats(struct dma_pool *pool, struct kdma_dma_pool_stats *st);
struct device *kdma_dma_pool_dev(struct dma_pool *pool);
/* The sysfs "pools" file of dev ("poolinfo - 0.1" + one line per pool), snprintf-like. */
size_t kdma_dma_pools_show(struct device *dev, char *buf, size_t len);
/* At device free: pools the driver never destroyed (its leak) leave dev->dma_pools, so a late
 * dma_pool_destroy does not write into the freed device. For device.c, after devres release. */
void kdma_dev_unlink_pools(struct device *dev);

/* dma_alloc_attrs / dma_free_attrs without the alloc/free hooks: the full dispatch (device
 * coherent → direct | iommu | ops) for allocators that report their memory themselves
 * (dma_pool chunks, dmam_* which fires its own hooks). Implemented in mapping_alloc.c. */
void *kdma_alloc_attrs_nohook(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t gfp,
			      unsigned long attrs);
void kdma_free_attrs_nohook(struct device *dev, size_t size, void *cpu_addr, dma_addr_t dma_handle,
			    unsigned long attrs);


/* ------------------------------------------------------------- options (options.c) ---- */

struct kdma_options {
#define KDMA_OPTION_bool bool
#define KDMA_OPTION_u64 u64
#define KDMA_OPTION_str const char *
#define KDMA_OPTION(type, name, def, desc) KDMA_OPTION_##type name;
#include "base/options.inc"
#undef KDMA_OPTION
};

/* Parsed once, thread-safely, on first use (kdma_opts() is cheap after that). */
const struct kdma_options *kdma_opts(void);
/* For tests: re-read KDMA_OPTIONS from the environment now. Not thread-safe. */
void kdma_options_reload(void);

#endif
