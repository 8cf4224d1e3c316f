// SPDX-License-Identifier: MIT
/* mapping-leak at device destroy in a forked child: the same program as mapping-leak.fork-child.c,
 * but the child destroys its copy of the device after its own mapping. Only that mapping can be
 * the child's leak; the inherited ones are drained silently. */
/* E2E_FACTS: count=1 size=32 */
/* E2E_ONLY: yes */
#define CHILD_UNBIND
#include "mapping-leak.fork-child.c"
