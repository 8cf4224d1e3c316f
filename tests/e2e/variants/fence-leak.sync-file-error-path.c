// SPDX-License-Identifier: MIT
/*
 * fence-leak, through a sync_file: a driver's "submit and give me an out-fence" ioctl wraps the
 * job's fence in a sync_file, which takes a reference to it, and then fails to copy the
 * descriptor back to user space. The error path gives back the reserved descriptor but not the
 * sync_file, so the fence's reference (and the job behind it) is never dropped. The fix puts the
 * sync_file's file too.
 * E2E_RELATED: fence_init
 * E2E_ONLY: yes
 */
#include <fcntl.h>

#include <linux/sync_file.h>

#include "../e2e_fence.h"

struct submit_args {
	int *out_fence_fd; /* user space's: NULL makes the copy fail */
};

static int submit_ioctl(struct e2e_timeline *tl, struct submit_args *args,
			struct dma_fence **job_fence)
{
	struct dma_fence *fence = e2e_fence_new(tl);
	struct sync_file *sync_file;
	int fd;

	*job_fence = fence; /* the job's reference, dropped when the job completes */
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		return fd;
	sync_file = sync_file_create(fence);
	if (!sync_file) {
		put_unused_fd(fd);
		return -ENOMEM;
	}
	if (!args->out_fence_fd) { /* copy_to_user failed */
		put_unused_fd(fd);
		BUGGY((void)0, fput(sync_file->file));
		return -EFAULT;
	}
	fd_install(fd, sync_file->file);
	*args->out_fence_fd = fd;
	return 0;
}

int main(void)
{
	struct submit_args args = { .out_fence_fd = NULL };
	struct e2e_timeline tl;
	struct dma_fence *job;
	int ret;

	e2e_timeline_init(&tl);
	ret = submit_ioctl(&tl, &args, &job);
	dma_fence_signal(job); /* the job completes */
	dma_fence_put(job);
	return ret == -EFAULT ? 0 : 3;
}
