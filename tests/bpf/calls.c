/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Static subprograms: tc_calls calls add3 -> add2 -> add1 (nested) and
 * scale; xdp_calls calls only scale. Each program must receive exactly the
 * .text functions it reaches.
 */
#include "common.h"

static __noinline int add1(int x)
{
	return x + 1;
}

static __noinline int add2(int x, int y)
{
	return add1(x) + y;
}

static __noinline int add3(int x, int y, int z)
{
	return add2(x, y) + z;
}

static __noinline int scale(int x, int by)
{
	return x * by;
}

SEC("tc")
int tc_calls(struct __sk_buff *skb)
{
	int v = add3(skb->len, skb->protocol, skb->mark);

	return scale(v, skb->priority) & 1;
}

SEC("xdp")
int xdp_calls(struct xdp_md *ctx)
{
	return scale(ctx->ingress_ifindex, ctx->rx_queue_index) ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
