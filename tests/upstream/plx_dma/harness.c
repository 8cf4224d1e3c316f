// SPDX-License-Identifier: MIT
/*
 * drivers/dma/plx_dma.c, unmodified (with the kernel's private drivers/dma/dmaengine.h beside
 * it), bound to a model of the PLX DMA channel (plx_dma_model.c). The harness is a dmaengine
 * client doing what the kernel's dmatest does for memcpy channels: it requests a channel by
 * capability, maps source and destination buffers for the channel's device, prepares, submits
 * and issues batches of copies of assorted sizes and alignments, waits for their callbacks,
 * asks the channel for each cookie's status, unmaps and compares; then it releases the channel
 * with a last batch still in flight (the driver stops the engine, aborts the batch and frees its
 * ring) and unbinds the driver.
 *
 *   upstream_plx_dma [harness_platform.h options] [--] [batches, default 8]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmasan/sim.h>
#include <linux/completion.h>
#include <linux/dmaengine.h>
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "harness_platform.h"
#include "plx_dma_model.h"

#define PLX_IRQ 19
#define PLX_DEVICE_ID 0x87d0
#define BATCH 24
#define MAX_COPY 65536
#define IN_FLIGHT 8

static struct pci_dev pdev;
static u8 bar0[PLX_REGS_SIZE] __attribute__((aligned(4096)));
static struct plx_dma_model model;

struct copy {
	u8 *src, *dst;
	unsigned int len, off;
	dma_addr_t src_dma, dst_dma;
	dma_cookie_t cookie;
	enum dmaengine_tx_result result;
	struct completion done;
};

static void copy_done(void *arg, const struct dmaengine_result *res)
{
	struct copy *c = arg;

	c->result = res->result;
	complete(&c->done);
}

static u8 pattern(unsigned int n, unsigned int i)
{
	return (u8)(n * 31 + i * 7 + (i >> 9));
}

/* Copy n of a batch: its buffers allocated, filled and mapped, its descriptor submitted. */
static int start_copy(struct dma_chan *chan, struct copy *c, unsigned int n)
{
	struct device *dev = dmaengine_get_dma_device(chan);
	struct dma_async_tx_descriptor *tx;

	c->len = 1 + (n * 7919) % MAX_COPY;
	c->off = n % 5; /* the channel copies at any byte alignment */
	c->src = kmalloc(c->len + c->off, GFP_KERNEL);
	c->dst = kzalloc(c->len + c->off, GFP_KERNEL);
	if (!c->src || !c->dst)
		return -ENOMEM;
	for (unsigned int i = 0; i < c->len; i++)
		c->src[c->off + i] = pattern(n, i);
	c->src_dma = dma_map_single(dev, c->src + c->off, c->len, DMA_TO_DEVICE);
	if (dma_mapping_error(dev, c->src_dma))
		return -ENOMEM;
	c->dst_dma = dma_map_single(dev, c->dst + c->off, c->len, DMA_FROM_DEVICE);
	if (dma_mapping_error(dev, c->dst_dma)) {
		dma_unmap_single(dev, c->src_dma, c->len, DMA_TO_DEVICE);
		return -ENOMEM;
	}
	init_completion(&c->done);
	tx = dmaengine_prep_dma_memcpy(chan, c->dst_dma, c->src_dma, c->len,
				       DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
	if (!tx)
		return -EBUSY;
	tx->callback_result = copy_done;
	tx->callback_param = c;
	c->cookie = dmaengine_submit(tx);
	return dma_submit_error(c->cookie);
}

/* After its callback: the channel says it is complete, the buffers go back, the bytes match. */
static bool finish_copy(struct dma_chan *chan, struct copy *c, unsigned int n)
{
	struct device *dev = dmaengine_get_dma_device(chan);
	bool ok;

	wait_for_completion(&c->done);
	ok = c->result == DMA_TRANS_NOERROR &&
	     dmaengine_tx_status(chan, c->cookie, NULL) == DMA_COMPLETE;
	dma_unmap_single(dev, c->src_dma, c->len, DMA_TO_DEVICE);
	dma_unmap_single(dev, c->dst_dma, c->len, DMA_FROM_DEVICE);
	for (unsigned int i = 0; ok && i < c->len; i++)
		ok = c->dst[c->off + i] == pattern(n, i);
	if (!ok)
		fprintf(stderr, "harness: copy %u (%u bytes) failed or came out wrong\n", n, c->len);
	kfree(c->src);
	kfree(c->dst);
	return ok;
}

/* An aborted copy: its callback said so, its buffers go back untouched by the channel. */
static bool finish_aborted(struct dma_chan *chan, struct copy *c, unsigned int n)
{
	struct device *dev = dmaengine_get_dma_device(chan);
	bool ok;

	wait_for_completion(&c->done);
	ok = c->result == DMA_TRANS_ABORTED;
	dma_unmap_single(dev, c->src_dma, c->len, DMA_TO_DEVICE);
	dma_unmap_single(dev, c->dst_dma, c->len, DMA_FROM_DEVICE);
	for (unsigned int i = 0; ok && i < c->len; i++)
		ok = c->dst[c->off + i] == 0;
	if (!ok)
		fprintf(stderr, "harness: in-flight copy %u was not aborted cleanly\n", n);
	kfree(c->src);
	kfree(c->dst);
	return ok;
}

/*
 * A client that gives up with copies in flight (as dmatest does on a timeout): the channel is
 * held busy while they are submitted and issued, and released with all of them pending. The
 * driver pauses the engine, aborts each descriptor (DMA_TRANS_ABORTED) and frees its ring; the
 * engine, let go afterwards, must not touch the ring or the buffers again.
 */
static bool release_in_flight(struct dma_chan *chan, unsigned int n)
{
	static struct copy copies[IN_FLIGHT];
	unsigned int started = 0;
	bool ok = true;

	plx_dma_model_hold(&model);
	for (; started < IN_FLIGHT; started++) {
		if (start_copy(chan, &copies[started], n + started)) {
			fprintf(stderr, "harness: in-flight copy %u not started\n", n + started);
			ok = false;
			break;
		}
	}
	dma_async_issue_pending(chan);
	dma_release_channel(chan);
	plx_dma_model_resume(&model);
	for (unsigned int i = 0; i < started; i++)
		ok &= finish_aborted(chan, &copies[i], n + i);
	return ok;
}

static int run(void *arg)
{
	unsigned int batches = *(unsigned int *)arg, n = 0, failed = 0;
	static struct copy copies[BATCH];
	dma_cap_mask_t mask;
	struct dma_chan *chan;

	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	chan = dma_request_chan_by_mask(&mask);
	if (IS_ERR(chan)) {
		fprintf(stderr, "harness: no memcpy channel (%ld)\n", PTR_ERR(chan));
		return 1;
	}
	for (unsigned int b = 0; b < batches && !failed; b++) {
		unsigned int started = 0;

		for (; started < BATCH; started++) {
			int ret = start_copy(chan, &copies[started], n + started);

			if (ret) {
				fprintf(stderr, "harness: copy %u not started (%d)\n", n + started,
					ret);
				failed = 1;
				break;
			}
		}
		dma_async_issue_pending(chan);
		for (unsigned int i = 0; i < started; i++)
			failed |= !finish_copy(chan, &copies[i], n + i);
		n += started;
	}
	if (failed)
		dma_release_channel(chan);
	else
		failed = !release_in_flight(chan, n);
	printf("harness: %u copies, the channel did %lu descriptors, %lu bytes\n", n, model.descs,
	       model.copied);
	return failed || model.descs != n;
}

int main(int argc, char **argv)
{
	struct harness_platform platform = { 0 };
	int i = harness_parse(argc, argv, &platform), ret;
	unsigned int batches = i < argc ? (unsigned int)strtoul(argv[i], NULL, 0) : 8;

	if (kdma_modules_init())
		return 1;
	kdma_pci_dev_init(&pdev, PCI_VENDOR_ID_PLX, PLX_DEVICE_ID);
	pdev.class = PCI_CLASS_SYSTEM_OTHER << 8;
	pdev.irq = PLX_IRQ;
	harness_pci_bar(&pdev, 0, bar0, sizeof(bar0));
	if (harness_apply(&pdev.dev, &platform))
		return 1;
	if (plx_dma_model_start(&model, &pdev.dev, PLX_IRQ, bar0))
		return 1;
	ret = harness_pci_run(&pdev, &platform, run, &batches);
	plx_dma_model_stop(&model);
	if (model.faults) {
		fprintf(stderr, "harness: the channel saw %lu DMA faults\n", model.faults);
		ret = 1;
	}
	kdma_modules_exit();
	return ret;
}
