// SPDX-License-Identifier: MIT
/*
 * json_loss MODE [JSON_PATH]: four double unmaps at four call sites (four violation records)
 * while the JSON file fails. MODE "midrun": the first record is written, then the file may grow
 * no further (RLIMIT_FSIZE at its size: a disk that fills up mid-run); "full": the runner made
 * the file /dev/full (json_path=stdout); "clean": no violation at all, on /dev/full, so only the
 * run and summary records are lost. run_exhaust.py checks the one-time message, the text
 * reports, the summary line and the exit status.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/dma-mapping.h>
#include <linux/slab.h>
#include <dmasan/sim.h>

/* One double unmap at a call site of its own (records are deduplicated by stack). */
#define DOUBLE_UNMAP(dev, buf)                                                                 \
	do {                                                                                   \
		dma_addr_t h_ = dma_map_single(dev, buf, 64, DMA_TO_DEVICE);                   \
		if (dma_mapping_error(dev, h_))                                                \
			return 70;                                                             \
		dma_unmap_single(dev, h_, 64, DMA_TO_DEVICE);                                  \
		dma_unmap_single(dev, h_, 64, DMA_TO_DEVICE);                                  \
	} while (0)

/* Let this process's JSON file, <prefix>.<pid>.jsonl, grow no more. */
static int freeze_json_file(const char *prefix)
{
	char path[4096];
	struct stat st;
	struct rlimit rl;

	snprintf(path, sizeof(path), "%s.%d.jsonl", prefix, (int)getpid());
	if (stat(path, &st))
		return -1;
	rl.rlim_cur = rl.rlim_max = (rlim_t)st.st_size;
	signal(SIGXFSZ, SIG_IGN); /* a write past the limit fails with EFBIG instead */
	return setrlimit(RLIMIT_FSIZE, &rl);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "full";
	const char *json = argc > 2 ? argv[2] : NULL;
	struct device *dev = dmasim_device_create(NULL);
	u8 *buf = kzalloc(4096, GFP_KERNEL);

	if (!dev || !buf)
		return 70;
	if (!strcmp(mode, "clean")) {
		dma_addr_t h = dma_map_single(dev, buf, 64, DMA_TO_DEVICE);

		if (dma_mapping_error(dev, h))
			return 70;
		dma_unmap_single(dev, h, 64, DMA_TO_DEVICE);
		kfree(buf);
		dmasim_device_destroy(dev);
		return 0;
	}
	DOUBLE_UNMAP(dev, buf);
	if (!strcmp(mode, "midrun") && (!json || freeze_json_file(json)))
		return 71;
	DOUBLE_UNMAP(dev, buf + 64);
	DOUBLE_UNMAP(dev, buf + 128);
	DOUBLE_UNMAP(dev, buf + 192);
	kfree(buf);
	dmasim_device_destroy(dev);
	return 0;
}
