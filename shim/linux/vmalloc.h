/* SPDX-License-Identifier: MIT */
/*
 * <linux/vmalloc.h> — virtually contiguous allocations (src/kdma/mm/vmalloc.c). Each area is its
 * own mapping whose pages are marked, so is_vmalloc_addr() knows it and dma_map_single() rejects
 * it as the kernel does.
 */
#ifndef _DMASAN_SHIM_LINUX_VMALLOC_H
#define _DMASAN_SHIM_LINUX_VMALLOC_H

#include <linux/types.h>
#include <linux/gfp.h>
#include <linux/mm_types.h>

void *vmalloc(unsigned long size);
void *vzalloc(unsigned long size);
void *vmalloc_array(size_t n, size_t size);
void *vcalloc(size_t n, size_t size);
void vfree(const void *addr);
struct page *vmalloc_to_page(const void *addr);
unsigned long vmalloc_to_pfn(const void *addr);
bool is_vmalloc_addr(const void *x);

#define __vmalloc(size, gfp) (((gfp) & __GFP_ZERO) ? vzalloc(size) : vmalloc(size))
#define vmalloc_node(size, node) vmalloc(size)
#define vzalloc_node(size, node) vzalloc(size)
#define vmalloc_user(size) vzalloc(size)
#define vmalloc_32(size) vmalloc(size)
#define vfree_atomic(addr) vfree(addr)

#endif
