/* SPDX-License-Identifier: BSD-2-Clause */
/* Tail calls through a prog_array; the targets are programs of the same object. */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} stages SEC(".maps");

SEC("xdp")
int stage0(struct xdp_md *ctx)
{
	bpf_tail_call(ctx, &stages, 1);
	return XDP_PASS;
}

SEC("xdp")
int stage1(struct xdp_md *ctx)
{
	if (ctx->rx_queue_index)
		bpf_tail_call(ctx, &stages, 2);
	return XDP_PASS;
}

SEC("xdp")
int stage2(struct xdp_md *ctx)
{
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
