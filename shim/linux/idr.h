/* SPDX-License-Identifier: MIT */
/* <linux/idr.h> — ID allocators (ida): the lowest free id, thread-safe. */
#ifndef _DMASAN_SHIM_LINUX_IDR_H
#define _DMASAN_SHIM_LINUX_IDR_H

#include <pthread.h>

#include <linux/gfp.h>
#include <linux/types.h>

#define KDMA_IDA_BITS 1024

struct ida {
	pthread_mutex_t lock;
	unsigned long used[KDMA_IDA_BITS / (8 * sizeof(unsigned long))];
};

#define DEFINE_IDA(name) struct ida name = { .lock = PTHREAD_MUTEX_INITIALIZER }
#define ida_init(ida) (*(ida) = (struct ida){ .lock = PTHREAD_MUTEX_INITIALIZER })

/* An id in [min, max] (max 0: no bound), or -ENOSPC. */
int ida_alloc_range(struct ida *ida, unsigned int min, unsigned int max, gfp_t gfp);
void ida_free(struct ida *ida, unsigned int id);
#define ida_alloc(ida, gfp) ida_alloc_range(ida, 0, ~0U, gfp)
#define ida_alloc_min(ida, min, gfp) ida_alloc_range(ida, min, ~0U, gfp)
#define ida_alloc_max(ida, max, gfp) ida_alloc_range(ida, 0, max, gfp)
/* the older interface: end is exclusive, 0 means no bound */
#define ida_simple_get(ida, start, end, gfp)                                                  \
	ida_alloc_range(ida, start, (end) ? (end) - 1 : ~0U, gfp)
#define ida_simple_remove(ida, id) ida_free(ida, id)
#define ida_destroy(ida) do {} while (0)

#endif
