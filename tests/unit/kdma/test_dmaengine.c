// SPDX-License-Identifier: MIT
/* dmaengine client API on the simulated controller (src/kdma/dmaengine/). No timing: every wait
 * is for an event the test itself causes. */
#include <errno.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/redirect.h>

#include <linux/completion.h>
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/slab.h>
#include <dmasan/sim.h>

static const char *const names[] = { "tx", "rx", "mem" };
static struct dmasim_dmac *dmac;
static struct device *client, *ddev;

static void setup(void)
{
	dmac = dmasim_dmac_create(NULL, names, 3);
	cr_assert_not_null(dmac);
	ddev = dmasim_dmac_device(dmac);
	client = dmasim_device_create(NULL);
}

static void teardown(void)
{
	dmasim_device_destroy(client);
	dmasim_dmac_destroy(dmac);
}

TestSuite(dmaengine, .init = setup, .fini = teardown);

Test(dmaengine, request_by_name_once)
{
	struct dma_chan *tx = dma_request_chan(client, "tx");

	cr_assert_not(IS_ERR(tx));
	cr_assert_eq(dmaengine_get_dma_device(tx), ddev);
	cr_assert_eq(PTR_ERR(dma_request_chan(client, "tx")), -ENODEV, "already taken");
	cr_assert_eq(PTR_ERR(dma_request_chan(client, "nope")), -ENODEV);
	dma_release_channel(tx);
	tx = dma_request_chan(client, "tx");
	cr_assert_not(IS_ERR(tx));
	dma_release_channel(tx);
}

Test(dmaengine, memcpy_moves_bytes)
{
	struct dma_chan *ch = dma_request_chan(client, "mem");
	char *src = kmalloc(1000, GFP_KERNEL), *dst = kzalloc(1000, GFP_KERNEL);
	struct dma_async_tx_descriptor *d;
	dma_addr_t s, t;
	dma_cookie_t cookie;

	memset(src, 0x3c, 1000);
	s = dma_map_single(ddev, src, 1000, DMA_TO_DEVICE);
	t = dma_map_single(ddev, dst, 1000, DMA_FROM_DEVICE);
	d = dmaengine_prep_dma_memcpy(ch, t, s, 1000, 0);
	cr_assert_not_null(d);
	cookie = dmaengine_submit(d);
	cr_assert_geq(cookie, DMA_MIN_COOKIE);
	cr_assert_eq(dmaengine_tx_status(ch, cookie, NULL), DMA_IN_PROGRESS, "not issued yet");
	cr_assert_eq(dma_sync_wait(ch, cookie), DMA_COMPLETE);
	dma_unmap_single(ddev, t, 1000, DMA_FROM_DEVICE);
	dma_unmap_single(ddev, s, 1000, DMA_TO_DEVICE);
	cr_assert_eq(memcmp(src, dst, 1000), 0);
	kfree(src);
	kfree(dst);
	dma_release_channel(ch);
}

static void done_cb(void *arg)
{
	complete(arg);
}

Test(dmaengine, slave_tx_fills_the_fifo_and_calls_back)
{
	struct dma_chan *ch = dma_request_chan(client, "tx");
	struct dma_slave_config cfg = { .direction = DMA_MEM_TO_DEV, .dst_addr = 0x1000 };
	char *buf = kmalloc(600, GFP_KERNEL), out[600];
	struct dma_async_tx_descriptor *d;
	struct completion done;
	dma_addr_t a;

	init_completion(&done);
	memset(buf, 'x', 600);
	cr_assert_eq(dmaengine_slave_config(ch, &cfg), 0);
	a = dma_map_single(ddev, buf, 600, DMA_TO_DEVICE);
	d = dmaengine_prep_slave_single(ch, a, 600, DMA_MEM_TO_DEV, DMA_PREP_INTERRUPT);
	d->callback = done_cb;
	d->callback_param = &done;
	dmaengine_submit(d);
	dma_async_issue_pending(ch);
	wait_for_completion(&done);
	cr_assert_eq(dmasim_dmac_fifo_pop(dmac, "tx", out, sizeof(out)), 600);
	cr_assert_eq(memcmp(out, buf, 600), 0);
	dma_unmap_single(ddev, a, 600, DMA_TO_DEVICE);
	kfree(buf);
	dma_release_channel(ch);
}

