/* SPDX-License-Identifier: MIT */
/*
 * Lazy-mode flush queue (the kernel's iova flush queue in dma-iommu.c). An unmap clears the page
 * table entries at once but queues the IOVA; the IOTLB is invalidated, and the IOVA freed, only
 * when a flush completes: when the CPU's ring is full, when the domain's timer expires
 * (iommu_fq_timeout_ms after the first queued entry), or on kdma_fq_flush(). Until then a device
 * may still reach the unmapped memory through a cached translation.
 *
 * Entries carry the flush-start count at queue time and are freed once a flush that started
 * later has finished (fq_flush_start_cnt / fq_flush_finish_cnt, as in the kernel).
 * The timer is one process-wide thread serving every lazy domain, started on first use.
 */
#include <sched.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "iommu/iommu_priv.h"

struct fq_entry {
	unsigned long iova_pfn;
	unsigned long pages;
	u64 counter;
};

struct fq_ring {
	pthread_mutex_t lock;
	unsigned long head, tail; /* free-running; tail - head entries are queued */
	struct fq_entry *entries;
} __attribute__((aligned(64)));

struct kdma_fq {
	struct iommu_domain *domain;
	atomic_ullong flush_start_cnt;
	atomic_ullong flush_finish_cnt;
	atomic_ullong deadline_ns; /* timer: 0 when not armed */
	u64 timeout_ns;            /* 0: no timer */
	unsigned long size;
	int nr_cpus;
	struct fq_ring *rings;
	struct kdma_fq *next; /* timer list */
};

/* The flush timer: one thread, the list of lazy domains, and a condition to re-arm it. */
static pthread_mutex_t fq_timer_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t fq_timer_cond;
static struct kdma_fq *fq_timer_list;
static bool fq_timer_started;
static bool fq_atfork_done;

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

static void fq_flush_iotlb(struct kdma_fq *fq)
{
	atomic_fetch_add(&fq->flush_start_cnt, 1);
	kdma_iotlb_invalidate_all(fq->domain->iotlb);
	atomic_fetch_add(&fq->flush_finish_cnt, 1);
}

/* Free the entries whose invalidation has completed. Ring lock held. */
static void fq_ring_free(struct kdma_fq *fq, struct fq_ring *ring)
{
	u64 done = atomic_load(&fq->flush_finish_cnt);

	while (ring->head != ring->tail) {
		struct fq_entry *e = &ring->entries[ring->head % fq->size];

		if (e->counter >= done)
			break;
		free_iova_fast(fq->domain->iovad, e->iova_pfn, e->pages);
		ring->head++;
	}
}

void kdma_fq_flush(struct kdma_fq *fq)
{
	fq_flush_iotlb(fq);
	for (int cpu = 0; cpu < fq->nr_cpus; cpu++) {
		pthread_mutex_lock(&fq->rings[cpu].lock);
		fq_ring_free(fq, &fq->rings[cpu]);
		pthread_mutex_unlock(&fq->rings[cpu].lock);
	}
}

static void *fq_timer_thread(void *arg)
{
	pthread_mutex_lock(&fq_timer_lock);
	for (;;) {
		u64 now = now_ns(), next = 0;
		struct kdma_fq *fq;

		for (fq = fq_timer_list; fq; fq = fq->next) {
			u64 d = atomic_load(&fq->deadline_ns);

			if (d && d <= now) {
				atomic_store(&fq->deadline_ns, 0);
				kdma_fq_flush(fq);
			} else if (d && (!next || d < next)) {
				next = d;
			}
		}
		if (next) {
			struct timespec ts = { .tv_sec = (time_t)(next / 1000000000ULL),
					       .tv_nsec = (long)(next % 1000000000ULL) };

			pthread_cond_timedwait(&fq_timer_cond, &fq_timer_lock, &ts);
		} else {
			pthread_cond_wait(&fq_timer_cond, &fq_timer_lock);
		}
	}
	return NULL;
}

/* fork(): the child has no timer thread, and the lock must not be inherited held by it. */
static void fq_timer_prefork(void)
{
	pthread_mutex_lock(&fq_timer_lock);
}

static void fq_timer_postfork_parent(void)
{
	pthread_mutex_unlock(&fq_timer_lock);
}

static void fq_timer_postfork_child(void)
{
	fq_timer_started = false;
	pthread_mutex_unlock(&fq_timer_lock);
}

