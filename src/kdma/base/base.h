/* SPDX-License-Identifier: MIT */
/*
 * What every part of libkdma uses: the sanitizer's hook table (hooks.c), messages (printk.c),
 * the per-device state (device.c) and KDMA_OPTIONS (options.c). Nothing in src/kdma is exported
 * except the public headers' API (public_api.h.in, exports.map).
 */
#ifndef DMASAN_KDMA_BASE_BASE_H
#define DMASAN_KDMA_BASE_BASE_H

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>

#include <linux/types.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/dma-map-ops.h>
#include <linux/scatterlist.h>
#include <dmasan/sim.h>

#include "common/kdma_hooks.h"
#include "base/ptrset.h"

/* ---------------------------------------------------------------- hooks (hooks.c) ---- */

/* The sanitizer's hook table or NULL; resolved once (kdma_hooks_init) on first use. */
extern const struct kdma_hooks *kdma_hooks_table;
void kdma_hooks_init(void);
/* The sanitizer's answer to kmalloc_page_private, fixed when the hooks attach. */
extern bool kdma_kmalloc_page_private;
/* What libkdma hands the sanitizer when it attaches (base/hooks.c). */
extern const struct kdma_services kdma_services;
/* Set (release) once kdma_hooks_init has run; kdma_hooks_ensure() is the cheap check the API
 * entry points and device creation use before their first hook. */
extern atomic_bool kdma_hooks_ready;
static inline void kdma_hooks_ensure(void)
{
	if (__builtin_expect(!atomic_load_explicit(&kdma_hooks_ready, memory_order_acquire), 0))
		kdma_hooks_init();
}

/* KDMA_HOOK(map, dev, ...) calls the hook when the preload provides it. */
#define KDMA_HOOK_PRESENT(member)                                                             \
	(kdma_hooks_table &&                                                                  \
	 kdma_hooks_table->size >= offsetof(struct kdma_hooks, member) + sizeof(void *) &&    \
	 kdma_hooks_table->member)
#define KDMA_HOOK(member, ...)                                                                \
	do {                                                                                  \
		if (__builtin_expect(KDMA_HOOK_PRESENT(member), 0))                           \
			kdma_hooks_table->member(__VA_ARGS__);                                \
	} while (0)

/* ------------------------------------------------------------ messages (printk.c) ---- */

/* "DMA-API: <dev>: ..." style messages on stderr, for invalid input and kernel WARNs. */
/* vsnprintf with the kernel's %p extensions (vsprintf.c), for what drivers print. */
int kdma_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
/* "ENOMEM" for -ENOMEM and the other errors probe paths return most; NULL for the rest. */
const char *kdma_errname(int err);
void kdma_warn(const struct device *dev, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Validate the device of an API call: a NULL, ERR_PTR, garbage or destroyed device pointer gets
 * a message (and the sanitizer's bad_object event) and false, and is never dereferenced. */
bool kdma_check_dev(const struct device *dev, const char *fn);
/* Only NULL and ERR_PTR: for the calls that initialise a struct device (device_initialize, ...). */
bool kdma_check_dev_ptr(const struct device *dev, const char *fn);
/* The message and bad_object event for a device or pool pointer that is not live. */
void kdma_bad_object(const void *obj, enum kdma_object_kind kind, enum kdma_ptr_state st,
		     const char *fn);
/* Validate the direction of an API call; prints why and returns false if bad. */
bool kdma_check_dir(const struct device *dev, enum dma_data_direction dir, const char *fn);

/* ------------------------------------------------------- device state (device.c) ---- */

struct iommu_domain;
struct io_tlb_mem;
struct devres_node;

struct kdma_dev {
	struct device *dev;
	char name[64];
	char driver[64];
	struct device_driver drv;
	bool owned;                  /* allocated by dmasim_device_create (freed at destroy) */
	u64 dma_mask_storage;        /* dev->dma_mask points here for simulated devices */
	struct device_dma_parameters parms;
	struct bus_dma_region range_map[2];
	enum dmasim_iommu iommu_mode;
	enum dmasim_bounce bounce;
	bool untrusted;
	bool iommu_fromdev_rw;
	struct iommu_domain *domain; /* iommu.c, when iommu_mode != NONE */
	atomic_int refcount;
	pthread_mutex_t devres_lock;
	struct devres_node *devres_head; /* newest first: released in reverse order of addition */
};

static inline struct kdma_dev *kdma_of(const struct device *dev)
{
	return dev ? dev->kdma : NULL;
}

/* Whether dev is a live device: created or initialised, not yet destroyed (device.c). */
enum kdma_ptr_state kdma_dev_state(const struct device *dev);

/* Release all devres of dev in reverse order (device.c). */
void kdma_devres_release_all(struct device *dev);

/* ------------------------------------------------------------- options (options.c) ---- */

struct kdma_options {
#define KDMA_OPTION_bool bool
#define KDMA_OPTION_u64 u64
#define KDMA_OPTION_str const char *
#define KDMA_OPTION(type, name, def, desc) KDMA_OPTION_##type name;
#include "base/options.inc"
#undef KDMA_OPTION
};

/* Parsed once, thread-safely, on first use (kdma_opts() is cheap after that). */
const struct kdma_options *kdma_opts(void);
/* For tests: re-read KDMA_OPTIONS from the environment now. Not thread-safe. */
void kdma_options_reload(void);

#endif
