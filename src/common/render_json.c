// SPDX-License-Identifier: MIT
/* JSON frame arrays (render.h), the "stack" of violation, related and dump records. */
#include "common/render.h"

/* ,"key":"value" when value is known */
static void put_str_member(struct dmasan_buf *b, const char *key, const char *value)
{
	if (!value)
		return;
	dmasan_buf_printf(b, ",\"%s\":\"", key);
	dmasan_buf_json_str(b, value);
	dmasan_buf_putc(b, '"');
}

void dmasan_render_json_stack(struct dmasan_buf *b, const struct dmasan_rstack *s)
{
	static const char *const origins[] = { NULL, "sanitizer", "kdma", "startup" };

	dmasan_buf_putc(b, '[');
	for (unsigned int i = 0; i < s->n; i++) {
		const struct dmasan_rframe *f = &s->frames[i];

		dmasan_buf_printf(b, "%s{\"pc\":\"0x%llx\"", i ? "," : "", f->pc);
		put_str_member(b, "function", f->function);
		put_str_member(b, "file", f->file);
		if (f->line)
			dmasan_buf_printf(b, ",\"line\":%d", f->line);
		if (f->column)
			dmasan_buf_printf(b, ",\"column\":%d", f->column);
		put_str_member(b, "module", f->module);
		if (f->has_offset)
			dmasan_buf_printf(b, ",\"module_offset\":\"0x%llx\"", f->module_offset);
		if (f->origin > DMASAN_ORIGIN_USER && f->origin <= DMASAN_ORIGIN_STARTUP)
			dmasan_buf_printf(b, ",\"internal\":true,\"origin\":\"%s\"", origins[f->origin]);
		dmasan_buf_putc(b, '}');
	}
	dmasan_buf_putc(b, ']');
}
