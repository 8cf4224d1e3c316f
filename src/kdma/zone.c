// SPDX-License-Identifier: MIT
/* Low memory zones (ZONE_DMA below 16 MiB, ZONE_DMA32 below 4 GiB). Stub: no zones yet. */
#include "memmodel.h"

struct page *kdma_zone_alloc(enum kdma_zone zone, unsigned int order)
{
	return NULL;
}

bool kdma_zone_free(struct page *page, unsigned int order)
{
	return false;
}

enum kdma_zone kdma_zone_of(phys_addr_t phys)
{
	return KDMA_ZONE_NORMAL;
}
