// SPDX-License-Identifier: MIT
/*
 * Devices: simulated ones (dmasim_device_create/destroy, <dmasan/sim.h>) and struct devices that
 * tests embed in their own bus structures (device_initialize/device_del). Both carry the private
 * state of struct kdma_dev: names, devres list, IOMMU domain, reference count. Also the dev_*
 * naming and logging helpers.
 *
 * Unbind order, as the kernel's driver core: devres released (newest first) → per-device
 * coherent memory → the sanitizer's leak check (device_destroy hook) → IOMMU detach → free.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dma/dmacore.h"

static atomic_uint dmasim_next_id;

/* Every live device: what kdma_check_dev asks before any API call touches a device. A device
 * leaves it at unbind (destroy, device_del), before it is freed. */
static struct kdma_ptrset live_devices = KDMA_PTRSET_INIT;

enum kdma_ptr_state kdma_dev_state(const struct device *dev)
{
	return kdma_ptrset_state(&live_devices, dev);
}

static struct kdma_dev *kdma_dev_new(struct device *dev, bool owned)
{
	struct kdma_dev *kd = kdma_zalloc(sizeof(*kd));

	if (!kd)
		return NULL;
	if (kdma_ptrset_add(&live_devices, dev)) {
		kdma_free(kd);
		return NULL;
	}
	kd->dev = dev;
	kd->owned = owned;
	atomic_init(&kd->refcount, 1);
	pthread_mutex_init(&kd->devres_lock, NULL);
	return kd;
}

static void kdma_dev_free(struct device *dev)
{
	struct kdma_dev *kd = kdma_of(dev);
	bool owned = kd->owned;

	kdma_ptrset_del(&live_devices, dev);
	pthread_mutex_destroy(&kd->devres_lock);
	dev->kdma = NULL;
	kdma_free(kd);
	if (owned)
		kdma_free(dev);
	else if (dev->release)
		dev->release(dev); /* the embedding structure may be freed here: touch dev no more */
}

static void list_init(struct list_head *l)
{
	l->next = l->prev = l;
}

/* -------------------------------------------------------------- simulated devices ---- */

static bool config_ok(const struct dmasim_config *cfg)
{
	const char *name = cfg->name ? cfg->name : "dmasim";
	phys_addr_t cpu_end;
	dma_addr_t dma_end;

	if (cfg->name && (!cfg->name[0] || strlen(cfg->name) >= sizeof(((struct kdma_dev *)0)->name))) {
		kdma_warn(NULL, "dmasim_device_create: name must be 1..63 characters");
		return false;
	}
	if (cfg->driver && strlen(cfg->driver) >= sizeof(((struct kdma_dev *)0)->driver)) {
		kdma_warn(NULL, "dmasim_device_create(%s): driver name longer than 63 characters",
			  name);
		return false;
	}
	if ((unsigned int)cfg->iommu > DMASIM_IOMMU_LAZY ||
	    (unsigned int)cfg->bounce > DMASIM_BOUNCE_FORCE) {
		kdma_warn(NULL, "dmasim_device_create(%s): invalid iommu (%d) or bounce (%d) mode",
			  name, (int)cfg->iommu, (int)cfg->bounce);
		return false;
	}
	if (!cfg->dma_range.size)
		return true;
	if (__builtin_add_overflow(cfg->dma_range.cpu_start, cfg->dma_range.size - 1, &cpu_end) ||
	    __builtin_add_overflow(cfg->dma_range.dma_start, cfg->dma_range.size - 1, &dma_end)) {
		kdma_warn(NULL, "dmasim_device_create(%s): dma_range wraps around the address space",
			  name);
		return false;
	}
	if (cfg->dma_range.cpu_start > kdma_max_phys()) {
		kdma_warn(NULL, "dmasim_device_create(%s): dma_range [%#llx, %#llx] does not overlap "
			  "memory (top of RAM %#llx)", name,
			  (unsigned long long)cfg->dma_range.cpu_start, (unsigned long long)cpu_end,
			  (unsigned long long)kdma_max_phys());
		return false;
	}
	if (dma_end == DMA_MAPPING_ERROR) {
		kdma_warn(NULL, "dmasim_device_create(%s): dma_range reaches bus address %#llx, "
			  "which is DMA_MAPPING_ERROR", name, (unsigned long long)dma_end);
		return false;
	}
	return true;
}

