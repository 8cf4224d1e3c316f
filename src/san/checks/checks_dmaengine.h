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

#endif
