/* SPDX-License-Identifier: MIT */
/* The dma-buf checks (checks_dmabuf.c), called from the dmabuf hook. */
#ifndef DMASAN_SAN_CHECKS_DMABUF_H
#define DMASAN_SAN_CHECKS_DMABUF_H

#include "common/kdma_hooks.h"
#include "stacks/stack.h"

void san_on_dmabuf(const void *dmabuf, const void *attach, struct device *dev,
		   enum kdma_dmabuf_event ev, const struct kdma_dmabuf_info *info);
/* dma_resv_add_fence: the fences a buffer's readers must wait for. */
void san_dmabuf_resv_add(const void *resv, const void *fence, int usage);
/* A device access: dmabuf-read-before-fence when dev reads a buffer it imported while one of the
 * buffer's write fences is pending. */
void san_dmabuf_device_access(struct device *dev, dma_addr_t addr, size_t len, bool is_write);
/* dmabuf-cpu-access-unbracketed: a CPU access the backend trapped at addr, if it lies in a
 * vmapped buffer with no begin_cpu_access bracket open (then reported; returns true). */
bool san_dmabuf_cpu_access(uintptr_t addr, bool write, dmasan_stack_id stack, u32 tid,
			   const char *detected_by);

/* A copy of one attachment, for dumps. */
struct san_dmabuf_attach_copy {
	const void *dmabuf, *attach;
	char exporter[32], importer[48];
	unsigned int mapped;
};
/* Copies of the live attachments, up to max; returns how many there are in all. */
unsigned int san_dmabuf_attachments(struct san_dmabuf_attach_copy *out, unsigned int max);

#endif
