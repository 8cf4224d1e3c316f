// SPDX-License-Identifier: MIT
/*
 * API sequences: the input is decoded into calls of the DMA mapping API, the sim device API and
 * <dmasan/dmasan.h> on a few simulated devices (direct, strict and lazy IOMMU, forced bounce, and
 * one created and destroyed per input), with the sanitizer attached as libdmasan.so attaches.
 *
 * Oracle, besides "no crash, no hang, no ASan/UBSan finding": every call the harness knows to be a
 * misuse (invalid direction, zero length, unmap or sync of a handle that is not live, unmap with a
 * wrong size or direction, double pool free) raises the sanitizer's error+warning count.
 *
 * Devices and dma_pools are garbage, wild or destroyed pointers sometimes: libkdma checks them
 * against its registries and refuses them with a report. Excluded (docs/reliability.md): a CPU
 * address that is not the harness's own memory. Bus addresses (dma_addr_t) are free-form: stale
 * and garbage handles are fuzzed.
 * Buffers are the harness's own memory (an arena cut in slots), so a mapping never covers memory
 * the process does not own: libkdma copies it when bouncing, as the kernel does.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <dmasan/dmasan.h>
#include <dmasan/sim.h>

#include "fuzz_attach.h"
#include "fuzz_input.h"

#define NDEVS 5 /* the last one is created and destroyed by each input */
#define NENTS 24
#define NPOOLS 3
#define SLOT (64 << 10)
#define NSLOTS 16
#define MAX_SG 6
#define SCRATCH (128 << 10)

enum kind { K_SINGLE, K_PAGE, K_SG, K_RESOURCE, K_COHERENT, K_POOL, K_NONCOHERENT };

struct ent {
	bool used, live;
	enum kind kind;
	int dev, pool, nents, mapped;
	void *cpu;
	dma_addr_t h;
	size_t size;
	enum dma_data_direction dir;
	struct scatterlist sg[MAX_SG];
};

static struct device *devs[NDEVS];
static struct dma_pool *pools[NPOOLS];
static int pool_dev[NPOOLS];
static struct ent ents[NENTS];
static u8 *arena, *scratch;

/* Huge sizes: past the arena (used only where that stays inside it) and past the end of the
 * address space. Sizes between (2^32..2^47) are excluded: an IOMMU device maps them page by page
 * over memory that is not there, building gigabytes of page tables (docs/reliability.md). */
static const size_t odd_sizes[] = {
	(size_t)SLOT + 1, 1UL << 20, SIZE_MAX, SIZE_MAX - 4095, (size_t)-SLOT,
};

static struct dmasim_config dev_config(int i)
{
	struct dmasim_config c = { .name = NULL, .driver = "fuzz" };

	switch (i) {
	case 0: /* direct, non-coherent, 32-bit */
		break;
	case 1:
		c.iommu = DMASIM_IOMMU_STRICT;
		c.dma_mask = c.coherent_dma_mask = ~0ULL;
		c.coherent = true;
		break;
	case 2:
		c.iommu = DMASIM_IOMMU_LAZY;
		c.untrusted = true;
		break;
	case 3:
		c.bounce = DMASIM_BOUNCE_FORCE;
		c.max_segment_size = 4096;
		c.segment_boundary_mask = 0xffff;
		break;
	default:
		c.reserved_mem_size = 256 << 10;
		c.dma_mask = c.coherent_dma_mask = (1ULL << 36) - 1;
		break;
	}
	return c;
}

static struct device *make_dev(int i)
{
	struct dmasim_config c = dev_config(i);
	char name[32];

	snprintf(name, sizeof(name), "fuzz%d", i);
	c.name = name;
	return dmasim_device_create(&c);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/* Lazy-IOMMU flushes happen when the input asks (dmasim_iommu_flush), not on a timer. */
	setenv("KDMA_OPTIONS", "quiet=1:iommu_fq_timeout_ms=0:swiotlb_size=4M", 1);
	fuzz_attach_sanitizer();
	for (int i = 0; i < NDEVS - 1; i++)
		if (!(devs[i] = make_dev(i)))
			abort();
	arena = mmap(NULL, (size_t)SLOT * NSLOTS, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	scratch = malloc(SCRATCH);
	if (arena == MAP_FAILED || !scratch)
		abort();
	return 0;
}

static unsigned long findings(void)
{
	return dmasan_error_count() + dmasan_warning_count();
}

/* A misuse the sanitizer must report: the count rose since `before`. */
static void expect_report(unsigned long before, const char *what)
{
	if (findings() == before) {
		fprintf(stderr, "fuzz_api: ORACLE: no report for %s\n", what);
		abort();
	}
}

static struct device *pick_dev(struct fuzz_input *in, int *idx)
{
	int i = fuzz_pick(in, NDEVS);

