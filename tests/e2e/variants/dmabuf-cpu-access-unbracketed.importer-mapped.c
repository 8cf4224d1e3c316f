// SPDX-License-Identifier: MIT
/*
 * dmabuf-cpu-access-unbracketed while an importer has the buffer mapped: a capture device has
 * written a frame; the CPU reads it through the buffer's vmap without
 * dma_buf_begin_cpu_access(), which is what syncs the importers' mappings for the CPU (on a
 * non-coherent platform the read sees stale cache lines). Caught at the read itself: the line
 * is both the device's (ownership shadow) and outside the dma-buf's brackets, and the report
 * names the dma-buf rule. The fix brackets the read.
 * E2E_ONLY: yes
 */
#include <linux/dma-buf.h>

#include "e2e_dmabuf.h"

static noinline char first_pixel(const struct iosys_map *map)
{
	return *(volatile const char *)map->vaddr;
}

int main(void)
{
	struct device *cam = e2e_display();
	struct dma_buf *frame = e2e_frame(4096);
	struct dma_buf_attachment *attach = dma_buf_attach(frame, cam);
	static const char pixels[64] = "captured frame";
	struct iosys_map map;
	struct sg_table *sgt;
	char first;

	if (IS_ERR(attach) || dma_buf_vmap(frame, &map))
		return 1;
	sgt = dma_buf_map_attachment(attach, DMA_FROM_DEVICE);
	if (IS_ERR(sgt))
		return 1;
	dmasim_dma_write(cam, sg_dma_address(sgt->sgl), pixels, sizeof(pixels));

#ifdef FIXED
	dma_buf_begin_cpu_access(frame, DMA_FROM_DEVICE);
	first = first_pixel(&map);
	dma_buf_end_cpu_access(frame, DMA_FROM_DEVICE);
#else
	first = first_pixel(&map); /* the device still owns the line */
#endif

	dma_buf_unmap_attachment(attach, sgt, DMA_FROM_DEVICE);
	dma_buf_vunmap(frame, &map);
	dma_buf_detach(frame, attach);
	dma_buf_put(frame);
	dmasim_device_destroy(cam);
	return first == 'c' ? 0 : 2;
}
