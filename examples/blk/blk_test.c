// SPDX-License-Identifier: MIT
/*
 * blk_test — writes patterns to the dmablk RAM disk and reads them back through separate
 * buffers, checking every byte. Requests are made of separately allocated pages, so behind an
 * IOMMU dma_map_sg merges them and the mapped count is smaller than nents.
 *
 *   blk_test [--bug=NAME] [--iommu=strict|lazy|none] [--requests=N]
 *
 * Exit status: 0 ok; 1 driver error; 2 data corrupted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <dmasan/sim.h>

#include "dmablk.h"
#include "dmablk_hw.h"
#include "dmablk_model.h"

#define REQ_PAGES 32 /* 128 KiB requests: two SGL segments at the 64 KiB limit */

static void usage(void)
{
	int i;

	fprintf(stderr, "usage: blk_test [--bug=NAME] [--iommu=strict|lazy|none] [--requests=N]\nbugs:");
	for (i = 0; i < DMABLK_BUG__COUNT; i++)
		fprintf(stderr, " %s", dmablk_bug_name(i));
	fprintf(stderr, "\n");
	exit(64);
}

/* Pages held between request pages so that no two request pages are adjacent: real bio pages
 * are scattered, which is what lets an IOMMU merge what the CPU sees as many segments. */
static struct page *spacers[2 * REQ_PAGES];
static unsigned int nspacers;

/* A request buffer: scattered pages, or one contiguous block when the variant needs segments
 * longer than the device limit. */
static int alloc_request(struct page **pages, bool contiguous)
{
	unsigned int i;

	if (contiguous) {
		struct page *block = alloc_pages(GFP_KERNEL, get_order(REQ_PAGES * PAGE_SIZE));

		if (!block)
			return -ENOMEM;
		for (i = 0; i < REQ_PAGES; i++)
			pages[i] = nth_page(block, i);
		return 0;
	}
	for (i = 0; i < REQ_PAGES; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		spacers[nspacers] = alloc_page(GFP_KERNEL);
		if (!pages[i] || !spacers[nspacers++])
			return -ENOMEM;
	}
	return 0;
}

static void free_request(struct page **pages, bool contiguous)
{
	unsigned int i;

	if (contiguous) {
		__free_pages(pages[0], get_order(REQ_PAGES * PAGE_SIZE));
		return;
	}
	for (i = 0; i < REQ_PAGES; i++)
		__free_page(pages[i]);
}

static void free_spacers(void)
{
	while (nspacers)
		__free_page(spacers[--nspacers]);
}

int main(int argc, char **argv)
{
	struct dmasim_config cfg = { .name = "0000:04:00.0", .driver = "dmablk",
				     .iommu = DMASIM_IOMMU_STRICT };
	struct page *wpages[REQ_PAGES], *rpages[REQ_PAGES];
	unsigned int requests = 6, r, i, j;
	const char *bug = getenv("DMABLK_BUG");
	unsigned long corrupted = 0;
	struct dmablk_model *hw;
	struct dmablk_ctrl *ctrl;
	struct device *dev;
	bool contiguous;
	int status = 0;

	for (i = 1; i < (unsigned int)argc; i++) {
		const char *a = argv[i];

		if (!strncmp(a, "--bug=", 6))
			bug = a + 6;
		else if (!strcmp(a, "--iommu=strict"))
			cfg.iommu = DMASIM_IOMMU_STRICT;
		else if (!strcmp(a, "--iommu=lazy"))
			cfg.iommu = DMASIM_IOMMU_LAZY;
		else if (!strcmp(a, "--iommu=none"))
			cfg.iommu = DMASIM_IOMMU_NONE;
		else if (!strncmp(a, "--requests=", 11))
			requests = strtoul(a + 11, NULL, 0);
		else
			usage();
	}
	if (bug) {
		int b = dmablk_bug_parse(bug);

		if (b < 0)
			usage();
		dmablk_bug = b;
	}
	contiguous = dmablk_bug == DMABLK_BUG_SEG_OVER_LIMIT;

	dev = dmasim_device_create(&cfg);
	if (!dev)
		return 1;
	hw = dmablk_model_start(dev);
	ctrl = hw ? dmablk_probe(dev, dmablk_model_regs(hw)) : NULL;
	if (!ctrl || alloc_request(wpages, contiguous) || alloc_request(rpages, contiguous)) {
		fprintf(stderr, "blk_test: probe or allocation failed\n");
		return 1;
	}

	for (r = 0; r < requests; r++) {
		u64 lba = r * (REQ_PAGES * PAGE_SIZE / DMABLK_SECTOR);

		for (i = 0; i < REQ_PAGES; i++) {
			memset(page_address(wpages[i]), (int)(r * 16 + i + 1), PAGE_SIZE);
			memset(page_address(rpages[i]), 0, PAGE_SIZE);
		}
		if (dmablk_rw(ctrl, DMABLK_OP_WRITE, lba, wpages, REQ_PAGES) ||
		    dmablk_rw(ctrl, DMABLK_OP_READ, lba, rpages, REQ_PAGES)) {
			fprintf(stderr, "blk_test: request %u failed\n", r);
			status = 1;
			continue;
		}
		for (i = 0; i < REQ_PAGES; i++) {
			const u8 *p = page_address(rpages[i]);

			for (j = 0; j < PAGE_SIZE; j++)
				if (p[j] != (u8)(r * 16 + i + 1)) {
					corrupted++;
					break;
				}
		}
	}
	if (corrupted && !status)
		status = 2;
	printf("blk_test: bug=%s requests=%u corrupted pages=%lu device faults=%lu\n",
	       dmablk_bug_name(dmablk_bug), requests, corrupted, dmablk_model_faults(hw));

	dmablk_remove(ctrl);
	dmablk_model_stop(hw);
	free_request(wpages, contiguous);
	free_request(rpages, contiguous);
	free_spacers();
	dmasim_device_destroy(dev);
	return status;
}
