// SPDX-License-Identifier: MIT
/*
 * uart_test — a UART on a simulated DMA controller: the test plays the remote end through the
 * controller's channel FIFOs (what the UART puts on the line, what arrives from it). Writes
 * messages and checks every byte that went out, feeds messages in and checks every byte
 * received, then shuts the port down with a receive still pending (no data came), the way a
 * port is closed while the line is idle.
 *
 *   uart_test [--bug=NAME] [--iommu=strict|lazy] [--bounce=force] [--rounds=N]
 *
 * The platform options apply to the DMA controller's device, which performs the DMA.
 *
 * Exit status: 0 ok; 1 driver error; 2 wrong data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/dma-mapping.h>
#include <dmasan/sim.h>

#include "dmauart.h"

static void usage(void)
{
	fprintf(stderr, "usage: uart_test [--bug=NAME] [--iommu=strict|lazy] [--bounce=force] "
			"[--rounds=N]\nbugs:");
	for (int i = 0; i < DMAUART_BUG__COUNT; i++)
		fprintf(stderr, " %s", dmauart_bug_name(i));
	fprintf(stderr, "\n");
	exit(64);
}

static void message(u8 *msg, size_t len, unsigned int round)
{
	for (size_t i = 0; i < len; i++)
		msg[i] = (u8)(round * 13 + i);
}

int main(int argc, char **argv)
{
	static const char *const chans[] = { "tx", "rx" };
	struct dmasim_config dcfg = { .name = "dmac0", .driver = "dmasim-dmac",
				      .dma_mask = DMA_BIT_MASK(32) };
	struct dmasim_config ucfg = { .name = "ttyS0", .driver = "dmauart" };
	unsigned int rounds = 8, r, wrong = 0;
	struct dmasim_dmac *dmac;
	struct dmauart *port;
	struct device *dev;
	u8 out[200], in[200];
	int status = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strncmp(a, "--bug=", 6)) {
			int b = dmauart_bug_parse(a + 6);

			if (b < 0)
				usage();
			dmauart_bug = b;
		} else if (!strcmp(a, "--iommu=strict")) {
			dcfg.iommu = DMASIM_IOMMU_STRICT;
		} else if (!strcmp(a, "--iommu=lazy")) {
			dcfg.iommu = DMASIM_IOMMU_LAZY;
		} else if (!strcmp(a, "--bounce=force")) {
			dcfg.bounce = DMASIM_BOUNCE_FORCE;
		} else if (!strncmp(a, "--rounds=", 9)) {
			rounds = strtoul(a + 9, NULL, 0);
		} else {
			usage();
		}
	}

	dmac = dmasim_dmac_create(&dcfg, chans, 2);
	dev = dmasim_device_create(&ucfg);
	if (!dmac || !dev)
		return 1;
	port = dmauart_probe(dev);
	if (!port)
		return 1;

	for (r = 0; r < rounds && !status; r++) {
		size_t len = 17 + r * 23 % 180;

		message(out, len, r);
		if (dmauart_write(port, out, len)) {
			status = 1;
			break;
		}
		memset(in, 0, sizeof(in));
		if (dmasim_dmac_fifo_pop(dmac, "tx", in, len) != len || memcmp(in, out, len))
			wrong++;

		message(out, len, r + 100); /* the remote end answers */
		if (dmasim_dmac_fifo_push(dmac, "rx", out, len) != len ||
		    dmauart_start_rx(port, len) || dmauart_finish_rx(port, in, len)) {
			status = 1;
			break;
		}
		if (memcmp(in, out, len))
			wrong++;
	}
	if (status)
		fprintf(stderr, "uart_test: transfer failed in round %u\n", r);
	/* close the port while it waits for input */
	if (!status && dmauart_start_rx(port, 64))
		status = 1;
	dmauart_shutdown(port);

	if (wrong && !status) {
		fprintf(stderr, "uart_test: %u wrong messages (stale or lost DMA data)\n", wrong);
		status = 2;
	}
	printf("uart_test: bug=%s rounds=%u wrong messages=%u\n", dmauart_bug_name(dmauart_bug), r,
	       wrong);
	dmasim_device_destroy(dev);
	dmasim_dmac_destroy(dmac);
	return status;
}
