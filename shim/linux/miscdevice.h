/* SPDX-License-Identifier: MIT */
/*
 * <linux/miscdevice.h> — character devices by name. A test opens one with kdma_misc_open()
 * ("/dev/<name>" or "<name>"): file->private_data is the miscdevice, as misc_open() leaves it,
 * then the driver's fops->open runs, if any.
 */
#ifndef _DMASAN_SHIM_LINUX_MISCDEVICE_H
#define _DMASAN_SHIM_LINUX_MISCDEVICE_H

#include <linux/fs.h>
#include <linux/types.h>

#define MISC_DYNAMIC_MINOR 255

struct device;

struct miscdevice {
	int minor;
	const char *name;
	const struct file_operations *fops;
	struct device *parent;
	struct device *this_device;
	const char *nodename;
	umode_t mode;
};

int misc_register(struct miscdevice *misc);
void misc_deregister(struct miscdevice *misc);

/* dmasan: open the registered device; 0, -ENOENT or the driver's open error. */
int kdma_misc_open(const char *path, struct file *file);
/* dmasan: the open file's operations and its release. */
const struct file_operations *kdma_misc_fops(const struct file *file);
int kdma_misc_release(struct file *file);

#endif
