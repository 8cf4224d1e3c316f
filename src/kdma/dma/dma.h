/* SPDX-License-Identifier: MIT */
/*
 * The interfaces between the mapping paths, as in kernel/dma/: mapping.c dispatches to direct.c,
 * the IOMMU (iommu/iommu.h) or dma_map_ops; swiotlb.c bounces under both; coherent.c, pool.c
 * and dmapool.c allocate.
 */
#ifndef DMASAN_KDMA_DMA_DMA_H
#define DMASAN_KDMA_DMA_DMA_H

#include "base/base.h"
#include "mm/mm.h"

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
/* A coherent free's CPU address must start a live page allocation: anything else gets a message
 * and is not freed (it would reach the buddy lists or libc's free()). */
bool kdma_coherent_addr_ok(struct device *dev, const void *cpu_addr);
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

/* A device's reserved coherent region (dmasim_config.reserved_mem_size, DT
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

#endif
