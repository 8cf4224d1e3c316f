/* SPDX-License-Identifier: MIT */
/* The dmaengine checks (checks_dmaengine.c), called from the dmaengine hook, from unmaps and
 * frees, and at exit. */
#ifndef DMASAN_SAN_CHECKS_DMAENGINE_H
#define DMASAN_SAN_CHECKS_DMAENGINE_H

#include "common/kdma_hooks.h"

struct scatterlist;

void san_on_dmaengine(const void *chan, struct device *dma_dev, enum kdma_dmaengine_event ev,
		      const struct kdma_dmaengine_info *info);
/* dev's bus range [addr, addr + len) is being unmapped or freed by `what`. */
void san_dmaengine_release(struct device *dev, dma_addr_t addr, u64 len, const char *what);
void san_dmaengine_release_sg(struct device *dev, struct scatterlist *sg, int nents);
/* dmaengine-not-issued for descriptors submitted and never issued. */
void san_dmaengine_at_exit(void);

/* A copy of one descriptor not yet completed, for dumps. */
struct san_dmae_copy {
	const void *desc;
	char device[48];
	const char *state; /* static string */
	int cookie;
	u64 addr, len;     /* the first segment; len 0: none */
};
/* Copies of the descriptors prepared and not yet completed or synchronized, up to max; returns
 * how many there are in all. */
unsigned int san_dmaengine_inflight(struct san_dmae_copy *out, unsigned int max);

#endif
