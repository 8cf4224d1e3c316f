/* SPDX-License-Identifier: MIT */
/* The dma-buf checks (checks_dmabuf.c), called from the dmabuf hook. */
#ifndef DMASAN_SAN_CHECKS_DMABUF_H
#define DMASAN_SAN_CHECKS_DMABUF_H

#include "common/kdma_hooks.h"

void san_on_dmabuf(const void *dmabuf, const void *attach, struct device *dev,
		   enum kdma_dmabuf_event ev, int dir, const char *name);

#endif
