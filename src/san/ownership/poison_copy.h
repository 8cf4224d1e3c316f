/* SPDX-License-Identifier: MIT */
/*
 * The poisoned CPU view of a receive buffer, and the two passes over it that most of a checked
 * map+unmap is: at the hand-over, the buffer's bytes go to the device view and the poison byte
 * takes their place; at the take-back, the CPU view is checked to still hold only poison and the
 * device view comes back. Each pass is one loop over the memory where the CPU has 64-byte vectors
 * (AVX-512BW), and glibc's memmove, memset and memcmp otherwise.
 */
#ifndef DMASAN_SAN_OWNERSHIP_POISON_COPY_H
#define DMASAN_SAN_OWNERSHIP_POISON_COPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The byte a device-owned receive line reads as from the CPU. */
#define DMASAN_POISON_BYTE 0xdb

/* Whether [a, a + n) all hold the poison byte. */
bool poison_all(const uint8_t *a, size_t n);
/* Copies [cpu, cpu + n) to view, then poisons it. */
void poison_take(uint8_t *view, uint8_t *cpu, size_t n);
/* Copies view back over [cpu, cpu + n) as long as the bytes there are all poison: returns how
 * many bytes were restored from the start, n when the whole range held only poison. The bytes
 * from there on are left as they are (the caller finds which differ, then restores them). */
size_t poison_restore(uint8_t *cpu, const uint8_t *view, size_t n);

#endif