	if (!devs[i])
		devs[i] = make_dev(i);
	*idx = i;
	return devs[i];
}

static size_t pick_size(struct fuzz_input *in, size_t room)
{
	switch (fuzz_pick(in, 8)) {
	case 0:
		return 0;
	case 1:
		return odd_sizes[fuzz_pick(in, sizeof(odd_sizes) / sizeof(odd_sizes[0]))];
	case 2: case 3:
		return 1 + fuzz_u8(in) % 255;
	default:
		return 1 + (fuzz_u32(in) % (room ? room : 1));
	}
}

/* A direction, usually valid; 3 (DMA_NONE) and garbage values sometimes. */
static enum dma_data_direction pick_dir(struct fuzz_input *in)
{
	u8 v = fuzz_u8(in);

	if (v < 240)
		return (enum dma_data_direction)(v % 3);
	return v < 248 ? DMA_NONE : (enum dma_data_direction)(int)(v | 0x7ffff000);
}

static bool dir_valid(enum dma_data_direction d)
{
	return d == DMA_BIDIRECTIONAL || d == DMA_TO_DEVICE || d == DMA_FROM_DEVICE;
}

/* Output segments of sg lists unmapped with too few nents: what stays mapped is the driver's leak
 * (as in the kernel) and lives on in libkdma and the sanitizer across inputs, so a handle on one
 * is not unknown. Only for the devices that outlive an input; past the cap no such unmap is
 * made. */
#define MAX_LEAKED 4096
static struct { int dev; dma_addr_t lo; size_t len; } leaked[MAX_LEAKED];
static int nleaked;

static bool leaked_at(int d, dma_addr_t h)
{
	for (int i = 0; i < nleaked; i++)
		if (leaked[i].dev == d && h - leaked[i].lo < (leaked[i].len ?: 1))
			return true;
	return false;
}

/* Whether bus address h lies in a live entry of device d (then it is not "unknown"). */
static bool bus_live(int d, dma_addr_t h)
{
	if (leaked_at(d, h))
		return true;
	for (int i = 0; i < NENTS; i++) {
		const struct ent *e = &ents[i];

		if (!e->live || e->dev != d)
			continue;
		if (e->kind == K_SG) {
			for (int k = 0; k < e->mapped; k++)
				if (h - sg_dma_address(&e->sg[k]) < (sg_dma_len(&e->sg[k]) ?: 1))
					return true;
		} else if (h - e->h < (e->size ?: 1)) {
			return true;
		}
	}
	return false;
}

/* A buffer in the arena: [*cpu, *cpu + size) always inside it; room is what is left. */
static u8 *pick_buf(struct fuzz_input *in, size_t *room)
{
	unsigned int slot = fuzz_pick(in, NSLOTS);
	unsigned int off = fuzz_u8(in) < 200 ? 0 : fuzz_u32(in) % SLOT;

	*room = (size_t)SLOT * NSLOTS - (size_t)slot * SLOT - off;
	return arena + (size_t)slot * SLOT + off;
}

static struct ent *free_ent(struct fuzz_input *in)
{
	struct ent *e = &ents[fuzz_pick(in, NENTS)];

