// SPDX-License-Identifier: MIT
/*
 * debugfs as a table of named entries (<linux/debugfs.h>): enough for a test to reach a
 * driver's file_operations the way a user process reaches them through /sys/kernel/debug.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/debugfs.h>

#include "base/base.h"
#include "mm/mm.h"

struct dentry {
	struct dentry *parent, *next;
	char name[64];
	const struct file_operations *fops; /* NULL: a directory */
	struct inode inode;
};

static struct dentry *entries;
static pthread_mutex_t entries_lock = PTHREAD_MUTEX_INITIALIZER;

static struct dentry *find_locked(const char *name, size_t len, const struct dentry *parent)
{
	for (struct dentry *d = entries; d; d = d->next)
		if (d->parent == parent && strlen(d->name) == len && !strncmp(d->name, name, len))
			return d;
	return NULL;
}

struct dentry *debugfs_create_file(const char *name, umode_t mode, struct dentry *parent,
				   void *data, const struct file_operations *fops)
{
	struct dentry *d;

	if (!name || strlen(name) >= sizeof(d->name) || IS_ERR(parent)) {
		kdma_warn(NULL, "debugfs_create_file: bad name or parent");
		return ERR_PTR(-EINVAL);
	}
	d = calloc(1, sizeof(*d));
	if (!d)
		return ERR_PTR(-ENOMEM);
	snprintf(d->name, sizeof(d->name), "%s", name);
	d->parent = parent;
	d->fops = fops;
	d->inode.i_private = data;
	d->inode.i_mode = mode;
	pthread_mutex_lock(&entries_lock);
	if (find_locked(name, strlen(name), parent)) {
		pthread_mutex_unlock(&entries_lock);
		free(d);
		return ERR_PTR(-EEXIST); /* the kernel's answer for a name taken */
	}
	d->next = entries;
	entries = d;
	pthread_mutex_unlock(&entries_lock);
	return d;
}

struct dentry *debugfs_create_dir(const char *name, struct dentry *parent)
{
	return debugfs_create_file(name, 0755, parent, NULL, NULL);
}

struct dentry *debugfs_lookup(const char *name, struct dentry *parent)
{
	struct dentry *d;

	if (!name)
		return NULL;
	pthread_mutex_lock(&entries_lock);
	d = find_locked(name, strlen(name), parent);
	pthread_mutex_unlock(&entries_lock);
	return d;
}

/* Removes the entry and, for a directory, everything under it. */
void debugfs_remove(struct dentry *dentry)
{
	struct dentry **pp;

	if (IS_ERR_OR_NULL(dentry))
		return;
	pthread_mutex_lock(&entries_lock);
	for (pp = &entries; *pp;) {
		struct dentry *d = *pp;
		bool under = false;

		for (struct dentry *p = d; p && !under; p = p->parent)
			under = p == dentry;
		if (under) {
			*pp = d->next;
			if (d != dentry)
				free(d);
		} else {
			pp = &d->next;
		}
	}
	pthread_mutex_unlock(&entries_lock);
	free(dentry);
}

#define DEBUGFS_ATTR_STUB(type, suffix)                                                       \
	void debugfs_create_##suffix(const char *name, umode_t mode, struct dentry *parent,   \
				     type *value)                                             \
	{                                                                                      \
		(void)name, (void)mode, (void)parent, (void)value;                             \
		KDMA_STUB_ONCE("debugfs_create_" #suffix);                                     \
	}
DEBUGFS_ATTR_STUB(u8, u8)
DEBUGFS_ATTR_STUB(u16, u16)
DEBUGFS_ATTR_STUB(u32, u32)
DEBUGFS_ATTR_STUB(u64, u64)
DEBUGFS_ATTR_STUB(bool, bool)

int kdma_debugfs_open(const char *path, struct file *file)
{
	struct dentry *d = NULL;
	const char *p = path;

	if (!path || !file)
		return -EINVAL;
	memset(file, 0, sizeof(*file));
	pthread_mutex_lock(&entries_lock);
	for (;;) {
		size_t len = strcspn(p, "/");

		d = find_locked(p, len, d);
		if (!d || !p[len])
			break;
		p += len + 1;
	}
	pthread_mutex_unlock(&entries_lock);
	if (!d || !d->fops) {
		kdma_warn(NULL, "kdma_debugfs_open: no debugfs file %s", path);
		return -ENOENT;
	}
	file->f_inode = &d->inode;
	file->private_data = d; /* fops->open usually replaces it (simple_open) */
	return d->fops->open ? d->fops->open(&d->inode, file) : 0;
}

static struct dentry *file_dentry(const struct file *file)
{
	return file && file->f_inode ? container_of(file->f_inode, struct dentry, inode) : NULL;
}

const struct file_operations *kdma_debugfs_fops(const struct file *file)
{
	struct dentry *d = file_dentry(file);

	return d ? d->fops : NULL;
}

int kdma_debugfs_release(struct file *file)
{
	const struct file_operations *fops = kdma_debugfs_fops(file);

	return fops && fops->release ? fops->release(file->f_inode, file) : 0;
}
