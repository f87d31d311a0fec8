/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cpu v4 instructions (compiled with -mcpu=v4): sign-extending loads and
 * moves, signed division and modulo, unconditional byte swap.
 */
#include "common.h"

struct sample {
	signed char c;
	short s;
	int i;
	long long l;
};

__s64 out[4];

static __noinline __s64 sdiv(__s64 a, __s64 b)
{
	return b ? a / b : 0;
}

SEC("xdp")
int v4_ops(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct sample *p = data;
	__s64 a, b;

	if ((void *)(p + 1) > end)
		return XDP_PASS;
	a = p->c;
	b = p->s;
	a += p->i;
	out[0] = sdiv(a, b);
	out[1] = b ? a % b : 0;
	out[2] = __builtin_bswap64(p->l);
	out[3] = (__s64)(int)(a >> 7);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
