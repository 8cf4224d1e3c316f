/* SPDX-License-Identifier: MIT */
/*
 * <dmasan/sim.h> — simulated DMA-capable devices.
 *
 * A test creates a device, hands it to driver code as a plain `struct device *`, and plays the
 * hardware with dmasim_dma_read()/dmasim_dma_write(): those translate a bus address exactly as the
 * device would see it (IOMMU page tables and IOTLB, DMA range offset, SWIOTLB slots) and touch
 * the memory behind it. Devices may be used from several threads; a device-model thread is the
 * normal way to play hardware.
 *
 * The names below are a stable contract: fields may be added to dmasim_config, never removed.
 */
#ifndef DMASAN_SIM_H
#define DMASAN_SIM_H

#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct device;

enum dmasim_iommu {
	DMASIM_IOMMU_NONE = 0, /* direct mapping: bus address = translate(physical address) */
	DMASIM_IOMMU_STRICT,   /* IOVAs; IOTLB invalidated at every unmap */
	DMASIM_IOMMU_LAZY,     /* IOVAs; invalidation deferred to a flush queue (stale window) */
};

enum dmasim_bounce {
	DMASIM_BOUNCE_AUTO = 0, /* bounce through SWIOTLB when the device cannot reach a buffer */
	DMASIM_BOUNCE_OFF,      /* never bounce: unreachable buffers fail to map (map-overflow) */
	DMASIM_BOUNCE_FORCE,    /* bounce every streaming mapping (swiotlb=force, CoCo guests) */
};

struct dmasim_config {
	const char *name;        /* dev_name(); NULL: a generated unique name */
	const char *driver;      /* driver name shown in reports and filters; NULL: "dmasim" */
	u64 dma_mask;            /* initial streaming mask; 0: DMA_BIT_MASK(32), as for PCI */
	u64 coherent_dma_mask;   /* 0: DMA_BIT_MASK(32) */
	u64 bus_dma_limit;       /* 0: none */
	bool coherent;           /* hardware cache-coherent; default false (non-coherent) */
	enum dmasim_iommu iommu; /* default: no IOMMU (direct mapping) */
	enum dmasim_bounce bounce;           /* SWIOTLB use; default: bounce when unreachable */
	unsigned int max_segment_size;       /* 0: 65536 */
	unsigned long segment_boundary_mask; /* 0: 0xffffffff */
	unsigned int min_align_mask;         /* 0: none */
	struct {
		phys_addr_t cpu_start;
		dma_addr_t dma_start;
		u64 size;
	} dma_range; /* size 0: identity */
	/* --- additions (kept at the end so older initialisers stay valid) --- */
	size_t reserved_mem_size; /* >0: a per-device coherent region (DT shared-dma-pool) */
	bool untrusted;           /* behind an IOMMU: bounce sub-granule buffers (external-facing) */
	bool iommu_fromdev_rw;    /* FROM_DEVICE IOMMU mappings readable too (default write-only) */
};

/* Create a device. cfg may be NULL (all defaults). Returns NULL with a message on bad config. */
struct device *dmasim_device_create(const struct dmasim_config *cfg);

/* Driver unbind: managed (devres) resources are released, then any mapping or allocation still
 * live is the driver's leak. The device must not be used afterwards: every call given it (a
 * second destroy included) is refused with a message, the calls' error value and, under the
 * sanitizer, an invalid-device report. */
void dmasim_device_destroy(struct device *dev);

/* The device reads `len` bytes at bus address `addr` into `dst`. 0, or -EFAULT when the address
 * does not translate (IOMMU fault, or outside memory the device can reach) or, under the
 * sanitizer, when the access runs past the end of the mapping it starts in; -EINVAL on bad
 * arguments (a NULL buffer, a device that is not live). */
int dmasim_dma_read(struct device *dev, dma_addr_t addr, void *dst, size_t len);

/* The device writes `len` bytes from `src` to bus address `addr`. Same returns as read. */
int dmasim_dma_write(struct device *dev, dma_addr_t addr, const void *src, size_t len);

/* Lazy IOMMU mode: complete the pending IOTLB flush of dev now (stale translations gone, queued
 * IOVAs freed), so tests need not wait for the 10 ms flush timer. No-op for other devices. */
void dmasim_iommu_flush(struct device *dev);

/* --- additions (kept at the end) --- */

/* Bounce-pool and IOVA-space use, as shown in mapping-table dumps (docs/dumps.md). */
struct dmasim_stats {
	/* SWIOTLB (the default pool, shared by all devices), in 2 KiB slots. total is the configured
	 * size until the first bounce creates the pool. */
	bool swiotlb;                    /* dev can bounce through it (NULL dev: always true) */
	unsigned long swiotlb_total, swiotlb_used, swiotlb_high_water;
	/* dev's IOMMU domain, in bytes: space below the device's DMA mask, allocated IOVA (ranges
	 * parked in the IOVA caches count as allocated, as in the kernel) and its high-water mark. */
	bool iommu;                      /* dev is behind the emulated IOMMU */
	unsigned long long iova_total, iova_used, iova_high_water;
};

