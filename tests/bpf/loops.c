/* SPDX-License-Identifier: BSD-2-Clause */
/* Bounded loops the compiler keeps as loops (back edges in the CFG). */
#include "common.h"

SEC("kprobe/vfs_read")
int sum_loop(void *ctx)
{
	__u64 seed = bpf_get_prandom_u32();
	__u64 acc = 0;
	int i;

#pragma clang loop unroll(disable)
	for (i = 0; i < 64; i++) {
		acc += seed ^ i;
		if (acc & 0x100000)
			break;
	}
	return acc & 0xff;
}

SEC("xdp")
int nested_loop(struct xdp_md *ctx)
{
	__u32 n = ctx->rx_queue_index, r = 0;
	int i, j;

#pragma clang loop unroll(disable)
	for (i = 0; i < 8; i++) {
#pragma clang loop unroll(disable)
		for (j = 0; j < 8; j++)
			r += (n >> j) & i;
	}
	return r > 10 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
