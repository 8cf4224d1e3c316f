/* SPDX-License-Identifier: MIT */
/*
 * <linux/dma-resv.h> — the reservation object: the fences of a shared buffer, each with a usage
 * class. Ordered KERNEL < WRITE < READ < BOOKKEEP: asking for a usage returns the fences of that
 * class and of every class before it (READ gives KERNEL, WRITE and READ fences). The lock is a
 * plain mutex here (no wound/wait deadlock avoidance); the acquire context is accepted and unused.
 * Writers hold the lock; the _unlocked iterators and the helpers built on them take no lock, as
 * the kernel's walk under RCU, so a caller may already hold it.
 */
#ifndef _DMASAN_SHIM_LINUX_DMA_RESV_H
#define _DMASAN_SHIM_LINUX_DMA_RESV_H

#include <linux/dma-fence.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>

enum dma_resv_usage {
	DMA_RESV_USAGE_KERNEL, /* memory management: moves, clears */
	DMA_RESV_USAGE_WRITE,  /* implicit-sync writers */
	DMA_RESV_USAGE_READ,   /* implicit-sync readers */
	DMA_RESV_USAGE_BOOKKEEP,
};

/* The usage to wait for before accessing: a writer waits for readers too. */
static inline enum dma_resv_usage dma_resv_usage_rw(bool write)
{
	return write ? DMA_RESV_USAGE_READ : DMA_RESV_USAGE_WRITE;
}

struct ww_acquire_ctx;
struct dma_resv_list;
struct dma_resv_retired;

struct dma_resv {
	struct mutex lock;
	const void *holder; /* the thread holding the lock (a token of it), NULL: none; atomic */
	/* The fences with their usage. Writers replace the list when it grows; lists and fence
	 * references they drop are released once no unlocked reader can still see them. */
	struct dma_resv_list *fences;
	unsigned long generation; /* of the newest list; tells a cursor its list was replaced */
	int readers;              /* unlocked iterator steps running now */
	spinlock_t retire_lock;
	struct dma_resv_retired *retired;
};

void dma_resv_init(struct dma_resv *obj);
void dma_resv_fini(struct dma_resv *obj);

int dma_resv_lock(struct dma_resv *obj, struct ww_acquire_ctx *ctx);
int dma_resv_lock_interruptible(struct dma_resv *obj, struct ww_acquire_ctx *ctx);
bool dma_resv_trylock(struct dma_resv *obj);
void dma_resv_unlock(struct dma_resv *obj);
/* Whether anyone holds the lock (ww_mutex_is_locked). */
bool dma_resv_is_locked(struct dma_resv *obj);
/* Whether the calling thread holds it: what lockdep checks in the kernel. */
bool dma_resv_held(struct dma_resv *obj);
#define dma_resv_assert_held(obj) WARN_ON(!dma_resv_held(obj))

/* Make room for num more fences (under the lock); 0 or -ENOMEM. */
int dma_resv_reserve_fences(struct dma_resv *obj, unsigned int num);
/* Under the lock, after reserving: adds a reference to fence. It replaces a fence of the same
 * context that it is later than (at the same or a weaker usage), and any signalled fence. */
void dma_resv_add_fence(struct dma_resv *obj, struct dma_fence *fence, enum dma_resv_usage usage);
/* Under the lock: every fence of context becomes replacement (a reference each), with usage. */
void dma_resv_replace_fences(struct dma_resv *obj, u64 context, struct dma_fence *replacement,
			     enum dma_resv_usage usage);

/*
 * Iterating. Locked: dma_resv_for_each_fence(&cursor, obj, usage, fence) walks obj's fences
 * without references. Unlocked: dma_resv_iter_begin, dma_resv_for_each_fence_unlocked,
 * dma_resv_iter_end; the cursor returns unsignalled fences only and holds a reference to each
 * until the next step. When a writer replaced the list meanwhile, the walk starts again from
 * the first fence and dma_resv_iter_is_restarted() says so: what was gathered is to be dropped.
 */
struct dma_resv_iter {
	struct dma_resv *obj;
	enum dma_resv_usage usage;
	struct dma_fence *fence;
	enum dma_resv_usage fence_usage;
	unsigned int index;
	unsigned int num_fences;  /* unlocked: entries of the list when the walk (re)started */
	unsigned long generation; /* unlocked: the list walked */
	bool is_restarted;
};

static inline void dma_resv_iter_begin(struct dma_resv_iter *cursor, struct dma_resv *obj,
				       enum dma_resv_usage usage)
{
	cursor->obj = obj;
	cursor->usage = usage;
	cursor->fence = NULL;
	cursor->index = 0;
	cursor->num_fences = 0;
	cursor->generation = 0;
	cursor->is_restarted = true;
}

void dma_resv_iter_end(struct dma_resv_iter *cursor);
struct dma_fence *dma_resv_iter_first_unlocked(struct dma_resv_iter *cursor);
struct dma_fence *dma_resv_iter_next_unlocked(struct dma_resv_iter *cursor);
struct dma_fence *dma_resv_iter_first(struct dma_resv_iter *cursor);
struct dma_fence *dma_resv_iter_next(struct dma_resv_iter *cursor);

static inline enum dma_resv_usage dma_resv_iter_usage(struct dma_resv_iter *cursor)
{
	return cursor->fence_usage;
}

static inline bool dma_resv_iter_is_restarted(struct dma_resv_iter *cursor)
{
	return cursor->is_restarted;
}

#define dma_resv_for_each_fence_unlocked(cursor, fence)                                       \
	for (fence = dma_resv_iter_first_unlocked(cursor); fence;                             \
	     fence = dma_resv_iter_next_unlocked(cursor))

#define dma_resv_for_each_fence(cursor, obj, usage, fence)                                    \
	for (dma_resv_iter_begin(cursor, obj, usage), fence = dma_resv_iter_first(cursor);    \
	     fence; fence = dma_resv_iter_next(cursor))

/* Wait for every fence of usage (and the classes before it): remaining jiffies (>= 1), 0 on
 * timeout. */
long dma_resv_wait_timeout(struct dma_resv *obj, enum dma_resv_usage usage, bool intr,
			   unsigned long timeout);
/* Whether every fence of usage has signalled. */
bool dma_resv_test_signaled(struct dma_resv *obj, enum dma_resv_usage usage);
/* The unsignalled fences of usage, a reference each, in a kmalloc'ed array (NULL when there are
 * none) the caller frees; 0 or -ENOMEM. */
int dma_resv_get_fences(struct dma_resv *obj, enum dma_resv_usage usage, unsigned int *num_fences,
			struct dma_fence ***fences);
/* One fence for all those of usage: NULL, the only one, or a new fence array; 0 or -ENOMEM. */
int dma_resv_get_singleton(struct dma_resv *obj, enum dma_resv_usage usage,
			   struct dma_fence **fence);

#endif
