/* SPDX-License-Identifier: MIT */
/*
 * <linux/device.h> — struct device with the kernel's DMA fields, the dev_* log helpers and the
 * devres calls drivers use. Devices are created by <dmasan/sim.h> (dmasim_device_create) or by a
 * test embedding struct device in its own bus structure (see device_initialize()).
 */
#ifndef _DMASAN_SHIM_LINUX_DEVICE_H
#define _DMASAN_SHIM_LINUX_DEVICE_H

#include <linux/types.h>
#include <linux/printk.h>
#include <linux/slab.h> /* as in the kernel: kmalloc/kcalloc/kfree come with device.h */
#include <linux/completion.h> /* and completions and ida, through kobject.h */
#include <linux/idr.h>

struct dma_map_ops;
struct bus_dma_region;
struct dma_coherent_mem;
struct kdma_dev;

struct device_dma_parameters {
	unsigned int max_segment_size;
	unsigned int min_align_mask;
	unsigned long segment_boundary_mask;
};

struct device;

/* Power management callbacks: recorded, never called (no suspend/resume here). */
struct dev_pm_ops {
	int (*suspend)(struct device *dev);
	int (*resume)(struct device *dev);
	int (*freeze)(struct device *dev);
	int (*thaw)(struct device *dev);
	int (*poweroff)(struct device *dev);
	int (*restore)(struct device *dev);
};

#define SIMPLE_DEV_PM_OPS(name, suspend_fn, resume_fn)                                        \
	const struct dev_pm_ops __maybe_unused name = {                                        \
		.suspend = suspend_fn, .resume = resume_fn, .freeze = suspend_fn,              \
		.thaw = resume_fn, .poweroff = suspend_fn, .restore = resume_fn,               \
	}
#define DEFINE_SIMPLE_DEV_PM_OPS(name, suspend_fn, resume_fn)                                 \
	SIMPLE_DEV_PM_OPS(name, suspend_fn, resume_fn)
#define pm_sleep_ptr(ptr) (ptr)
#define pm_ptr(ptr) (ptr)

struct device_driver {
	const char *name;
	const struct dev_pm_ops *pm;
};

struct device {
	struct device *parent;
	const char *init_name;
	const struct device_driver *driver;
	void *driver_data;
	void *platform_data;
	int numa_node;

	/* DMA, with the kernel's names and meaning */
	const struct dma_map_ops *dma_ops;
	u64 *dma_mask;                /* streaming mask; NULL: the device cannot do DMA */
	u64 coherent_dma_mask;        /* like dma_mask, for coherent allocations */
	u64 bus_dma_limit;            /* upstream bridge limit; 0: none */
	const struct bus_dma_region *dma_range_map;
	struct device_dma_parameters *dma_parms;
	struct list_head dma_pools;   /* dma pools (if dma'ble) */
	struct dma_coherent_mem *dma_mem; /* per-device coherent memory (dma_declare_coherent_memory) */
	bool dma_coherent;            /* hardware keeps caches coherent */
	bool dma_skip_sync;           /* dma_need_sync() fast-path bit (6.10+) */
	bool dma_iommu;               /* DMA goes through the (emulated) IOMMU */
	bool dma_ops_bypass;
	bool removable;

	/* called when the last reference goes (put_device), for devices a test embeds */
	void (*release)(struct device *dev);

	/* dmasan-private state (devres list, IOMMU domain, names...); not for driver use */
	struct kdma_dev *kdma;
};

