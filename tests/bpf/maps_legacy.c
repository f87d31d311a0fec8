/* SPDX-License-Identifier: BSD-2-Clause */
/* Maps declared the pre-BTF way: struct bpf_map_def in the "maps" section. */
#include "common.h"

struct bpf_map_def SEC("maps") pkt_count = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 256,
};

struct bpf_map_def SEC("maps") seen = {
	.type = BPF_MAP_TYPE_LRU_HASH,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u32),
	.max_entries = 10000,
	.map_flags = 0,
};

SEC("socket")
int legacy_count(struct __sk_buff *skb)
{
	__u32 key = skb->protocol & 0xff;
	__u64 *v = bpf_map_lookup_elem(&pkt_count, &key);

	if (v)
		__sync_fetch_and_add(v, 1);
	return 0;
}

SEC("xdp")
int legacy_seen(struct xdp_md *ctx)
{
	__u32 key = ctx->ingress_ifindex, one = 1;

	bpf_map_update_elem(&seen, &key, &one, BPF_ANY);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
__u32 _version SEC("version") = 0x060100;
