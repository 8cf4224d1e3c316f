// SPDX-License-Identifier: MIT
/*
 * Poison passes (poison_copy.h). The vector versions are chosen once, by CPUID: with AVX-512BW
 * the take-back reads no poison pattern and each pass is one loop instead of two calls (about a
 * quarter of the four passes' time on a 4 KiB buffer). With 32-byte vectors a fused loop was
 * slower than glibc's separate AVX-512 passes, so there is no AVX2 version; Valgrind does not
 * report AVX-512, so it gets the plain one. These are the sanitizer's own accesses to mapped
 * memory: never instrumented (common/hwcopy.h).
 */
#include <pthread.h>
#include <string.h>

#include "common/hwcopy.h"
#include "ownership/poison_copy.h"

static uint8_t poison_page[4096];
static pthread_once_t poison_page_once = PTHREAD_ONCE_INIT;

static void fill_poison_page(void)
{
	memset(poison_page, DMASAN_POISON_BYTE, sizeof(poison_page));
}

/* memcmp against a page of poison (vectorised). */
bool poison_all(const uint8_t *a, size_t n)
{
	size_t k;

	pthread_once(&poison_page_once, fill_poison_page);
	for (; n; a += k, n -= k) {
		k = n < sizeof(poison_page) ? n : sizeof(poison_page);
		if (memcmp(a, poison_page, k))
			return false;
	}
	return true;
}

static void take_plain(uint8_t *view, uint8_t *cpu, size_t n)
{
	dmasan_hw_copy(view, cpu, n);
	dmasan_hw_fill(cpu, DMASAN_POISON_BYTE, n);
}

/* Page by page: compare, then copy. */
static size_t restore_plain(uint8_t *cpu, const uint8_t *view, size_t n)
{
	size_t done = 0, k;

	for (; done < n; done += k) {
		k = n - done < sizeof(poison_page) ? n - done : sizeof(poison_page);
		if (!poison_all(cpu + done, k))
			break;
		dmasan_hw_copy(cpu + done, view + done, k);
	}
	return done;
}

#if defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#include <immintrin.h>

#define AVX512 __attribute__((target("avx512f,avx512bw"), no_sanitize_address))

static AVX512 void take_avx512(uint8_t *view, uint8_t *cpu, size_t n)
{
	__m512i poison = _mm512_set1_epi8((char)DMASAN_POISON_BYTE);
	size_t i;

	for (i = 0; i + 64 <= n; i += 64) {
		_mm512_storeu_si512(view + i, _mm512_loadu_si512(cpu + i));
		_mm512_storeu_si512(cpu + i, poison);
	}
	if (i < n)
		take_plain(view + i, cpu + i, n - i);
}

static inline AVX512 bool poison4(const uint8_t *cpu, __m512i poison)
{
	return !(_mm512_cmpneq_epi8_mask(_mm512_loadu_si512(cpu), poison) |
		 _mm512_cmpneq_epi8_mask(_mm512_loadu_si512(cpu + 64), poison) |
		 _mm512_cmpneq_epi8_mask(_mm512_loadu_si512(cpu + 128), poison) |
		 _mm512_cmpneq_epi8_mask(_mm512_loadu_si512(cpu + 192), poison));
}

/* Four vectors checked at a time, then copied: one branch per 256 bytes, and the loads ahead of
 * the stores (a third faster than a vector at a time); from a block that is not all poison on,
 * a vector at a time, to stop at the first one that is not. */
static AVX512 size_t restore_avx512(uint8_t *cpu, const uint8_t *view, size_t n)
{
	__m512i poison = _mm512_set1_epi8((char)DMASAN_POISON_BYTE);
	size_t i;

	for (i = 0; i + 256 <= n && poison4(cpu + i, poison); i += 256) {
		_mm512_storeu_si512(cpu + i, _mm512_loadu_si512(view + i));
		_mm512_storeu_si512(cpu + i + 64, _mm512_loadu_si512(view + i + 64));
		_mm512_storeu_si512(cpu + i + 128, _mm512_loadu_si512(view + i + 128));
		_mm512_storeu_si512(cpu + i + 192, _mm512_loadu_si512(view + i + 192));
	}
	for (; i + 64 <= n; i += 64) {
		if (_mm512_cmpneq_epi8_mask(_mm512_loadu_si512(cpu + i), poison))
			return i;
		_mm512_storeu_si512(cpu + i, _mm512_loadu_si512(view + i));
	}
	return i + (i < n ? restore_plain(cpu + i, view + i, n - i) : 0);
}

/* Chosen at the first call; every chooser stores the same pointers. */
static void (*take_fn)(uint8_t *, uint8_t *, size_t);
static size_t (*restore_fn)(uint8_t *, const uint8_t *, size_t);

static void choose(void)
{
	bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");

	__atomic_store_n(&restore_fn, avx512 ? restore_avx512 : restore_plain, __ATOMIC_RELAXED);
	__atomic_store_n(&take_fn, avx512 ? take_avx512 : take_plain, __ATOMIC_RELAXED);
}

void poison_take(uint8_t *view, uint8_t *cpu, size_t n)
{
	void (*f)(uint8_t *, uint8_t *, size_t) = __atomic_load_n(&take_fn, __ATOMIC_RELAXED);

	if (!f) {
		choose();
		f = take_fn;
	}
	f(view, cpu, n);
}

size_t poison_restore(uint8_t *cpu, const uint8_t *view, size_t n)
{
	size_t (*f)(uint8_t *, const uint8_t *, size_t) = __atomic_load_n(&restore_fn,
									    __ATOMIC_RELAXED);

	if (!f) {
		choose();
		f = restore_fn;
	}
	return f(cpu, view, n);
}
#else
void poison_take(uint8_t *view, uint8_t *cpu, size_t n)
{
	take_plain(view, cpu, n);
}

size_t poison_restore(uint8_t *cpu, const uint8_t *view, size_t n)
{
	return restore_plain(cpu, view, n);
}
#endif
