// SPDX-License-Identifier: MIT
/*
 * free/realloc/reallocarray/munmap/mremap: memory given back while a live mapping (or coherent
 * allocation) lies in it. munmap/mremap are plain system calls. free and realloc go to the next
 * definition in the lookup order, which is glibc's unless the program brings its own allocator
 * (ASan, jemalloc, tcmalloc): their blocks must go back to them. It is found with dlsym on first
 * use (the one block dlsym may free meanwhile, its previous error message, is left alone). The
 * check costs one load when no mapping is live, and is skipped inside the sanitizer itself
 * (guard.h).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/visibility.h"
#include "checks/checks.h"
#include "rt/guard.h"


extern void __libc_free(void *p);
extern void *__libc_realloc(void *p, size_t n);

typedef void free_fn(void *);
typedef void *realloc_fn(void *, size_t);

static _Atomic(free_fn *) next_free;
static _Atomic(realloc_fn *) next_realloc;
static __thread bool resolving __attribute__((tls_model("initial-exec")));

/* These run inside ASan's and TSan's own start-up (their dlsym calls free a dlerror message),
 * before the sanitizer's runtime exists: not instrumented. */
#define EARLY __attribute__((no_sanitize_address, no_sanitize_thread))

/* The allocator behind this one; glibc's when none is. */
static EARLY void resolve_next(void)
{
	free_fn *f;
	realloc_fn *r;

	resolving = true;
	f = (free_fn *)dlsym(RTLD_NEXT, "free");
	r = (realloc_fn *)dlsym(RTLD_NEXT, "realloc");
	atomic_store(&next_realloc, r ? r : __libc_realloc);
	atomic_store(&next_free, f ? f : __libc_free);
	resolving = false;
}

static EARLY void real_free(void *p)
{
	free_fn *f = atomic_load_explicit(&next_free, memory_order_acquire);

	if (!f && resolving)
		return; /* dlsym dropping its last error message: whose block, not known yet */
	if (!f) {
		resolve_next();
		f = atomic_load(&next_free);
	}
	f(p);
}

static EARLY void *real_realloc(void *p, size_t n)
{
	realloc_fn *r = atomic_load_explicit(&next_realloc, memory_order_acquire);

	if (!r && !resolving) {
		resolve_next();
		r = atomic_load(&next_realloc);
	}
	return (r ? r : __libc_realloc)(p, n);
}

static inline EARLY bool worth_checking(void)
{
	return !san_guard && san_table_phys_ever();
}

static unsigned int check_release(const void *p, size_t len, const char *how)
{
	unsigned int n;

	/* kfree/vfree may already have reported this memory through the mem_free hook */
	if (san_take_reported((uintptr_t)p, (uintptr_t)p + len) || !san_enter())
		return 0;
	n = san_check_release_memory(p, len, how, true);
	san_leave();
	return n;
}

DMASAN_EXPORT EARLY void free(void *p)
{
	if (p && worth_checking())
		check_release(p, malloc_usable_size(p), "free");
	real_free(p);
}

struct realloc_probe {
	bool hit;
	uintptr_t lo, hi; /* the part of the block that holds mapped memory */
};

static bool realloc_probe_fn(struct san_entry *e, void *arg)
{
	struct realloc_probe *p = arg;

	p->hit = true;
	return true;
}

/* realloc releases the old block when it moves it, and the tail beyond n when it shrinks it in
 * place; only then is mapped memory in it freed. */
static EARLY void *realloc_checked(void *p, size_t n, const char *how)
{
	size_t old;
	struct realloc_probe probe = { false };
	void *q;

	if (!p || !worth_checking())
		return real_realloc(p, n);
	old = malloc_usable_size(p);
	if (san_enter()) {
		san_table_visit_phys((uintptr_t)p, (uintptr_t)p + (old ? old : 1), realloc_probe_fn,
				     &probe);
		san_leave();
	}
	if (!probe.hit)
		return real_realloc(p, n);
	if (n == 0) {
		check_release(p, old, how);
		return real_realloc(p, n);
	}
	q = real_realloc(p, n);
	if (q && q != p)
		check_release(p, old, how); /* the memory is gone; the table still has the facts */
	else if (q && n < old)
		check_release((char *)p + n, old - n, how);
	return q;
}

DMASAN_EXPORT EARLY void *realloc(void *p, size_t n)
{
	return realloc_checked(p, n, "realloc");
}

DMASAN_EXPORT EARLY void *reallocarray(void *p, size_t nmemb, size_t size)
{
	size_t n;

	if (__builtin_mul_overflow(nmemb, size, &n)) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc_checked(p, n, "reallocarray");
}

DMASAN_EXPORT int munmap(void *addr, size_t len)
{
	san_area_unmapped();
	if (worth_checking())
		check_release(addr, len, "munmap");
	return syscall(SYS_munmap, addr, len);
}

DMASAN_EXPORT void *mremap(void *old, size_t old_size, size_t new_size, int flags, ...)
{
	void *fixed = NULL, *res;

	if (flags & MREMAP_FIXED) {
		va_list ap;

		va_start(ap, flags);
		fixed = va_arg(ap, void *);
		va_end(ap);
	}
	san_area_unmapped();
	res = (void *)syscall(SYS_mremap, old, old_size, new_size, flags, fixed);
	if (res != MAP_FAILED && worth_checking()) {
		if (res != old && !(flags & MREMAP_DONTUNMAP))
			check_release(old, old_size, "mremap");
		else if (new_size < old_size)
			check_release((char *)old + new_size, old_size - new_size, "mremap");
	}
	return res;
}
