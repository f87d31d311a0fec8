/* SPDX-License-Identifier: BSD-2-Clause */
/* Atomic instructions (compiled with -mcpu=v3): RMW, fetch, xchg, cmpxchg. */
#include "common.h"

__u64 total64;
__u32 total32;
__u64 flags64;
__u64 result;

SEC("tc")
int atomic_ops(struct __sk_buff *skb)
{
	__u64 old, prev;
	__u32 old32;

	__sync_fetch_and_add(&total64, skb->len);
	__sync_fetch_and_add(&total32, 1);
	old = __sync_fetch_and_add(&total64, 2);
	old32 = __sync_fetch_and_add(&total32, 3);
	old ^= __sync_fetch_and_or(&flags64, skb->mark);
	old ^= __sync_fetch_and_and(&flags64, ~1ULL);
	old ^= __sync_fetch_and_xor(&flags64, skb->priority);
	prev = __sync_val_compare_and_swap(&total64, old, old32);
	old32 = __sync_val_compare_and_swap(&total32, old32, 5);
	prev += __sync_lock_test_and_set(&flags64, prev);
	result = prev + old32;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
