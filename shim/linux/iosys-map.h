/* SPDX-License-Identifier: MIT */
/* <linux/iosys-map.h> — a pointer to system or I/O memory; here always system memory. */
#ifndef _DMASAN_SHIM_LINUX_IOSYS_MAP_H
#define _DMASAN_SHIM_LINUX_IOSYS_MAP_H

#include <linux/types.h>

struct iosys_map {
	void *vaddr;
	bool is_iomem;
};

static inline void iosys_map_set_vaddr(struct iosys_map *map, void *vaddr)
{
	map->vaddr = vaddr;
	map->is_iomem = false;
}

static inline bool iosys_map_is_null(const struct iosys_map *map)
{
	return !map->vaddr;
}

static inline void iosys_map_clear(struct iosys_map *map)
{
	map->vaddr = NULL;
	map->is_iomem = false;
}

#endif
