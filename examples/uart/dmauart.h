/* SPDX-License-Identifier: MIT */
/*
 * dmauart: a UART driver that moves its data through two dmaengine slave channels, "tx" and "rx",
 * of a separate DMA controller (the way 8250_dma, imx, sh-sci and most SoC UARTs do).
 */
#ifndef DMAUART_H
#define DMAUART_H

#include <linux/types.h>

struct device;
struct dmauart;

/* Real-world bugs the driver can contain, selected at run time. */
enum dmauart_bug {
	DMAUART_BUG_NONE = 0,
	DMAUART_BUG_NO_ISSUE_PENDING, /* TX submitted, never issued: waits, times out */
	DMAUART_BUG_WRONG_DEVICE,     /* TX buffer mapped for the UART, not the DMA controller */
	DMAUART_BUG_TERMINATE_ASYNC,  /* shutdown frees the RX buffer after terminate_async only */
	DMAUART_BUG_UNMAP_IN_FLIGHT,  /* shutdown unmaps the RX buffer before stopping the channel */
	DMAUART_BUG__COUNT
};

extern enum dmauart_bug dmauart_bug;
const char *dmauart_bug_name(enum dmauart_bug bug);
int dmauart_bug_parse(const char *name);

/* Probe: request both channels and configure them for the UART's data register. */
struct dmauart *dmauart_probe(struct device *dev);
/* Send len bytes (any memory: the driver copies them into its TX buffer); waits until sent. */
int dmauart_write(struct dmauart *port, const void *data, size_t len);
/* Start receiving len bytes (at most 256) into the RX buffer. */
int dmauart_start_rx(struct dmauart *port, size_t len);
/* Wait for the receive started last and copy the bytes out. */
int dmauart_finish_rx(struct dmauart *port, void *data, size_t len);
/* Port shutdown: a receive still pending is stopped, the buffers unmapped and freed. */
void dmauart_shutdown(struct dmauart *port);

#endif
