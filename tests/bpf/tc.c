/* SPDX-License-Identifier: BSD-2-Clause */
/* tc classifier: direct packet access, skb helpers, a verdict from the header. */
#include "common.h"
#include <linux/pkt_cls.h>

SEC("tc")
int tc_mark(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	__u8 tos = 0;

	if ((void *)(eth + 1) > end)
		return TC_ACT_OK;
	if (eth->h_proto == bpf_htons(ETH_P_IP) &&
	    bpf_skb_load_bytes(skb, sizeof(*eth) + 1, &tos, 1) == 0)
		skb->mark = tos;
	if (skb->mark == 0xff)
		return TC_ACT_SHOT;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
