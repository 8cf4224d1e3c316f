// SPDX-License-Identifier: MIT
/* The kernel's printk format (src/kdma/base/vsprintf.c): %p extensions and the C conversions. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include <linux/err.h>
#include <linux/types.h>

#include "kdma/base/base.h"

static char out[256];

static int fmt(const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = kdma_vsnprintf(out, sizeof(out), f, ap);
	va_end(ap);
	return n;
}

static int small_fmt(char *buf, size_t size, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = kdma_vsnprintf(buf, size, f, ap);
	va_end(ap);
	return n;
}

Test(vsprintf, pointer_extensions)
{
	const u8 mac[6] = { 0x02, 0x00, 0x81, 0x39, 0xc0, 0x01 }, ip[4] = { 192, 168, 0, 7 };
	dma_addr_t dma = 0x1234abcd000ULL;
	phys_addr_t phys = 0xfee00000ULL;

	fmt("%pM %pm %pI4", mac, mac, ip);
	cr_assert_str_eq(out, "02:00:81:39:c0:01 02008139c001 192.168.0.7");
	fmt("dma %pad phys %pa.", &dma, &phys);
	cr_assert_str_eq(out, "dma 0x000001234abcd000 phys 0x00000000fee00000.");
	fmt("%pe|%pe", ERR_PTR(-ENOMEM), ERR_PTR(-4000)); /* named, and an unnamed errno */
	cr_assert_str_eq(out, "-ENOMEM|-4000");
	fmt("0x%p %px", (void *)0x55aa00, (void *)0x10);
	cr_assert_str_eq(out, "0x000000000055aa00 0000000000000010");
	fmt("[%pS]", NULL); /* an extension not modelled, all its letters consumed */
	cr_assert_str_eq(out, "[(null)]");
}

Test(vsprintf, c_conversions_as_the_c_library)
{
	char want[256];
	long long big = -1234567890123LL;
	size_t z = 42;

	fmt("%d %5u %-4x| %08llx %lld %zu %c %s %.3s %*d %.*f %% %e", -7, 9U, 0xab, 0xdeadULL, big,
	    z, 'q', "str", "abcdef", 6, 33, 2, 3.14159, 1e10);
	snprintf(want, sizeof(want), "%d %5u %-4x| %08llx %lld %zu %c %s %.3s %*d %.*f %% %e", -7,
		 9U, 0xab, 0xdeadULL, big, z, 'q', "str", "abcdef", 6, 33, 2, 3.14159, 1e10);
	cr_assert_str_eq(out, want);
}

Test(vsprintf, truncates_and_counts_like_snprintf)
{
	static const u8 mac[6] = { 1, 2, 3, 4, 5, 6 };
	char small[8];
	int n = small_fmt(small, sizeof(small), "%s-%pM", "0123456789", mac);

	cr_assert_eq(n, 10 + 1 + 17); /* what would have been written */
	cr_assert_str_eq(small, "0123456");
	n = fmt("%s", "");
	cr_assert_eq(n, 0);
	cr_assert_str_eq(out, "");
}
