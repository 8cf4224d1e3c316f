// SPDX-License-Identifier: MIT
/*
 * A dump with the other DMA objects live: an unsignalled fence and a signalled one still
 * referenced, two attachments of a shared buffer (one mapped), and a receive descriptor
 * submitted on a simulated DMA controller. Dumps once (dmasan_dump_mappings), then tears down.
 */
#include <stdlib.h>

#include <linux/dma-buf.h>
#include <linux/dma-fence.h>
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/slab.h>
#include <dmasan/dmasan.h>
#include <dmasan/sim.h>

static const char *name(struct dma_fence *f)
{
	return "dumpdrv";
}

static const struct dma_fence_ops ops = { .get_driver_name = name, .get_timeline_name = name };
static DEFINE_SPINLOCK(lock);

int main(void)
{
	static const char *const chans[] = { "rx" };
	struct dmasim_config dcfg = { .name = "dmac0", .driver = "dmasim-dmac" };
	struct dmasim_config ucfg = { .name = "uart0", .driver = "dumpdrv" };
	struct dmasim_config vcfg = { .name = "disp0", .driver = "dumpdrv" };
	struct dma_fence *pending = kzalloc(sizeof(*pending), GFP_KERNEL);
	struct dma_fence *done = kzalloc(sizeof(*done), GFP_KERNEL);
	struct dmasim_dmac *dmac = dmasim_dmac_create(&dcfg, chans, 1);
	struct device *uart = dmasim_device_create(&ucfg), *disp = dmasim_device_create(&vcfg);
	struct dma_buf *buf = dmasim_dmabuf_export(4096, "dump-heap");
	struct dma_buf_attachment *a1, *a2;
	struct dma_async_tx_descriptor *desc;
	struct device *dmadev;
	struct dma_chan *rx;
	struct sg_table *sgt;
	dma_addr_t dma;
	u64 ctx = dma_fence_context_alloc(1);
	void *rxbuf = kzalloc(64, GFP_KERNEL);

	if (!dmac || !uart || !disp || IS_ERR(buf) || !pending || !done || !rxbuf)
		return 1;
	dma_fence_init(pending, &ops, &lock, ctx, 1);
	dma_fence_init(done, &ops, &lock, ctx, 2);
	dma_fence_signal(done);

	a1 = dma_buf_attach(buf, disp);
	a2 = dma_buf_attach(buf, uart);
	sgt = dma_buf_map_attachment(a1, DMA_TO_DEVICE);
	rx = dma_request_chan(uart, "rx");
	if (IS_ERR(a1) || IS_ERR(a2) || IS_ERR(sgt) || IS_ERR(rx))
		return 1;
	dmadev = dmaengine_get_dma_device(rx);
	dma = dma_map_single(dmadev, rxbuf, 64, DMA_FROM_DEVICE);
	if (dma_mapping_error(dmadev, dma))
		return 1;
	desc = dmaengine_prep_slave_single(rx, dma, 64, DMA_DEV_TO_MEM, DMA_PREP_INTERRUPT);
	if (!desc)
		return 1;
	dmaengine_submit(desc);
	dma_async_issue_pending(rx);

	dmasan_dump_mappings(NULL);

	dmaengine_terminate_sync(rx);
	dma_unmap_single(dmadev, dma, 64, DMA_FROM_DEVICE);
	dma_release_channel(rx);
	dma_buf_unmap_attachment(a1, sgt, DMA_TO_DEVICE);
	dma_buf_detach(buf, a1);
	dma_buf_detach(buf, a2);
	dma_buf_put(buf);
	dma_fence_signal(pending);
	dma_fence_put(pending);
	dma_fence_put(done);
	kfree(rxbuf);
	dmasim_device_destroy(uart);
	dmasim_device_destroy(disp);
	dmasim_dmac_destroy(dmac);
	return 0;
}
