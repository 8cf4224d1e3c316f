// SPDX-License-Identifier: MIT
/*
 * sync_file with the kernel's rules (drivers/dma-buf/sync_file.c is the model, written anew): a
 * file whose private data holds a reference to one fence, dropped when the file's last reference
 * goes. A descriptor is recognised as a sync_file by its file operations.
 */
#include <stdio.h>
#include <string.h>

#include <linux/err.h>
#include <linux/slab.h>
#include <linux/sync_file.h>

static int sync_file_release(struct inode *inode, struct file *file)
{
	struct sync_file *sync_file = file->private_data;

	dma_fence_put(sync_file->fence);
	kfree(sync_file);
	return 0;
}

static const struct file_operations sync_file_fops = {
	.release = sync_file_release,
};

struct sync_file *sync_file_create(struct dma_fence *fence)
{
	struct sync_file *sync_file;

	if (WARN_ON(!fence))
		return NULL;
	sync_file = kzalloc(sizeof(*sync_file), GFP_KERNEL);
	if (!sync_file)
		return NULL;
	sync_file->file = anon_inode_getfile("sync_file", &sync_file_fops, sync_file, 0);
	if (IS_ERR(sync_file->file)) {
		kfree(sync_file);
		return NULL;
	}
	INIT_LIST_HEAD(&sync_file->cb.node);
	sync_file->fence = dma_fence_get(fence);
	return sync_file;
}

struct dma_fence *sync_file_get_fence(int fd)
{
	struct file *file = fd < 0 ? NULL : fget(fd);
	struct dma_fence *fence = NULL;

	if (!file)
		return NULL;
	if (file->f_op == &sync_file_fops)
		fence = dma_fence_get(((struct sync_file *)file->private_data)->fence);
	fput(file);
	return fence;
}

char *sync_file_get_name(struct sync_file *sync_file, char *buf, int len)
{
	struct dma_fence *fence = sync_file->fence;

	if (len <= 0)
		return buf;
	if (sync_file->user_name[0])
		snprintf(buf, len, "%s", sync_file->user_name);
	else
		snprintf(buf, len, "%s-%s%llu-%llu", fence->ops->get_driver_name(fence),
			 fence->ops->get_timeline_name(fence), (unsigned long long)fence->context,
			 (unsigned long long)fence->seqno);
	return buf;
}
