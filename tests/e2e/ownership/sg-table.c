// SPDX-License-Identifier: MIT
/*
 * A receive sg_table of four pages in two physically separate blocks, mapped FROM_DEVICE, filled
 * by the device, taken back and read: the CPU must own, and see the device's data in, every byte
 * of every entry, whatever the IOMMU merged or SWIOTLB bounced. The arguments choose the
 * platform and the driver's sync:
 *   iommu=none|strict|lazy   bounce=auto|force   mask=32|64
 *   layout=merged|unmerged   (unmerged: a 4 KiB max segment keeps the IOMMU from merging)
 *   sync=table|segments|partial
 *     table:    dma_sync_sgtable_for_cpu (orig_nents)
 *     segments: dma_sync_single_for_cpu over each mapped DMA segment
 *     partial:  dma_sync_single_range_for_cpu of 256 bytes across an entry boundary of the last
 *               segment (or inside it when it holds one page)
 * Buggy: the driver also reads a byte it never synced (the last entry's last byte before any
 * sync, or a byte of the same page two cache lines after the partial range). Fixed: it reads
 * exactly what it synced, and fails (exit 1) unless that is the device's data.
 */
#include <linux/mm.h>
#include <linux/scatterlist.h>

#include "e2e.h"

#define NENTS 4

static u8 pattern(size_t pos)
{
	return (u8)(pos * 7 + 1) | 1; /* never 0 and never the poison byte (odd) */
}

static const char *arg(int argc, char **argv, const char *key, const char *def)
{
	size_t n = strlen(key);
	int i;

	for (i = 1; i < argc; i++)
		if (!strncmp(argv[i], key, n) && argv[i][n] == '=')
			return argv[i] + n + 1;
	return def;
}

/* The CPU address of byte pos of the mapped data (entries in order). */
static u8 *at(struct sg_table *sgt, size_t pos)
{
	struct scatterlist *s;
	unsigned int i;

	for_each_sgtable_sg(sgt, s, i) {
		if (pos < s->length)
			return (u8 *)sg_virt(s) + pos;
		pos -= s->length;
	}
	return NULL;
}

static int check(struct sg_table *sgt, size_t lo, size_t hi)
{
	size_t pos;

	for (pos = lo; pos < hi; pos++) {
		u8 got = READ_ONCE(*at(sgt, pos));

		if (got != pattern(pos)) {
			fprintf(stderr, "sg-table: byte %zu is 0x%02x, the device wrote 0x%02x\n",
				pos, got, pattern(pos));
			return 1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *iommu = arg(argc, argv, "iommu", "none");
	const char *sync = arg(argc, argv, "sync", "table");
	struct dmasim_config cfg = {
		.iommu = !strcmp(iommu, "strict") ? DMASIM_IOMMU_STRICT
			 : !strcmp(iommu, "lazy") ? DMASIM_IOMMU_LAZY : DMASIM_IOMMU_NONE,
		.bounce = !strcmp(arg(argc, argv, "bounce", "auto"), "force") ? DMASIM_BOUNCE_FORCE
									       : DMASIM_BOUNCE_AUTO,
		.dma_mask = !strcmp(arg(argc, argv, "mask", "64"), "32") ? DMA_BIT_MASK(32)
									   : DMA_BIT_MASK(64),
		.max_segment_size = !strcmp(arg(argc, argv, "layout", "merged"), "unmerged")
					    ? PAGE_SIZE : 0,
	};
	struct device *dev = e2e_device(&cfg);
	struct page *blk[2] = { alloc_pages(GFP_KERNEL, 1), alloc_pages(GFP_KERNEL, 1) };
	struct scatterlist *s, *last = NULL;
	struct sg_table sgt;
	size_t pos = 0, total = NENTS * PAGE_SIZE, lo = 0, hi = total, seg_start = 0;
	u8 *buf = malloc(total);
	unsigned int i;
	int bad = 0;

	if (!blk[0] || !blk[1] || !buf || sg_alloc_table(&sgt, NENTS, GFP_KERNEL))
		return 1;
	for_each_sgtable_sg(&sgt, s, i)
		sg_set_page(s, blk[i / 2] + i % 2, PAGE_SIZE, 0);
	if (dma_map_sgtable(dev, &sgt, DMA_FROM_DEVICE, 0))
		return 1;
	printf("sg-table: %u entries in %u DMA segments\n", sgt.orig_nents, sgt.nents);

	/* the device fills the table through its DMA segments */
	for (pos = 0; pos < total; pos++)
		buf[pos] = pattern(pos);
	pos = 0;
	for_each_sgtable_dma_sg(&sgt, s, i) {
		if (dmasim_dma_write(dev, sg_dma_address(s), buf + pos, sg_dma_len(s)))
			return 1;
		seg_start = pos;
		last = s;
		pos += sg_dma_len(s);
	}

#ifndef FIXED
	/* the bug: a byte of the last entry read before any sync */
	if (strcmp(sync, "partial"))
		(void)READ_ONCE(*at(&sgt, total - 1));
#endif
	if (!strcmp(sync, "table")) {
		dma_sync_sgtable_for_cpu(dev, &sgt, DMA_FROM_DEVICE);
	} else if (!strcmp(sync, "segments")) {
		for_each_sgtable_dma_sg(&sgt, s, i)
			dma_sync_single_for_cpu(dev, sg_dma_address(s), sg_dma_len(s),
						DMA_FROM_DEVICE);
	} else {
		size_t len = sg_dma_len(last), off = len > PAGE_SIZE ? len - PAGE_SIZE - 128 : 64;

		dma_sync_single_range_for_cpu(dev, sg_dma_address(last), off, 256, DMA_FROM_DEVICE);
		lo = seg_start + off;
		hi = lo + 256;
	}
	bad = check(&sgt, lo, hi);
#ifndef FIXED
	/* the bug: a byte two lines after the synced range, on the same page */
	if (!strcmp(sync, "partial"))
		(void)READ_ONCE(*at(&sgt, hi + 200));
#endif

	dma_unmap_sgtable(dev, &sgt, DMA_FROM_DEVICE, 0);
	sg_free_table(&sgt);
	__free_pages(blk[0], 1);
	__free_pages(blk[1], 1);
	free(buf);
	dmasim_device_destroy(dev);
	return bad;
}