/* KDMA_OPTIONS=iommu=strict|lazy|off: the mode of devices whose creator chose none. */
static enum dmasim_iommu default_iommu(void)
{
	static atomic_bool warned;
	const char *v = kdma_opts()->iommu;

	if (!v || !strcmp(v, "off") || !strcmp(v, "none") || !strcmp(v, "0") || !v[0])
		return DMASIM_IOMMU_NONE;
	if (!strcmp(v, "strict"))
		return DMASIM_IOMMU_STRICT;
	if (!strcmp(v, "lazy"))
		return DMASIM_IOMMU_LAZY;
	if (!atomic_exchange(&warned, true))
		kdma_warn(NULL, "KDMA_OPTIONS: invalid value '%s' for iommu (expected strict, lazy "
			  "or off); devices stay off the IOMMU", v);
	return DMASIM_IOMMU_NONE;
}

static void dmasim_setup(struct device *dev, struct kdma_dev *kd, const struct dmasim_config *cfg)
{
	if (cfg->name)
		snprintf(kd->name, sizeof(kd->name), "%s", cfg->name);
	else
		snprintf(kd->name, sizeof(kd->name), "dmasim%u", atomic_fetch_add(&dmasim_next_id, 1));
	snprintf(kd->driver, sizeof(kd->driver), "%s", cfg->driver ? cfg->driver : "dmasim");
	kd->drv.name = kd->driver;
	dev->driver = &kd->drv;
	dev->init_name = kd->name;
	dev->numa_node = NUMA_NO_NODE;
	list_init(&dev->dma_pools);

	kd->dma_mask_storage = cfg->dma_mask ? cfg->dma_mask : DMA_BIT_MASK(32);
	dev->dma_mask = &kd->dma_mask_storage;
	dev->coherent_dma_mask = cfg->coherent_dma_mask ? cfg->coherent_dma_mask : DMA_BIT_MASK(32);
	dev->bus_dma_limit = cfg->bus_dma_limit;
	dev->dma_coherent = cfg->coherent;

	kd->parms.max_segment_size = cfg->max_segment_size ? cfg->max_segment_size : 65536;
	kd->parms.segment_boundary_mask =
		cfg->segment_boundary_mask ? cfg->segment_boundary_mask : 0xffffffffUL;
	kd->parms.min_align_mask = cfg->min_align_mask;
	dev->dma_parms = &kd->parms;

	if (cfg->dma_range.size) {
		kd->range_map[0].cpu_start = cfg->dma_range.cpu_start;
		kd->range_map[0].dma_start = cfg->dma_range.dma_start;
		kd->range_map[0].size = cfg->dma_range.size;
		dev->dma_range_map = kd->range_map; /* range_map[1] is the zero terminator */
	}
	kd->iommu_mode = cfg->iommu != DMASIM_IOMMU_NONE ? cfg->iommu : default_iommu();
	kd->bounce = cfg->bounce;
	kd->untrusted = cfg->untrusted;
	kd->iommu_fromdev_rw = cfg->iommu_fromdev_rw;
	dev->dma_iommu = kd->iommu_mode != DMASIM_IOMMU_NONE;
}

struct device *dmasim_device_create(const struct dmasim_config *cfg)
{
	static const struct dmasim_config defaults;
	struct kdma_dev *kd;
	struct device *dev;
	int err;

	kdma_hooks_ensure();
	if (!cfg)
		cfg = &defaults;
	if (!config_ok(cfg))
		return NULL;
	dev = kdma_zalloc(sizeof(*dev));
	kd = dev ? kdma_dev_new(dev, true) : NULL;
	if (!kd) {
		kdma_free(dev);
		kdma_warn(NULL, "dmasim_device_create: out of memory");
		return NULL;
	}
	dev->kdma = kd;
	dmasim_setup(dev, kd, cfg);

