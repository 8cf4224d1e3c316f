/* SPDX-License-Identifier: MIT */
/*
 * The one file a kernel selftest opens, as a file descriptor: the selftest is compiled with
 * -Dopen=harness_open -Dioctl=harness_ioctl (-Dclose=harness_close), and the harness's versions
 * of those call the helpers below with the shim's way of opening the driver's file (debugfs or
 * misc device).
 */
#ifndef DMASAN_UPSTREAM_HARNESS_FILE_H
#define DMASAN_UPSTREAM_HARNESS_FILE_H

#include <errno.h>
#include <stdarg.h>

#include <linux/fs.h>

#define HARNESS_FD 100

int harness_open(const char *path, int flags, ...);
int harness_ioctl(int fd, unsigned long request, ...);
int harness_close(int fd);

static struct file harness_file;
static bool harness_file_open;

/* open(): opener fills harness_file (0 or -errno). */
static int harness_file_do_open(int (*opener)(const char *path, struct file *file),
				const char *path)
{
	int ret;

	if (harness_file_open) {
		errno = EMFILE;
		return -1;
	}
	ret = path ? opener(path, &harness_file) : -ENOENT;
	if (ret) {
		errno = -ret;
		return -1;
	}
	harness_file_open = true;
	return HARNESS_FD;
}

/* ioctl(): the driver's unlocked_ioctl, its negative errno turned into -1 and errno. */
static int harness_file_do_ioctl(const struct file_operations *fops, int fd, unsigned long request,
				 unsigned long arg)
{
	long ret;

	if (fd != HARNESS_FD || !harness_file_open || !fops || !fops->unlocked_ioctl) {
		errno = EBADF;
		return -1;
	}
	ret = fops->unlocked_ioctl(&harness_file, (unsigned int)request, arg);
	if (ret < 0) {
		errno = (int)-ret;
		return -1;
	}
	return (int)ret;
}

/* close(): the driver's release. */
static int harness_file_do_close(int (*release)(struct file *file), int fd)
{
	if (fd != HARNESS_FD || !harness_file_open) {
		errno = EBADF;
		return -1;
	}
	harness_file_open = false;
	return release(&harness_file);
}

#define HARNESS_VA_ARG(request, arg)                                                          \
	do {                                                                                   \
		va_list __ap;                                                                  \
		va_start(__ap, request);                                                       \
		arg = va_arg(__ap, unsigned long);                                             \
		va_end(__ap);                                                                  \
	} while (0)

#endif
