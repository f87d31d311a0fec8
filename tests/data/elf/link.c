/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Loader cases: two programs in one section sharing .text subprograms
 * (one reached only through another), a static subprogram placed in the
 * program's own section, a bpf_loop callback, legacy and BTF maps, global
 * data, a kfunc, an extern variable and an unresolved memset.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct bpf_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct bpf_map_def SEC("maps") legacy_a = {
	.type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 8,
	.max_entries = 16, .map_flags = 1,
};
struct bpf_map_def SEC("maps") legacy_b = {
	.type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 32,
	.max_entries = 4,
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, __u64);
	__type(value, __u32);
	__uint(max_entries, 128);
} btf_map SEC(".maps");

int counter = 1;
const volatile int limit = 7;
__u64 scratch[4];

extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;
extern const int bpf_prog_active __ksym;

__attribute__((noinline)) static int leaf(int x)
{
	return x * 3 + limit;
}

__attribute__((noinline)) int middle(int x)
{
	return leaf(x) + 1;
}

__attribute__((noinline, section("xdp"))) static int same_sec(int x)
{
	return x ^ counter;
}

static int step(__u32 i, void *data)
{
	*(__u64 *)data += i;
	return 0;
}

SEC("xdp")
int prog_one(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&legacy_a, &k);

	if (v)
		scratch[1] = *v;
	return middle(ctx->data_end - ctx->data) + same_sec(1);
}

SEC("xdp")
int prog_two(struct xdp_md *ctx)
{
	__u64 key = ctx->ingress_ifindex, sum = 0;
	__u32 *v = bpf_map_lookup_elem(&btf_map, &key);

	bpf_loop(10, step, &sum, 0);
	return (v ? *v : 0) + leaf((int)sum) + same_sec(2);
}

SEC("tc")
int kfunc_prog(struct __sk_buff *skb)
{
	__u32 k = 1;
	void *v;

	bpf_rcu_read_lock();
	v = bpf_map_lookup_elem(&legacy_b, &k);
	bpf_rcu_read_unlock();
	return v != 0;
}

SEC("tc")
int extern_var(struct __sk_buff *skb)
{
	return bpf_prog_active;
}

/* What older compilers emitted for large memsets: a libcall with no BTF. */
SEC("socket")
int uses_memset(struct __sk_buff *skb)
{
	asm volatile("r1 = r10; r1 += -16; r2 = 0; r3 = 16; call memset"
		     ::: "r0", "r1", "r2", "r3", "r4", "r5");
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
