// SPDX-License-Identifier: MIT
/*
 * cam_test — a camera->display pipeline: three frame buffers exported by the simulated heap and
 * imported by both drivers; every frame is captured by the camera and then shown by the display,
 * and the checksum of what the display engine scanned out must be the sensor's pattern. At the
 * end a last capture is queued and the camera streamed off with it pending, then both drivers
 * are unbound; user space closes the buffers last.
 *
 *   cam_test [--bug=NAME] [--iommu=strict|lazy] [--bounce=force] [--coherent] [--frames=N]
 *
 * The platform options apply to both devices, whose DMA masks are 32 bits (so buffers above
 * 4 GiB bounce through SWIOTLB).
 *
 * Exit status: 0 ok; 1 driver error; 2 wrong frames shown.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <dmasan/sim.h>

#include "campipe.h"
#include "campipe_hw.h"
#include "campipe_model.h"

#define NBUFS 3
#define FRAME_SIZE (64 * 1024) /* 128x128, 32 bits per pixel */

struct frame {
	struct dma_buf *buf;
	struct dma_buf_attachment *cam, *disp;
};

static void usage(void)
{
	fprintf(stderr, "usage: cam_test [--bug=NAME] [--iommu=strict|lazy] [--bounce=force] "
			"[--coherent] [--frames=N]\nbugs:");
	for (int i = 0; i < CAMPIPE_BUG__COUNT; i++)
		fprintf(stderr, " %s", campipe_bug_name(i));
	fprintf(stderr, "\n");
	exit(64);
}

static u32 expected_crc(u32 seq)
{
	static u8 frame[FRAME_SIZE];

	for (size_t i = 0; i < FRAME_SIZE; i++)
		frame[i] = campipe_pattern(seq, i);
	return campipe_crc(frame, FRAME_SIZE);
}

int main(int argc, char **argv)
{
	struct dmasim_config ccfg = { .name = "cam0", .driver = "dmacam" };
	struct dmasim_config dcfg = { .name = "disp0", .driver = "dmadisp" };
	unsigned int frames = 12, n, wrong = 0;
	struct frame fb[NBUFS] = { 0 };
	struct device *camdev, *dispdev;
	struct campipe_model *hw;
	struct dmacam *cam;
	struct dmadisp *disp;
	int status = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strncmp(a, "--bug=", 6)) {
			int b = campipe_bug_parse(a + 6);

			if (b < 0)
				usage();
			campipe_bug = b;
		} else if (!strcmp(a, "--iommu=strict")) {
			ccfg.iommu = dcfg.iommu = DMASIM_IOMMU_STRICT;
		} else if (!strcmp(a, "--iommu=lazy")) {
			ccfg.iommu = dcfg.iommu = DMASIM_IOMMU_LAZY;
		} else if (!strcmp(a, "--bounce=force")) {
			ccfg.bounce = dcfg.bounce = DMASIM_BOUNCE_FORCE;
		} else if (!strcmp(a, "--coherent")) {
			ccfg.coherent = dcfg.coherent = true;
		} else if (!strncmp(a, "--frames=", 9)) {
			frames = strtoul(a + 9, NULL, 0);
		} else {
			usage();
		}
	}

	camdev = dmasim_device_create(&ccfg);
	dispdev = dmasim_device_create(&dcfg);
	if (!camdev || !dispdev)
		return 1;
	hw = campipe_model_start(camdev, dispdev);
	cam = hw ? dmacam_probe(camdev, campipe_model_cam_regs(hw)) : NULL;
	disp = hw ? dmadisp_probe(dispdev, campipe_model_disp_regs(hw)) : NULL;
	if (!cam || !disp)
		return 1;
	campipe_model_set_irq(hw, dmacam_irq, cam);

	for (int i = 0; i < NBUFS; i++) {
		fb[i].buf = dmasim_dmabuf_export(FRAME_SIZE, "cam_test-heap");
		if (IS_ERR(fb[i].buf))
			return 1;
		fb[i].cam = dmacam_import(cam, fb[i].buf);
		fb[i].disp = dmadisp_import(disp, fb[i].buf);
		if (IS_ERR(fb[i].cam) || IS_ERR(fb[i].disp))
			return 1;
	}

	for (n = 0; n < frames; n++) {
		struct frame *f = &fb[n % NBUFS];
		u32 crc = 0;

		if (dmacam_capture(cam, f->buf, f->cam, n) || dmadisp_flip(disp, f->buf, f->disp, &crc)) {
			fprintf(stderr, "cam_test: frame %u failed\n", n);
			status = 1;
			break;
		}
		if (crc != expected_crc(n))
			wrong++;
	}
	/* stream off with one capture still queued */
	if (!status && dmacam_capture(cam, fb[n % NBUFS].buf, fb[n % NBUFS].cam, n))
		status = 1;
	dmacam_stop(cam);
	dmadisp_disable(disp);

	if (wrong && !status) {
		fprintf(stderr, "cam_test: %u wrong frames shown (stale or torn)\n", wrong);
		status = 2;
	}
	printf("cam_test: bug=%s frames=%u wrong frames=%u\n", campipe_bug_name(campipe_bug), n,
	       wrong);

	for (int i = 0; i < NBUFS; i++) {
		dmadisp_release(disp, fb[i].buf, fb[i].disp);
		dmacam_release(cam, fb[i].buf, fb[i].cam);
	}
	dmadisp_remove(disp);
	dmacam_remove(cam);
	campipe_model_stop(hw);
	dmasim_device_destroy(camdev);
	dmasim_device_destroy(dispdev);
	/* user space closes its buffers after the drivers are gone */
	for (int i = 0; i < NBUFS; i++)
		dma_buf_put(fb[i].buf);
	return status;
}
