// SPDX-License-Identifier: MIT
/* Name tables (names.h). */
#include <string.h>
#include "common/names.h"

static const struct {
	const char *name, *label, *kernel;
} types[DMASAN_NTYPES] = {
	{ "single", "single", "single" },
	{ "page", "page", "single" },
	{ "sg", "scatter-gather", "scatter-gather" },
	{ "resource", "resource", "resource" },
	{ "coherent", "coherent", "coherent" },
	{ "noncoherent", "noncoherent", "noncoherent" },
	{ "noncontiguous", "noncontiguous", "scatter-gather" },
	{ "pool", "pool", "coherent" },
};

static bool type_valid(int type)
{
	return type >= 0 && type < DMASAN_NTYPES;
}

const char *dmasan_type_name(int type)
{
	return type_valid(type) ? types[type].name : "unknown";
}

const char *dmasan_type_label(int type)
{
	return type_valid(type) ? types[type].label : "unknown";
}

const char *dmasan_type_kernel(int type)
{
	return type_valid(type) ? types[type].kernel : "single";
}

int dmasan_type_from_name(const char *name)
{
	for (int t = 0; name && t < DMASAN_NTYPES; t++)
		if (!strcmp(name, types[t].name))
			return t;
	return -1;
}

const char *dmasan_dir_name(int dir)
{
	static const char *const names[] = { "DMA_BIDIRECTIONAL", "DMA_TO_DEVICE",
					     "DMA_FROM_DEVICE", "DMA_NONE" };

	return dir >= 0 && dir <= 3 ? names[dir] : "invalid";
}

static const struct {
	const char *name, *kernel;
} maperr[DMASAN_NMAPERR] = {
	{ "not_applicable", "dma map error check not applicable" },
	{ "not_checked", "dma map error not checked" },
	{ "checked", "dma map error checked" },
};

const char *dmasan_maperr_name(int state)
{
	return maperr[state >= 0 && state < DMASAN_NMAPERR ? state : 0].name;
}

const char *dmasan_maperr_kernel(int state)
{
	return maperr[state >= 0 && state < DMASAN_NMAPERR ? state : 0].kernel;
}

int dmasan_maperr_from_name(const char *name)
{
	for (int s = 0; name && s < DMASAN_NMAPERR; s++)
		if (!strcmp(name, maperr[s].name))
			return s;
	return 0;
}

const char *dmasan_severity_name(int sev)
{
	return sev ? "warning" : "error";
}

const char *dmasan_severity_title(int sev)
{
	return sev ? "WARNING" : "ERROR";
}