	if (dev->dma_iommu) {
		err = kdma_iommu_attach(dev);
		if (err) {
			kdma_warn(dev, "dmasim_device_create: IOMMU attach failed (%d)", err);
			goto free;
		}
	}
	if (cfg->reserved_mem_size) {
		err = kdma_dev_reserve_coherent(dev, cfg->reserved_mem_size);
		if (err) {
			kdma_warn(dev, "dmasim_device_create: reserved coherent memory of %zu bytes "
				  "failed (%d)", cfg->reserved_mem_size, err);
			if (dev->dma_iommu)
				kdma_iommu_detach(dev);
			goto free;
		}
	}
	kdma_setup_need_sync(dev);
	KDMA_HOOK(device_create, dev);
	return dev;

free:
	kdma_dev_free(dev);
	return NULL;
}

/* Driver unbind: what devres does not release now is the driver's leak. */
static void device_unbind(struct device *dev)
{
	struct kdma_dev *kd = kdma_of(dev);

	kdma_devres_release_all(dev);
	kdma_release_dev_coherent(dev);
	KDMA_HOOK(device_destroy, dev);
	/* from here on the API refuses the device (a reference may keep its memory a while) */
	kdma_ptrset_del(&live_devices, dev);
	/* pools the driver never destroyed stay (leaked, as in the kernel) but must not point at
	 * the device about to be freed */
	kdma_dev_unlink_pools(dev);
	if (kd->iommu_mode != DMASIM_IOMMU_NONE)
		kdma_iommu_detach(dev);
}

void dmasim_device_destroy(struct device *dev)
{
	struct kdma_dev *kd;

	kdma_hooks_ensure();
	if (!dev)
		return;
	if (!kdma_check_dev(dev, __func__))
		return;
	kd = kdma_of(dev);
	if (!kd || !kd->owned) {
		kdma_warn(dev, "dmasim_device_destroy: not a device of dmasim_device_create");
		return;
	}
	device_unbind(dev);
	put_device(dev);
}

/* ---------------------------------------------------------------- embedded devices ---- */

void device_initialize(struct device *dev)
{
	struct kdma_dev *kd;

	kdma_hooks_ensure();
	if (!kdma_check_dev_ptr(dev, __func__) || dev->kdma)
		return; /* already initialized (e.g. by dev_set_name): keep the state */
	kd = kdma_dev_new(dev, false);
	if (!kd) {
		kdma_warn(dev, "device_initialize: out of memory");
		return;
	}
	if (dev->init_name)
		snprintf(kd->name, sizeof(kd->name), "%s", dev->init_name);
	if (dev->driver && dev->driver->name)
		snprintf(kd->driver, sizeof(kd->driver), "%s", dev->driver->name);
	list_init(&dev->dma_pools);
	dev->kdma = kd;
	kd->iommu_mode = default_iommu();
	if (kd->iommu_mode != DMASIM_IOMMU_NONE && kdma_iommu_attach(dev)) {
		kdma_warn(dev, "device_initialize: IOMMU attach failed; direct mapping");
		kd->iommu_mode = DMASIM_IOMMU_NONE;
	}
	KDMA_HOOK(device_create, dev);
}

int dmasim_device_set_platform(struct device *dev, enum dmasim_iommu iommu,
			       enum dmasim_bounce bounce)
{
	struct kdma_dev *kd;
	enum dmasim_iommu old;
	int err;

	kdma_hooks_ensure();
	if (!kdma_check_dev(dev, __func__))
		return -EINVAL;
	kd = kdma_of(dev);
	if (!kd)
		return -EINVAL;
	if ((unsigned int)iommu > DMASIM_IOMMU_LAZY || (unsigned int)bounce > DMASIM_BOUNCE_FORCE) {
		kdma_warn(dev, "dmasim_device_set_platform: invalid iommu (%d) or bounce (%d) mode",
			  (int)iommu, (int)bounce);
		return -EINVAL;
	}
	kd->bounce = bounce;
	old = kd->iommu_mode;
	if (iommu == old)
		return 0;
	if (old != DMASIM_IOMMU_NONE)
		kdma_iommu_detach(dev);
	kd->iommu_mode = iommu;
	dev->dma_iommu = iommu != DMASIM_IOMMU_NONE;
	err = kdma_iommu_attach(dev);
	if (err) {
		kdma_warn(dev, "dmasim_device_set_platform: IOMMU attach failed (%d)", err);
		kd->iommu_mode = DMASIM_IOMMU_NONE;
		dev->dma_iommu = false;
	}
	kdma_setup_need_sync(dev);
	return err;
}

