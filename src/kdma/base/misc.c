// SPDX-License-Identifier: MIT
/* Misc character devices (<linux/miscdevice.h>) and the ida id allocator (<linux/idr.h>). */
#include <errno.h>
#include <string.h>

#include <linux/idr.h>
#include <linux/miscdevice.h>

#include "base/registry.h"
#include "base/base.h"
#include "mm/mm.h"

static struct kdma_registry misc_devices = KDMA_REGISTRY_INIT("misc");
static struct inode misc_inode; /* drivers of misc devices rarely look at the inode */

int misc_register(struct miscdevice *misc)
{
	if (!misc || !misc->name || !misc->fops) {
		kdma_warn(NULL, "misc_register: a misc device needs a name and fops");
		return -EINVAL;
	}
	return kdma_registry_add(&misc_devices, misc, misc->name);
}

void misc_deregister(struct miscdevice *misc)
{
	kdma_registry_del(&misc_devices, misc);
}

static bool misc_named(void *misc, void *name)
{
	return !strcmp(((struct miscdevice *)misc)->name, name);
}

int kdma_misc_open(const char *path, struct file *file)
{
	struct miscdevice *misc;

	if (!path || !file)
		return -EINVAL;
	if (!strncmp(path, "/dev/", 5))
		path += 5;
	misc = kdma_registry_find(&misc_devices, misc_named, (void *)path);
	if (!misc) {
		kdma_warn(NULL, "kdma_misc_open: no misc device %s", path);
		return -ENOENT;
	}
	memset(file, 0, sizeof(*file));
	file->f_inode = &misc_inode;
	file->private_data = misc;
	return misc->fops->open ? misc->fops->open(&misc_inode, file) : 0;
}

const struct file_operations *kdma_misc_fops(const struct file *file)
{
	const struct miscdevice *misc = file ? file->private_data : NULL;

	return misc ? misc->fops : NULL;
}

int kdma_misc_release(struct file *file)
{
	const struct file_operations *fops = kdma_misc_fops(file);

	return fops && fops->release ? fops->release(file->f_inode, file) : 0;
}

int ida_alloc_range(struct ida *ida, unsigned int min, unsigned int max, gfp_t gfp)
{
	const unsigned int bits = 8 * sizeof(unsigned long);
	int id = -ENOSPC;

	(void)gfp;
	pthread_mutex_lock(&ida->lock);
	for (unsigned int i = min; i < KDMA_IDA_BITS && i <= max && id < 0; i++) {
		if (!(ida->used[i / bits] & (1UL << (i % bits)))) {
			ida->used[i / bits] |= 1UL << (i % bits);
			id = (int)i;
		}
	}
	pthread_mutex_unlock(&ida->lock);
	return id;
}

void ida_free(struct ida *ida, unsigned int id)
{
	const unsigned int bits = 8 * sizeof(unsigned long);
	bool was = false;

	pthread_mutex_lock(&ida->lock);
	if (id < KDMA_IDA_BITS) {
		was = ida->used[id / bits] & (1UL << (id % bits));
		ida->used[id / bits] &= ~(1UL << (id % bits));
	}
	pthread_mutex_unlock(&ida->lock);
	if (!was)
		kdma_warn(NULL, "ida_free: id %u was not allocated", id);
}
