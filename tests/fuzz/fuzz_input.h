/* SPDX-License-Identifier: MIT */
/*
 * Reading a fuzzer's byte string as a sequence of small decisions. Exhausted input reads as
 * zeros, so every byte string is a complete, valid program for a harness.
 */
#ifndef DMASAN_FUZZ_INPUT_H
#define DMASAN_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

struct fuzz_input {
	const uint8_t *p;
	size_t left;
};

static inline uint64_t fuzz_bytes(struct fuzz_input *in, unsigned int n)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < n && in->left; i++, in->left--)
		v |= (uint64_t)*in->p++ << (8 * i);
	return v;
}

static inline uint8_t fuzz_u8(struct fuzz_input *in)
{
	return (uint8_t)fuzz_bytes(in, 1);
}

static inline uint32_t fuzz_u32(struct fuzz_input *in)
{
	return (uint32_t)fuzz_bytes(in, 4);
}

static inline uint64_t fuzz_u64(struct fuzz_input *in)
{
	return fuzz_bytes(in, 8);
}

/* A value in [0, n) from one byte (n <= 256). */
static inline unsigned int fuzz_pick(struct fuzz_input *in, unsigned int n)
{
	return n ? fuzz_u8(in) % n : 0;
}

#endif
