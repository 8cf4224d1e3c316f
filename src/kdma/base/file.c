// SPDX-License-Identifier: MIT
/*
 * Files and descriptors for the objects a driver gives user space as an fd: a fixed table of
 * slots, each free, reserved or holding a file reference.
 */
#include <errno.h>

#include <linux/err.h>
#include <linux/file.h>
#include <linux/slab.h>

#define FD_BASE 2000
#define FD_MAX 256
#define FD_RESERVED ((struct file *)1)

static struct file *fd_table[FD_MAX];
static pthread_mutex_t fd_lock = PTHREAD_MUTEX_INITIALIZER;

struct file *anon_inode_getfile(const char *name, const struct file_operations *fops, void *priv,
				int flags)
{
	struct file *file = kzalloc(sizeof(*file), GFP_KERNEL);

	if (!file)
		return ERR_PTR(-ENOMEM);
	file->f_op = fops;
	file->private_data = priv;
	file->f_flags = flags;
	file->f_count = 1;
	return file;
}

void fput(struct file *file)
{
	if (WARN_ON(!file) || __atomic_sub_fetch(&file->f_count, 1, __ATOMIC_ACQ_REL))
		return;
	if (file->f_op && file->f_op->release)
		file->f_op->release(file->f_inode, file);
	kfree(file);
}

/* The slot of fd, or NULL if fd is not one of ours. */
static struct file **fd_slot(unsigned int fd)
{
	return fd >= FD_BASE && fd < FD_BASE + FD_MAX ? &fd_table[fd - FD_BASE] : NULL;
}

int get_unused_fd_flags(unsigned int flags)
{
	int fd = -EMFILE;

	pthread_mutex_lock(&fd_lock);
	for (int i = 0; i < FD_MAX; i++) {
		if (!fd_table[i]) {
			fd_table[i] = FD_RESERVED;
			fd = FD_BASE + i;
			break;
		}
	}
	pthread_mutex_unlock(&fd_lock);
	return fd;
}

void put_unused_fd(unsigned int fd)
{
	struct file **slot = fd_slot(fd);

	pthread_mutex_lock(&fd_lock);
	if (!WARN_ON(!slot || *slot != FD_RESERVED))
		*slot = NULL;
	pthread_mutex_unlock(&fd_lock);
}

void fd_install(unsigned int fd, struct file *file)
{
	struct file **slot = fd_slot(fd);

	pthread_mutex_lock(&fd_lock);
	if (!WARN_ON(!slot || *slot != FD_RESERVED || !file))
		*slot = file;
	pthread_mutex_unlock(&fd_lock);
}

struct file *fget(unsigned int fd)
{
	struct file **slot = fd_slot(fd), *file = NULL;

	pthread_mutex_lock(&fd_lock);
	if (slot && *slot != FD_RESERVED && *slot)
		file = get_file(*slot);
	pthread_mutex_unlock(&fd_lock);
	return file;
}

int close_fd(unsigned int fd)
{
	struct file **slot = fd_slot(fd), *file = NULL;

	pthread_mutex_lock(&fd_lock);
	if (slot && *slot != FD_RESERVED) {
		file = *slot;
		*slot = NULL;
	}
	pthread_mutex_unlock(&fd_lock);
	if (!file)
		return -EBADF;
	fput(file);
	return 0;
}
