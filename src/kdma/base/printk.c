// SPDX-License-Identifier: MIT
/*
 * printk and the kernel's WARN/BUG slow paths on stderr, and libkdma's own "DMA-API:" messages
 * for invalid input. One message is written with one stdio call so lines from several threads do
 * not interleave mid-line.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bug.h>

#include "base/base.h"

/* Drop the KERN_<LEVEL> prefixes ("\001" + one character) the kernel strips before printing. */
static void printk_strip_level(char *s)
{
	size_t skip = 0;

	while (s[skip] == KERN_SOH[0] && s[skip + 1])
		skip += 2;
	if (skip)
		memmove(s, s + skip, strlen(s + skip) + 1);
}

int _printk(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kdma_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk_strip_level(buf);
	fputs(buf, stderr);
	return n;
}

/* Format "prefix" + fmt into one line (newline added when missing) and write it at once. */
static void kdma_vprint_line(const char *prefix, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
static void kdma_vprint_line(const char *prefix, const char *fmt, va_list ap)
{
	char buf[1024];
	size_t len = (size_t)snprintf(buf, sizeof(buf), "%s", prefix);

	if (fmt && len < sizeof(buf)) {
		kdma_vsnprintf(buf + len, sizeof(buf) - len, fmt, ap);
		printk_strip_level(buf + len);
	}
	len = strlen(buf);
	if (len == 0 || buf[len - 1] != '\n') {
		if (len + 1 >= sizeof(buf))
			len = sizeof(buf) - 2;
		buf[len++] = '\n';
		buf[len] = '\0';
	}
	fputs(buf, stderr);
}

static const char *kdma_dev_label(const struct device *dev)
{
	const struct kdma_dev *kd = kdma_of(dev);

	if (kd && kd->name[0])
		return kd->name;
	return dev->init_name ? dev->init_name : "(unnamed device)";
}

void kdma_warn(const struct device *dev, const char *fmt, ...)
{
	char prefix[128];
	va_list ap;

	if (kdma_opts()->quiet)
		return;
	if (dev)
		snprintf(prefix, sizeof(prefix), "DMA-API: %s: ", kdma_dev_label(dev));
	else
		snprintf(prefix, sizeof(prefix), "DMA-API: ");
	va_start(ap, fmt);
	kdma_vprint_line(prefix, fmt, ap);
	va_end(ap);
}

bool kdma_check_dev_ptr(const struct device *dev, const char *fn)
{
	if (dev && !IS_ERR(dev))
		return true;
	kdma_warn(NULL, "%s: called with %s device pointer", fn, dev ? "an ERR_PTR" : "a NULL");
	kdma_hooks_ensure();
	KDMA_HOOK(bad_object, dev, KDMA_OBJ_DEVICE, false, fn);
	return false;
}

void kdma_bad_object(const void *obj, enum kdma_object_kind kind, enum kdma_ptr_state st,
		     const char *fn)
{
	bool dev = kind == KDMA_OBJ_DEVICE;

	if (st == KDMA_PTR_DEAD)
		kdma_warn(NULL, "%s: %s %p was already destroyed; call refused", fn,
			  dev ? "device" : "dma_pool", obj);
	else
		kdma_warn(NULL, "%s: %p is not a %s (%s); call refused", fn, obj,
			  dev ? "device" : "dma_pool",
			  dev ? "neither made by dmasim_device_create nor initialised by "
				"device_initialize" : "not made by dma_pool_create");
	kdma_hooks_ensure();
	KDMA_HOOK(bad_object, obj, kind, st == KDMA_PTR_DEAD, fn);
}

bool kdma_check_dev(const struct device *dev, const char *fn)
{
	enum kdma_ptr_state st;

	if (!kdma_check_dev_ptr(dev, fn))
		return false;
	st = kdma_dev_state(dev);
	if (st == KDMA_PTR_LIVE)
		return true;
	kdma_bad_object(dev, KDMA_OBJ_DEVICE, st, fn);
	return false;
}

bool kdma_check_dir(const struct device *dev, enum dma_data_direction dir, const char *fn)
{
	if (valid_dma_direction(dir))
		return true;
	kdma_warn(dev, "%s: invalid DMA direction %d%s", fn, (int)dir,
		  dir == DMA_NONE ? " (DMA_NONE)" : "");
	return false;
}

void kdma_warn_slowpath(const char *file, int line, const char *fmt, ...)
{
	char prefix[512];
	va_list ap;

	snprintf(prefix, sizeof(prefix), "WARNING: at %s:%d%s", file, line, fmt ? "\n" : "");
	va_start(ap, fmt);
	kdma_vprint_line(prefix, fmt, ap);
	va_end(ap);
}

void kdma_bug(const char *file, int line, const char *func)
{
	fprintf(stderr, "kernel BUG at %s:%d in %s()!\n", file, line, func);
	fflush(stderr);
	abort();
}

void kdma_stub_called(const char *fn)
{
	kdma_warn(NULL, "%s() is a stub in dmasan's kernel shim: it does nothing here", fn);
}