	return e->live ? NULL : e;
}

static void map_single(struct fuzz_input *in, bool page)
{
	struct ent *e = free_ent(in);
	int d;
	struct device *dev = pick_dev(in, &d);
	size_t room, size;
	u8 *buf = pick_buf(in, &room);
	enum dma_data_direction dir = pick_dir(in);
	unsigned long before = findings();
	dma_addr_t h;

	size = pick_size(in, room);
	/* Past the arena is not our memory, unless so huge that the API must refuse it first. */
	if (!e || (size > room && size < (1UL << 47)))
		return;
	if (page)
		h = dma_map_page(dev, virt_to_page(buf), offset_in_page(buf), size, dir);
	else
		h = dma_map_single(dev, buf, size, dir);
	if (!dir_valid(dir))
		expect_report(before, "map with an invalid direction");
	else if (!size)
		expect_report(before, "zero-length map");
	if (dma_mapping_error(dev, h))
		return;
	*e = (struct ent){ .used = true, .live = true, .kind = page ? K_PAGE : K_SINGLE, .dev = d,
			   .cpu = buf, .h = h, .size = size, .dir = dir };
}

static void map_sg(struct fuzz_input *in)
{
	struct ent *e = free_ent(in);
	int d, n = 1 + fuzz_pick(in, MAX_SG);
	struct device *dev = pick_dev(in, &d);
	enum dma_data_direction dir = pick_dir(in);
	unsigned long before = findings();

	if (!e)
		return;
	memset(e, 0, sizeof(*e));
	sg_init_table(e->sg, n);
	for (int k = 0; k < n; k++) {
		size_t room;
		u8 *buf = pick_buf(in, &room);
		size_t len = pick_size(in, room);

		if (len > room || len > UINT32_MAX)
			len = room < 8192 ? room : 8192;
		sg_set_buf(&e->sg[k], buf, (unsigned int)len);
	}
	e->mapped = dma_map_sg(dev, e->sg, n, dir);
	if (!dir_valid(dir))
		expect_report(before, "map_sg with an invalid direction");
	if (!e->mapped)
		return;
	e->used = e->live = true;
	e->kind = K_SG;
	e->dev = d;
	e->nents = n;
	e->dir = dir;
}

static void alloc_coherent(struct fuzz_input *in, bool noncoherent)
{
	struct ent *e = free_ent(in);
	int d;
	struct device *dev = pick_dev(in, &d);
	size_t size = 1 + fuzz_u32(in) % (256 << 10);
	dma_addr_t h;
	void *p;

	if (!e)
		return;
	if (fuzz_u8(in) > 250) /* sizes no allocator can serve (smaller ones would succeed) */
		size = fuzz_u8(in) & 1 ? SIZE_MAX : 1UL << 40;
	if (noncoherent)
		p = dma_alloc_noncoherent(dev, size, &h, DMA_BIDIRECTIONAL, GFP_KERNEL);
	else
		p = dma_alloc_coherent(dev, size, &h, fuzz_u8(in) & 1 ? GFP_ATOMIC : GFP_KERNEL);
	if (!p)
		return;
	*e = (struct ent){ .used = true, .live = true, .dev = d, .cpu = p, .h = h, .size = size,
			   .kind = noncoherent ? K_NONCOHERENT : K_COHERENT, .dir = DMA_BIDIRECTIONAL };
}

static void pool_op(struct fuzz_input *in)
{
	int p = fuzz_pick(in, NPOOLS), d;
	struct device *dev = pick_dev(in, &d);
	struct ent *e;
	dma_addr_t h;
	void *cpu;

	if (!pools[p]) {
		size_t size = 1 + fuzz_u32(in) % 8192, align = 1UL << fuzz_pick(in, 13);
		size_t boundary = fuzz_u8(in) & 1 ? 0 : 1UL << (12 + fuzz_pick(in, 3));

		pools[p] = dma_pool_create("fuzz", dev, size, align, boundary);
		pool_dev[p] = d;
		return;
	}
	if (!(e = free_ent(in)))
		return;
	cpu = fuzz_u8(in) & 1 ? dma_pool_zalloc(pools[p], GFP_KERNEL, &h)
			      : dma_pool_alloc(pools[p], GFP_KERNEL, &h);
	if (cpu)
		*e = (struct ent){ .used = true, .live = true, .kind = K_POOL, .dev = pool_dev[p],
				   .pool = p, .cpu = cpu, .h = h, .dir = DMA_BIDIRECTIONAL };
}

/* The right way to end an entry's life. */
static void release(struct ent *e)
{
	struct device *dev = devs[e->dev];

	switch (e->kind) {
	case K_SINGLE:
		dma_unmap_single(dev, e->h, e->size, e->dir);
		break;
	case K_PAGE:
		dma_unmap_page(dev, e->h, e->size, e->dir);
		break;
	case K_SG:
		dma_unmap_sg(dev, e->sg, e->nents, e->dir);
		break;
	case K_RESOURCE:
		dma_unmap_resource(dev, e->h, e->size, e->dir, 0);
		break;
	case K_COHERENT:
		dma_free_coherent(dev, e->size, e->cpu, e->h);
		break;
	case K_NONCOHERENT:
		dma_free_noncoherent(dev, e->size, e->cpu, e->h, DMA_BIDIRECTIONAL);
		break;
	case K_POOL:
		dma_pool_free(pools[e->pool], e->cpu, e->h);
		break;
	}
	e->live = false;
}

/* Unmap or free an entry, correctly or with one thing wrong; stale entries are unmapped again. */
static void unmap(struct fuzz_input *in)
{
	struct ent *e = &ents[fuzz_pick(in, NENTS)];
	struct device *dev;
	unsigned long before = findings();
	u8 how = fuzz_u8(in);

	if (!e->used || !(dev = devs[e->dev]))
		return;
	if (!e->live) { /* stale: the second unmap of the same handle */
		if (e->kind == K_POOL || e->kind == K_COHERENT || e->kind == K_NONCOHERENT)
			return; /* a second free hands a freed block to the allocator: excluded */
		if (e->kind == K_SG ? bus_live(e->dev, sg_dma_address(&e->sg[0]))
				    : bus_live(e->dev, e->h))
			return; /* the address was reused by a live mapping */
		if (e->kind == K_SG)
			dma_unmap_sg(dev, e->sg, e->nents, e->dir);
		else
			dma_unmap_single(dev, e->h, e->size ?: 1, e->dir);
		expect_report(before, "unmap of a stale handle");
		return;
	}
	if (how < 160 || e->kind == K_POOL || e->kind == K_COHERENT || e->kind == K_NONCOHERENT ||
	    e->kind == K_RESOURCE) {
		release(e);
		return;
	}
	if (e->kind == K_SG) {
		int n = e->nents > 1 ? 1 + how % (e->nents - 1) : e->nents;

		if (n != e->nents && e->dev != NDEVS - 1) {
			if (nleaked + e->mapped > MAX_LEAKED) {
				release(e);
				return;
			}
			for (int k = 0; k < e->mapped; k++) { /* which stay mapped: any of them */
				leaked[nleaked].dev = e->dev;
				leaked[nleaked].lo = sg_dma_address(&e->sg[k]);
				leaked[nleaked++].len = sg_dma_len(&e->sg[k]);
			}
		}
		dma_unmap_sg(dev, e->sg, n, e->dir);
		if (n != e->nents)
			expect_report(before, "unmap_sg with the wrong nents");
	} else if (how < 200) {
		size_t size = e->size + 1 + how;

		dma_unmap_single(dev, e->h, size, e->dir);
		expect_report(before, "unmap with the wrong size");
	} else {
		enum dma_data_direction dir = (e->dir + 1) % 3;

		dma_unmap_single(dev, e->h, e->size, dir);
		expect_report(before, "unmap with the wrong direction");
	}
	e->live = false;
}

static void unmap_garbage(struct fuzz_input *in)
{
	int d;
	struct device *dev = pick_dev(in, &d);
	dma_addr_t h = fuzz_u64(in);
	size_t size = pick_size(in, SLOT);
	enum dma_data_direction dir = pick_dir(in);
	unsigned long before = findings();

	if (bus_live(d, h) || !size || h == DMA_MAPPING_ERROR)
		return;
	dma_unmap_single(dev, h, size, dir);
	expect_report(before, "unmap of a garbage handle");
}

static void sync(struct fuzz_input *in)
{
	struct ent *e = &ents[fuzz_pick(in, NENTS)];
	u8 how = fuzz_u8(in);
	bool for_cpu = how & 1;
	struct device *dev;
	unsigned long before = findings();
	dma_addr_t h;
	size_t size;

	if (!e->used || !(dev = devs[e->dev]))
		return;
	if (e->kind == K_SG) {
		if (for_cpu)
			dma_sync_sg_for_cpu(dev, e->sg, e->nents, e->dir);
		else
			dma_sync_sg_for_device(dev, e->sg, e->nents, e->dir);
		return;
	}
	if (e->kind != K_SINGLE && e->kind != K_PAGE && e->kind != K_NONCOHERENT)
		return;
	h = e->h;
	size = e->size;
	if (how & 2) { /* a part of the mapping, or past its end */
		unsigned long off = fuzz_u32(in) % (e->size + 64);

		size = fuzz_u8(in) + 1;
		if (for_cpu)
			dma_sync_single_range_for_cpu(dev, h, off, size, e->dir);
		else
			dma_sync_single_range_for_device(dev, h, off, size, e->dir);
		return;
	}
	if (for_cpu)
		dma_sync_single_for_cpu(dev, h, size, e->dir);
	else
		dma_sync_single_for_device(dev, h, size, e->dir);
	if (!e->live && !bus_live(e->dev, h))
		expect_report(before, "sync of a stale handle");
}

static void device_access(struct fuzz_input *in)
{
	struct ent *e = &ents[fuzz_pick(in, NENTS)];
	int d;
	struct device *dev = pick_dev(in, &d);
	dma_addr_t addr = fuzz_u8(in) < 128 && e->used ? e->h + fuzz_u32(in) % (e->size + 256)
						      : fuzz_u64(in);
	size_t len = fuzz_u32(in) % SCRATCH;

	if (fuzz_u8(in) & 1)
		dmasim_dma_write(dev, addr, scratch, len);
	else
		dmasim_dma_read(dev, addr, scratch, len);
}

static void cpu_write(struct fuzz_input *in)
{
	size_t room;
	u8 *p = pick_buf(in, &room);
	size_t len = fuzz_u32(in) % (room < 4096 ? room : 4096);

	memset(p, fuzz_u8(in), len);
}

static void device_config(struct fuzz_input *in)
{
	int d;
	struct device *dev = pick_dev(in, &d);
	static const u64 masks[] = { 0, 0xffffff, DMA_BIT_MASK(24), DMA_BIT_MASK(32), DMA_BIT_MASK(40),
				     DMA_BIT_MASK(64), 0x1234 };

	switch (fuzz_pick(in, 4)) {
	case 0:
		dma_set_mask(dev, masks[fuzz_pick(in, 7)]);
		break;
	case 1:
		dma_set_mask_and_coherent(dev, masks[fuzz_pick(in, 7)]);
		break;
	case 2:
		dmasim_iommu_flush(dev);
		break;
	default: {
		struct dmasim_stats st;

		dmasim_stats(fuzz_u8(in) & 1 ? dev : NULL, &st);
		break;
	}
	}
}

static void sanitizer_call(struct fuzz_input *in)
{
	static const char *const filters[] = { NULL, "", "*", "fuzz1", "f*z*", "[", "nomatch" };

	switch (fuzz_pick(in, 3)) {
	case 0:
		dmasan_dump_mappings(filters[fuzz_pick(in, 7)]);
		break;
	case 1:
		dmasan_check_leaks();
		break;
	default:
		(void)dmasan_is_active();
		break;
	}
}

static void map_resource(struct fuzz_input *in)
{
	struct ent *e = free_ent(in);
	int d;
	struct device *dev = pick_dev(in, &d);
	phys_addr_t phys = fuzz_u8(in) & 1 ? (phys_addr_t)0xfe000000 + fuzz_u32(in) % (1 << 20)
					   : virt_to_phys(arena);
	size_t size = 1 + fuzz_u32(in) % SLOT;
	enum dma_data_direction dir = pick_dir(in);
	dma_addr_t h;

	if (!e)
		return;
	h = dma_map_resource(dev, phys, size, dir, 0);
	if (dma_mapping_error(dev, h))
		return;
	*e = (struct ent){ .used = true, .live = true, .kind = K_RESOURCE, .dev = d, .h = h,
			   .size = size, .dir = dir };
}

/* A call given a device or a dma_pool that is not one: harness memory never registered, a wild
 * address, or an object destroyed just before. Each is refused with a report, never followed. */
static void bad_object(struct fuzz_input *in)
{
	u8 *junk = scratch + fuzz_u32(in) % (SCRATCH - 256);
	unsigned int how = fuzz_pick(in, 3);
	unsigned long before;
	dma_addr_t h = 0;
	void *obj;

	for (int i = 0; i < 256 && in->left; i++)
		junk[i] = fuzz_u8(in);
	obj = how == 0 ? (void *)junk : (void *)(uintptr_t)((u64)fuzz_u32(in) << 12 | 1ULL << 46);
	if (fuzz_u8(in) & 1) { /* a device */
		struct dmasim_config c = dev_config(0);
		struct dma_pool *pool;

		if (how == 2) {
			c.name = "fuzz-dead";
			if (!(obj = dmasim_device_create(&c)))
				return;
			dmasim_device_destroy(obj);
		}
		before = findings();
		switch (fuzz_pick(in, 6)) {
		case 0:
			h = dma_map_single(obj, arena, 64, DMA_TO_DEVICE);
			if (h != DMA_MAPPING_ERROR)
				abort(); /* a mapping for no device */
			break;
		case 1:
			if (dma_alloc_coherent(obj, 4096, &h, GFP_KERNEL))
				abort();
			break;
		case 2:
			if (!dmasim_dma_read(obj, h, scratch, 64))
				abort();
			break;
		case 3:
			dma_set_mask(obj, DMA_BIT_MASK(32));
			break;
		case 4:
			if ((pool = dma_pool_create("fuzz-bad", obj, 64, 8, 0)))
				abort();
			break;
		default:
			dmasim_device_destroy(obj);
			break;
		}
		expect_report(before, "a call given a device that is not one");
		return;
	}
	if (how == 2) {
		obj = dma_pool_create("fuzz-dead", devs[0], 64, 8, 0);
		dma_pool_destroy(obj);
	}
	before = findings();
	switch (fuzz_pick(in, 3)) {
	case 0:
		if (dma_pool_alloc(obj, GFP_KERNEL, &h))
			abort(); /* a block of no pool */
		break;
	case 1:
		dma_pool_free(obj, arena, 0);
		break;
	default:
		dma_pool_destroy(obj);
		break;
	}
	expect_report(before, "a call given a dma_pool that is not one");
}

/* Back to a clean state: everything released, pools destroyed, the per-input device gone. */
static void cleanup(void)
{
	/* The per-input device leaks its streaming mappings; its allocations are freed, or over a
	 * long run they would use up the low memory its reserved region is carved from. */
	for (int i = 0; i < NENTS; i++)
		if (ents[i].live && (ents[i].dev != NDEVS - 1 || ents[i].kind == K_COHERENT ||
				     ents[i].kind == K_NONCOHERENT || ents[i].kind == K_POOL))
			release(&ents[i]);
	for (int p = 0; p < NPOOLS; p++) { /* the per-input device's may still be busy */
		if (pools[p])
			dma_pool_destroy(pools[p]);
		pools[p] = NULL;
	}
	if (devs[NDEVS - 1]) /* live entries on it are its driver's leak: reported at destroy */
		dmasim_device_destroy(devs[NDEVS - 1]);
	devs[NDEVS - 1] = NULL;
	memset(ents, 0, sizeof(ents));
	for (int i = 0; i < NDEVS - 1; i++) {
		struct dmasim_config c = dev_config(i);

		dma_set_mask(devs[i], c.dma_mask ?: DMA_BIT_MASK(32));
		dma_set_coherent_mask(devs[i], c.coherent_dma_mask ?: DMA_BIT_MASK(32));
		dmasim_iommu_flush(devs[i]);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };

	for (int steps = 0; in.left && steps < 256; steps++) {
		switch (fuzz_pick(&in, 15)) {
		case 0: map_single(&in, false); break;
		case 1: map_single(&in, true); break;
		case 2: map_sg(&in); break;
		case 3: alloc_coherent(&in, false); break;
		case 4: alloc_coherent(&in, true); break;
		case 5: pool_op(&in); break;
		case 6: unmap(&in); break;
		case 7: unmap_garbage(&in); break;
		case 8: sync(&in); break;
		case 9: device_access(&in); break;
		case 10: cpu_write(&in); break;
		case 11: device_config(&in); break;
		case 12: map_resource(&in); break;
		case 13: bad_object(&in); break;
		default: sanitizer_call(&in); break;
		}
	}
	cleanup();
	return 0;
}
