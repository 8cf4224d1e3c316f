/* SPDX-License-Identifier: MIT */
/*
 * <linux/dma-buf.h> — buffer sharing between drivers (Documentation/driver-api/dma-buf.rst). An
 * exporter wraps its memory in a dma_buf with dma_buf_ops; importers attach their device, map the
 * attachment (the exporter returns an sg_table mapped for the importer's device), and bracket CPU
 * access with dma_buf_begin_cpu_access/end_cpu_access so the exporter can sync caches. Fences in
 * dmabuf->resv order the users. File descriptors are simulated by a small table (dma_buf_fd,
 * dma_buf_get); the reference count stands for the file's.
 */
#ifndef _DMASAN_SHIM_LINUX_DMA_BUF_H
#define _DMASAN_SHIM_LINUX_DMA_BUF_H

#include <linux/types.h>
#include <linux/device.h>
#include <linux/dma-direction.h>
#include <linux/dma-resv.h>
#include <linux/err.h>
#include <linux/iosys-map.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>

struct dma_buf;
struct dma_buf_attachment;

struct dma_buf_ops {
	bool cache_sgt_mapping;
	int (*attach)(struct dma_buf *dmabuf, struct dma_buf_attachment *attach);
	void (*detach)(struct dma_buf *dmabuf, struct dma_buf_attachment *attach);
	/* A dynamic exporter (one that can move its buffer) has both; called with the resv lock
	 * held. A pinned buffer must not move. */
	int (*pin)(struct dma_buf_attachment *attach);
	void (*unpin)(struct dma_buf_attachment *attach);
	/* Mapped for attach->dev: the exporter maps through the DMA API (dma_map_sgtable). */
	struct sg_table *(*map_dma_buf)(struct dma_buf_attachment *attach,
					enum dma_data_direction dir);
	void (*unmap_dma_buf)(struct dma_buf_attachment *attach, struct sg_table *sgt,
			      enum dma_data_direction dir);
	void (*release)(struct dma_buf *dmabuf);
	int (*begin_cpu_access)(struct dma_buf *dmabuf, enum dma_data_direction dir);
	int (*end_cpu_access)(struct dma_buf *dmabuf, enum dma_data_direction dir);
	int (*vmap)(struct dma_buf *dmabuf, struct iosys_map *map);
	void (*vunmap)(struct dma_buf *dmabuf, struct iosys_map *map);
};

struct dma_buf {
	size_t size;
	const struct dma_buf_ops *ops;
	struct list_head attachments;
	struct mutex lock; /* attachments, vmap */
	unsigned int vmapping_counter;
	struct iosys_map vmap_ptr;
	const char *exp_name;
	const char *name;
	struct module *owner;
	void *priv;
	struct dma_resv *resv; /* the exporter's, or resv_obj */
	struct dma_resv resv_obj;
	struct kref refcount;
};

/*
 * A dynamic importer's operations (dma_buf_dynamic_attach). move_notify is called with the
 * buffer's resv lock held when the exporter moves the buffer: the importer's mappings stay valid
 * DMA mappings of the old place, so it must stop using them and map the attachment again (under
 * the resv lock) before its device touches the buffer.
 */
struct dma_buf_attach_ops {
	bool allow_peer2peer;
	void (*move_notify)(struct dma_buf_attachment *attach);
};

struct dma_buf_attachment {
	struct dma_buf *dmabuf;
	struct device *dev;
	struct list_head node;
	struct sg_table *sgt; /* cached mapping (ops->cache_sgt_mapping) */
	enum dma_data_direction dir;
	bool peer2peer;
	const struct dma_buf_attach_ops *importer_ops;
	void *importer_priv;
	void *priv;
};

struct dma_buf_export_info {
	const char *exp_name;
	struct module *owner;
	const struct dma_buf_ops *ops;
	size_t size;
	int flags;
	struct dma_resv *resv;
	void *priv;
};

#define DEFINE_DMA_BUF_EXPORT_INFO(name)                                                      \
	struct dma_buf_export_info name = { .exp_name = __FILE__, .owner = THIS_MODULE }

struct dma_buf *dma_buf_export(const struct dma_buf_export_info *exp_info);
/* A file descriptor for the buffer (it takes over the caller's reference, as in the kernel). */
int dma_buf_fd(struct dma_buf *dmabuf, int flags);
/* A new reference to the buffer behind fd; ERR_PTR(-EBADF) if none, -EINVAL if fd is not a
 * dma-buf's (a sync_file's, say). */
struct dma_buf *dma_buf_get(int fd);
/* Closing an fd drops the reference it held. */
void dma_buf_close_fd(int fd);
void get_dma_buf(struct dma_buf *dmabuf);
void dma_buf_put(struct dma_buf *dmabuf);

struct dma_buf_attachment *dma_buf_attach(struct dma_buf *dmabuf, struct device *dev);
/* A dynamic importer when importer_ops is set (move_notify required). When the importer and the
 * exporter differ in being dynamic, the core pins the buffer (dynamic exporter) and caches a
 * DMA_BIDIRECTIONAL mapping at attach, as the kernel does. */
struct dma_buf_attachment *dma_buf_dynamic_attach(struct dma_buf *dmabuf, struct device *dev,
						  const struct dma_buf_attach_ops *importer_ops,
						  void *importer_priv);
void dma_buf_detach(struct dma_buf *dmabuf, struct dma_buf_attachment *attach);
/* A dynamic attachment (or any attachment of a dynamic exporter) maps and unmaps with the resv
 * lock held; the _unlocked variants take it. */
struct sg_table *dma_buf_map_attachment(struct dma_buf_attachment *attach,
					enum dma_data_direction dir);
void dma_buf_unmap_attachment(struct dma_buf_attachment *attach, struct sg_table *sgt,
			      enum dma_data_direction dir);
struct sg_table *dma_buf_map_attachment_unlocked(struct dma_buf_attachment *attach,
						 enum dma_data_direction dir);
void dma_buf_unmap_attachment_unlocked(struct dma_buf_attachment *attach, struct sg_table *sgt,
				       enum dma_data_direction dir);
/* Dynamic importers only, resv lock held: keep the buffer where it is (scanout). */
int dma_buf_pin(struct dma_buf_attachment *attach);
void dma_buf_unpin(struct dma_buf_attachment *attach);
/* The exporter, resv lock held: the buffer moves; every dynamic importer's move_notify runs. */
void dma_buf_move_notify(struct dma_buf *dmabuf);

static inline bool dma_buf_is_dynamic(struct dma_buf *dmabuf)
{
	return !!dmabuf->ops->pin;
}

static inline bool dma_buf_attachment_is_dynamic(struct dma_buf_attachment *attach)
{
	return !!attach->importer_ops;
}

/* Waits for the fences CPU access must wait for, then lets the exporter sync for the CPU. */
int dma_buf_begin_cpu_access(struct dma_buf *dmabuf, enum dma_data_direction dir);
int dma_buf_end_cpu_access(struct dma_buf *dmabuf, enum dma_data_direction dir);
int dma_buf_vmap(struct dma_buf *dmabuf, struct iosys_map *map);
void dma_buf_vunmap(struct dma_buf *dmabuf, struct iosys_map *map);
#define dma_buf_vmap_unlocked dma_buf_vmap
#define dma_buf_vunmap_unlocked dma_buf_vunmap

#endif
