// SPDX-License-Identifier: MIT
/*
 * Readers walk a dma-buf's reservation object without its lock (dma_resv_for_each_fence_unlocked,
 * dma_resv_test_signaled, dma_resv_get_fences) while a producer adds fences, replaces them and
 * outgrows the list. Every fence is signalled and put correctly, so the run is silent; a fence
 * handed out without a reference, or released under a reader, fails it (exit 2, or the
 * sanitizer's fence-use-after-free). Bounded by rounds; the readers stop once each has been
 * handed a fence and the producer is done.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

#include <linux/dma-buf.h>
#include <linux/dma-resv.h>
#include <linux/slab.h>

#include "e2e_dmabuf.h"
#include "e2e_fence.h"

#define ROUNDS 2000
#define READERS 3
#define TIMELINES 8

static struct dma_buf *frame;
static int done, bad;
static sem_t seen_one;

static void check(struct dma_fence *f)
{
	if (kref_read(&f->refcount) < 1)
		__atomic_store_n(&bad, 1, __ATOMIC_RELAXED);
}

static void *reader(void *arg)
{
	bool seen = false;

	while (!__atomic_load_n(&done, __ATOMIC_ACQUIRE)) {
		struct dma_resv_iter cursor;
		struct dma_fence *f, **all;
		unsigned int n;

		dma_resv_iter_begin(&cursor, frame->resv, DMA_RESV_USAGE_BOOKKEEP);
		dma_resv_for_each_fence_unlocked(&cursor, f) {
			check(f);
			if (!seen)
				sem_post(&seen_one);
			seen = true;
		}
		dma_resv_iter_end(&cursor);
		dma_resv_test_signaled(frame->resv, DMA_RESV_USAGE_WRITE);
		if (dma_resv_get_fences(frame->resv, DMA_RESV_USAGE_READ, &n, &all))
			continue;
		while (n--) {
			check(all[n]);
			dma_fence_put(all[n]);
		}
		kfree(all);
	}
	return NULL;
}

int main(void)
{
	struct dma_fence *last[TIMELINES] = { 0 };
	struct e2e_timeline tl[TIMELINES];
	pthread_t readers[READERS];

	frame = e2e_frame(4096);
	sem_init(&seen_one, 0, 0);
	for (int t = 0; t < TIMELINES; t++)
		e2e_timeline_init(&tl[t]);
	for (int i = 0; i < READERS; i++)
		pthread_create(&readers[i], NULL, reader, NULL);
	for (unsigned int round = 1; round <= ROUNDS; round++) {
		enum dma_resv_usage usage = (enum dma_resv_usage)(round % 4);
		unsigned int t = round % TIMELINES;
		struct dma_fence *f = e2e_fence_new(&tl[t]);

		dma_resv_lock(frame->resv, NULL);
		/* now and then room for many: the list is copied and replaced */
		if (!dma_resv_reserve_fences(frame->resv, round % 97 ? 1 : round)) {
			if (round % 13 == 0)
				dma_resv_replace_fences(frame->resv, tl[t].context, f,
							DMA_RESV_USAGE_BOOKKEEP);
			else
				dma_resv_add_fence(frame->resv, f, usage);
		}
		dma_resv_unlock(frame->resv);
		/* the timeline's previous job completes */
		if (last[t]) {
			dma_fence_signal(last[t]);
			dma_fence_put(last[t]);
		}
		last[t] = f;
	}
	/* the last jobs are still running: every reader gets to see one */
	for (int i = 0; i < READERS; i++)
		sem_wait(&seen_one);
	__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < READERS; i++)
		pthread_join(readers[i], NULL);
	for (int t = 0; t < TIMELINES; t++) {
		dma_fence_signal(last[t]);
		dma_fence_put(last[t]);
	}
	dma_buf_put(frame);
	if (bad)
		fprintf(stderr, "resv_race: a reader was handed a fence without a reference\n");
	return bad ? 2 : 0;
}
