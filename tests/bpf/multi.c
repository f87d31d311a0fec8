/* SPDX-License-Identifier: BSD-2-Clause */
/* Several programs of several types in one object, sharing one subprogram. */
#include "common.h"

static __noinline int low_bit(__u32 v)
{
	return v & 1;
}

SEC("socket")
int m_socket(struct __sk_buff *skb)
{
	return low_bit(skb->len) ? skb->len : 0;
}

SEC("xdp")
int m_xdp(struct xdp_md *ctx)
{
	return low_bit(ctx->rx_queue_index) ? XDP_DROP : XDP_PASS;
}

SEC("tc")
int m_tc(struct __sk_buff *skb)
{
	return skb->mark == 42;
}

SEC("kprobe/tcp_v4_connect")
int m_kprobe(void *ctx)
{
	return low_bit(bpf_get_smp_processor_id());
}

SEC("tracepoint/syscalls/sys_enter_openat")
int m_tracepoint(void *ctx)
{
	return 0;
}

SEC("cgroup_skb/egress")
int m_cgroup(struct __sk_buff *skb)
{
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
