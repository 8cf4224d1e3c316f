// SPDX-License-Identifier: MIT
/*
 * The module map: the read-only segments (PT_LOAD without PF_W, and PT_GNU_RELRO) of every loaded
 * object, from dl_iterate_phdr. The sorted set is cached and rebuilt when the loader's add/remove
 * counters (dlpi_adds, dlpi_subs) change; replaced sets stay mapped, so readers need no lock.
 */
#define _GNU_SOURCE
#include <link.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "rt/fork.h"
#include "rt/modules.h"


struct ro_set {
	unsigned long long adds, subs;
	unsigned int n;
	struct san_ro_segment r[];
};

static _Atomic(struct ro_set *) ro_cur;
static pthread_mutex_t ro_lock = PTHREAD_MUTEX_INITIALIZER;

struct ro_build {
	struct ro_set *set;
	unsigned int cap;
};

static int ro_collect(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct ro_build *b = arg;

	for (unsigned int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		bool ro = (ph->p_type == PT_LOAD && !(ph->p_flags & PF_W)) ||
			  ph->p_type == PT_GNU_RELRO;

		if (!ro || !ph->p_memsz || b->set->n >= b->cap)
			continue;
		b->set->r[b->set->n++] = (struct san_ro_segment){
			info->dlpi_addr + ph->p_vaddr, info->dlpi_addr + ph->p_vaddr + ph->p_memsz,
			info->dlpi_name && info->dlpi_name[0] ? info->dlpi_name : "the executable",
		};
	}
	return 0;
}

static int ro_cmp(const void *a, const void *b)
{
	const struct san_ro_segment *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static int ro_counts(struct dl_phdr_info *info, size_t size, void *arg)
{
	unsigned long long *c = arg;

	if (size >= offsetof(struct dl_phdr_info, dlpi_subs) + sizeof(info->dlpi_subs)) {
		c[0] = info->dlpi_adds;
		c[1] = info->dlpi_subs;
	}
	return 1; /* the counters are the same in every callback: stop after one */
}

static const struct ro_set *ro_get(void)
{
	unsigned long long c[2] = { 0, 0 };
	struct ro_set *cur = atomic_load_explicit(&ro_cur, memory_order_acquire);

	dl_iterate_phdr(ro_counts, c);
	if (cur && cur->adds == c[0] && cur->subs == c[1])
		return cur;
	pthread_mutex_lock(&ro_lock);
	cur = atomic_load(&ro_cur);
	if (!cur || cur->adds != c[0] || cur->subs != c[1]) {
		const unsigned int cap = 2048;
		size_t bytes = sizeof(struct ro_set) + cap * sizeof(struct san_ro_segment);
		void *mem = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (mem != MAP_FAILED) {
			struct ro_build b = { mem, cap };

			b.set->adds = c[0];
			b.set->subs = c[1];
			dl_iterate_phdr(ro_collect, &b);
			qsort(b.set->r, b.set->n, sizeof(b.set->r[0]), ro_cmp);
			/* The old set stays mapped: a reader may still be scanning it. */
			atomic_store_explicit(&ro_cur, b.set, memory_order_release);
			cur = b.set;
		}
	}
	pthread_mutex_unlock(&ro_lock);
	return cur;
}

const struct san_ro_segment *san_ro_segment_find(uintptr_t lo, uintptr_t hi)
{
	const struct ro_set *s = ro_get();
	unsigned int a = 0, b, n;

	if (!s)
		return NULL;
	/* Sorted by start; segments of one object never overlap each other's starts, and a
	 * RELRO range lies inside a PT_LOAD one, so checking the last few starting below hi is
	 * enough. */
	for (b = s->n; a < b;) {
		unsigned int mid = (a + b) / 2;

		if (s->r[mid].lo < hi)
			a = mid + 1;
		else
			b = mid;
	}
	for (n = 0; a > 0 && n < 4; a--, n++)
		if (lo < s->r[a - 1].hi && hi > s->r[a - 1].lo)
			return &s->r[a - 1];
	return NULL;
}

void san_modules_fork_lock(void)
{
	pthread_mutex_lock(&ro_lock);
}

void san_modules_fork_unlock(bool child)
{
	pthread_mutex_unlock(&ro_lock);
}
