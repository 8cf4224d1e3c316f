// SPDX-License-Identifier: MIT
/*
 * Mapping-table dumps (src/san/report/dump.c): the text table, the kernel's dma-api/dump lines and the
 * JSON "dump" records for a known set of live mappings (tests/dump/nic.h), the device filter,
 * the single-device form of dump_on_error, and the owner ranges from the ownership layer.
 * libkdma is linked statically, so the hook table is attached by hand as libkdma's own tests do.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "attach.h"
#include "san/report/dump.h"
#include "san/rt/options.h"
#include "san/table/table.h"

#include "../../dump/nic.h"

/* Declared here without ownership_hooks.h's weak attribute: a strong reference links the
 * ownership layer (shadow.c) into this static test, as it is in libdmasan.so. */
size_t san_shadow_describe(const struct san_entry *e, char *buf, size_t len);

static struct dump_fixture fx;

static void attach(void)
{
	/* Owner ranges come from the shadow (poison=1), whatever observes CPU accesses; and the
	 * mprotect backend is not safe yet with several threads' buffers in one page (it faults in
	 * shadow.c's hand-over copy with no dump running), which dumps_while_other_threads_map has. */
	attach_sanitizer();
	cr_assert_eq(fixture_map(&fx), 0, "the fixture's mappings failed");
}

/* What one dump writes: the text form and the JSON Lines, each read back whole. */
struct dump_out {
	char text[4 << 20], json[4 << 20]; /* static instances only */
	unsigned int id;
};

