// SPDX-License-Identifier: MIT
/*
 * drivers/misc/pci_endpoint_test.c, the host driver of Linux's PCI endpoint test function, run
 * unmodified by its own user program tools/pci/pcitest.c (compiled with -Dmain=pcitest_main
 * -Dopen=harness_open -Dioctl=harness_ioctl -Dclose=harness_close). The endpoint is a device
 * model of ours with the register protocol of drivers/pci/endpoint/functions/pci-epf-test.c:
 * the driver writes source/destination bus addresses, size and checksum into BAR0 and a command;
 * the model moves the data through DMA (dmasim_dma_read/write), answers with a status and
 * raises the interrupt line, whose handler completes the driver's wait.
 *
 *   upstream_pci_endpoint_test [harness_platform.h options] [--] [pcitest runs, each
 *                              "-w -s 4096" style, separated by "+"]
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <dmasan/sim.h>
#include <linux/crc32.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/random.h>

#include "harness_file.h"
#include "harness_platform.h"

#define EPF_IRQ 42
#define EPF_MAX_XFER (1 << 20)

/* the register block of pci-epf-test, BAR0 */
enum {
	REG_MAGIC = 0x0, REG_COMMAND = 0x4, REG_STATUS = 0x8, REG_SRC_LO = 0xc, REG_SRC_HI = 0x10,
	REG_DST_LO = 0x14, REG_DST_HI = 0x18, REG_SIZE = 0x1c, REG_CHECKSUM = 0x20,
};
enum {
	CMD_RAISE_LEGACY = 1 << 0, CMD_RAISE_MSI = 1 << 1, CMD_RAISE_MSIX = 1 << 2,
	CMD_READ = 1 << 3, CMD_WRITE = 1 << 4, CMD_COPY = 1 << 5,
};
enum {
	ST_READ_OK = 1 << 0, ST_READ_FAIL = 1 << 1, ST_WRITE_OK = 1 << 2, ST_WRITE_FAIL = 1 << 3,
	ST_COPY_OK = 1 << 4, ST_COPY_FAIL = 1 << 5, ST_IRQ_RAISED = 1 << 6,
	ST_SRC_INVALID = 1 << 7, ST_DST_INVALID = 1 << 8,
};

int pcitest_main(int argc, char **argv);

static struct pci_dev pdev;
static u8 bar0[4096] __attribute__((aligned(4096)));
static atomic_bool stop;
static unsigned long transfers;

static u32 reg(unsigned int off)
{
	return readl(bar0 + off);
}

static void set_reg(unsigned int off, u32 v)
{
	writel(v, bar0 + off);
}

static dma_addr_t reg64(unsigned int lo)
{
	return (dma_addr_t)reg(lo) | (dma_addr_t)reg(lo + 4) << 32;
}

/* One command of the endpoint function; the status it answers with. */
static u32 epf_run(u32 cmd, u8 *buf)
{
	u32 size = reg(REG_SIZE);
	struct device *dev = &pdev.dev;

	if (size > EPF_MAX_XFER)
		return cmd & CMD_READ ? ST_READ_FAIL : cmd & CMD_WRITE ? ST_WRITE_FAIL : ST_COPY_FAIL;
	if (cmd & CMD_READ) { /* the endpoint reads the host's buffer and checks it */
		if (dmasim_dma_read(dev, reg64(REG_SRC_LO), buf, size))
			return ST_READ_FAIL | ST_SRC_INVALID;
		transfers++;
		return crc32_le(~0U, buf, size) == reg(REG_CHECKSUM) ? ST_READ_OK : ST_READ_FAIL;
	}
	if (cmd & CMD_WRITE) { /* the endpoint fills the host's buffer */
		get_random_bytes(buf, size);
		set_reg(REG_CHECKSUM, crc32_le(~0U, buf, size));
		if (dmasim_dma_write(dev, reg64(REG_DST_LO), buf, size))
			return ST_WRITE_FAIL | ST_DST_INVALID;
		transfers++;
		return ST_WRITE_OK;
	}
	if (cmd & CMD_COPY) {
		if (dmasim_dma_read(dev, reg64(REG_SRC_LO), buf, size))
			return ST_COPY_FAIL | ST_SRC_INVALID;
		if (dmasim_dma_write(dev, reg64(REG_DST_LO), buf, size))
			return ST_COPY_FAIL | ST_DST_INVALID;
		transfers++;
		return ST_COPY_OK;
	}
	return 0; /* the raise-IRQ commands only raise */
}

static void *epf_thread(void *arg)
{
	static u8 buf[EPF_MAX_XFER];
	const struct timespec pause = { 0, 20000 };

	(void)arg;
	while (!atomic_load(&stop)) {
		u32 cmd = reg(REG_COMMAND);

		if (!cmd) {
			nanosleep(&pause, NULL);
			continue;
		}
		set_reg(REG_COMMAND, 0);
		set_reg(REG_STATUS, epf_run(cmd, buf) | ST_IRQ_RAISED);
		kdma_irq_raise(EPF_IRQ);
	}
	return NULL;
}

int harness_open(const char *path, int flags, ...)
{
	(void)flags;
	return harness_file_do_open(kdma_misc_open, path);
}

int harness_ioctl(int fd, unsigned long request, ...)
{
	unsigned long arg;

	HARNESS_VA_ARG(request, arg);
	return harness_file_do_ioctl(kdma_misc_fops(&harness_file), fd, request, arg);
}

int harness_close(int fd)
{
	return harness_file_do_close(kdma_misc_release, fd);
}

struct pcitest_runs {
	int argc;
	char **argv;
	char *prog;
};

/* pcitest once per "+"-separated group of arguments; 0 if every run passed and data moved. */
static int run_pcitest(void *arg)
{
	const struct pcitest_runs *r = arg;
	int argc = r->argc, failed = 0;
	char **argv = r->argv, *prog = r->prog;

	for (int start = 0; start < argc;) {
		char *args[32] = { prog };
		int n = 1, end = start;

		while (end < argc && strcmp(argv[end], "+") && n < 31)
			args[n++] = argv[end++];
		optind = 1; /* getopt starts afresh for each run */
		if (pcitest_main(n, args))
			failed = 1;
		start = end + 1;
	}
	if (!transfers) {
		fprintf(stderr, "harness: no data moved\n");
		failed = 1;
	}
	return failed;
}

int main(int argc, char **argv)
{
	struct harness_platform platform = { 0 };
	int i = harness_parse(argc, argv, &platform), ret;
	pthread_t thread;

	if (kdma_modules_init())
		return 1;
	kdma_pci_dev_init(&pdev, PCI_VENDOR_ID_TI, PCI_DEVICE_ID_TI_J721E);
	pdev.irq = EPF_IRQ;
	harness_pci_bar(&pdev, 0, bar0, sizeof(bar0));
	if (harness_apply(&pdev.dev, &platform))
		return 1;
	if (pthread_create(&thread, NULL, epf_thread, NULL))
		return 1;
	ret = harness_pci_run(&pdev, &platform, run_pcitest, &(struct pcitest_runs){
		.argc = argc - i, .argv = argv + i, .prog = argv[0] });
	atomic_store(&stop, true);
	pthread_join(thread, NULL);
	kdma_modules_exit();
	return ret;
}
