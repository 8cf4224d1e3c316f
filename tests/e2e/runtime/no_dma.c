// SPDX-License-Identifier: MIT
/* A program that does no DMA runs unaffected under the preload: it allocates, reallocates,
 * maps and unmaps memory through the intercepted functions and exits 0 with its own output. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

int main(void)
{
	char *p = malloc(100), *q;
	void *m = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	strcpy(p, "hello");
	q = realloc(p, 1 << 20);
	q = reallocarray(q, 2, 1 << 19);
	memset(m, 1, 1 << 20);
	m = mremap(m, 1 << 20, 2 << 20, MREMAP_MAYMOVE);
	munmap(m, 2 << 20);
	printf("%s\n", q);
	free(q);
	return 0;
}
