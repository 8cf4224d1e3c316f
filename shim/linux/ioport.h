/* SPDX-License-Identifier: MIT */
/* <linux/ioport.h> — struct resource (bus address windows such as PCI BARs). */
#ifndef _DMASAN_SHIM_LINUX_IOPORT_H
#define _DMASAN_SHIM_LINUX_IOPORT_H

#include <linux/types.h>

struct resource {
	resource_size_t start;
	resource_size_t end;
	const char *name;
	unsigned long flags;
};

#define IORESOURCE_IO 0x00000100
#define IORESOURCE_MEM 0x00000200
#define IORESOURCE_IRQ 0x00000400
#define IORESOURCE_DMA 0x00000800

static inline resource_size_t resource_size(const struct resource *res)
{
	return res->end - res->start + 1;
}

#define DEFINE_RES_MEM(_start, _size)                                                         \
	((struct resource){ .start = (_start), .end = (_start) + (_size) - 1,                  \
			    .flags = IORESOURCE_MEM })

#endif
