/* SPDX-License-Identifier: MIT */
/*
 * <linux/file.h> and <linux/anon_inodes.h> — reference-counted files behind small simulated file
 * descriptors, for the kernel objects a driver hands to user space as an fd (sync_file). The
 * driver reserves a descriptor, installs its file, and the program plays user space: fget()
 * looks a descriptor up, close_fd() closes it. The last fput() calls the file's release.
 * Descriptors are numbers from 2000 up, unrelated to the process's real ones.
 */
#ifndef _DMASAN_SHIM_LINUX_FILE_H
#define _DMASAN_SHIM_LINUX_FILE_H

#include <linux/fs.h>

/* A new file with one reference, whose release is fops->release; ERR_PTR(-ENOMEM). */
struct file *anon_inode_getfile(const char *name, const struct file_operations *fops, void *priv,
				int flags);

static inline struct file *get_file(struct file *f)
{
	__atomic_add_fetch(&f->f_count, 1, __ATOMIC_RELAXED);
	return f;
}

/* Drop a reference; the last one releases the file. */
void fput(struct file *file);

/* Reserve a descriptor (-EMFILE when none is left); then fd_install() it or put_unused_fd(). */
int get_unused_fd_flags(unsigned int flags);
void put_unused_fd(unsigned int fd);
/* The descriptor takes over the caller's reference to file. */
void fd_install(unsigned int fd, struct file *file);
/* A new reference to the file behind fd, or NULL. */
struct file *fget(unsigned int fd);
/* User space's close(): drops the descriptor's reference. 0, or -EBADF. */
int close_fd(unsigned int fd);

#endif
