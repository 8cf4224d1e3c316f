// SPDX-License-Identifier: MIT
/*
 * device-direction-violation on a mapping whose ownership state reuses the memory of an earlier
 * mapping of the same size: the earlier mapping's marks of lines the device wrote must not carry
 * over, or a device read of a DMA_FROM_DEVICE buffer before its first write goes unseen. The
 * device also reads the other buffers' own bytes, never an earlier mapping's (else exit 3).
 * Fixed: the device writes the second buffer before reading it.
 * E2E_OPTIONS: cpu_access=off
 * E2E_EXITCODE: 1
 */
#include <unistd.h>

#include "e2e.h"

#define LEN 2048

/* Maps len bytes of buf filled with `fill`; the device reads them all, then (unless it may not)
 * overwrites them. Whether it read the buffer's own bytes. */
static int round_trip(struct device *dev, u8 *buf, size_t len, u8 fill,
		      enum dma_data_direction dir)
{
	u8 seen[LEN], mine[LEN];
	dma_addr_t dma;

	memset(buf, fill, len);
	dma = dma_map_single(dev, buf, len, dir);
	if (dma_mapping_error(dev, dma))
		exit(2);
	dmasim_dma_read(dev, dma, seen, len);
	if (dir != DMA_TO_DEVICE) {
		memset(mine, fill ^ 0xff, len);
		dmasim_dma_write(dev, dma, mine, len);
	}
	dma_unmap_single(dev, dma, len, dir);
	memset(mine, fill, len);
	if (memcmp(seen, mine, len)) {
		fprintf(stderr, "the device read stale bytes of an earlier mapping\n");
		return 0;
	}
	return 1;
}

int main(void)
{
	/* a 64-bit device: no bouncing, its accesses go to the device view */
	struct device *dev = e2e_device(&(struct dmasim_config){ .dma_mask = DMA_BIT_MASK(64) });
	u8 *a = kmalloc(LEN, GFP_KERNEL), *b = kmalloc(LEN, GFP_KERNEL);
	u8 *c = kmalloc(LEN, GFP_KERNEL), *rx = kmalloc(LEN, GFP_KERNEL);
	u8 frame[64] = { 1 }, peek[64];
	dma_addr_t dma;
	int ok;

	/* earlier mappings, of this size and others: the device writes every line of them */
	ok = round_trip(dev, a, LEN, 0x11, DMA_BIDIRECTIONAL) &&
	     round_trip(dev, b, LEN, 0x22, DMA_TO_DEVICE) &&
	     round_trip(dev, a, LEN / 2, 0x44, DMA_BIDIRECTIONAL) &&
	     round_trip(dev, b, LEN / 2 + 64, 0x55, DMA_TO_DEVICE) &&
	     round_trip(dev, c, LEN, 0x33, DMA_BIDIRECTIONAL) &&
	     round_trip(dev, a, LEN, 0x66, DMA_TO_DEVICE);

	dma = dma_map_single(dev, rx, LEN, DMA_FROM_DEVICE);
	if (dma_mapping_error(dev, dma))
		return 2;
	BUGGY((void)frame, dmasim_dma_write(dev, dma, frame, sizeof(frame)));
	dmasim_dma_read(dev, dma, peek, sizeof(peek)); /* the device reads back its descriptor */
	dma_unmap_single(dev, dma, LEN, DMA_FROM_DEVICE);

	kfree(rx);
	kfree(c);
	kfree(b);
	kfree(a);
	dmasim_device_destroy(dev);
	if (!ok)
		_exit(3);
	return 0;
}