/* Arm the domain's timer once (fq_timer_on in the kernel). */
static void fq_arm_timer(struct kdma_fq *fq)
{
	unsigned long long idle = 0;

	if (!fq->timeout_ns || atomic_load_explicit(&fq->deadline_ns, memory_order_relaxed))
		return;
	if (!atomic_compare_exchange_strong(&fq->deadline_ns, &idle, now_ns() + fq->timeout_ns))
		return;
	pthread_mutex_lock(&fq_timer_lock);
	if (!fq_timer_started) {
		pthread_condattr_t ca;
		pthread_attr_t ta;
		pthread_t thread;

		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&fq_timer_cond, &ca);
		pthread_attr_init(&ta);
		pthread_attr_setdetachstate(&ta, PTHREAD_CREATE_DETACHED);
		fq_timer_started = pthread_create(&thread, &ta, fq_timer_thread, NULL) == 0;
		if (fq_timer_started && !fq_atfork_done)
			fq_atfork_done = !pthread_atfork(fq_timer_prefork, fq_timer_postfork_parent,
							 fq_timer_postfork_child);
		if (!fq_timer_started)
			kdma_warn(fq->domain->dev, "IOMMU flush-queue timer unavailable; "
						   "lazy flushes happen only when a queue fills");
	}
	pthread_cond_signal(&fq_timer_cond);
	pthread_mutex_unlock(&fq_timer_lock);
}

void kdma_fq_queue(struct kdma_fq *fq, unsigned long iova_pfn, unsigned long pages)
{
	int cpu = sched_getcpu();
	struct fq_ring *ring = &fq->rings[(cpu < 0 ? 0 : cpu) % fq->nr_cpus];
	struct fq_entry *e;

	pthread_mutex_lock(&ring->lock);
	fq_ring_free(fq, ring);
	if (ring->tail - ring->head == fq->size) {
		fq_flush_iotlb(fq);
		fq_ring_free(fq, ring);
	}
	e = &ring->entries[ring->tail % fq->size];
	e->iova_pfn = iova_pfn;
	e->pages = pages;
	e->counter = atomic_load(&fq->flush_start_cnt);
	ring->tail++;
	pthread_mutex_unlock(&ring->lock);
	fq_arm_timer(fq);
}

unsigned long kdma_fq_pending(struct kdma_fq *fq)
{
	unsigned long n = 0;

	for (int cpu = 0; cpu < fq->nr_cpus; cpu++) {
		pthread_mutex_lock(&fq->rings[cpu].lock);
		n += fq->rings[cpu].tail - fq->rings[cpu].head;
		pthread_mutex_unlock(&fq->rings[cpu].lock);
	}
	return n;
}

struct kdma_fq *kdma_fq_create(struct iommu_domain *domain)
{
	const struct kdma_options *o = kdma_opts();
	struct kdma_fq *fq = calloc(1, sizeof(*fq));
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);

	if (!fq)
		return NULL;
	fq->domain = domain;
	fq->size = o->iommu_fq_size ? o->iommu_fq_size : 1;
	fq->timeout_ns = o->iommu_fq_timeout_ms * 1000000ULL;
	fq->nr_cpus = ncpu > 0 ? (int)ncpu : 1;
	fq->rings = aligned_alloc(64, sizeof(*fq->rings) * fq->nr_cpus);
	if (!fq->rings) {
		free(fq);
		return NULL;
	}
	for (int cpu = 0; cpu < fq->nr_cpus; cpu++) {
		struct fq_ring *ring = &fq->rings[cpu];

		pthread_mutex_init(&ring->lock, NULL);
		ring->head = ring->tail = 0;
		ring->entries = calloc(fq->size, sizeof(*ring->entries));
		if (!ring->entries) {
			fq->nr_cpus = cpu;
			kdma_fq_destroy(fq);
			return NULL;
		}
	}
	pthread_mutex_lock(&fq_timer_lock);
	fq->next = fq_timer_list;
	fq_timer_list = fq;
	pthread_mutex_unlock(&fq_timer_lock);
	return fq;
}

void kdma_fq_destroy(struct kdma_fq *fq)
{
	struct kdma_fq **pp;

	if (!fq)
		return;
	/* Off the timer list first: the timer thread flushes with the list lock held. */
	pthread_mutex_lock(&fq_timer_lock);
	for (pp = &fq_timer_list; *pp; pp = &(*pp)->next) {
		if (*pp == fq) {
			*pp = fq->next;
			break;
		}
	}
	pthread_mutex_unlock(&fq_timer_lock);
	kdma_fq_flush(fq);
	for (int cpu = 0; cpu < fq->nr_cpus; cpu++) {
		pthread_mutex_destroy(&fq->rings[cpu].lock);
		free(fq->rings[cpu].entries);
	}
	free(fq->rings);
	free(fq);
}
