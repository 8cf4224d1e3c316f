/* SPDX-License-Identifier: MIT */
/* dma-buf internals shared by the core (dma_buf.c) and the simulated exporter. */
#ifndef DMASAN_KDMA_DMABUF_H
#define DMASAN_KDMA_DMABUF_H

#include <linux/dma-resv.h>

/*
 * Waits for obj's fences of `usage` while the caller holds obj's lock, as the kernel's map and
 * eviction paths do. libkdma's unlocked reservation iterators take that same lock (the kernel's
 * use RCU), so dma_resv_wait_timeout() would deadlock there. 0 or a negative error.
 */
long kdma_resv_wait_held(struct dma_resv *obj, enum dma_resv_usage usage, bool intr);

#endif
