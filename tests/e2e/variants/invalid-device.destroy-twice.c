// SPDX-License-Identifier: MIT
/* invalid-device: the device destroyed twice (remove, then the module's exit path). */
#include "e2e.h"

int main(void)
{
	struct device *dev = e2e_device(NULL);

	dmasim_device_destroy(dev);
	BUGGY(dmasim_device_destroy(dev), (void)0);
	return 0;
}
