// SPDX-License-Identifier: MIT
/*
 * mapping-leak. Modelled on "serial: qcom-geni: fix DMA mapping leak on shutdown" (B.1 #34): the
 * TX buffer was left mapped when the port shut down; found at driver unbind ("device driver has
 * pending DMA allocations while released from device").
 * E2E_FACTS: count=1 size=256 mapped_as=single
 */
#include "e2e.h"

struct port {
	u8 *tx;
	dma_addr_t tx_dma;
	size_t tx_len;
};

static void port_shutdown(struct device *dev, struct port *p)
{
#ifdef FIXED
	if (p->tx_len)
		dma_unmap_single(dev, p->tx_dma, p->tx_len, DMA_TO_DEVICE);
#endif
	p->tx_len = 0;
}

int main(void)
{
	struct device *dev = e2e_device(NULL);
	struct port p = { kmalloc(256, GFP_KERNEL), 0, 256 };

	memset(p.tx, 'x', 256);
	p.tx_dma = dma_map_single(dev, p.tx, p.tx_len, DMA_TO_DEVICE);
	if (dma_mapping_error(dev, p.tx_dma))
		return 1;
	port_shutdown(dev, &p);
	dmasim_device_destroy(dev); /* unbind */
	kfree(p.tx);
	return 0;
}
