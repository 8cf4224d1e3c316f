// SPDX-License-Identifier: MIT
/*
 * The kernel's printk format: the C library's conversions, plus the %p extensions drivers print
 * with (lib/vsprintf.c): %pM/%pm MAC addresses, %pI4/%pi4 IPv4 addresses, %pad (a dma_addr_t
 * by reference), %pa/%pap (a phys_addr_t by reference), %pe (an error pointer's name), %px (the
 * raw value). A plain %p, and any extension not listed, prints the pointer as 16 hex digits with
 * no "0x", as the kernel's (unhashed here). As in the kernel, every letter or digit after %p
 * belongs to the conversion.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <linux/err.h>
#include <linux/errno.h>
#include <linux/types.h>

#include "base/base.h"

/* The conversions below hand a format built at run time to snprintf, one spec at a time. */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

struct out {
	char *buf;
	size_t size, len; /* len counts what would have been written */
};

static char *out_at(struct out *o, size_t *room)
{
	*room = o->len < o->size ? o->size - o->len : 0;
	return *room ? o->buf + o->len : NULL;
}

static void out_printf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void out_printf(struct out *o, const char *fmt, ...)
{
	size_t room;
	char *at = out_at(o, &room);
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(at, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

const char *kdma_errname(int err)
{
	static const struct { int no; const char *name; } names[] = {
		{ EPERM, "EPERM" },   { ENOENT, "ENOENT" }, { EIO, "EIO" },
		{ ENXIO, "ENXIO" },   { ENOMEM, "ENOMEM" }, { EFAULT, "EFAULT" },
		{ EBUSY, "EBUSY" },   { EEXIST, "EEXIST" }, { ENODEV, "ENODEV" },
		{ EINVAL, "EINVAL" }, { ENOSPC, "ENOSPC" }, { ETIMEDOUT, "ETIMEDOUT" },
		{ EOPNOTSUPP, "EOPNOTSUPP" }, { EPROBE_DEFER, "EPROBE_DEFER" },
		{ EAGAIN, "EAGAIN" }, { E2BIG, "E2BIG" }, { ENOSYS, "ENOSYS" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].no == -err)
			return names[i].name;
	return NULL;
}

/* %p and its extension letters at *fmt (advanced past them). */
static void pointer(struct out *o, const char **fmt, const void *p)
{
	const char *ext = *fmt;
	const u8 *b = p;

	while (isalnum((unsigned char)**fmt))
		(*fmt)++;
	if (p && (ext[0] == 'M' || ext[0] == 'm')) {
		const char *sep = ext[0] == 'M' ? ":" : "";

		out_printf(o, "%02x%s%02x%s%02x%s%02x%s%02x%s%02x", b[0], sep, b[1], sep, b[2], sep,
			   b[3], sep, b[4], sep, b[5]);
	} else if (p && (ext[0] == 'I' || ext[0] == 'i') && ext[1] == '4') {
		out_printf(o, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
	} else if (p && ext[0] == 'a' && ext[1] == 'd') {
		out_printf(o, "0x%016llx", (unsigned long long)*(const dma_addr_t *)p);
	} else if (p && ext[0] == 'a') {
		out_printf(o, "0x%016llx", (unsigned long long)*(const phys_addr_t *)p);
	} else if (ext[0] == 'e') {
		const char *name = IS_ERR(p) ? kdma_errname((int)PTR_ERR(p)) : NULL;

		if (name)
			out_printf(o, "-%s", name);
		else if (IS_ERR(p))
			out_printf(o, "%ld", PTR_ERR(p));
		else
			out_printf(o, "%016lx", (unsigned long)(uintptr_t)p);
	} else if (!p && ext[0] && ext[0] != 'x') {
		out_printf(o, "(null)");
	} else {
		out_printf(o, "%016lx", (unsigned long)(uintptr_t)p);
	}
}

enum length { LEN_INT, LEN_LONG, LEN_LLONG, LEN_SIZE, LEN_PTRDIFF, LEN_INTMAX, LEN_LDOUBLE };

static enum length parse_length(const char **fmt)
{
	const char *f = *fmt;
	enum length len = LEN_INT;

	if (f[0] == 'h') {
		f += f[1] == 'h' ? 2 : 1; /* promoted to int */
	} else if (f[0] == 'l' && f[1] == 'l') {
		len = LEN_LLONG;
		f += 2;
	} else if (f[0] == 'l' || f[0] == 'q' || f[0] == 'L') {
		len = f[0] == 'l' ? LEN_LONG : f[0] == 'L' ? LEN_LDOUBLE : LEN_LLONG;
		f++;
	} else if (f[0] == 'z' || f[0] == 't' || f[0] == 'j') {
		len = f[0] == 'z' ? LEN_SIZE : f[0] == 't' ? LEN_PTRDIFF : LEN_INTMAX;
		f++;
	}
	*fmt = f;
	return len;
}

/* One spec with its '*' arguments (nstar of them, in star[]) and a value. */
#define EMIT(o, spec, nstar, star, value)                                                     \
	do {                                                                                   \
		if ((nstar) == 2)                                                              \
			out_printf(o, spec, (star)[0], (star)[1], value);                      \
		else if ((nstar) == 1)                                                         \
			out_printf(o, spec, (star)[0], value);                                 \
		else                                                                           \
			out_printf(o, spec, value);                                            \
	} while (0)

int kdma_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
	struct out o = { buf, size, 0 };
	va_list ap;

	va_copy(ap, ap_in);
	while (*fmt) {
		const char *start = fmt;
		char spec[32];
		int star[2], nstar = 0;
		enum length len;
		char conv;

		if (*fmt != '%' || fmt[1] == '%') {
			size_t room;
			char *at = out_at(&o, &room);

			if (at && room > 1)
				*at = *fmt;
			o.len++;
			fmt += *fmt == '%' ? 2 : 1;
			continue;
		}
		fmt++;
		while (*fmt && strchr("-+ #0'", *fmt))
			fmt++;
		for (int field = 0; field < 2; field++) { /* width, then precision */
			if (field == 1 && *fmt != '.')
				break;
			if (field == 1)
				fmt++;
			if (*fmt == '*') {
				star[nstar++] = va_arg(ap, int);
				fmt++;
			}
			while (isdigit((unsigned char)*fmt))
				fmt++;
		}
		len = parse_length(&fmt);
		conv = *fmt;
		if (!conv)
			break;
		fmt++;
		if ((size_t)(fmt - start) >= sizeof(spec)) {
			out_printf(&o, "%.*s", (int)(fmt - start), start);
			continue;
		}
		memcpy(spec, start, (size_t)(fmt - start));
		spec[fmt - start] = '\0';
		switch (conv) {
		case 'd':
		case 'i':
		case 'u':
		case 'x':
		case 'X':
		case 'o':
		case 'c':
			if (len == LEN_LLONG)
				EMIT(&o, spec, nstar, star, va_arg(ap, long long));
			else if (len == LEN_LONG)
				EMIT(&o, spec, nstar, star, va_arg(ap, long));
			else if (len == LEN_SIZE)
				EMIT(&o, spec, nstar, star, va_arg(ap, size_t));
			else if (len == LEN_PTRDIFF)
				EMIT(&o, spec, nstar, star, va_arg(ap, ptrdiff_t));
			else if (len == LEN_INTMAX)
				EMIT(&o, spec, nstar, star, va_arg(ap, intmax_t));
			else
				EMIT(&o, spec, nstar, star, va_arg(ap, int));
			break;
		case 'e':
		case 'E':
		case 'f':
		case 'F':
		case 'g':
		case 'G':
		case 'a':
		case 'A':
			if (len == LEN_LDOUBLE)
				EMIT(&o, spec, nstar, star, va_arg(ap, long double));
			else
				EMIT(&o, spec, nstar, star, va_arg(ap, double));
			break;
		case 's':
			EMIT(&o, spec, nstar, star, va_arg(ap, const char *));
			break;
		case 'p':
			pointer(&o, &fmt, va_arg(ap, const void *));
			break;
		case 'n':
			(void)va_arg(ap, void *); /* the kernel ignores %n */
			break;
		default:
			out_printf(&o, "%s", spec);
			break;
		}
	}
	va_end(ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}
