// SPDX-License-Identifier: MIT
/*
 * Dumps on request: the program maps the fixture's buffers, then asks for the whole table and
 * for the NIC's driver only. With an argument "leak" it returns without unmapping (dump_at_exit
 * then still sees every entry). With "destroy-leak" it asks for no dump, releases everything but
 * the NIC's coherent ring and destroys the devices (the leak is found at the NIC's destroy).
 */
#include <string.h>

#include <dmasan/dmasan.h>

#include "nic.h"

int main(int argc, char **argv)
{
	struct dump_fixture f;

	if (fixture_map(&f))
		return 1;
	if (argc > 1 && !strcmp(argv[1], "destroy-leak")) {
		f.ring = NULL; /* fixture_unmap() frees everything else */
		fixture_unmap(&f);
		return 0;
	}
	dmasan_dump_mappings(NULL);
	dmasan_dump_mappings("e1*");
	if (argc > 1 && !strcmp(argv[1], "leak"))
		return 0;
	fixture_unmap(&f);
	return 0;
}
