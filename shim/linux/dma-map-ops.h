/* SPDX-License-Identifier: MIT */
/*
 * <linux/dma-map-ops.h> — struct dma_map_ops (path 3 of the dispatch: a bus or platform that
 * supplies its own mapping operations), DMA ranges, per-device coherent memory.
 */
#ifndef _DMASAN_SHIM_LINUX_DMA_MAP_OPS_H
#define _DMASAN_SHIM_LINUX_DMA_MAP_OPS_H

#include <linux/dma-mapping.h>

struct sg_table;
struct vm_area_struct;

struct dma_map_ops {
	void *(*alloc)(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t gfp,
		       unsigned long attrs);
	void (*free)(struct device *dev, size_t size, void *vaddr, dma_addr_t dma_handle,
		     unsigned long attrs);
	struct page *(*alloc_pages_op)(struct device *dev, size_t size, dma_addr_t *dma_handle,
				       enum dma_data_direction dir, gfp_t gfp);
	void (*free_pages)(struct device *dev, size_t size, struct page *vaddr,
			   dma_addr_t dma_handle, enum dma_data_direction dir);
	int (*mmap)(struct device *, struct vm_area_struct *, void *, dma_addr_t, size_t,
		    unsigned long attrs);
	int (*get_sgtable)(struct device *dev, struct sg_table *sgt, void *cpu_addr,
			   dma_addr_t dma_addr, size_t size, unsigned long attrs);
	dma_addr_t (*map_page)(struct device *dev, struct page *page, unsigned long offset,
			       size_t size, enum dma_data_direction dir, unsigned long attrs);
	void (*unmap_page)(struct device *dev, dma_addr_t dma_handle, size_t size,
			   enum dma_data_direction dir, unsigned long attrs);
	/* map_sg returns 0 or a negative errno on error, else the number of mapped entries */
	int (*map_sg)(struct device *dev, struct scatterlist *sg, int nents,
		      enum dma_data_direction dir, unsigned long attrs);
	void (*unmap_sg)(struct device *dev, struct scatterlist *sg, int nents,
			 enum dma_data_direction dir, unsigned long attrs);
	dma_addr_t (*map_resource)(struct device *dev, phys_addr_t phys_addr, size_t size,
				   enum dma_data_direction dir, unsigned long attrs);
	void (*unmap_resource)(struct device *dev, dma_addr_t dma_handle, size_t size,
			       enum dma_data_direction dir, unsigned long attrs);
	void (*sync_single_for_cpu)(struct device *dev, dma_addr_t dma_handle, size_t size,
				    enum dma_data_direction dir);
	void (*sync_single_for_device)(struct device *dev, dma_addr_t dma_handle, size_t size,
				       enum dma_data_direction dir);
	void (*sync_sg_for_cpu)(struct device *dev, struct scatterlist *sg, int nents,
				enum dma_data_direction dir);
	void (*sync_sg_for_device)(struct device *dev, struct scatterlist *sg, int nents,
				   enum dma_data_direction dir);
	void (*cache_sync)(struct device *dev, void *vaddr, size_t size,
			   enum dma_data_direction direction);
	int (*dma_supported)(struct device *dev, u64 mask);
	u64 (*get_required_mask)(struct device *dev);
	size_t (*max_mapping_size)(struct device *dev);
	size_t (*opt_mapping_size)(void);
	unsigned long (*get_merge_boundary)(struct device *dev);
};

/* A DMA window of a bus: cpu_start..+size appears at dma_start (DT dma-ranges). Arrays end with
 * an entry of size 0. */
struct bus_dma_region {
	phys_addr_t cpu_start;
	dma_addr_t dma_start;
	u64 size;
};

const struct dma_map_ops *get_dma_ops(struct device *dev);
void set_dma_ops(struct device *dev, const struct dma_map_ops *dma_ops);
bool dev_is_dma_coherent(struct device *dev);

/* Per-device coherent memory (kernel/dma/coherent.c). */
int dma_declare_coherent_memory(struct device *dev, phys_addr_t phys_addr, dma_addr_t device_addr,
				size_t size);
void dma_release_coherent_memory(struct device *dev);

#endif
