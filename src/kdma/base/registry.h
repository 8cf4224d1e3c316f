/* SPDX-License-Identifier: MIT */
/* Registered drivers of one bus (pci_register_driver, platform_driver_register): a small table. */
#ifndef KDMA_BASE_REGISTRY_H
#define KDMA_BASE_REGISTRY_H

#include <pthread.h>
#include <stdbool.h>

#define KDMA_REGISTRY_SLOTS 32

struct kdma_registry {
	const char *bus;
	void *slot[KDMA_REGISTRY_SLOTS];
	pthread_mutex_t lock;
};

#define KDMA_REGISTRY_INIT(busname) { .bus = (busname), .lock = PTHREAD_MUTEX_INITIALIZER }

/* 0, or -ENOSPC with a message naming the driver. Adding twice keeps one entry. */
int kdma_registry_add(struct kdma_registry *r, void *drv, const char *name);
void kdma_registry_del(struct kdma_registry *r, void *drv);
/* The first driver for which match(drv, arg) is true, or NULL. */
void *kdma_registry_find(struct kdma_registry *r, bool (*match)(void *drv, void *arg), void *arg);

#endif
