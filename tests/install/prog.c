// SPDX-License-Identifier: MIT
/*
 * An out-of-tree program written only against the kernel headers and <dmasan/sim.h>: it maps
 * buffers, lets a simulated device read and write them through the stack, and checks the data.
 * Built by install_test.sh against an installed tree (pkg-config and find_package).
 */
#include <stdio.h>
#include <string.h>

#include <linux/dma-mapping.h>
#include <linux/slab.h>
#include <dmasan/sim.h>

static int failures;

#define CHECK(cond)                                                                           \
	do {                                                                                   \
		if (!(cond)) {                                                                 \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			failures++;                                                            \
		}                                                                              \
	} while (0)

/* The device reads what the CPU wrote and the CPU sees what the device wrote. */
static void round_trip(struct device *dev, char *buf, size_t len)
{
	char out[64] = { 0 };
	dma_addr_t h;

	strcpy(buf, "to the device");
	h = dma_map_single(dev, buf, len, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(dev, h));
	CHECK(dmasim_dma_read(dev, h, out, 14) == 0);
	CHECK(strcmp(out, "to the device") == 0);
	dma_unmap_single(dev, h, len, DMA_TO_DEVICE);

	h = dma_map_single(dev, buf, len, DMA_FROM_DEVICE);
	CHECK(!dma_mapping_error(dev, h));
	CHECK(dmasim_dma_write(dev, h, "from the device", 16) == 0);
	dma_unmap_single(dev, h, len, DMA_FROM_DEVICE);
	CHECK(strcmp(buf, "from the device") == 0);
}

/* A 32-bit device and a heap buffer above 4 GiB: the map fails cleanly without a bounce
 * buffer, or bounces and the data still arrives. */
static void limited_device(char *buf, size_t len)
{
	struct device *dev = dmasim_device_create(NULL);
	char out[16] = { 0 };
	dma_addr_t h;

	CHECK(dev != NULL);
	CHECK((unsigned long long)(uintptr_t)buf > DMA_BIT_MASK(32));
	strcpy(buf, "low and far");
	h = dma_map_single(dev, buf, len, DMA_BIDIRECTIONAL);
	if (dma_mapping_error(dev, h)) {
		printf("32-bit device: map failed cleanly (no bounce buffer)\n");
	} else {
		printf("32-bit device: bounced to %#llx\n", (unsigned long long)h);
		CHECK(h + len - 1 <= DMA_BIT_MASK(32));
		CHECK(dmasim_dma_read(dev, h, out, 12) == 0);
		CHECK(strcmp(out, "low and far") == 0);
		CHECK(dmasim_dma_write(dev, h, "written", 8) == 0);
		dma_unmap_single(dev, h, len, DMA_BIDIRECTIONAL);
		CHECK(strcmp(buf, "written") == 0);
	}
	dmasim_device_destroy(dev);
}

int main(void)
{
	struct dmasim_config cfg = { .dma_mask = DMA_BIT_MASK(64),
				     .coherent_dma_mask = DMA_BIT_MASK(64) };
	struct device *dev = dmasim_device_create(&cfg);
	size_t len = 4096;
	char *buf = kmalloc(len, GFP_KERNEL);
	dma_addr_t ring_dma;
	char *ring;

	CHECK(dev != NULL && buf != NULL);
	if (failures)
		return 1;
	round_trip(dev, buf, len);

	ring = dma_alloc_coherent(dev, 4096, &ring_dma, GFP_KERNEL);
	CHECK(ring != NULL);
	if (ring) {
		CHECK(dmasim_dma_write(dev, ring_dma + 64, "desc", 5) == 0);
		CHECK(strcmp(ring + 64, "desc") == 0);
		dma_free_coherent(dev, 4096, ring, ring_dma);
	}
	limited_device(buf, len);

	kfree(buf);
	dmasim_device_destroy(dev);
	printf("%s\n", failures ? "FAILED" : "OK");
	return failures ? 1 : 0;
}
