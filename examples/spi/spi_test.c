// SPDX-License-Identifier: MIT
/*
 * spi_test — probes the dmaspi controller on a device with a 32-bit DMA mask (so heap buffers
 * bounce through SWIOTLB), reads the sensor's ID and a register block, writes a register and
 * reads it back, and drains the sensor FIFO, checking every byte.
 *
 *   spi_test [--bug=NAME] [--coherent] [--rounds=N]
 *
 * Exit status: 0 ok; 1 driver error; 2 wrong data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/dma-mapping.h>
#include <dmasan/sim.h>

#include "dmaspi.h"
#include "dmaspi_hw.h"
#include "dmaspi_model.h"

static void usage(void)
{
	int i;

	fprintf(stderr, "usage: spi_test [--bug=NAME] [--coherent] [--rounds=N]\nbugs:");
	for (i = 0; i < DMASPI_BUG__COUNT; i++)
		fprintf(stderr, " %s", dmaspi_bug_name(i));
	fprintf(stderr, "\n");
	exit(64);
}

int main(int argc, char **argv)
{
	struct dmasim_config cfg = { .name = "spi0", .driver = "dmaspi",
				     .dma_mask = DMA_BIT_MASK(32) };
	const char *bug = getenv("DMASPI_BUG");
	unsigned int rounds = 16, r, i, wrong = 0;
	struct dmaspi_model *hw;
	struct dmaspi_priv *priv;
	struct device *dev;
	u8 buf[16], fifo_next = 0;
	int status = 0;

	for (i = 1; i < (unsigned int)argc; i++) {
		if (!strncmp(argv[i], "--bug=", 6))
			bug = argv[i] + 6;
		else if (!strcmp(argv[i], "--coherent"))
			cfg.coherent = true;
		else if (!strncmp(argv[i], "--rounds=", 9))
			rounds = strtoul(argv[i] + 9, NULL, 0);
		else
			usage();
	}
	if (bug) {
		int b = dmaspi_bug_parse(bug);

		if (b < 0)
			usage();
		dmaspi_bug = b;
	}

	dev = dmasim_device_create(&cfg);
	if (!dev)
		return 1;
	hw = dmaspi_model_start(dev);
	priv = hw ? dmaspi_probe(dev, dmaspi_model_regs(hw)) : NULL;
	if (!priv)
		return 1;

	for (r = 0; r < rounds && !status; r++) {
		u8 reg = (u8)(1 + r % 32), val = (u8)(0xa0 + r);

		if (dmaspi_read_regs(priv, DMASPI_REG_ID, buf, 1) ||
		    dmaspi_write_reg(priv, reg, val) ||
		    dmaspi_read_regs(priv, reg, buf + 1, 4) ||
		    dmaspi_read_fifo(priv, buf + 5, 8)) {
			fprintf(stderr, "spi_test: transfer failed in round %u\n", r);
			status = 1;
			break;
		}
		if (buf[0] != DMASPI_ID_VALUE || buf[1] != val)
			wrong++;
		for (i = 0; i < 8; i++)
			if (buf[5 + i] != fifo_next++)
				wrong++;
	}
	if (wrong && !status) {
		fprintf(stderr, "spi_test: %u wrong bytes (stale or lost DMA data)\n", wrong);
		status = 2;
	}
	printf("spi_test: bug=%s rounds=%u wrong bytes=%u\n", dmaspi_bug_name(dmaspi_bug), r, wrong);
	dmaspi_remove(priv);
	dmaspi_model_stop(hw);
	dmasim_device_destroy(dev);
	return status;
}