/* Fill *out for dev (NULL: the SWIOTLB part only). 0, or -EINVAL (message on stderr) when out is
 * NULL or dev is not a libkdma device. */
int dmasim_stats(struct device *dev, struct dmasim_stats *out);

/*
 * A simulated DMA controller: a dmaengine provider whose channels (named chan_names[i]) clients
 * get with dma_request_chan(). Its own device (created from cfg, NULL: defaults) is the one
 * client buffers must be mapped for (dmaengine_get_dma_device). A thread moves the bytes of
 * issued descriptors with dmasim_dma_read/write on that device, in order, and runs callbacks.
 * Slave transfers talk to a per-channel FIFO that stands for the peripheral: MEM_TO_DEV fills it
 * (and stalls while it is full), DEV_TO_MEM drains it (and stalls while it is empty), so a
 * receive transfer stays in flight until the test feeds the FIFO.
 */
struct dmasim_dmac;
struct dmasim_dmac *dmasim_dmac_create(const struct dmasim_config *cfg,
				       const char *const *chan_names, unsigned int nchans);
/* Stops the thread, unregisters the channels and destroys the controller's device. */
void dmasim_dmac_destroy(struct dmasim_dmac *dmac);
struct device *dmasim_dmac_device(struct dmasim_dmac *dmac);
/* The peripheral's side of the named channel's FIFO: bytes in (for DEV_TO_MEM transfers) and
 * out (what MEM_TO_DEV transfers sent). Return how many bytes were moved. */
size_t dmasim_dmac_fifo_push(struct dmasim_dmac *dmac, const char *chan, const void *data,
			     size_t len);
size_t dmasim_dmac_fifo_pop(struct dmasim_dmac *dmac, const char *chan, void *data, size_t len);

/*
 * A simulated dma-buf exporter (like the kernel's system heap): size bytes of ordinary memory,
 * mapped for an importer's device through the DMA API at each dma_buf_map_attachment and
 * unmapped at each dma_buf_unmap_attachment (one mapping per attachment at a time, nothing
 * cached), synced for the CPU and back in begin/end_cpu_access, vmap-able. Returns the buffer
 * with one reference, or an ERR_PTR.
 */
struct dma_buf;
struct dma_buf *dmasim_dmabuf_export(size_t size, const char *name);
/*
 * The same exporter, dynamic (it has pin/unpin): its buffer can move. Static importers pin it at
 * attach (the core then maps them once, DMA_BIDIRECTIONAL); dynamic importers
 * (dma_buf_dynamic_attach) map and unmap under the buffer's resv lock and are told of a move
 * through their move_notify.
 */
struct dma_buf *dmasim_dmabuf_export_dynamic(size_t size, const char *name);
/*
 * Moves a dynamic buffer to new memory, as an eviction does: under the resv lock it waits for
 * the buffer's fences, calls dma_buf_move_notify (every dynamic importer's move_notify), copies
 * the contents and makes new mappings cover the new memory. Mappings made before stay valid DMA
 * mappings of the old memory (kept until they are unmapped): a device that still uses one reads
 * and writes a copy nobody else sees. 0, -EBUSY (pinned or vmapped), -EINVAL (not a dynamic
 * buffer of this exporter), -ENOMEM.
 */
int dmasim_dmabuf_move(struct dma_buf *dmabuf);

/* Platform configuration of a device that a test embeds in its own bus structure (a pci_dev set up
 * by kdma_pci_dev_init(), a platform_device...): IOMMU mode and SWIOTLB use, as dmasim_config
 * sets them for dmasim_device_create(). Call before the driver maps anything. 0, or -EINVAL
 * (message on stderr) for a bad device or mode, -ENOMEM. */
int dmasim_device_set_platform(struct device *dev, enum dmasim_iommu iommu,
			       enum dmasim_bounce bounce);

/*
 * Registers with side effects. A model claims the window [base, base + len) of its register
 * memory (what the driver ioremaps); readX/writeX inside it then call ops instead of touching
 * memory, in the driver's thread, with the offset from base and the access size (1, 2, 4, 8).
 * The callbacks must not wait for the driver (it may hold its own locks around the access).
 * 0, or -EINVAL (message on stderr) for a bad or overlapping window, -ENOSPC past 16 windows.
 */
struct dmasim_mmio_ops {
	u64 (*read)(void *ctx, unsigned long off, unsigned int size);
	void (*write)(void *ctx, unsigned long off, u64 val, unsigned int size);
};
int dmasim_mmio_claim(void *base, size_t len, const struct dmasim_mmio_ops *ops, void *ctx);
/* Accesses go to memory again; call once no driver thread touches the window. */
void dmasim_mmio_release(void *base);

#ifdef __cplusplus
}
#endif
#endif /* DMASAN_SIM_H */