static void read_all(int fd, char *buf, size_t len)
{
	ssize_t n;

	lseek(fd, 0, SEEK_SET);
	n = read(fd, buf, len - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
}

static void dump(struct dump_out *o, const char *filter, const struct device *dev,
		 enum san_dump_format format)
{
	struct san_dump_request req = {
		.filter = filter, .dev = dev, .why = dev ? DMASAN_DUMP_ERROR : DMASAN_DUMP_REQUEST,
		.format = format, .text_fd = memfd_create("text", 0), .json_fd = memfd_create("json", 0),
	};

	cr_assert(req.text_fd >= 0 && req.json_fd >= 0);
	o->id = san_dump(&req);
	read_all(req.text_fd, o->text, sizeof(o->text));
	read_all(req.json_fd, o->json, sizeof(o->json));
}

static unsigned int count_lines(const char *s, const char *prefix)
{
	unsigned int n = 0;

	for (const char *l = s; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
		n += !strncmp(l, prefix, strlen(prefix));
	return n;
}

static const char *json_of(const struct dump_out *o, const char *device)
{
	char key[96];
	const char *p;

	snprintf(key, sizeof(key), "\"device\":\"%s\"", device);
	p = strstr(o->json, key);
	cr_assert_not_null(p, "no dump record for %s in:\n%s", device, o->json);
	return p;
}

/* The text of the JSON record of `device` (one line). */
static void record_of(const struct dump_out *o, const char *device, char *out, size_t len)
{
	const char *p = json_of(o, device), *start = p, *end = strchr(p, '\n');

	while (start > o->json && start[-1] != '\n')
		start--;
	cr_assert_not_null(end);
	cr_assert_lt((size_t)(end - start), len);
	memcpy(out, start, end - start);
	out[end - start] = '\0';
}

TestSuite(dump, .init = attach);

Test(dump, table_lists_every_entry_with_totals)
{
	static struct dump_out o;
	char row[256];

	dump(&o, NULL, NULL, SAN_DUMP_TABLE);
	cr_assert_eq(o.id, 1);
	cr_assert(strstr(o.text, "mapping table dump #1 (request): 5 live entries on 2 devices\n"),
		  "%s", o.text);
	cr_assert(strstr(o.text, "device 0000:00:08.0 (driver e1000): 4 live entries, 8704 bytes "
				 "(single 3, coherent 1)\n"), "%s", o.text);
	cr_assert(strstr(o.text, "device 0000:00:1f.2 (driver ahci): 1 live entry, 8192 bytes (sg 1)\n"),
		  "%s", o.text);
	/* the receive buffer the CPU took the first line of back */
	snprintf(row, sizeof(row), "single        0x%016llx     2048 DMA_FROM_DEVICE   checked        0x%016llx",
		 (unsigned long long)fx.rx_dma[0], (unsigned long long)(uintptr_t)fx.rx[0]);
	cr_assert(strstr(o.text, row), "no row '%s' in:\n%s", row, o.text);
	cr_assert(strstr(o.text, "cpu 0-127, device 128-2047\n"), "%s", o.text);
	snprintf(row, sizeof(row), "single        0x%016llx      512 DMA_TO_DEVICE     not_checked",
		 (unsigned long long)fx.tx_dma);
	cr_assert(strstr(o.text, row), "no row '%s' in:\n%s", row, o.text);
	/* map stacks are symbolised down to the fixture */
	cr_assert_eq(count_lines(o.text, "    mapped by thread T"), 5);
	cr_assert(strstr(o.text, " in fixture_map "), "%s", o.text);
	/* the two receive buffers come from one call site: its stack is printed once */
	cr_assert_eq(count_lines(o.text, "    mapped by thread T0 at the same place as seq 2\n"), 1,
		     "%s", o.text);
	cr_assert(strstr(o.text, "  swiotlb: 0 of 32768 slots used (high water 0)\n"), "%s", o.text);
	cr_assert(strstr(o.text, "  iova: 8192 of "), "%s", o.text);
	cr_assert(strstr(o.text, "end of mapping table dump #1\n"));
}

Test(dump, json_records_follow_the_schema)
{
	static struct dump_out o;
	static char rec[1 << 15];
	char want[512];

	dump(&o, NULL, NULL, SAN_DUMP_TABLE);
	cr_assert_eq(count_lines(o.json, "{\"type\":\"dump\",\"dump_id\":1,\"reason\":\"request\","), 2,
		     "%s", o.json);
	record_of(&o, "0000:00:08.0", rec, sizeof(rec));
	cr_assert(strstr(rec, "\"driver\":\"e1000\""));
	snprintf(want, sizeof(want),
		 "{\"type\":\"single\",\"handle\":\"0x%016llx\",\"size\":2048,\"cpu_addr\":\"0x%016llx\","
		 "\"phys_addr\":\"0x%016llx\",\"direction\":\"DMA_FROM_DEVICE\",\"map_error\":\"checked\","
		 "\"owner_ranges\":[{\"offset\":0,\"size\":128,\"owner\":\"cpu\"},"
		 "{\"offset\":128,\"size\":1920,\"owner\":\"device\"}],\"age\":",
		 (unsigned long long)fx.rx_dma[0], (unsigned long long)(uintptr_t)fx.rx[0],
		 (unsigned long long)(uintptr_t)fx.rx[0]);
	cr_assert(strstr(rec, want), "no entry\n%s\nin\n%s", want, rec);
	cr_assert(strstr(rec, "\"type\":\"coherent\""));
	cr_assert(strstr(rec, "\"owner_ranges\":[],\"age\":"), "coherent memory has no owner");
	cr_assert(strstr(rec, ",\"seq\":2,\"thread\":0,\"stack_id\":"), "%s", rec);
	cr_assert(strstr(rec, "\"map_error\":\"not_checked\""));
	cr_assert(strstr(rec, "\"function\":\"fixture_map\""), "map stack frames: %s", rec);
	cr_assert(strstr(rec, "\"totals\":{\"entries\":4,\"bytes\":8704,"
			      "\"by_type\":{\"single\":3,\"coherent\":1}}"), "%s", rec);
	cr_assert(strstr(rec, "\"swiotlb\":{\"used\":0,\"total\":32768,\"high_water\":0},\"iova\":null}"),
		  "%s", rec);

	record_of(&o, "0000:00:1f.2", rec, sizeof(rec));
	cr_assert(strstr(rec, "\"type\":\"sg\""));
	cr_assert(strstr(rec, "\"iommu\":true"));
	cr_assert(strstr(rec, "\"swiotlb\":null,\"iova\":{\"used\":8192,"), "%s", rec);
}

Test(dump, filter_matches_driver_or_device_name)
{
	static struct dump_out o;

	dump(&o, "ahci", NULL, SAN_DUMP_TABLE);
	cr_assert(strstr(o.text, "(request, filter 'ahci'): 1 live entry on 1 device\n"), "%s", o.text);
	cr_assert_null(strstr(o.text, "e1000"));
	cr_assert_eq(count_lines(o.json, "{\"type\":\"dump\""), 1);
	cr_assert(strstr(o.json, "\"filter\":\"ahci\""));

	dump(&o, "0000:00:08.*", NULL, SAN_DUMP_TABLE);
	cr_assert_eq(o.id, 2, "dump ids count up");
	cr_assert(strstr(o.text, "4 live entries on 1 device\n"), "%s", o.text);
	cr_assert_null(strstr(o.text, "ahci"));

	dump(&o, "nvme*", NULL, SAN_DUMP_TABLE);
	cr_assert(strstr(o.text, "0 live entries on 0 devices\n"), "%s", o.text);
	cr_assert_str_empty(o.json, "no device, no record");
}

Test(dump, error_dump_shows_the_reported_device_only)
{
	static struct dump_out o;

	dump(&o, NULL, fx.disk, SAN_DUMP_TABLE);
	cr_assert(strstr(o.text, "(error, device 0000:00:1f.2): 1 live entry on 1 device\n"), "%s",
		  o.text);
	cr_assert_eq(count_lines(o.json, "{\"type\":\"dump\",\"dump_id\":1,\"reason\":\"error\","), 1);
	cr_assert_null(strstr(o.json, "e1000"));
}

Test(dump, kernel_lines_as_debugfs_prints_them)
{
	static struct dump_out o;
	char line[256];
	u64 h = fx.rx_dma[1], p = (uintptr_t)fx.rx[1];

	dump(&o, "e1000", NULL, SAN_DUMP_KERNEL);
	cr_assert(strstr(o.text, "4 live entries on 1 device (kernel dma-api/dump format)\n"), "%s",
		  o.text);
	snprintf(line, sizeof(line),
		 "\ne1000 0000:00:08.0 single idx %llu P=0x%016llx D=%llx L=800 cln=0x%016llx "
		 "DMA_FROM_DEVICE dma map error checked\n",
		 (unsigned long long)((h >> 13) & 0x3fff), (unsigned long long)p,
		 (unsigned long long)h, (unsigned long long)(p >> 6));
	cr_assert(strstr(o.text, line), "no line '%s' in:\n%s", line + 1, o.text);
	cr_assert(strstr(o.text, " coherent idx "), "%s", o.text);
	cr_assert(strstr(o.text, " DMA_TO_DEVICE dma map error not checked\n"), "%s", o.text);
	cr_assert(strstr(o.text, " DMA_BIDIRECTIONAL dma map error check not applicable\n"));
	cr_assert_eq(count_lines(o.text, "e1000 0000:00:08.0 "), 4);
	cr_assert_null(strstr(o.text, "mapped by"), "the kernel form has no stacks");
	/* the JSON record does not depend on the text form */
	cr_assert(strstr(o.json, "\"owner_ranges\":[{\"offset\":0,\"size\":128,\"owner\":\"cpu\"}"));
}

Test(dump, unmapped_entries_leave_the_dump)
{
	static struct dump_out o;

	fixture_unmap(&fx);
	dump(&o, NULL, NULL, SAN_DUMP_TABLE);
	cr_assert(strstr(o.text, ": 0 live entries on 0 devices\n"), "%s", o.text);
	cr_assert_str_empty(o.json);
}

Test(dump, owner_ranges_follow_the_syncs)
{
	static struct dump_out o;

	/* the CPU takes all of rx[1] back, then hands its second half to the device again */
	dma_sync_single_for_cpu(fx.nic, fx.rx_dma[1], NIC_RX_SIZE, DMA_FROM_DEVICE);
	dma_sync_single_for_device(fx.nic, fx.rx_dma[1] + 1024, 1024, DMA_FROM_DEVICE);
	dump(&o, "e1000", NULL, SAN_DUMP_TABLE);
	cr_assert(strstr(o.text, "cpu 0-1023, device 1024-2047\n"), "%s", o.text);
	cr_assert(strstr(o.json, "[{\"offset\":0,\"size\":1024,\"owner\":\"cpu\"},"
				 "{\"offset\":1024,\"size\":1024,\"owner\":\"device\"}]"), "%s", o.json);
}

Test(dump, stats_of_libkdma)
{
	struct dmasim_stats st;

	cr_assert_eq(dmasim_stats(fx.disk, &st), 0);
	cr_assert(st.iommu && !st.swiotlb, "an IOMMU device that is not untrusted does not bounce");
	cr_assert_eq(st.iova_used, 8192, "two 4 KiB segments merged into one IOVA range");
	cr_assert_eq(st.iova_high_water, 8192);
	cr_assert_eq(st.iova_total, DMA_BIT_MASK(48) + 1 - 4096, "48-bit aperture minus IOVA 0");
	cr_assert_eq(dmasim_stats(fx.nic, &st), 0);
	cr_assert(!st.iommu && st.swiotlb);
	cr_assert_eq(st.swiotlb_total, 32768, "64 MiB in 2 KiB slots before the pool exists");
	cr_assert_eq(dmasim_stats(NULL, NULL), -EINVAL);
}

Test(dump, describe_cuts_long_descriptions)
{
	struct san_ref ref = { .size = NIC_RX_SIZE, .type = KDMA_TYPE_SINGLE, .dir = DMA_FROM_DEVICE };
	struct san_entry e = { 0 };
	char small[40], big[1024];

	cr_assert_eq(san_shadow_describe(&e, small, sizeof(small)), 0, "no shadow: not tracked");
	cr_assert_str_empty(small);

	/* every other line of rx[1] back to the CPU: 16 ranges */
	for (unsigned int off = 0; off < NIC_RX_SIZE; off += 256)
		dma_sync_single_for_cpu(fx.nic, fx.rx_dma[1] + off, 128, DMA_FROM_DEVICE);
	cr_assert(san_table_get_exact(fx.nic, fx.rx_dma[1], &ref, &e));
	cr_assert_eq(san_shadow_describe(&e, small, sizeof(small)), sizeof(small) - 1);
	cr_assert_str_eq(small, "cpu 0-127, device 128-255, cpu 256-3...");
	san_shadow_describe(&e, big, sizeof(big));
	cr_assert_eq(strlen(big), 245, "%s", big);
	cr_assert_str_eq(big + 245 - 33, ", cpu 1792-1919, device 1920-2047");
}

/* Dumps while other threads map, sync and unmap on another device: the walk copies entries whose
 * shadows may be released right after, and every record must still come out whole. */
struct churn {
	struct device *dev;
	int running; /* __atomic builtins: the kernel headers own the atomic_* names */
};

static void *churn_thread(void *arg)
{
	struct churn *c = arg;

	for (int i = 0; i < 3000; i++) {
		void *buf = kmalloc(1024, GFP_KERNEL);
		dma_addr_t h = dma_map_single(c->dev, buf, 1024, DMA_FROM_DEVICE);

		if (!dma_mapping_error(c->dev, h)) {
			dma_sync_single_for_cpu(c->dev, h, 128, DMA_FROM_DEVICE);
			dma_unmap_single(c->dev, h, 1024, DMA_FROM_DEVICE);
		}
		kfree(buf);
	}
	__atomic_fetch_sub(&c->running, 1, __ATOMIC_RELEASE);
	return NULL;
}

Test(dump, dumps_while_other_threads_map)
{
	static struct dump_out o;
	struct churn c = { fixture_device("churn0", "churn", DMASIM_IOMMU_NONE), 2 };
	pthread_t t[2];
	unsigned int dumps = 0;

	for (int i = 0; i < 2; i++)
		cr_assert_eq(pthread_create(&t[i], NULL, churn_thread, &c), 0);
	while (__atomic_load_n(&c.running, __ATOMIC_ACQUIRE) || dumps < 3) {
		bool kernel = dumps++ % 2;

		dump(&o, NULL, NULL, kernel ? SAN_DUMP_KERNEL : SAN_DUMP_TABLE);
		cr_assert(strstr(o.text, "end of mapping table dump #"), "%s", o.text);
		cr_assert_eq(count_lines(o.text, "e1000 0000:00:08.0 ") + count_lines(o.text,
			     "device 0000:00:08.0 (driver e1000): 4 live entries"), kernel ? 4 : 1,
			     "the NIC's 4 entries in every dump:\n%s", o.text);
		/* every record is one whole line */
		for (const char *l = o.json; *l; l = strchr(l, '\n') + 1) {
			cr_assert(!strncmp(l, "{\"type\":\"dump\",", 15), "%.200s", l);
			cr_assert_not_null(strchr(l, '\n'));
			cr_assert_eq(strchr(l, '\n')[-1], '}');
		}
	}
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
}
