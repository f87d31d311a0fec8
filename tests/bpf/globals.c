/* SPDX-License-Identifier: BSD-2-Clause */
/* Global variables in .data, .rodata and .bss, read and written by one program. */
#include "common.h"

const volatile __u32 threshold = 128;
const volatile char banner[8] = "bpfdf";
__u64 hits = 1;
__u32 last_len;
__u64 histogram[8];

SEC("tc")
int use_globals(struct __sk_buff *skb)
{
	__u32 len = skb->len;

	last_len = len;
	histogram[len & 7]++;
	if (len > threshold && banner[0] == 'b')
		hits++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
