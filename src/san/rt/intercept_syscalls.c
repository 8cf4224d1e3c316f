// SPDX-License-Identifier: MIT
/*
 * The libc calls that hand a buffer to the kernel, for the mprotect backend: a syscall on a
 * protected page does not fault into our handler, the kernel just returns EFAULT. So a correct
 * program reading into a CPU-owned line that shares a page with a device-owned receive buffer
 * would fail, and a program reading into the device-owned buffer itself would go unreported.
 * Each wrapper reports device-owned lines in its buffers (with the caller's stack) and keeps
 * the protected pages accessible for the duration of the call.
 *
 * While no page is protected (no mprotect backend, or no receive buffer device-owned) each
 * wrapper costs one atomic load. Calls libc makes internally (stdio's buffers) bypass these
 * wrappers; docs/ownership.md says so.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#include "common/visibility.h"
#include "ownership/cpu_access_mprotect.h"

#define MAX_PAGES 64  /* pages kept open per call; a larger buffer beyond them may fail EFAULT */
#define MAX_IOV 16

/* The next definition of a libc function, looked up once. */
#define REAL(name)                                                                            \
	({                                                                                    \
		static _Atomic(void *) real_##name;                                           \
		void *fn = atomic_load_explicit(&real_##name, memory_order_acquire);          \
		if (!fn) {                                                                    \
			fn = dlsym(RTLD_NEXT, #name);                                         \
			atomic_store_explicit(&real_##name, fn, memory_order_release);        \
		}                                                                             \
		(__typeof__(&name))fn;                                                        \
	})

struct opened {
	uintptr_t pages[MAX_PAGES];
	unsigned int n;
};

static void open_buf(struct opened *o, const void *buf, size_t len, bool kernel_writes,
		     const char *call)
{
	uintptr_t lo = (uintptr_t)buf;

	if (buf && len && o->n < MAX_PAGES)
		o->n += mp_syscall_open(lo, lo + len, kernel_writes, call, o->pages + o->n,
					MAX_PAGES - o->n);
}

static void open_iov(struct opened *o, const struct iovec *iov, int cnt, bool kernel_writes,
		     const char *call)
{
	int i;

	for (i = 0; iov && i < cnt && i < MAX_IOV; i++)
		open_buf(o, iov[i].iov_base, iov[i].iov_len, kernel_writes, call);
}

/* Run `expr` with the buffer opened when any page is protected. */
#define AROUND(kernel_writes, call, buf, len, expr)                                           \
	({                                                                                    \
		struct opened o_ = { .n = 0 };                                                \
		__typeof__(expr) r_;                                                          \
		if (mp_any_protected())                                                       \
			open_buf(&o_, buf, len, kernel_writes, call);                         \
		r_ = (expr);                                                                  \
		if (o_.n)                                                                     \
			mp_syscall_close(o_.pages, o_.n);                                     \
		r_;                                                                           \
	})

#define AROUND_IOV(kernel_writes, call, iov, cnt, expr)                                       \
	({                                                                                    \
		struct opened o_ = { .n = 0 };                                                \
		__typeof__(expr) r_;                                                          \
		if (mp_any_protected())                                                       \
			open_iov(&o_, iov, cnt, kernel_writes, call);                         \
		r_ = (expr);                                                                  \
		if (o_.n)                                                                     \
			mp_syscall_close(o_.pages, o_.n);                                     \
		r_;                                                                           \
	})

DMASAN_EXPORT ssize_t read(int fd, void *buf, size_t n)
{
	return AROUND(true, "read", buf, n, REAL(read)(fd, buf, n));
}

DMASAN_EXPORT ssize_t write(int fd, const void *buf, size_t n)
{
	return AROUND(false, "write", buf, n, REAL(write)(fd, buf, n));
}

DMASAN_EXPORT ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
	return AROUND(true, "pread", buf, n, REAL(pread)(fd, buf, n, off));
}

DMASAN_EXPORT ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	return AROUND(false, "pwrite", buf, n, REAL(pwrite)(fd, buf, n, off));
}

DMASAN_EXPORT ssize_t pread64(int fd, void *buf, size_t n, off64_t off)
{
	return AROUND(true, "pread64", buf, n, REAL(pread64)(fd, buf, n, off));
}

DMASAN_EXPORT ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
	return AROUND(false, "pwrite64", buf, n, REAL(pwrite64)(fd, buf, n, off));
}

DMASAN_EXPORT ssize_t recv(int fd, void *buf, size_t n, int flags)
{
	return AROUND(true, "recv", buf, n, REAL(recv)(fd, buf, n, flags));
}

DMASAN_EXPORT ssize_t send(int fd, const void *buf, size_t n, int flags)
{
	return AROUND(false, "send", buf, n, REAL(send)(fd, buf, n, flags));
}

DMASAN_EXPORT ssize_t recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *addr,
			socklen_t *alen)
{
	return AROUND(true, "recvfrom", buf, n, REAL(recvfrom)(fd, buf, n, flags, addr, alen));
}

DMASAN_EXPORT ssize_t sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *addr,
		      socklen_t alen)
{
	return AROUND(false, "sendto", buf, n, REAL(sendto)(fd, buf, n, flags, addr, alen));
}

DMASAN_EXPORT ssize_t readv(int fd, const struct iovec *iov, int cnt)
{
	return AROUND_IOV(true, "readv", iov, cnt, REAL(readv)(fd, iov, cnt));
}

DMASAN_EXPORT ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
	return AROUND_IOV(false, "writev", iov, cnt, REAL(writev)(fd, iov, cnt));
}
