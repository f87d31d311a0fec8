/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A global (non-static) function in .text, called from two programs, and a
 * static helper function called only from the global one.
 */
#include "common.h"

static __noinline int mix(int a, int b)
{
	return (a ^ b) + (a >> 3);
}

__noinline int checksum(const struct __sk_buff *skb, int seed, int rounds)
{
	int v = seed;
	int i;

	if (!skb)
		return 0;
	for (i = 0; i < rounds && i < 8; i++)
		v = mix(v, i);
	return v;
}

SEC("tc")
int tc_global(struct __sk_buff *skb)
{
	return checksum(skb, skb->mark, skb->len) & 1;
}

SEC("cgroup_skb/ingress")
int cg_global(struct __sk_buff *skb)
{
	return checksum(skb, 7, skb->priority) > 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
