// SPDX-License-Identifier: MIT
/* direct.c: being written (stub so that the library keeps building). */
#include "internal.h"
