// SPDX-License-Identifier: MIT
/* sim.c: being written (stub so that the library keeps building). */
#include "internal.h"
