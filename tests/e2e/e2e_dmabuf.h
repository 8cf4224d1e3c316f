/* SPDX-License-Identifier: MIT */
/* A shared frame buffer: exported by a simulated heap, imported by a display device. */
#ifndef DMASAN_E2E_DMABUF_H
#define DMASAN_E2E_DMABUF_H

#include <linux/dma-buf.h>

#include "e2e.h"

static inline struct dma_buf *e2e_frame(size_t size)
{
	struct dma_buf *buf = dmasim_dmabuf_export(size, "e2e-heap");

	if (IS_ERR(buf))
		exit(77);
	return buf;
}

static inline struct device *e2e_display(void)
{
	struct dmasim_config cfg = { .name = "display0", .driver = "e2e-display" };

	return e2e_device(&cfg);
}

#endif
