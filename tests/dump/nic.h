/* SPDX-License-Identifier: MIT */
/*
 * The live mappings the dump tests look at: a NIC-like device (a coherent descriptor ring, two
 * receive buffers of which the CPU took back the first 128 bytes of one, a transmit buffer whose
 * map error was never checked) and a disk-like device behind the IOMMU with a two-segment sg
 * list. The numbers here are what test_dump.c and check_dump.py assert.
 */
#ifndef DMASAN_TESTS_DUMP_NIC_H
#define DMASAN_TESTS_DUMP_NIC_H

#include <stdio.h>
#include <stdlib.h>

#include <linux/dma-mapping.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <dmasan/sim.h>

#define NIC_RX_SIZE 2048
#define NIC_TX_SIZE 512
#define NIC_RING_SIZE 4096
#define DISK_SEG_SIZE 4096

struct dump_fixture {
	struct device *nic, *disk;
	void *rx[2], *tx, *ring, *seg[2];
	dma_addr_t rx_dma[2], tx_dma, ring_dma;
	struct scatterlist sg[2];
	int sg_mapped;
};

static inline struct device *fixture_device(const char *name, const char *driver,
					    enum dmasim_iommu iommu)
{
	struct dmasim_config cfg = { .name = name, .driver = driver, .iommu = iommu,
				     .dma_mask = DMA_BIT_MASK(64) };
	struct device *dev = dmasim_device_create(&cfg);

	if (!dev) {
		fprintf(stderr, "dump test: cannot create device %s\n", name);
		exit(77);
	}
	return dev;
}

/* Map everything; 0 on success. */
static inline int fixture_map(struct dump_fixture *f)
{
	f->nic = fixture_device("0000:00:08.0", "e1000", DMASIM_IOMMU_NONE);
	f->disk = fixture_device("0000:00:1f.2", "ahci", DMASIM_IOMMU_STRICT);

	f->ring = dma_alloc_coherent(f->nic, NIC_RING_SIZE, &f->ring_dma, GFP_KERNEL);
	for (volatile int i = 0; i < 2; i++) { /* never unrolled: one call site for both buffers */
		f->rx[i] = kmalloc(NIC_RX_SIZE, GFP_KERNEL);
		f->rx_dma[i] = dma_map_single(f->nic, f->rx[i], NIC_RX_SIZE, DMA_FROM_DEVICE);
		if (dma_mapping_error(f->nic, f->rx_dma[i]))
			return -1;
	}
	/* the CPU looks at the first header line of rx[0] */
	dma_sync_single_for_cpu(f->nic, f->rx_dma[0], 128, DMA_FROM_DEVICE);
	f->tx = kzalloc(NIC_TX_SIZE, GFP_KERNEL);
	f->tx_dma = dma_map_single(f->nic, f->tx, NIC_TX_SIZE, DMA_TO_DEVICE); /* not checked */

	sg_init_table(f->sg, 2);
	for (int i = 0; i < 2; i++) {
		f->seg[i] = kzalloc(DISK_SEG_SIZE, GFP_KERNEL);
		sg_set_buf(&f->sg[i], f->seg[i], DISK_SEG_SIZE);
	}
	f->sg_mapped = dma_map_sg(f->disk, f->sg, 2, DMA_TO_DEVICE);
	return f->ring && f->sg_mapped > 0 ? 0 : -1;
}

static inline void fixture_unmap(struct dump_fixture *f)
{
	if (dma_mapping_error(f->nic, f->tx_dma)) /* checked late: dumps before show not_checked */
		exit(1);
	dma_unmap_sg(f->disk, f->sg, 2, DMA_TO_DEVICE);
	dma_unmap_single(f->nic, f->tx_dma, NIC_TX_SIZE, DMA_TO_DEVICE);
	for (int i = 0; i < 2; i++)
		dma_unmap_single(f->nic, f->rx_dma[i], NIC_RX_SIZE, DMA_FROM_DEVICE);
	if (f->ring) /* NULL: a test leaks it */
		dma_free_coherent(f->nic, NIC_RING_SIZE, f->ring, f->ring_dma);
	for (int i = 0; i < 2; i++) {
		kfree(f->rx[i]);
		kfree(f->seg[i]);
	}
	kfree(f->tx);
	dmasim_device_destroy(f->disk);
	dmasim_device_destroy(f->nic);
}

#endif
