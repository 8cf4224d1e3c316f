/* SPDX-License-Identifier: MIT */
/*
 * <linux/debugfs.h> — debugfs files are entries in a table of libkdma: a test finds a driver's
 * file by name with kdma_debugfs_open() and calls its file_operations, as a user process would
 * through open() and ioctl(). Directories are entries too; attribute files created with
 * debugfs_create_u32() and friends are stubs.
 */
#ifndef _DMASAN_SHIM_LINUX_DEBUGFS_H
#define _DMASAN_SHIM_LINUX_DEBUGFS_H

#include <linux/err.h>
#include <linux/fs.h>
#include <linux/types.h>

struct dentry;

struct dentry *debugfs_create_file(const char *name, umode_t mode, struct dentry *parent,
				   void *data, const struct file_operations *fops);
struct dentry *debugfs_create_dir(const char *name, struct dentry *parent);
struct dentry *debugfs_lookup(const char *name, struct dentry *parent);
void debugfs_remove(struct dentry *dentry);
#define debugfs_remove_recursive debugfs_remove
void debugfs_create_u8(const char *name, umode_t mode, struct dentry *parent, u8 *value);
void debugfs_create_u16(const char *name, umode_t mode, struct dentry *parent, u16 *value);
void debugfs_create_u32(const char *name, umode_t mode, struct dentry *parent, u32 *value);
void debugfs_create_u64(const char *name, umode_t mode, struct dentry *parent, u64 *value);
void debugfs_create_bool(const char *name, umode_t mode, struct dentry *parent, bool *value);

/* dmasan: open the debugfs file at `path` ("dir/name"), calling its fops->open; fills *file
 * (whose f_inode stays valid while the file exists). 0, -ENOENT, or the open's error. */
int kdma_debugfs_open(const char *path, struct file *file);
/* dmasan: the file's fops->release, if any. */
int kdma_debugfs_release(struct file *file);
/* dmasan: the operations of an open file. */
const struct file_operations *kdma_debugfs_fops(const struct file *file);

#endif
