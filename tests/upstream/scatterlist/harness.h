/* SPDX-License-Identifier: MIT */
/*
 * Force-included before tools/testing/scatterlist/main.c. The kernel builds that test against
 * a stub <linux/mm.h> of its own that brings the C library headers below and makes a page
 * pointer's value (1 + pfn) * PAGE_SIZE. Here <linux/scatterlist.h> is dmasan's and the table
 * code is libkdma's, whose pages are real: the two allocation calls go through wrappers that
 * turn each made-up page pointer into the real page of that pfn within a block of contiguous
 * pages, so the test's expected segment counts check libkdma's merging.
 */
#ifndef DMASAN_UPSTREAM_SCATTERLIST_HARNESS_H
#define DMASAN_UPSTREAM_SCATTERLIST_HARNESS_H

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define sg_alloc_table_from_pages_segment harness_sg_alloc_table_from_pages_segment
#define sg_alloc_append_table_from_pages harness_sg_alloc_append_table_from_pages

#endif
