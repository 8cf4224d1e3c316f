// SPDX-License-Identifier: MIT
/* kmalloc and vmalloc. Stub: libkdma's own allocations only. */
#include <stdlib.h>

#include "memmodel.h"

bool kdma_is_vmalloc_addr(const void *p)
{
	return false;
}

bool kdma_kmalloc_object(const void *p, const void **start, size_t *size)
{
	return false;
}

void *kdma_zalloc(size_t size)
{
	return calloc(1, size ? size : 1);
}

void kdma_free(void *p)
{
	free(p);
}