const char *dev_name(const struct device *dev);
int dev_set_name(struct device *dev, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *dev_driver_string(const struct device *dev);

/* For tests that embed struct device in their own bus device instead of dmasim_device_create():
 * device_initialize() zeroes nothing, sets up the private state; device_del() is the unbind. */
void device_initialize(struct device *dev);
void device_del(struct device *dev);

/* The driver core's pair: device_register() = device_initialize() + device_add();
 * device_unregister() unbinds and drops the reference, calling dev->release at the last one. */
int device_add(struct device *dev);
int device_register(struct device *dev);
void device_unregister(struct device *dev);

struct device *get_device(struct device *dev);
void put_device(struct device *dev);

static inline void *dev_get_drvdata(const struct device *dev)
{
	return dev->driver_data;
}

static inline void dev_set_drvdata(struct device *dev, void *data)
{
	dev->driver_data = data;
}

static inline int dev_to_node(const struct device *dev)
{
	return dev ? dev->numa_node : -1;
}

static inline void set_dev_node(struct device *dev, int node)
{
	dev->numa_node = node;
}

/* devres: managed resources released at unbind (dmasim_device_destroy / device_del) */
typedef void (*dr_release_t)(struct device *dev, void *res);
typedef int (*dr_match_t)(struct device *dev, void *res, void *match_data);
void *devres_alloc(dr_release_t release, size_t size, gfp_t gfp);
void devres_free(void *res);
void devres_add(struct device *dev, void *res);
void *devres_find(struct device *dev, dr_release_t release, dr_match_t match, void *match_data);
int devres_destroy(struct device *dev, dr_release_t release, dr_match_t match, void *match_data);
int devres_release(struct device *dev, dr_release_t release, dr_match_t match, void *match_data);
int devm_add_action(struct device *dev, void (*action)(void *), void *data);
int devm_add_action_or_reset(struct device *dev, void (*action)(void *), void *data);
void *devm_kmalloc(struct device *dev, size_t size, gfp_t gfp);
void *devm_kzalloc(struct device *dev, size_t size, gfp_t gfp);
void *devm_kcalloc(struct device *dev, size_t n, size_t size, gfp_t gfp);
void devm_kfree(struct device *dev, const void *p);

/* Kernel log helpers: "<driver> <dev_name>: message" on stderr, like dev_printk. */
void _dev_printk(const char *level, const struct device *dev, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define dev_emerg(dev, fmt, ...) _dev_printk(KERN_EMERG, dev, fmt, ##__VA_ARGS__)
#define dev_crit(dev, fmt, ...) _dev_printk(KERN_CRIT, dev, fmt, ##__VA_ARGS__)
#define dev_alert(dev, fmt, ...) _dev_printk(KERN_ALERT, dev, fmt, ##__VA_ARGS__)
#define dev_err(dev, fmt, ...) _dev_printk(KERN_ERR, dev, fmt, ##__VA_ARGS__)
#define dev_warn(dev, fmt, ...) _dev_printk(KERN_WARNING, dev, fmt, ##__VA_ARGS__)
#define dev_notice(dev, fmt, ...) _dev_printk(KERN_NOTICE, dev, fmt, ##__VA_ARGS__)
#define dev_info(dev, fmt, ...) _dev_printk(KERN_INFO, dev, fmt, ##__VA_ARGS__)
#define dev_dbg(dev, fmt, ...) _dev_printk(KERN_DEBUG, dev, fmt, ##__VA_ARGS__)
#define dev_err_ratelimited dev_err
#define dev_warn_ratelimited dev_warn
#define dev_info_ratelimited dev_info
/* Wake-up sources have no model here: said once. */
static inline int device_set_wakeup_enable(struct device *dev, bool enable)
{
	(void)dev;
	(void)enable;
	KDMA_STUB_ONCE("device_set_wakeup_enable");
	return 0;
}

#define dev_err_once dev_err
#define dev_warn_once dev_warn
#define dev_info_once dev_info
#define dev_WARN(dev, fmt, ...) _dev_printk(KERN_WARNING, dev, fmt, ##__VA_ARGS__)
#define dev_WARN_ONCE(dev, cond, fmt, ...)                                                    \
	({                                                                                     \
		static bool __dev_warned;                                                      \
		int __c = !!(cond);                                                            \
		if (__c && !__dev_warned) {                                                    \
			__dev_warned = true;                                                   \
			_dev_printk(KERN_WARNING, dev, fmt, ##__VA_ARGS__);                    \
		}                                                                              \
		__c;                                                                           \
	})
int dev_err_probe(const struct device *dev, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
