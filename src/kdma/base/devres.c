// SPDX-License-Identifier: MIT
/*
 * devres (drivers/base/devres.c): resources released automatically at unbind, newest first.
 * Each resource is one kmalloc object — a header padded to ARCH_DMA_MINALIGN, then the data — as
 * in the kernel, so devm_kmalloc memory is kmalloc memory to the sanitizer as well (mapping it is
 * legal; freeing it while mapped is caught).
 */
#include <errno.h>
#include <string.h>

#include <linux/cache.h>
#include <linux/slab.h>

#include "base/base.h"

struct devres_node {
	struct devres_node *next;
	dr_release_t release;
	size_t size;
	bool added;
};

/* The data starts ARCH_DMA_MINALIGN bytes in, so it is as DMA-safe as a kmalloc buffer. */
union devres_hdr {
	struct devres_node node;
	char pad[ARCH_DMA_MINALIGN];
};
_Static_assert(sizeof(struct devres_node) <= ARCH_DMA_MINALIGN, "devres header too large");

static inline void *dr_data(struct devres_node *n)
{
	return (char *)n + sizeof(union devres_hdr);
}

static inline struct devres_node *dr_node(const void *res)
{
	return (struct devres_node *)((char *)res - sizeof(union devres_hdr));
}

void *devres_alloc(dr_release_t release, size_t size, gfp_t gfp)
{
	struct devres_node *n;
	size_t total;

	if (!release) {
		kdma_warn(NULL, "devres_alloc: NULL release function");
		return NULL;
	}
	if (__builtin_add_overflow(size, sizeof(union devres_hdr), &total))
		return NULL;
	n = kmalloc(total, gfp);
	if (!n)
		return NULL;
	if (!(gfp & __GFP_ZERO))
		memset(n, 0, sizeof(union devres_hdr));
	n->release = release;
	n->size = size;
	return dr_data(n);
}

void devres_free(void *res)
{
	struct devres_node *n;

	if (!res)
		return;
	n = dr_node(res);
	if (n->added) {
		kdma_warn(NULL, "devres_free: resource %p is still on a device's list; not freed",
			  res);
		return;
	}
	kfree(n);
}

static struct kdma_dev *devres_dev(struct device *dev, const char *fn)
{
	struct kdma_dev *kd;

	if (!kdma_check_dev(dev, fn))
		return NULL;
	kd = kdma_of(dev);
	if (!kd)
		kdma_warn(dev, "%s: the device was not initialized (dmasim_device_create or "
			  "device_initialize)", fn);
	return kd;
}

void devres_add(struct device *dev, void *res)
{
	struct kdma_dev *kd = devres_dev(dev, __func__);
	struct devres_node *n;

	if (!kd || !res)
		return;
	n = dr_node(res);
	pthread_mutex_lock(&kd->devres_lock);
	n->added = true;
	n->next = kd->devres_head;
	kd->devres_head = n;
	pthread_mutex_unlock(&kd->devres_lock);
}

/* Unlinks and returns the newest matching node, or NULL. Caller holds devres_lock. */
static struct devres_node *dr_unlink(struct device *dev, struct kdma_dev *kd, dr_release_t release,
				     dr_match_t match, void *match_data)
{
	struct devres_node **pp, *n;

	for (pp = &kd->devres_head; (n = *pp); pp = &n->next) {
		if (n->release != release || (match && !match(dev, dr_data(n), match_data)))
			continue;
		*pp = n->next;
		n->added = false;
		return n;
	}
	return NULL;
}

void *devres_find(struct device *dev, dr_release_t release, dr_match_t match, void *match_data)
{
	struct kdma_dev *kd = devres_dev(dev, __func__);
	struct devres_node *n;
	void *res = NULL;

	if (!kd)
		return NULL;
	pthread_mutex_lock(&kd->devres_lock);
	for (n = kd->devres_head; n && !res; n = n->next)
		if (n->release == release && (!match || match(dev, dr_data(n), match_data)))
			res = dr_data(n);
	pthread_mutex_unlock(&kd->devres_lock);
	return res;
}

/* devres_destroy frees without calling release; devres_release calls it first. */
static int dr_remove(struct device *dev, dr_release_t release, dr_match_t match, void *match_data,
		     bool call_release, const char *fn)
{
	struct kdma_dev *kd = devres_dev(dev, fn);
	struct devres_node *n;

	if (!kd)
		return -ENOENT;
	pthread_mutex_lock(&kd->devres_lock);
	n = dr_unlink(dev, kd, release, match, match_data);
	pthread_mutex_unlock(&kd->devres_lock);
	if (!n)
		return -ENOENT;
	if (call_release)
		n->release(dev, dr_data(n));
	kfree(n);
	return 0;
}

int devres_destroy(struct device *dev, dr_release_t release, dr_match_t match, void *match_data)
{
	return dr_remove(dev, release, match, match_data, false, __func__);
}

int devres_release(struct device *dev, dr_release_t release, dr_match_t match, void *match_data)
{
	return dr_remove(dev, release, match, match_data, true, __func__);
}

void kdma_devres_release_all(struct device *dev)
{
	struct kdma_dev *kd = kdma_of(dev);
	struct devres_node *list, *n;

	if (!kd)
		return;
	/* A release callback may add resources (rare); loop until the list stays empty. */
	for (;;) {
		pthread_mutex_lock(&kd->devres_lock);
		list = kd->devres_head;
		kd->devres_head = NULL;
		pthread_mutex_unlock(&kd->devres_lock);
		if (!list)
			return;
		while ((n = list)) {
			list = n->next;
			n->added = false;
			n->release(dev, dr_data(n));
			kfree(n);
		}
	}
}

/* ------------------------------------------------------------------ devm_* helpers ---- */

struct action_devres {
	void (*action)(void *);
	void *data;
};

static void devm_action_release(struct device *dev, void *res)
{
	struct action_devres *a = res;

	a->action(a->data);
}

int devm_add_action(struct device *dev, void (*action)(void *), void *data)
{
	struct action_devres *a;

	if (!devres_dev(dev, __func__) || !action)
		return -EINVAL;
	a = devres_alloc(devm_action_release, sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	a->action = action;
	a->data = data;
	devres_add(dev, a);
	return 0;
}

int devm_add_action_or_reset(struct device *dev, void (*action)(void *), void *data)
{
	int ret = devm_add_action(dev, action, data);

	if (ret && action)
		action(data);
	return ret;
}

static void devm_kmalloc_release(struct device *dev, void *res)
{
	/* the memory is the devres itself: freed with it */
}

static int devm_kmalloc_match(struct device *dev, void *res, void *data)
{
	return res == data;
}

void *devm_kmalloc(struct device *dev, size_t size, gfp_t gfp)
{
	void *p;

	if (!devres_dev(dev, __func__))
		return NULL;
	if (!size)
		return ZERO_SIZE_PTR;
	p = devres_alloc(devm_kmalloc_release, size, gfp);
	if (p)
		devres_add(dev, p);
	return p;
}

void *devm_kzalloc(struct device *dev, size_t size, gfp_t gfp)
{
	return devm_kmalloc(dev, size, gfp | __GFP_ZERO);
}

void *devm_kcalloc(struct device *dev, size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return devm_kmalloc(dev, bytes, gfp | __GFP_ZERO);
}

void devm_kfree(struct device *dev, const void *p)
{
	if (ZERO_OR_NULL_PTR(p))
		return;
	if (devres_destroy(dev, devm_kmalloc_release, devm_kmalloc_match, (void *)p))
		kdma_warn(dev, "devm_kfree: %p was not allocated with devm_kmalloc on this device", p);
}
