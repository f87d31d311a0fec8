/* SPDX-License-Identifier: BSD-2-Clause */
/* Socket filter with legacy packet loads (LD_ABS and LD_IND). */
#include "common.h"

/* The LLVM intrinsics behind LD_ABS/LD_IND (no __builtin_ names in clang 14). */
unsigned long long load_byte(void *skb, unsigned long long off) asm("llvm.bpf.load.byte");
unsigned long long load_half(void *skb, unsigned long long off) asm("llvm.bpf.load.half");
unsigned long long load_word(void *skb, unsigned long long off) asm("llvm.bpf.load.word");

SEC("socket")
int ldabs_filter(struct __sk_buff *skb)
{
	__u64 proto = load_byte(skb, ETH_HLEN + 9);
	__u64 ethertype = load_half(skb, 12);
	__u64 saddr = load_word(skb, ETH_HLEN + 12);
	__u64 ihl = load_byte(skb, ETH_HLEN) & 0xf;
	__u64 dport = load_half(skb, ETH_HLEN + ihl * 4 + 2);

	if (ethertype != ETH_P_IP || proto != 6)
		return 0;
	if (saddr == 0x7f000001 || dport == 22)
		return 0;
	return -1;
}

char LICENSE[] SEC("license") = "GPL";