void device_del(struct device *dev)
{
	kdma_hooks_ensure();
	if (!kdma_check_dev(dev, __func__) || !dev->kdma)
		return;
	device_unbind(dev);
	put_device(dev); /* the reference of device_initialize */
}

int device_add(struct device *dev)
{
	kdma_hooks_ensure();
	if (!kdma_check_dev_ptr(dev, __func__))
		return -EINVAL;
	if (!dev->kdma)
		device_initialize(dev);
	return dev->kdma ? 0 : -ENOMEM;
}

int device_register(struct device *dev)
{
	if (!kdma_check_dev_ptr(dev, __func__))
		return -EINVAL;
	device_initialize(dev);
	return device_add(dev);
}

/* device_del() here already drops device_initialize()'s reference (its callers rely on that). */
void device_unregister(struct device *dev)
{
	device_del(dev);
}

struct device *get_device(struct device *dev)
{
	struct kdma_dev *kd = kdma_of(dev);

	if (kd)
		atomic_fetch_add(&kd->refcount, 1);
	return dev;
}

void put_device(struct device *dev)
{
	struct kdma_dev *kd = kdma_of(dev);

	if (kd && atomic_fetch_sub(&kd->refcount, 1) == 1)
		kdma_dev_free(dev);
}

/* ------------------------------------------------------------------ names and logs ---- */

const char *dev_name(const struct device *dev)
{
	const struct kdma_dev *kd;

	if (!dev)
		return "(NULL device *)";
	if (kdma_dev_state(dev) == KDMA_PTR_DEAD)
		return "(destroyed device)"; /* its memory may be gone */
	kd = kdma_of(dev);
	if (kd && kd->name[0])
		return kd->name;
	return dev->init_name ? dev->init_name : "";
}

int dev_set_name(struct device *dev, const char *fmt, ...)
{
	va_list ap;

	if (!kdma_check_dev_ptr(dev, __func__) || !fmt)
		return -EINVAL;
	if (!dev->kdma)
		device_initialize(dev);
	if (!dev->kdma)
		return -ENOMEM;
	va_start(ap, fmt);
	vsnprintf(dev->kdma->name, sizeof(dev->kdma->name), fmt, ap);
	va_end(ap);
	return 0;
}

const char *dev_driver_string(const struct device *dev)
{
	const struct kdma_dev *kd = kdma_of(dev);

	if (!dev)
		return "";
	if (dev->driver && dev->driver->name)
		return dev->driver->name;
	return kd ? kd->driver : "";
}

static void dev_vprintk(const char *level, const struct device *dev, const char *prefix,
			const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));
static void dev_vprintk(const char *level, const struct device *dev, const char *prefix,
			const char *fmt, va_list ap)
{
	char buf[1024];
	size_t len;

	/* KERN_DEBUG (dev_dbg) is compiled out in the kernel without DEBUG/dynamic debug. */
	if (level && level[0] == KERN_SOH[0] && level[1] == '7')
		return;
	while (fmt[0] == KERN_SOH[0] && fmt[1])
		fmt += 2;
	len = (size_t)snprintf(buf, sizeof(buf), "%s %s: %s", dev ? dev_driver_string(dev) : "",
			       dev_name(dev), prefix);
	if (len < sizeof(buf))
		kdma_vsnprintf(buf + len, sizeof(buf) - len, fmt, ap);
	len = strlen(buf);
	if (len && buf[len - 1] != '\n' && len + 1 < sizeof(buf))
		buf[len++] = '\n', buf[len] = '\0';
	fputs(buf, stderr); /* one call: lines of several threads stay whole */
}

void _dev_printk(const char *level, const struct device *dev, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dev_vprintk(level, dev, "", fmt, ap);
	va_end(ap);
}

int dev_err_probe(const struct device *dev, int err, const char *fmt, ...)
{
	char prefix[48];
	const char *name = kdma_errname(err);
	va_list ap;

	if (name)
		snprintf(prefix, sizeof(prefix), "error -%s: ", name);
	else
		snprintf(prefix, sizeof(prefix), "error %d: ", err);
	va_start(ap, fmt);
	/* A deferred probe is routine: logged at debug level only. */
	dev_vprintk(err == -EPROBE_DEFER ? KERN_DEBUG : KERN_ERR, dev, prefix, fmt, ap);
	va_end(ap);
	return err;
}
