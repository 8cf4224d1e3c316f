// SPDX-License-Identifier: MIT
/* device.c: being written (stub so that the library keeps building). */
#include "internal.h"
