// SPDX-License-Identifier: MIT
#include <errno.h>

#include "base/registry.h"
#include "base/base.h"
#include "mm/mm.h"

int kdma_registry_add(struct kdma_registry *r, void *drv, const char *name)
{
	int ret = -ENOSPC;

	pthread_mutex_lock(&r->lock);
	for (int i = 0; i < KDMA_REGISTRY_SLOTS && ret; i++) {
		if (r->slot[i] == drv)
			ret = 0;
	}
	for (int i = 0; i < KDMA_REGISTRY_SLOTS && ret; i++) {
		if (!r->slot[i]) {
			r->slot[i] = drv;
			ret = 0;
		}
	}
	pthread_mutex_unlock(&r->lock);
	if (ret)
		kdma_warn(NULL, "%s driver %s: more than %d drivers registered", r->bus, name,
			  KDMA_REGISTRY_SLOTS);
	return ret;
}

void kdma_registry_del(struct kdma_registry *r, void *drv)
{
	pthread_mutex_lock(&r->lock);
	for (int i = 0; i < KDMA_REGISTRY_SLOTS; i++)
		if (r->slot[i] == drv)
			r->slot[i] = NULL;
	pthread_mutex_unlock(&r->lock);
}

void *kdma_registry_find(struct kdma_registry *r, bool (*match)(void *drv, void *arg), void *arg)
{
	void *found = NULL;

	pthread_mutex_lock(&r->lock);
	for (int i = 0; i < KDMA_REGISTRY_SLOTS && !found; i++)
		if (r->slot[i] && match(r->slot[i], arg))
			found = r->slot[i];
	pthread_mutex_unlock(&r->lock);
	return found;
}
