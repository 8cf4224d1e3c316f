// SPDX-License-Identifier: MIT
/* mapping.c: being written (stub so that the library keeps building). */
#include "internal.h"
