// SPDX-License-Identifier: MIT
/*
 * An open-addressing table of fence records under one mutex. Released records are dropped when
 * the table fills up (rebuilt without them); live ones are never lost, and when live fences alone
 * fill it, new ones are simply not tracked (no check can then fire on them).
 */
#include <pthread.h>
#include <string.h>

#include "checks/fence_table.h"

#define SLOTS 8192u /* a power of two */

static struct san_fence slots[SLOTS], spare[SLOTS];
static unsigned int used;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static unsigned int slot_of(const void *key)
{
	u64 h = (u64)(uintptr_t)key * 0x9e3779b97f4a7c15ull;

	return (unsigned int)(h >> 40) & (SLOTS - 1);
}

static struct san_fence *probe(const void *key, bool *found)
{
	for (unsigned int i = slot_of(key), n = 0; n < SLOTS; i = (i + 1) & (SLOTS - 1), n++) {
		if (slots[i].key == key || !slots[i].key) {
			*found = slots[i].key == key;
			return &slots[i];
		}
	}
	*found = false;
	return NULL;
}

/* Rebuild with the live records only. */
static void purge_released(void)
{
	unsigned int n = 0;

	memcpy(spare, slots, sizeof(slots));
	memset(slots, 0, sizeof(slots));
	used = 0;
	for (unsigned int i = 0; i < SLOTS; i++) {
		bool found;
		struct san_fence *s;

		if (!spare[i].key || spare[i].state != SAN_FENCE_LIVE)
			continue;
		s = probe(spare[i].key, &found);
		*s = spare[i];
		n++;
	}
	used = n;
}

bool san_fence_update(const void *key, bool create, san_fence_fn fn, void *arg,
		      struct san_fence *out)
{
	struct san_fence *s;
	bool found, keep = false;

	if (!key)
		return false;
	pthread_mutex_lock(&lock);
	s = probe(key, &found);
	if (!found && create && used >= SLOTS / 4 * 3) {
		purge_released();
		s = probe(key, &found);
	}
	if (!found && (!create || !s || used >= SLOTS - 1))
		goto out;
	if (!found) {
		memset(s, 0, sizeof(*s));
		s->key = key;
		used++;
	}
	keep = fn(s, arg);
	if (keep && out)
		*out = *s;
out:
	pthread_mutex_unlock(&lock);
	return keep;
}

unsigned int san_fence_live(struct san_fence *out, unsigned int max)
{
	unsigned int n = 0;

	pthread_mutex_lock(&lock);
	for (unsigned int i = 0; i < SLOTS && n < max; i++)
		if (slots[i].key && slots[i].state == SAN_FENCE_LIVE)
			out[n++] = slots[i];
	pthread_mutex_unlock(&lock);
	return n;
}

unsigned int san_fence_take_unsignalled(const char *driver, struct san_fence *out,
					unsigned int max)
{
	unsigned int n = 0;

	pthread_mutex_lock(&lock);
	for (unsigned int i = 0; i < SLOTS && n < max; i++) {
		struct san_fence *f = &slots[i];

		if (!f->key || f->state != SAN_FENCE_LIVE || f->signalled || f->container || f->inherited ||
		    f->unbind_reported || strcmp(f->driver, driver))
			continue;
		f->unbind_reported = true;
		out[n++] = *f;
	}
	pthread_mutex_unlock(&lock);
	return n;
}

void san_fence_table_fork_lock(void)
{
	pthread_mutex_lock(&lock);
}

void san_fence_table_fork_unlock(bool child)
{
	if (child)
		for (unsigned int i = 0; i < SLOTS; i++)
			if (slots[i].key && slots[i].state == SAN_FENCE_LIVE)
				slots[i].inherited = true;
	pthread_mutex_unlock(&lock);
}

static bool pending_fn(struct san_fence *f, void *arg)
{
	return f->state == SAN_FENCE_LIVE && !f->signalled;
}

bool san_fence_pending(const void *key, struct san_fence *out)
{
	return san_fence_update(key, false, pending_fn, NULL, out);
}
