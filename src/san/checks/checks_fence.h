/* SPDX-License-Identifier: MIT */
/* The fence checks (checks_fence.c), called from the fence hook and at exit. */
#ifndef DMASAN_SAN_CHECKS_FENCE_H
#define DMASAN_SAN_CHECKS_FENCE_H

#include "common/kdma_hooks.h"

void san_on_fence(const void *fence, enum kdma_fence_event ev, const struct kdma_fence_info *info);
/* fence-never-signalled, fence-leak and fence-callback-lost for what is left at exit. */
void san_fence_at_exit(void);
/* fence-never-signalled for the unsignalled fences of dev's driver, when dev is destroyed. */
void san_fence_device_destroy(struct device *dev);

#endif
