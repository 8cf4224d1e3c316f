/* SPDX-License-Identifier: MIT */
/*
 * <linux/fs.h> — the file and inode fields a driver's file_operations use. A test opens a
 * driver's file with kdma_debugfs_open() (<linux/debugfs.h>) and calls its operations.
 */
#ifndef _DMASAN_SHIM_LINUX_FS_H
#define _DMASAN_SHIM_LINUX_FS_H

#include <linux/ioctl.h> /* _IO/_IOR/_IOW/_IOWR, from the system's kernel headers */
#include <linux/types.h>
#include <linux/uaccess.h>

struct module;
struct poll_table_struct;
struct vm_area_struct;

struct inode {
	void *i_private; /* the data given to debugfs_create_file() */
	unsigned short i_mode;
};

struct file {
	void *private_data;
	struct inode *f_inode;
	fmode_t f_mode;
	unsigned int f_flags;
	loff_t f_pos;
	const struct file_operations *f_op; /* files of anon_inode_getfile() (<linux/file.h>) */
	long f_count; /* references, changed atomically (get_file, fput) */
};

struct file_operations {
	struct module *owner;
	loff_t (*llseek)(struct file *file, loff_t off, int whence);
	ssize_t (*read)(struct file *file, char *buf, size_t n, loff_t *pos);
	ssize_t (*write)(struct file *file, const char *buf, size_t n, loff_t *pos);
	long (*unlocked_ioctl)(struct file *file, unsigned int cmd, unsigned long arg);
	long (*compat_ioctl)(struct file *file, unsigned int cmd, unsigned long arg);
	int (*mmap)(struct file *file, struct vm_area_struct *vma);
	int (*open)(struct inode *inode, struct file *file);
	int (*release)(struct inode *inode, struct file *file);
};

static inline struct inode *file_inode(const struct file *f)
{
	return f->f_inode;
}

/* fs/libfs.c: the file's private data is the inode's. */
static inline int simple_open(struct inode *inode, struct file *file)
{
	if (inode->i_private)
		file->private_data = inode->i_private;
	return 0;
}

#define noop_llseek NULL
#define no_llseek NULL
#define default_llseek NULL

#endif
