// SPDX-License-Identifier: MIT
/* The text report and the kernel dump line (render.h). */
#include "common/names.h"
#include "common/render.h"

const struct dmasan_rframe *dmasan_render_key_frame(const struct dmasan_rstack *s)
{
	for (unsigned int i = 0; i < s->n; i++)
		if (s->frames[i].origin == DMASAN_ORIGIN_USER)
			return &s->frames[i];
	for (unsigned int i = 0; i < s->n; i++)
		if (s->frames[i].origin != DMASAN_ORIGIN_SANITIZER)
			return &s->frames[i];
	return s->n ? &s->frames[0] : NULL;
}

/* "file:line:col" or "(module+0xoff)", as AddressSanitizer's %L. */
static void put_location(struct dmasan_buf *b, const struct dmasan_rframe *f)
{
	if (f->file) {
		dmasan_buf_puts(b, f->file);
		if (f->line)
			dmasan_buf_printf(b, ":%d", f->line);
		if (f->line && f->column)
			dmasan_buf_printf(b, ":%d", f->column);
	} else if (f->module && f->has_offset) {
		dmasan_buf_printf(b, "(%s+0x%llx)", f->module, f->module_offset);
	} else if (f->module) {
		dmasan_buf_printf(b, "(%s)", f->module);
	} else {
		dmasan_buf_puts(b, "(<unknown module>)");
	}
}

void dmasan_render_text_stack(struct dmasan_buf *b, const struct dmasan_rstack *s)
{
	if (!s->n)
		dmasan_buf_puts(b, "    <empty stack>\n");
	for (unsigned int i = 0; i < s->n; i++) {
		const struct dmasan_rframe *f = &s->frames[i];

		dmasan_buf_printf(b, "    #%u 0x%llx", i, f->pc);
		if (f->function)
			dmasan_buf_printf(b, " in %s", f->function);
		dmasan_buf_putc(b, ' ');
		put_location(b, f);
		dmasan_buf_putc(b, '\n');
	}
	dmasan_buf_putc(b, '\n');
}

static void put_thread(struct dmasan_buf *b, long tid)
{
	if (tid >= 0)
		dmasan_buf_printf(b, " thread T%ld", tid);
	else
		dmasan_buf_puts(b, " an unknown thread");
}

static void put_check_option(struct dmasan_buf *b, const char *check)
{
	dmasan_buf_puts(b, "check_");
	for (const char *p = check; *p; p++)
		dmasan_buf_putc(b, *p == '-' ? '_' : *p);
}

void dmasan_render_text(struct dmasan_buf *b, const struct dmasan_rreport *r)
{
	const struct dmasan_rframe *key = dmasan_render_key_frame(&r->stack);
	const char *key_fn = key && key->function ? key->function : NULL;

	dmasan_buf_puts(b, "=================================================================\n");
	dmasan_buf_printf(b, "==%ld==%s: DMASanitizer: %s", r->pid,
			  dmasan_severity_title(r->severity), r->check);
	if (r->headline && *r->headline)
		dmasan_buf_printf(b, " %s", r->headline);
	if (r->tid >= 0)
		put_thread(b, r->tid);
	dmasan_buf_putc(b, '\n');
	dmasan_buf_puts(b, r->message ? r->message : "");
	if (r->count > 1)
		dmasan_buf_printf(b, " [count=%lu]", r->count);
	dmasan_buf_putc(b, '\n');
	dmasan_render_text_stack(b, &r->stack);

	for (unsigned int i = 0; i < r->nrelated; i++) {
		dmasan_buf_puts(b, r->related[i].title);
		put_thread(b, r->related[i].tid);
		dmasan_buf_puts(b, " here:\n");
		dmasan_render_text_stack(b, &r->related[i].stack);
	}
	if (r->dedup_token_length > 0) {
		unsigned int shown = 0;

		dmasan_buf_puts(b, "DEDUP_TOKEN: ");
		for (unsigned int i = 0; i < r->stack.n && shown < (unsigned int)r->dedup_token_length;
		     i++) {
			if (!r->stack.frames[i].function)
				continue;
			dmasan_buf_printf(b, "%s%s", shown++ ? "--" : "", r->stack.frames[i].function);
		}
		dmasan_buf_putc(b, '\n');
	}
	if (r->notes)
		dmasan_buf_puts(b, r->notes);
	if (r->fix)
		dmasan_buf_printf(b, "HINT: %s\n", r->fix);
	dmasan_buf_printf(b, "HINT: to suppress, add '%s:%s' to the suppressions file; to disable the check: DMASAN_OPTIONS=",
			  r->check, key_fn ? key_fn : "<function>");
	put_check_option(b, r->check);
	dmasan_buf_puts(b, "=0\n");
	if (r->gen_suppressions)
		dmasan_buf_printf(b, "Suppression for this report:\n%s:%s\n", r->check,
				  key_fn ? key_fn : "*");
	if (r->print_summary) {
		dmasan_buf_printf(b, "SUMMARY: DMASanitizer: %s", r->check);
		if (key) {
			dmasan_buf_putc(b, ' ');
			put_location(b, key);
			if (key->function)
				dmasan_buf_printf(b, " in %s", key->function);
		}
		dmasan_buf_putc(b, '\n');
	}
}

static const char *plural(unsigned long n)
{
	return n == 1 ? "" : "s";
}

void dmasan_render_totals(struct dmasan_buf *b, unsigned long errors, unsigned long warnings,
			  unsigned long unique, unsigned long suppressed)
{
	unsigned long n = errors + warnings;

	dmasan_buf_printf(b, "%lu occurrence%s, %lu unique (%lu error%s, %lu warning%s), %lu suppressed",
			  n, plural(n), unique, errors, plural(errors), warnings, plural(warnings),
			  suppressed);
}

/* kernel/dma/debug.c dump_show(): hash_fn() buckets of 8 KiB of bus address space, cacheline
 * number = phys >> 6 (64-byte L1 lines, x86-64). */
void dmasan_render_kernel_dump_line(struct dmasan_buf *b, const char *driver, const char *device,
				    const char *type, unsigned long long handle,
				    unsigned long long phys, unsigned long long size,
				    const char *dir, const char *maperr)
{
	dmasan_buf_printf(b, "%s %s %s idx %llu P=0x%016llx D=%llx L=%llx cln=0x%016llx %s %s\n",
			  driver, device, type, (handle >> 13) & 0x3fff, phys, handle, size,
			  phys >> 6, dir, maperr);
}
