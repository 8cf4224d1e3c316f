// SPDX-License-Identifier: MIT
/*
 * nic_test — plays the network stack and the board around the dmanic driver: creates the
 * simulated device, starts the hardware model, sends frames that the device loops back, checks
 * every received byte, and tears everything down as an unbind would.
 *
 *   nic_test [--bug=NAME] [--iommu=strict|lazy] [--bounce=force] [--bus-limit=32]
 *            [--reserved-mem] [--frames=N] [--rx-headroom=N]
 *
 * --reserved-mem gives the device a per-device coherent region (DT shared-dma-pool), so the
 * descriptor rings come from it. --rx-headroom=66 receives at skb->data, 66 bytes into each
 * kmalloc'd RX buffer, as real NIC drivers do.
 *
 * Exit status: 0 all frames came back intact; 1 the driver failed; 2 data was corrupted.
 * (Under dmasan, reported errors make the status non-zero too.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/dma-mapping.h>
#include <dmasan/sim.h>

#include "dmanic.h"
#include "dmanic_hw.h"
#include "dmanic_model.h"

struct rx_check {
	unsigned int expected_len;
	unsigned int seq;
	unsigned long received, corrupted;
};

static u8 frame_byte(unsigned int seq, unsigned int j)
{
	return (u8)(seq * 7 + j);
}

static unsigned int frame_len(unsigned int seq)
{
	/* mixes copybreak-sized frames (reused buffers) with large ones (unmap + refill) */
	return 64 + (seq * 97) % 900;
}

static void rx_deliver(void *ctx, const void *data, unsigned int len)
{
	struct rx_check *c = ctx;
	const u8 *p = data;
	unsigned int j;

	c->received++;
	if (len != c->expected_len) {
		fprintf(stderr, "nic_test: frame %u: length %u, expected %u\n", c->seq, len,
			c->expected_len);
		c->corrupted++;
		return;
	}
	for (j = 2; j < len; j++) {
		if (p[j] != frame_byte(c->seq, j)) {
			fprintf(stderr, "nic_test: frame %u: byte %u is 0x%02x, expected 0x%02x (stale or corrupted data)\n",
				c->seq, j, p[j], frame_byte(c->seq, j));
			c->corrupted++;
			return;
		}
	}
}

static void usage(void)
{
	int i;

	fprintf(stderr, "usage: nic_test [--bug=NAME] [--iommu=strict|lazy] [--bounce=force] "
			"[--bus-limit=32] [--reserved-mem] [--frames=N] [--rx-headroom=N]\nbugs:");
	for (i = 0; i < DMANIC_BUG__COUNT; i++)
		fprintf(stderr, " %s", dmanic_bug_name(i));
	fprintf(stderr, "\n");
	exit(64);
}

int main(int argc, char **argv)
{
	struct dmasim_config cfg = { .name = "0000:03:00.0", .driver = "dmanic" };
	unsigned int frames = 48, seq;
	struct rx_check check = { 0 };
	struct dmanic_model *hw;
	struct dmanic_priv *priv;
	struct device *dev;
	const char *bug = getenv("DMANIC_BUG");
	u8 frame[DMANIC_RX_BUF_SIZE];
	int i, status = 0;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strncmp(a, "--bug=", 6))
			bug = a + 6;
		else if (!strcmp(a, "--iommu=strict"))
			cfg.iommu = DMASIM_IOMMU_STRICT;
		else if (!strcmp(a, "--iommu=lazy"))
			cfg.iommu = DMASIM_IOMMU_LAZY;
		else if (!strcmp(a, "--bounce=force"))
			cfg.bounce = DMASIM_BOUNCE_FORCE;
		else if (!strcmp(a, "--bus-limit=32"))
			cfg.bus_dma_limit = DMA_BIT_MASK(32);
		else if (!strcmp(a, "--reserved-mem"))
			cfg.reserved_mem_size = 256 * 1024;
		else if (!strncmp(a, "--frames=", 9))
			frames = strtoul(a + 9, NULL, 0);
		else if (!strncmp(a, "--rx-headroom=", 14))
			dmanic_rx_headroom = strtoul(a + 14, NULL, 0);
		else
			usage();
	}
	if (bug) {
		int b = dmanic_bug_parse(bug);

		if (b < 0)
			usage();
		dmanic_bug = b;
	}

	dev = dmasim_device_create(&cfg);
	if (!dev)
		return 1;
	hw = dmanic_model_start(dev);
	priv = hw ? dmanic_probe(dev, dmanic_model_regs(hw)) : NULL;
	if (!priv) {
		status = 1;
		goto out_hw;
	}
	if (dmanic_open(priv, rx_deliver, &check)) {
		fprintf(stderr, "nic_test: open failed\n");
		status = 1;
		goto out_remove;
	}

	for (seq = 0; seq < frames; seq++) {
		unsigned int len = frame_len(seq), j;

		for (j = 0; j < len; j++)
			frame[j] = frame_byte(seq, j);
		check.seq = seq;
		check.expected_len = len;
		if (dmanic_xmit(priv, frame, len)) {
			fprintf(stderr, "nic_test: xmit of frame %u failed\n", seq);
			status = 1;
			break;
		}
		dmanic_model_wait_idle(hw);
		if (dmanic_poll(priv, DMANIC_RING_SIZE) != 1) {
			fprintf(stderr, "nic_test: frame %u did not come back\n", seq);
			status = 2;
		}
	}
	if (check.corrupted || dmanic_model_faults(hw))
		status = 2;
	printf("nic_test: bug=%s frames sent=%u received=%lu corrupted=%lu device faults=%lu\n",
	       dmanic_bug_name(dmanic_bug), frames, check.received, check.corrupted,
	       dmanic_model_faults(hw));
	dmanic_stop(priv);
out_remove:
	dmanic_remove(priv);
out_hw:
	if (hw)
		dmanic_model_stop(hw);
	dmasim_device_destroy(dev); /* unbind: whatever is still mapped is the driver's leak */
	return status;
}
