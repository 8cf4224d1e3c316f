// SPDX-License-Identifier: MIT
/*
 * dump_on_error=1: a sync of a handle the disk never mapped (sync-unknown) is reported, and the
 * dump printed with it shows the disk's mappings only, not the NIC's.
 */
#include "nic.h"

int main(void)
{
	struct dump_fixture f;

	if (fixture_map(&f))
		return 1;
	dma_sync_single_for_cpu(f.disk, 0xdead0000, 64, DMA_TO_DEVICE);
	fixture_unmap(&f);
	return 0;
}
