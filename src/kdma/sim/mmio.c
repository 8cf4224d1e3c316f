// SPDX-License-Identifier: MIT
/*
 * Register windows claimed by device models (dmasim_mmio_claim, <dmasan/sim.h>): the MMIO
 * accessors of <linux/io.h> ask dmasim_mmio_access() once any window exists. Claims are rare and
 * lookups frequent, so a reader-writer lock guards a small fixed table.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include <dmasan/sim.h>
#include <linux/io.h>

#define MMIO_WINDOWS 16

struct mmio_window {
	uintptr_t start, end; /* [start, end) */
	const struct dmasim_mmio_ops *ops;
	void *ctx;
};

int dmasim_mmio_windows;
static struct mmio_window windows[MMIO_WINDOWS];
static pthread_rwlock_t windows_lock = PTHREAD_RWLOCK_INITIALIZER;

int dmasim_mmio_claim(void *base, size_t len, const struct dmasim_mmio_ops *ops, void *ctx)
{
	uintptr_t start = (uintptr_t)base, end = start + len;
	int ret = -ENOSPC;

	if (!base || !len || end < start || !ops || !ops->read || !ops->write) {
		fprintf(stderr, "dmasim_mmio_claim: bad window %p+%zu or ops\n", base, len);
		return -EINVAL;
	}
	pthread_rwlock_wrlock(&windows_lock);
	for (int i = 0; i < MMIO_WINDOWS; i++) {
		if (windows[i].ops && start < windows[i].end && windows[i].start < end) {
			fprintf(stderr, "dmasim_mmio_claim: %p+%zu overlaps a claimed window\n", base,
				len);
			ret = -EINVAL;
			break;
		}
	}
	for (int i = 0; ret == -ENOSPC && i < MMIO_WINDOWS; i++) {
		if (!windows[i].ops) {
			windows[i] = (struct mmio_window){ start, end, ops, ctx };
			__atomic_fetch_add(&dmasim_mmio_windows, 1, __ATOMIC_RELEASE);
			ret = 0;
		}
	}
	pthread_rwlock_unlock(&windows_lock);
	if (ret == -ENOSPC)
		fprintf(stderr, "dmasim_mmio_claim: more than %d windows\n", MMIO_WINDOWS);
	return ret;
}

void dmasim_mmio_release(void *base)
{
	pthread_rwlock_wrlock(&windows_lock);
	for (int i = 0; i < MMIO_WINDOWS; i++) {
		if (windows[i].ops && windows[i].start == (uintptr_t)base) {
			windows[i] = (struct mmio_window){ 0 };
			__atomic_fetch_sub(&dmasim_mmio_windows, 1, __ATOMIC_RELEASE);
		}
	}
	pthread_rwlock_unlock(&windows_lock);
}

bool dmasim_mmio_access(const volatile void __iomem *addr, unsigned int size, u64 *val,
			bool write)
{
	uintptr_t a = (uintptr_t)addr;
	struct mmio_window w = { 0 };

	pthread_rwlock_rdlock(&windows_lock);
	for (int i = 0; i < MMIO_WINDOWS; i++) {
		if (windows[i].ops && a >= windows[i].start && a + size <= windows[i].end) {
			w = windows[i];
			break;
		}
	}
	pthread_rwlock_unlock(&windows_lock);
	if (!w.ops)
		return false;
	if (write)
		w.ops->write(w.ctx, a - w.start, *val, size);
	else
		*val = w.ops->read(w.ctx, a - w.start, size);
	return true;
}
