// SPDX-License-Identifier: MIT
/*
 * dmabuf-cpu-access-unbracketed. After the DRM change that made the shadow-plane helpers
 * (drm_gem_begin_shadow_fb_access) prepare imported buffers for CPU access: until then cirrus,
 * hyperv, mgag200 and vkms converted the damaged rectangle of an imported framebuffer from its
 * vmap with the CPU without dma_buf_begin_cpu_access()/end_cpu_access() around it, while gud
 * and mipi-dbi already bracketed the blit (drm_gem_fb_begin_cpu_access). The GPU that rendered
 * the frame has unmapped it; nothing but the dma-buf rule says the CPU must open the bracket,
 * and the read is caught at the load itself. The fix brackets the blit with DMA_FROM_DEVICE.
 * E2E_RELATED: vmap,export
 * E2E_FUNCTION: blit_damage
 */
#include <linux/dma-buf.h>

#include "e2e_dmabuf.h"

#define WIDTH 64
#define LINES 16

/* The GPU renders the frame through its own mapping of the buffer. */
static void gpu_render(struct device *gpu, struct dma_buf *frame)
{
	struct dma_buf_attachment *attach = dma_buf_attach(frame, gpu);
	struct sg_table *sgt;
	u32 pixels[WIDTH];

	for (int i = 0; i < WIDTH; i++)
		pixels[i] = 0x00ff0000u | (u32)(i & 31) << 3;
	sgt = dma_buf_map_attachment_unlocked(attach, DMA_FROM_DEVICE);
	if (IS_ERR(sgt))
		exit(1);
	for (int y = 0; y < LINES; y++)
		dmasim_dma_write(gpu, sg_dma_address(sgt->sgl) + y * sizeof(pixels), pixels,
				 sizeof(pixels));
	dma_buf_unmap_attachment_unlocked(attach, sgt, DMA_FROM_DEVICE);
	dma_buf_detach(frame, attach);
}

/* The display driver's damage handler: XRGB8888 -> RGB565 into its transfer buffer. */
static noinline void blit_damage(struct dma_buf *frame, const struct iosys_map *map, u16 *tx)
{
	const u32 *src = map->vaddr;

	BUGGY((void)0, dma_buf_begin_cpu_access(frame, DMA_FROM_DEVICE)); /* the fix */
	for (int i = 0; i < WIDTH * LINES; i++)
		tx[i] = (u16)(((src[i] >> 8) & 0xf800) | ((src[i] >> 5) & 0x07e0) |
			      ((src[i] >> 3) & 0x001f));
	BUGGY((void)0, dma_buf_end_cpu_access(frame, DMA_FROM_DEVICE));
}

/* The panel scans the frame out through its own mapping while the driver keeps the vmap: a
 * device's read is no CPU access, bracket or not. */
static void panel_scanout(struct device *panel, struct dma_buf_attachment *import)
{
	struct sg_table *sgt = dma_buf_map_attachment_unlocked(import, DMA_TO_DEVICE);
	u32 line[WIDTH];

	if (IS_ERR(sgt))
		exit(1);
	dmasim_dma_read(panel, sg_dma_address(sgt->sgl), line, sizeof(line));
	dma_buf_unmap_attachment_unlocked(import, sgt, DMA_TO_DEVICE);
	if (line[1] != (0x00ff0000u | 1 << 3))
		exit(3);
}

int main(void)
{
	struct dmasim_config cfg = { .name = "gpu0", .driver = "e2e-gpu" };
	struct device *gpu = e2e_device(&cfg);
	struct device *panel = e2e_display();
	struct dma_buf *frame = e2e_frame(WIDTH * LINES * sizeof(u32));
	struct dma_buf_attachment *import = dma_buf_attach(frame, panel);
	static u16 tx[WIDTH * LINES];
	struct iosys_map map;

	if (IS_ERR(import) || dma_buf_vmap(frame, &map))
		return 1;
	gpu_render(gpu, frame);
	panel_scanout(panel, import);
	blit_damage(frame, &map, tx);
	dma_buf_vunmap(frame, &map);
	dma_buf_detach(frame, import);
	dma_buf_put(frame);
	dmasim_device_destroy(panel);
	dmasim_device_destroy(gpu);
	return tx[1] == 0xf801 ? 0 : 2;
}
