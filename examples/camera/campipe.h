/* SPDX-License-Identifier: MIT */
/*
 * campipe: a camera capture driver (dmacam) and a display driver (dmadisp) sharing frame buffers
 * through dma-buf. Both are vb2-style importers: an attachment per buffer, mapped while the
 * engine uses the buffer. The camera publishes a write fence in the buffer's reservation object
 * for every capture; the display waits for the write fences before it scans a buffer out.
 */
#ifndef CAMPIPE_H
#define CAMPIPE_H

#include <linux/types.h>

struct device;
struct dma_buf;
struct dma_buf_attachment;
struct campipe_cam_regs;
struct campipe_disp_regs;
struct dmacam;
struct dmadisp;

/* Real-world bugs the drivers can contain, selected at run time. */
enum campipe_bug {
	CAMPIPE_BUG_NONE = 0,
	CAMPIPE_BUG_NO_FENCE_WAIT,  /* display scans out without waiting for the write fence */
	CAMPIPE_BUG_DETACH_MAPPED,  /* display disable detaches the front buffer still mapped */
	CAMPIPE_BUG_STOP_NO_SIGNAL, /* camera stream-off drops a pending capture's fence */
	CAMPIPE_BUG__COUNT
};

extern enum campipe_bug campipe_bug;
const char *campipe_bug_name(enum campipe_bug bug);
int campipe_bug_parse(const char *name);

/* Camera: the fences it publishes name driver "dmacam". */
struct dmacam *dmacam_probe(struct device *dev, struct campipe_cam_regs *regs);
void dmacam_irq(void *cam); /* the frame-done interrupt handler */
struct dma_buf_attachment *dmacam_import(struct dmacam *cam, struct dma_buf *buf);
/* Queue a capture of frame seq into buf; waits for the previous capture to finish first. */
int dmacam_capture(struct dmacam *cam, struct dma_buf *buf, struct dma_buf_attachment *attach,
		   u32 seq);
/* Stream off: a capture still pending is cancelled (its fence signalled with an error). */
void dmacam_stop(struct dmacam *cam);
void dmacam_release(struct dmacam *cam, struct dma_buf *buf, struct dma_buf_attachment *attach);
void dmacam_remove(struct dmacam *cam);

/* Display: the front buffer stays mapped (the engine keeps scanning it out) until replaced. */
struct dmadisp *dmadisp_probe(struct device *dev, struct campipe_disp_regs *regs);
struct dma_buf_attachment *dmadisp_import(struct dmadisp *disp, struct dma_buf *buf);
/* Make buf the front buffer; *crc: the checksum of what the engine scanned out. */
int dmadisp_flip(struct dmadisp *disp, struct dma_buf *buf, struct dma_buf_attachment *attach,
		 u32 *crc);
/* Disable the output: the front buffer is unmapped. */
void dmadisp_disable(struct dmadisp *disp);
void dmadisp_release(struct dmadisp *disp, struct dma_buf *buf, struct dma_buf_attachment *attach);
void dmadisp_remove(struct dmadisp *disp);

#endif
