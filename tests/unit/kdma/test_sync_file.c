// SPDX-License-Identifier: MIT
/* sync_file and the simulated file descriptors (src/kdma/fence/sync_file.c, base/file.c). */
#include <errno.h>
#include <fcntl.h>

#include <criterion/criterion.h>

#include <linux/file.h>
#include <linux/slab.h>
#include <linux/sync_file.h>

static DEFINE_SPINLOCK(test_lock);
static int releases;

static const char *drv(struct dma_fence *f)
{
	return "gpu";
}

static const char *tl(struct dma_fence *f)
{
	return "ring";
}

static void counting_release(struct dma_fence *f)
{
	releases++;
	dma_fence_free(f);
}

static const struct dma_fence_ops ops = {
	.get_driver_name = drv,
	.get_timeline_name = tl,
	.release = counting_release,
};

static struct dma_fence *new_fence(u64 seqno)
{
	struct dma_fence *f = kzalloc(sizeof(*f), GFP_KERNEL);

	cr_assert_not_null(f);
	dma_fence_init(f, &ops, &test_lock, 42, seqno);
	return f;
}

/* What a driver's ioctl does to give user space a fence. */
static int export_fence(struct dma_fence *fence)
{
	int fd = get_unused_fd_flags(O_CLOEXEC);
	struct sync_file *sf;

	cr_assert_geq(fd, 0);
	sf = sync_file_create(fence);
	cr_assert_not_null(sf);
	fd_install(fd, sf->file);
	return fd;
}

static void reset(void)
{
	releases = 0;
}

TestSuite(sync_file, .init = reset);

Test(sync_file, holds_the_fence_until_closed)
{
	struct dma_fence *f = new_fence(1), *got;
	int fd = export_fence(f);

	cr_assert_eq(kref_read(&f->refcount), 2, "the file's reference");
	dma_fence_signal(f);
	dma_fence_put(f);
	cr_assert_eq(releases, 0);
	got = sync_file_get_fence(fd);
	cr_assert_eq(got, f);
	cr_assert_eq(kref_read(&f->refcount), 2, "the file's and ours");
	dma_fence_put(got);
	cr_assert_eq(close_fd(fd), 0);
	cr_assert_eq(releases, 1);
	cr_assert_null(sync_file_get_fence(fd), "closed");
	cr_assert_eq(close_fd(fd), -EBADF);
}

Test(sync_file, file_reference_outlives_the_descriptor)
{
	struct dma_fence *f = new_fence(1);
	int fd = export_fence(f);
	struct file *file = fget(fd);

	cr_assert_not_null(file);
	cr_assert_eq(close_fd(fd), 0);
	cr_assert_eq(releases, 0, "fget's reference keeps the file and its fence");
	dma_fence_signal(f);
	dma_fence_put(f);
	fput(file);
	cr_assert_eq(releases, 1);
}

Test(sync_file, not_a_sync_file)
{
	static const struct file_operations other_fops = { 0 };
	int fd = get_unused_fd_flags(0);
	struct file *file = anon_inode_getfile("other", &other_fops, NULL, 0);

	cr_assert_null(sync_file_get_fence(fd), "reserved, nothing installed");
	cr_assert_not(IS_ERR(file));
	fd_install(fd, file);
	cr_assert_null(sync_file_get_fence(fd), "another kind of file");
	cr_assert_null(sync_file_get_fence(-1));
	cr_assert_null(sync_file_get_fence(3));
	cr_assert_eq(close_fd(fd), 0);
}

Test(sync_file, unused_descriptor_is_given_back)
{
	int fd = get_unused_fd_flags(0);

	put_unused_fd(fd);
	cr_assert_eq(get_unused_fd_flags(0), fd);
	put_unused_fd(fd);
}

Test(sync_file, fput_before_install_drops_the_fence)
{
	struct dma_fence *f = new_fence(1);
	struct sync_file *sf = sync_file_create(f);

	dma_fence_signal(f);
	dma_fence_put(f);
	fput(sf->file);
	cr_assert_eq(releases, 1);
}

Test(sync_file, name)
{
	struct dma_fence *f = new_fence(7);
	struct sync_file *sf = sync_file_create(f);
	char buf[64];

	cr_assert_str_eq(sync_file_get_name(sf, buf, sizeof(buf)), "gpu-ring42-7");
	snprintf(sf->user_name, sizeof(sf->user_name), "frame");
	cr_assert_str_eq(sync_file_get_name(sf, buf, sizeof(buf)), "frame");
	dma_fence_signal(f);
	dma_fence_put(f);
	fput(sf->file);
}
