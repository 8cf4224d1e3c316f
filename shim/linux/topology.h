/* SPDX-License-Identifier: MIT */
/* <linux/topology.h> — one NUMA node (0); every CPU is in it. */
#ifndef _DMASAN_SHIM_LINUX_TOPOLOGY_H
#define _DMASAN_SHIM_LINUX_TOPOLOGY_H

#ifndef NUMA_NO_NODE
#define NUMA_NO_NODE (-1)
#endif
#define MAX_NUMNODES 1
#define node_possible(node) ((node) == 0)
#define node_online(node) ((node) == 0)
#define numa_node_id() 0
#define cpu_to_node(cpu) 0

struct cpumask;
/* The mask is only handed to the kthread_bind family, which does not bind here. */
#define cpumask_of_node(node) ((const struct cpumask *)0)

#endif
