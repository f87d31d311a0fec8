/* SPDX-License-Identifier: BSD-2-Clause */
/* bpf_loop() with a static callback whose address is taken by ld_imm64. */
#include "common.h"

struct loop_ctx {
	__u64 sum;
	__u32 limit;
};

static int step(__u32 index, void *data)
{
	struct loop_ctx *c = data;

	c->sum += index;
	return c->sum > c->limit;
}

SEC("tc")
int loop_prog(struct __sk_buff *skb)
{
	struct loop_ctx c = { .sum = 0, .limit = skb->len };

	bpf_loop(100, step, &c, 0);
	return c.sum & 1;
}

char LICENSE[] SEC("license") = "GPL";
