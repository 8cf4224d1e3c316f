/* SPDX-License-Identifier: MIT */
/* The poison passes (vector or plain, as chosen on this CPU): take copies the buffer to the view
 * and poisons it; restore copies the view back while the buffer holds only poison and stops no
 * later than the first byte that is not, leaving the rest untouched. Every length up to a few
 * vectors' blocks and every position of one stray byte, at several alignments. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "san/ownership/poison_copy.h"

#define MAXLEN 1100

static uint8_t cpu_mem[MAXLEN + 64] __attribute__((aligned(64)));
static uint8_t view_mem[MAXLEN + 64] __attribute__((aligned(64)));

static void fill_pattern(uint8_t *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 7 + seed) == DMASAN_POISON_BYTE ? 1 : (uint8_t)(i * 7 + seed);
}

Test(poison_copy, take_moves_the_bytes_and_poisons)
{
	for (size_t off = 0; off < 64; off += 17) {
		for (size_t n = 0; n <= MAXLEN; n += n < 300 ? 1 : 61) {
			uint8_t *cpu = cpu_mem + off, *view = view_mem + off, want[MAXLEN];

			fill_pattern(cpu, n, (unsigned int)n);
			memcpy(want, cpu, n);
			poison_take(view, cpu, n);
			cr_assert_eq(memcmp(view, want, n), 0, "view of %zu bytes at +%zu", n, off);
			cr_assert(poison_all(cpu, n), "poisoned %zu bytes at +%zu", n, off);
		}
	}
}

static void check_restore(size_t off, size_t n, size_t stray)
{
	uint8_t *cpu = cpu_mem + off, *view = view_mem + off;
	size_t done;

	memset(cpu, DMASAN_POISON_BYTE, n);
	if (stray < n)
		cpu[stray] = 0x11;
	fill_pattern(view, n, (unsigned int)(n + stray));
	done = poison_restore(cpu, view, n);
	if (stray >= n)
		cr_assert_eq(done, n, "all poison: all %zu bytes restored, not %zu", n, done);
	else
		cr_assert_leq(done, stray, "stopped at %zu, past the stray byte at %zu", done, stray);
	cr_assert_eq(memcmp(cpu, view, done), 0, "the first %zu bytes restored", done);
	for (size_t i = done; i < n; i++)
		cr_assert_eq(cpu[i], i == stray ? 0x11 : DMASAN_POISON_BYTE,
			     "byte %zu past the restored %zu left alone (n %zu)", i, done, n);
}

Test(poison_copy, restore_stops_at_a_stray_byte)
{
	for (size_t off = 0; off < 64; off += 32) {
		for (size_t n = 0; n <= MAXLEN; n += n < 300 ? 1 : 61) {
			check_restore(off, n, n); /* no stray byte */
			for (size_t stray = 0; stray < n; stray += n < 64 ? 1 : 13)
				check_restore(off, n, stray);
			if (n)
				check_restore(off, n, n - 1);
		}
	}
}
