/* SPDX-License-Identifier: BSD-2-Clause */
/* bpf_for_each_map_elem() with a callback over an array map. */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 32);
	__type(key, __u32);
	__type(value, __u64);
} values SEC(".maps");

struct walk_ctx {
	__u64 total;
	__u32 visited;
};

static __u64 visit(void *map, __u32 *key, __u64 *val, struct walk_ctx *w)
{
	w->total += *val;
	w->visited++;
	return *key >= 16;
}

SEC("tc")
int walk_values(struct __sk_buff *skb)
{
	struct walk_ctx w = { 0, 0 };

	bpf_for_each_map_elem(&values, visit, &w, 0);
	return w.total > skb->len;
}

char LICENSE[] SEC("license") = "GPL";
