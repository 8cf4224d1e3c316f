/* SPDX-License-Identifier: MIT */
/*
 * Copies that are not the driver's CPU accesses: a simulated device's side of a transfer and
 * SWIOTLB bounce copies (libkdma), the sanitizer's snapshots of mapped memory. In an
 * AddressSanitizer program such memory may be poisoned for the device by the sanitizer's own
 * CPU-access tracking, hold other objects' redzones, or not be the program's memory at all (a
 * stray bus address in ASan's shadow): ASan's memmove interceptor would stop the program. Such a
 * range is copied without instrumentation; everything else with memmove. dst and src may overlap.
 * Compiled into both libraries.
 */
#ifndef DMASAN_COMMON_HWCOPY_H
#define DMASAN_COMMON_HWCOPY_H

#include <stddef.h>

void dmasan_hw_copy(void *dst, const void *src, size_t len);
/* memset, the same way (the sanitizer's poison of mapped memory). */
void dmasan_hw_fill(void *dst, int c, size_t len);

#endif
