/* SPDX-License-Identifier: MIT */
/*
 * <linux/sync_file.h> — a fence handed to user space as a file descriptor (explicit sync). The
 * driver wraps the fence, reserves a descriptor and installs the file:
 *
 *	fd = get_unused_fd_flags(O_CLOEXEC);
 *	sync_file = sync_file_create(fence);
 *	fd_install(fd, sync_file->file);
 *
 * and another driver turns a descriptor back into a fence with sync_file_get_fence(). The file
 * holds a reference to the fence until its last fput() (close_fd() from the program, as user
 * space would). Descriptors are <linux/file.h>'s simulated ones; poll and the SYNC_IOC ioctls are
 * not implemented.
 */
#ifndef _DMASAN_SHIM_LINUX_SYNC_FILE_H
#define _DMASAN_SHIM_LINUX_SYNC_FILE_H

#include <linux/dma-fence.h>
#include <linux/file.h>

struct sync_file {
	struct file *file;
	char user_name[32]; /* empty: the name comes from the fence */
	unsigned long flags;
	struct dma_fence *fence;
	struct dma_fence_cb cb;
};

/* A sync_file (its file holding one reference) with a new reference to fence; NULL if out of
 * memory. Undo with fput(sync_file->file) before the file is installed. */
struct sync_file *sync_file_create(struct dma_fence *fence);
/* A new reference to the fence behind fd, or NULL if fd is not a sync_file. */
struct dma_fence *sync_file_get_fence(int fd);
/* The user's name, or driver-timeline+context-seqno of the fence; returns buf. */
char *sync_file_get_name(struct sync_file *sync_file, char *buf, int len);

#endif
