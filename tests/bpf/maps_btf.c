/* SPDX-License-Identifier: BSD-2-Clause */
/* BTF-defined maps of several types, each used by one program. */
#include "common.h"

struct flow_key {
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct flow_key);
	__type(value, __u64);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u32);
} config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u32);
} jumps SEC(".maps");

SEC("tc")
int count_flows(struct __sk_buff *skb)
{
	struct flow_key key = {
		.saddr = skb->remote_ip4,
		.daddr = skb->local_ip4,
		.sport = (__u16)skb->remote_port,
		.dport = (__u16)skb->local_port,
	};
	__u64 one = 1, *val;

	val = bpf_map_lookup_elem(&flows, &key);
	if (val)
		__sync_fetch_and_add(val, 1);
	else
		bpf_map_update_elem(&flows, &key, &one, BPF_NOEXIST);
	return 0;
}

SEC("xdp")
int read_config(struct xdp_md *ctx)
{
	__u32 idx = ctx->rx_queue_index & 15, *v;
	__u32 zero = 0;
	__u64 *c;

	v = bpf_map_lookup_elem(&config, &idx);
	c = bpf_map_lookup_elem(&counters, &zero);
	if (c)
		*c += 1;
	return v && *v ? XDP_DROP : XDP_PASS;
}

SEC("kprobe/do_sys_openat2")
int emit_event(void *ctx)
{
	__u64 *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e)
		return 0;
	*e = bpf_get_current_pid_tgid();
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tc")
int dispatch(struct __sk_buff *skb)
{
	bpf_tail_call(skb, &jumps, skb->mark & 7);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
