// SPDX-License-Identifier: MIT
/*
 * cpu-write-device-owned, found at unmap with nothing trapping CPU accesses: the unmap checks
 * the poisoned CPU view and restores the device view in one pass, and the stray store sits in
 * the middle of the buffer, past the part already restored when it is found. The count of
 * changed bytes is the store's, and after the unmap the buffer holds what the device view held:
 * the device's bytes where it wrote, the original elsewhere, the stray store overwritten (as the
 * kernel's bounce copy would). Fixed: the driver writes after taking the buffer back.
 * E2E_OPTIONS: cpu_access=off
 * E2E_EXITCODE: 1
 */
#include <unistd.h>

#include "e2e.h"

#define LEN 4096
#define STORE_AT 3000 /* well past the first vectors the unmap restores */

static int expect_bytes(const u8 *buf, size_t from, size_t to, u8 want)
{
	for (size_t i = from; i < to; i++) {
		if (buf[i] != want) {
			fprintf(stderr, "byte %zu is 0x%02x, expected 0x%02x\n", i, buf[i], want);
			return 0;
		}
	}
	return 1;
}

int main(void)
{
	/* a 64-bit device: no bouncing, its accesses go to the device view */
	struct device *dev = e2e_device(&(struct dmasim_config){ .dma_mask = DMA_BIT_MASK(64) });
	u8 *buf = kmalloc(LEN, GFP_KERNEL);
	u8 pkt[256];
	dma_addr_t dma;
	int ok;

	memset(buf, 0x5a, LEN);
	memset(pkt, 0x11, sizeof(pkt));
	dma = dma_map_single(dev, buf, LEN, DMA_BIDIRECTIONAL);
	if (dma_mapping_error(dev, dma))
		return 2;
	dmasim_dma_write(dev, dma + 256, pkt, sizeof(pkt));
	BUGGY(memset(buf + STORE_AT, 0x77, 8), (void)0); /* the driver's early store */
	dma_unmap_single(dev, dma, LEN, DMA_BIDIRECTIONAL);
	ok = expect_bytes(buf, 0, 256, 0x5a) && expect_bytes(buf, 256, 512, 0x11) &&
	     expect_bytes(buf, 512, LEN, 0x5a);
	BUGGY((void)0, memset(buf + STORE_AT, 0x77, 8)); /* the buffer is the CPU's again */
	kfree(buf);
	dmasim_device_destroy(dev);
	if (!ok)
		_exit(3); /* not dmasan's exit status: the test fails */
	return 0;
}
