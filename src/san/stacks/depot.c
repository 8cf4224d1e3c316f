/* SPDX-License-Identifier: MIT */
/*
 * The stack depot (after compiler-rt's StackDepot): each distinct stack is stored once in an
 * append-only mmap arena and named by a 32-bit id. Lookups walk a bucket chain without a lock
 * (nodes are immutable once published with a release store); insertion of a new stack takes one
 * mutex, which is rare because a program has few distinct call sites. Equality is the 64-bit hash
 * plus a full frame compare, so different stacks never merge.
 */
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include "rt/oom.h"
#include "rt/fork.h"
#include "stacks/depot.h"

#define BUCKET_BITS 16
#define ID_PAGE_BITS 12
#define ID_PAGES 4096 /* ids up to 2^24 */
#define ARENA_CHUNK (1u << 20)

struct node {
	uint64_t hash;
	dmasan_stack_id next; /* chain in the bucket */
	uint32_t nframes;
	uintptr_t pcs[];
};

static dmasan_stack_id buckets[1u << BUCKET_BITS];
static struct node **id_pages[ID_PAGES];
static dmasan_stack_id next_id = 1; /* 0 means "no stack" */
static pthread_mutex_t depot_lock = PTHREAD_MUTEX_INITIALIZER;
static size_t depot_bytes;

static pthread_mutex_t arena_lock = PTHREAD_MUTEX_INITIALIZER;
static char *arena_pos, *arena_end;

void *dmasan_arena_alloc(size_t size)
{
	void *p = NULL;

	size = (size + 15) & ~(size_t)15;
	pthread_mutex_lock(&arena_lock);
	if ((size_t)(arena_end - arena_pos) < size) {
		size_t len = size > ARENA_CHUNK ? size : ARENA_CHUNK;
		char *c = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (c == MAP_FAILED)
			goto out;
		arena_pos = c;
		arena_end = c + len;
	}
	p = arena_pos;
	arena_pos += size;
out:
	pthread_mutex_unlock(&arena_lock);
	return p;
}

const char *dmasan_arena_strdup(const char *s)
{
	size_t n;
	char *p;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	p = dmasan_arena_alloc(n);
	if (p)
		memcpy(p, s, n);
	return p;
}

static uint64_t hash_pcs(const uintptr_t *pcs, unsigned int n)
{
	uint64_t h = 0xcbf29ce484222325ull ^ n;

	for (unsigned int i = 0; i < n; i++) {
		h ^= pcs[i];
		h *= 0x100000001b3ull;
		h ^= h >> 29;
	}
	return h;
}

static struct node *node_of(dmasan_stack_id id)
{
	struct node **page;

	if (id == 0 || id >> ID_PAGE_BITS >= ID_PAGES)
		return NULL;
	page = __atomic_load_n(&id_pages[id >> ID_PAGE_BITS], __ATOMIC_ACQUIRE);
	return page ? __atomic_load_n(&page[id & ((1u << ID_PAGE_BITS) - 1)], __ATOMIC_ACQUIRE) :
		      NULL;
}

static dmasan_stack_id find(dmasan_stack_id head, uint64_t h, const uintptr_t *pcs, unsigned int n)
{
	for (dmasan_stack_id id = head; id;) {
		struct node *nd = node_of(id);

		if (!nd)
			break;
		if (nd->hash == h && nd->nframes == n && !memcmp(nd->pcs, pcs, n * sizeof(*pcs)))
			return id;
		id = nd->next;
	}
	return 0;
}

dmasan_stack_id dmasan_stack_put(const uintptr_t *pcs, unsigned int n)
{
	uint64_t h;
	dmasan_stack_id *bucket, id;
	struct node *nd;
	struct node **page;

	if (!n)
		return 0;
	if (n > DMASAN_MAX_FRAMES)
		n = DMASAN_MAX_FRAMES;
	h = hash_pcs(pcs, n);
	bucket = &buckets[h & ((1u << BUCKET_BITS) - 1)];
	id = find(__atomic_load_n(bucket, __ATOMIC_ACQUIRE), h, pcs, n);
	if (id)
		return id;

	pthread_mutex_lock(&depot_lock);
	id = find(__atomic_load_n(bucket, __ATOMIC_ACQUIRE), h, pcs, n);
	if (id || next_id >> ID_PAGE_BITS >= ID_PAGES)
		goto out;
	page = id_pages[next_id >> ID_PAGE_BITS];
	if (!page && !san_mem_fail()) {
		page = dmasan_arena_alloc(sizeof(*page) << ID_PAGE_BITS);
		if (page)
			__atomic_store_n(&id_pages[next_id >> ID_PAGE_BITS], page,
					 __ATOMIC_RELEASE);
	}
	nd = page && !san_mem_fail() ? dmasan_arena_alloc(sizeof(*nd) + n * sizeof(*pcs)) : NULL;
	if (!nd) {
		san_mem_failed(SAN_MEM_STACK);
		goto out;
	}
	nd->hash = h;
	nd->nframes = n;
	nd->next = *bucket;
	memcpy(nd->pcs, pcs, n * sizeof(*pcs));
	id = next_id++;
	__atomic_store_n(&page[id & ((1u << ID_PAGE_BITS) - 1)], nd, __ATOMIC_RELEASE);
	__atomic_store_n(bucket, id, __ATOMIC_RELEASE);
	depot_bytes += sizeof(*nd) + n * sizeof(*pcs);
out:
	pthread_mutex_unlock(&depot_lock);
	return id;
}

unsigned int dmasan_stack_get(dmasan_stack_id id, const uintptr_t **pcs)
{
	struct node *nd = node_of(id);

	*pcs = nd ? nd->pcs : NULL;
	return nd ? nd->nframes : 0;
}

void dmasan_stack_stats(size_t *stacks, size_t *bytes)
{
	pthread_mutex_lock(&depot_lock);
	if (stacks)
		*stacks = next_id - 1;
	if (bytes)
		*bytes = depot_bytes + sizeof(buckets);
	pthread_mutex_unlock(&depot_lock);
}

void dmasan_depot_lock(void)
{
	pthread_mutex_lock(&depot_lock);
	pthread_mutex_lock(&arena_lock);
}

void dmasan_depot_unlock(void)
{
	pthread_mutex_unlock(&arena_lock);
	pthread_mutex_unlock(&depot_lock);
}

/* fork (rt/fork.c): the symboliser may add to the depot's arena, so it comes first. */
void san_stacks_fork_lock(void)
{
	dmasan_symbolize_lock();
	dmasan_depot_lock();
}

void san_stacks_fork_unlock(bool child)
{
	dmasan_depot_unlock();
	dmasan_symbolize_unlock();
}