Test(dmaengine, slave_rx_waits_for_the_peripheral)
{
	struct dma_chan *ch = dma_request_chan(client, "rx");
	char *buf = kzalloc(64, GFP_KERNEL), in[64];
	struct dma_async_tx_descriptor *d;
	struct dma_tx_state st;
	dma_cookie_t cookie;
	dma_addr_t a;

	memset(in, 'r', sizeof(in));
	a = dma_map_single(ddev, buf, 64, DMA_FROM_DEVICE);
	d = dmaengine_prep_slave_single(ch, a, 64, DMA_DEV_TO_MEM, 0);
	cookie = dmaengine_submit(d);
	dma_async_issue_pending(ch);
	cr_assert_eq(dmaengine_tx_status(ch, cookie, &st), DMA_IN_PROGRESS, "no data yet");
	cr_assert_eq(dmasim_dmac_fifo_push(dmac, "rx", in, 64), 64);
	cr_assert_eq(dma_sync_wait(ch, cookie), DMA_COMPLETE);
	dma_unmap_single(ddev, a, 64, DMA_FROM_DEVICE);
	cr_assert_eq(memcmp(buf, in, 64), 0);
	kfree(buf);
	dma_release_channel(ch);
}

Test(dmaengine, terminate_sync_stops_an_rx_in_flight)
{
	struct dma_chan *ch = dma_request_chan(client, "rx");
	char *buf = kzalloc(64, GFP_KERNEL), in[8] = "abcdefg";
	struct dma_async_tx_descriptor *d;
	dma_cookie_t cookie;
	dma_addr_t a;

	a = dma_map_single(ddev, buf, 64, DMA_FROM_DEVICE);
	d = dmaengine_prep_slave_single(ch, a, 64, DMA_DEV_TO_MEM, 0);
	cookie = dmaengine_submit(d);
	dma_async_issue_pending(ch);
	cr_assert_eq(dmaengine_terminate_sync(ch), 0);
	dmasim_dmac_fifo_push(dmac, "rx", in, 8);
	cr_assert_eq(dmaengine_tx_status(ch, cookie, NULL), DMA_IN_PROGRESS,
		     "a terminated cookie never completes");
	dma_unmap_single(ddev, a, 64, DMA_FROM_DEVICE);
	cr_assert_eq(buf[0], 0, "nothing was written after terminate");
	kfree(buf);
	dma_release_channel(ch);
}

static int periods;
static struct completion two_periods;

static void period_cb(void *arg)
{
	if (++periods == 2)
		complete(&two_periods);
}

Test(dmaengine, cyclic_calls_back_per_period)
{
	struct dma_chan *ch = dma_request_chan(client, "rx");
	char *buf = kzalloc(128, GFP_KERNEL), in[128];
	struct dma_async_tx_descriptor *d;
	dma_addr_t a;

	periods = 0;
	init_completion(&two_periods);
	memset(in, 'c', sizeof(in));
	a = dma_map_single(ddev, buf, 128, DMA_FROM_DEVICE);
	d = dmaengine_prep_dma_cyclic(ch, a, 128, 64, DMA_DEV_TO_MEM, DMA_PREP_INTERRUPT);
	cr_assert_not_null(d);
	d->callback = period_cb;
	dmaengine_submit(d);
	dma_async_issue_pending(ch);
	dmasim_dmac_fifo_push(dmac, "rx", in, 128);
	wait_for_completion(&two_periods);
	dmaengine_terminate_sync(ch);
	cr_assert_eq(periods, 2);
	dma_unmap_single(ddev, a, 128, DMA_FROM_DEVICE);
	cr_assert_eq(memcmp(buf, in, 128), 0);
	kfree(buf);
	dma_release_channel(ch);
}

Test(dmaengine_bad_input, bad_channels_warn_instead_of_crashing, .init = cr_redirect_stderr)
{
	struct dma_chan *err = ERR_PTR(-ENODEV);

	cr_assert_null(dmaengine_prep_slave_single(NULL, 0x1000, 64, DMA_MEM_TO_DEV, 0));
	cr_assert_null(dmaengine_prep_dma_cyclic(err, 0x1000, 64, 32, DMA_DEV_TO_MEM, 0));
	cr_assert_eq(dmaengine_submit(NULL), -EINVAL);
	dma_async_issue_pending(err);
	cr_assert_eq(dmaengine_tx_status(NULL, 2, NULL), DMA_ERROR);
	cr_assert_eq(dma_sync_wait(err, 2), DMA_ERROR);
	cr_assert_eq(dmaengine_terminate_sync(NULL), -EINVAL);
	cr_assert_eq(dmaengine_slave_config(err, NULL), -EINVAL);
	dma_release_channel(err);
	fflush(stderr);
	cr_assert_stderr_neq_str("", "each misuse is reported");
}
