/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Verifier states and memory accesses other than the stack (mem.c,
 * state.c, ctx.c): map values, other memory, the context, packets,
 * atomics, memory arguments of calls, invalidation, copies of states and
 * the text of registers and states. Stack accesses are in
 * check_vf_stackmem.c. States are built by hand and instructions run one
 * at a time through vf_mem_insn().
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>

#include "vf_mem_test.h"

/* ---------------------------------------------------------------- memory */

START_TEST(map_value_bounds)
{
	set_ptr(R(1), DF_PTR_TO_MAP_VALUE, 0, map_idx("vals"));
	ok(LDX(DW, 2, 1, 0));
	ck_assert_str_eq(reg_str(R(2)), "scalar()");
	ok(LDX(W, 2, 1, 4));
	ck_assert_uint_eq(R(2)->umax, UINT32_MAX);
	fails(LDX(DW, 2, 1, 4), "invalid access to map value, value_size=8 off=4 size=8");
	fails(LDX(B, 2, 1, -1), "invalid access to map value, value_size=8 off=-1 size=1");
	R(1)->off = 2;
	fails(ST(DW, 1, 0, 1), "invalid access to map value, value_size=8 off=2 size=8");
	ok(ST(H, 1, 4, 1));
	/* variable offsets: both ends of the range must fit */
	set_ptr(R(1), DF_PTR_TO_MAP_VALUE, 0, map_idx("vals"));
	set_var(R(1), 0, 4);
	ok(LDX(W, 2, 1, 0));
	fails(LDX(DW, 2, 1, 0), "invalid access to map value, value_size=8 off=4 size=8");
	set_var(R(1), 0, UINT64_MAX >> 1);
	fails(LDX(B, 2, 1, 0), "R1 unbounded memory access, make sure to bounds check any such "
			       "access");
	vf_mark_unknown(R(3));
	R(3)->type = DF_PTR_TO_MAP_VALUE;
	R(3)->aux = map_idx("vals");
	fails(LDX(B, 2, 3, 0), "R3 min value is negative, either use unsigned index or do a if "
			       "(index >=0) check.");
	/* pointers never go into a map value; read-only maps take no stores */
	set_ptr(R(1), DF_PTR_TO_MAP_VALUE, 0, map_idx("vals"));
	fails(STX(DW, 1, 10, 0), "R10 leaks addr into map");
	set_ptr(R(4), DF_PTR_TO_MAP_VALUE, 0, map_idx("ro"));
	ok(LDX(DW, 2, 4, 8));
	fails(ST(DW, 4, 8, 0), "write into map forbidden, value_size=16 off=8 size=8");
	/* null until checked; keys are read only */
	R(4)->flags = DF_VF_MAYBE_NULL;
	fails(LDX(B, 2, 4, 0), "R4 invalid mem access 'map_value_or_null'");
	set_ptr(R(5), DF_PTR_TO_MAP_KEY, 0, map_idx("vals"));
	ok(LDX(W, 2, 5, 0));
	fails(LDX(W, 2, 5, 2), "invalid access to map key, key_size=4 off=2 size=4");
	fails(ST(B, 5, 0, 1), "write to change key R5 not allowed");
}
END_TEST

START_TEST(mem_and_other_pointers)
{
	set_ptr(R(1), DF_PTR_TO_MEM, 0, 64);
	ok(LDX(DW, 2, 1, 56));
	ok(STX(DW, 1, 2, 0));
	fails(LDX(DW, 2, 1, 60), "invalid access to memory, mem_size=64 off=60 size=8");
	fails(STX(DW, 1, 10, 0), "R10 leaks addr into mem");
	vf_mark_known(R(3), 0);
	fails(LDX(B, 2, 3, 0), "R3 invalid mem access 'scalar'");
	set_ptr(R(3), DF_PTR_TO_PACKET_END, 0, 0);
	fails(LDX(B, 2, 3, 0), "R3 invalid mem access 'pkt_end'");
	set_ptr(R(3), DF_PTR_TO_FUNC, 0, 1);
	fails(LDX(B, 2, 3, 0), "R3 invalid mem access 'func'");
	set_ptr(R(3), DF_PTR_TO_SOCKET, 0, 0);
	R(3)->flags = DF_VF_MAYBE_NULL;
	fails(LDX(W, 2, 3, 0), "R3 invalid mem access 'sock_or_null'");
	R(3)->flags = 0;
	fails(ST(W, 3, 0, 0), "R3 cannot write into sock");
	ck_assert_int_eq(run(LDX(W, 2, 3, 0)), -EOPNOTSUPP);
	ck_assert_int_eq(res.verdict, DF_VERDICT_UNSUPPORTED);
	ck_assert_str_eq(res.msg, "unsupported: load through a socket pointer");
}
END_TEST

START_TEST(ctx_tc)
{
	ck_assert_uint_eq(vf_ctx_size(prog), 192);
	ok(LDX(W, 2, 1, 0));
	ck_assert_uint_eq(R(2)->umax, UINT32_MAX);
	ok(LDX(B, 2, 1, 3));
	ck_assert_uint_eq(R(2)->umax, 0xff);
	ok(LDX(W, 2, 1, 76));
	ck_assert_str_eq(reg_str(R(2)), "pkt(r=0)");
	ok(LDX(W, 3, 1, 80));
	ck_assert_str_eq(reg_str(R(3)), "pkt_end()");
	ok(LDX(W, 4, 1, 140));
	ck_assert_int_eq(R(4)->type, DF_PTR_TO_PACKET_META);
	ok(LDX(DW, 4, 1, 48));		/* cb[] takes any size */
	fails(LDX(DW, 2, 1, 76), "invalid bpf_context access off=76 size=8");
	fails(LDX(H, 2, 1, 76), "invalid bpf_context access off=76 size=2");
	fails(LDSX(W, 2, 1, 76), "invalid bpf_context access off=76 size=4");
	fails(LDX(W, 2, 1, 2), "invalid bpf_context access off=2 size=4");
	fails(LDX(W, 2, 1, 192), "invalid bpf_context access off=192 size=4");
	fails(LDX(W, 2, 1, 88), "invalid bpf_context access off=88 size=4");
	vf_mark_known(R(5), 1);
	ok(STX(W, 1, 5, 8));		/* mark */
	fails(STX(W, 1, 5, 0), "invalid bpf_context access off=0 size=4");
	fails(STX(H, 1, 5, 8), "invalid bpf_context access off=8 size=2");
	fails(STX(DW, 1, 10, 48), "R10 leaks addr into ctx");
	fails(ST(W, 1, 8, 1), "BPF_ST stores into R1 ctx is not allowed");
	R(1)->off = 4;
	ok(LDX(W, 2, 1, 4));		/* mark, through a moved pointer */
	R(1)->off = 0;
	R(1)->var_off = vf_tnum_const(8);
	R(1)->smin = R(1)->smax = 8;
	R(1)->umin = R(1)->umax = 8;
	fails(LDX(W, 2, 1, 0), "dereference of modified ctx ptr R1 off=8 disallowed");
	/* a socket pointer in the context is not modelled yet */
	set_ptr(R(1), DF_PTR_TO_CTX, 0, 0);
	ck_assert_int_eq(run(LDX(DW, 2, 1, 168)), -EOPNOTSUPP);
	ck_assert_int_eq(res.verdict, DF_VERDICT_UNSUPPORTED);
}
END_TEST

START_TEST(ctx_other_types)
{
	struct { const char *sec; uint32_t size; int32_t off; uint8_t sz; int result; } c[] = {
		{ "xdp", 24, 0, W, DF_PTR_TO_PACKET },
		{ "xdp", 24, 4, W, DF_PTR_TO_PACKET_END },
		{ "xdp", 24, 8, W, DF_PTR_TO_PACKET_META },
		{ "xdp", 24, 12, W, DF_SCALAR },
		{ "xdp", 24, 12, H, -1 },
		{ "xdp", 24, 20, W, -1 },		/* egress_ifindex: devmap only */
		{ "xdp/devmap", 24, 20, W, DF_SCALAR },
		{ "socket", 192, 0, W, DF_SCALAR },
		{ "socket", 192, 76, W, -1 },		/* no packet access */
		{ "cgroup_skb/ingress", 192, 76, W, DF_PTR_TO_PACKET },
		{ "cgroup_skb/ingress", 192, 140, W, -1 },
		{ "kprobe/f", 168, 160, DW, DF_SCALAR },
		{ "kprobe/f", 168, 164, W, DF_SCALAR },
		{ "kprobe/f", 168, 168, DW, -1 },
		{ "tracepoint/a/b", 8192, 8, DW, DF_SCALAR },
		{ "tracepoint/a/b", 8192, 0, DW, -1 },
		{ "tracepoint/a/b", 8192, 8184, DW, DF_SCALAR },
		{ "raw_tp/x", 96, 88, DW, DF_SCALAR },
		{ "raw_tp/x", 96, 96, DW, -1 },
		{ "cgroup/sock", 80, 12, W, DF_SCALAR },	/* protocol */
		{ "cgroup/sock", 80, 12, B, DF_SCALAR },
		{ "cgroup/sock", 80, 13, B, -1 },		/* narrow at the start only */
		{ "cgroup/sock", 80, 14, H, -1 },
		{ "cgroup/sock", 80, 52, H, DF_SCALAR },	/* dst_ip4: narrow anywhere */
		{ "cgroup/sock", 80, 49, B, DF_SCALAR },	/* dst_port */
		{ "cgroup/sock", 80, 50, H, -1 },		/* the hole after it */
		{ "cgroup/sock", 80, 24, W, -1 },		/* src_ip4: post_bind4 only */
		{ "cgroup/sock", 80, 80, W, -1 },
		{ "cgroup/post_bind4", 80, 24, W, DF_SCALAR },
		{ "cgroup/post_bind4", 80, 0, W, -1 },	/* bound_dev_if: create only */
		{ "cgroup/post_bind6", 80, 40, B, DF_SCALAR },
		{ "cgroup/post_bind6", 80, 24, W, -1 },
	};

	teardown();
	for (size_t i = 0; i < DF_ARRAY_SIZE(c); i++) {
		int err;

		load(c[i].sec);
		ck_assert_uint_eq(vf_ctx_size(prog), c[i].size);
		err = run(LDX(c[i].sz, 2, 1, c[i].off));
		if (c[i].result < 0) {
			ck_assert_msg(err == -EACCES, "%s off %d accepted", c[i].sec, c[i].off);
			ck_assert(!strncmp(res.msg, "invalid bpf_context access", 26));
		} else {
			ck_assert_msg(!err, "%s off %d: %s", c[i].sec, c[i].off, res.msg);
			ck_assert_int_eq(R(2)->type, c[i].result);
		}
		/* none of these takes a store at 12 */
		clear_err();
		vf_mark_known(R(3), 0);
		ck_assert_int_eq(run(STX(W, 1, 3, 12)), -EACCES);
		ck_assert(!strncmp(res.msg, "invalid bpf_context access", 26));
		teardown();
	}
	load("sk_msg");
	ck_assert_uint_eq(vf_ctx_size(prog), 0);
	ck_assert_int_eq(run(LDX(W, 2, 1, 0)), -EOPNOTSUPP);
	ck_assert_str_eq(res.msg, "unsupported: context access off=0 size=4 of program type "
			 "sk_msg");
}
END_TEST

/* struct bpf_sock_ops: whole u32 loads, reply and sk_txhash stores, u64 and pointer fields. */
START_TEST(ctx_sock_ops)
{
	teardown();
	load("sockops");
	ck_assert_uint_eq(vf_ctx_size(prog), 224);
	ok(LDX(W, 2, 1, 0));			/* op */
	ck_assert_int_eq(R(2)->type, DF_SCALAR);
	fails(LDX(H, 2, 1, 0), "invalid bpf_context access off=0 size=2");
	fails(LDX(DW, 2, 1, 64), "invalid bpf_context access off=64 size=8");
	ok(LDX(W, 2, 1, 64));			/* remote_port */
	ok(LDX(DW, 2, 1, 176));			/* bytes_acked */
	fails(LDX(W, 2, 1, 176), "invalid bpf_context access off=176 size=4");
	ok(LDX(B, 2, 1, 213));			/* skb_tcp_flags, narrow */
	ok(LDX(DW, 2, 1, 192));
	ck_assert_int_eq(R(2)->type, DF_PTR_TO_PACKET);
	ok(LDX(DW, 3, 1, 200));
	ck_assert_int_eq(R(3)->type, DF_PTR_TO_PACKET_END);
	fails(LDX(W, 2, 1, 192), "invalid bpf_context access off=192 size=4");
	fails(LDX(W, 2, 1, 224), "invalid bpf_context access off=224 size=4");
	vf_mark_known(R(5), 1);
	ok(STX(W, 1, 5, 4));			/* reply */
	ok(STX(W, 1, 5, 16));			/* replylong[3] */
	ok(STX(W, 1, 5, 164));			/* sk_txhash */
	fails(STX(W, 1, 5, 20), "invalid bpf_context access off=20 size=4");
	fails(STX(H, 1, 5, 4), "invalid bpf_context access off=4 size=2");
	clear_err();
	ck_assert_int_eq(run(LDX(DW, 2, 1, 184)), -EOPNOTSUPP);	/* sk: not modelled */
	ck_assert_int_eq(res.verdict, DF_VERDICT_UNSUPPORTED);
}
END_TEST

/* cgroup/sock: bound_dev_if, mark and priority are written at socket creation. */
START_TEST(ctx_cgroup_sock_store)
{
	teardown();
	load("cgroup/sock");
	vf_mark_known(R(5), 1);
	ok(STX(W, 1, 5, 0));			/* bound_dev_if */
	ok(STX(W, 1, 5, 20));			/* priority */
	fails(STX(W, 1, 5, 4), "invalid bpf_context access off=4 size=4");
	fails(STX(B, 1, 5, 16), "invalid bpf_context access off=16 size=1");
	teardown();
	load("cgroup/post_bind4");
	vf_mark_known(R(5), 1);
	fails(STX(W, 1, 5, 16), "invalid bpf_context access off=16 size=4");
}
END_TEST

START_TEST(packet_range)
{
	set_ptr(R(2), DF_PTR_TO_PACKET, 0, 14);
	ok(LDX(B, 3, 2, 13));
	ok(LDX(DW, 3, 2, 6));
	ck_assert_str_eq(reg_str(R(3)), "scalar()");
	fails(LDX(H, 3, 2, 13), "invalid access to packet, off=13 size=2, R2(id=0,off=13,r=14)");
	R(2)->off = 10;
	R(2)->id = 3;
	ok(LDX(W, 3, 2, 0));
	fails(LDX(W, 3, 2, 2), "invalid access to packet, off=12 size=4, R2(id=3,off=12,r=14)");
	ok(STX(B, 2, 3, 3));
	fails(STX(DW, 2, 1, -8), "R1 leaks addr into packet");
	/*
	 * The range of an id holds for every pointer sharing it, and they share
	 * the variable part: only the fixed offset is checked against it.
	 */
	set_ptr(R(2), DF_PTR_TO_PACKET, 0, 4);
	set_var(R(2), 0, 60);
	R(2)->id = 2;
	ok(LDX(W, 3, 2, 0));
	fails(LDX(W, 3, 2, 1), "invalid access to packet, off=1 size=4, R2(id=2,off=1,r=4)");
	R(2)->off = 2;
	ok(LDX(H, 3, 2, 0));
	fails(LDX(H, 3, 2, -4), "invalid access to packet, off=-2 size=2, R2(id=2,off=-2,r=4)");
	/* a variable part that may be negative is refused */
	set_var(R(2), 0, 60);
	R(2)->smin = -1;
	fails(LDX(B, 3, 2, 0), "R2 min value is negative, either use unsigned index or do a "
	      "if (index >=0) check.");
	/* cgroup skb programs read packets but do not write them */
	teardown();
	load("cgroup_skb/egress");
	set_ptr(R(2), DF_PTR_TO_PACKET, 0, 14);
	ok(LDX(B, 3, 2, 0));
	fails(ST(B, 2, 0, 0), "cannot write into packet");
}
END_TEST

START_TEST(atomics)
{
	struct df_vreg ptr;

	/* map value: fetch results are unknown, of the operand's width */
	set_ptr(R(1), DF_PTR_TO_MAP_VALUE, 0, map_idx("vals"));
	vf_mark_known(R(2), 5);
	ok(ATOMIC(DW, 1, 2, 0, DF_ADD));
	ck_assert_str_eq(reg_str(R(2)), "5");
	ok(ATOMIC(DW, 1, 2, 0, DF_ADD | DF_FETCH));
	ck_assert_str_eq(reg_str(R(2)), "scalar()");
	ok(ATOMIC(W, 1, 2, 4, DF_XCHG));
	ck_assert_uint_eq(R(2)->umax, UINT32_MAX);
	fails(ATOMIC(DW, 1, 2, 4, DF_ADD), "misaligned value access off *");
	fails(ATOMIC(H, 1, 2, 0, DF_ADD), "invalid atomic operand size");
	fails(ATOMIC(DW, 1, 10, 0, DF_XCHG), "R10 leaks addr into mem");
	fails(ATOMIC(DW, 1, 2, 0, DF_CMPXCHG), "R0 !read_ok");
	fails(ATOMIC(DW, 1, 2, 8, DF_ADD),
	      "invalid access to map value, value_size=8 off=8 size=8");
	/* stack: cmpxchg returns the old spilled value in r0; the slot becomes MISC */
	vf_mark_known(R(3), 7);
	ok(STX(DW, 10, 3, -8));
	vf_mark_known(R(0), 1);
	ok(ATOMIC(DW, 10, 2, -8, DF_CMPXCHG));
	ck_assert_str_eq(reg_str(R(0)), "7");
	ck_assert_str_eq(slot_types(0, 0), "mmmmmmmm");
	fails(ATOMIC(DW, 10, 2, -16, DF_ADD), "invalid read from stack R10 off=-16 size=8");
	set_fp(&ptr, 0, 0);
	*R(4) = ptr;
	ok(STX(DW, 10, 4, -16));
	fails(ATOMIC(DW, 10, 2, -16, DF_ADD), "leaking pointer from stack off -16");
	/* not on the context or packets */
	set_ptr(R(1), DF_PTR_TO_CTX, 0, 0);
	fails(ATOMIC(W, 1, 2, 0, DF_ADD), "BPF_ATOMIC stores into R1 ctx is not allowed");
	fails(ATOMIC(W, 2, 1, 0, DF_LOAD_ACQ), "BPF_ATOMIC loads from R1 ctx is not allowed");
	set_ptr(R(7), DF_PTR_TO_PACKET, 0, 8);
	fails(ATOMIC(W, 7, 2, 0, DF_ADD), "BPF_ATOMIC stores into R7 pkt is not allowed");
	/* load-acquire and store-release behave like LDX and STX */
	set_range(R(8), 0, 9);
	ok(ATOMIC(DW, 10, 8, -32, DF_STORE_REL));
	ck_assert_str_eq(slot_types(0, 3), "rrrrrrrr");
	ok(ATOMIC(W, 9, 10, -32, DF_LOAD_ACQ));
	ck_assert_uint_eq(R(9)->umax, 9);
	fails(ATOMIC(W, 10, 10, -32, DF_LOAD_ACQ), "frame pointer is read only");
}
END_TEST

/* ---------------------------------------------------------------- call arguments */

START_TEST(arg_mem)
{
	struct df_vreg p;

	set_fp(&p, 0, -16);
	ck_assert_int_lt(vf_check_arg_mem(&env, st, 2, &p, 16, false), 0);
	ck_assert_str_eq(res.msg, "invalid read from stack R2 off=-16 size=16");
	clear_err();
	ok(ST(DW, 10, -16, 1));
	ck_assert_int_lt(vf_check_arg_mem(&env, st, 2, &p, 16, false), 0);
	ck_assert_str_eq(res.msg, "invalid read from stack R2 off -16+8 size 16");
	clear_err();
	/* a helper writing the buffer: every byte MISC, spills gone */
	ck_assert_int_eq(vf_check_arg_mem(&env, st, 2, &p, 16, true), 0);
	ck_assert_str_eq(slot_types(0, 1), "mmmmmmmm");
	ck_assert_str_eq(slot_types(0, 0), "mmmmmmmm");
	ck_assert_int_eq(vf_check_arg_mem(&env, st, 2, &p, 16, false), 0);
	/* unknown size: up to the frame pointer */
	set_fp(&p, 0, -24);
	ck_assert_int_eq(vf_check_arg_mem(&env, st, 3, &p, -1, true), 0);
	ck_assert_uint_eq(fr(0)->allocated, 24);
	ck_assert_int_eq(vf_check_arg_mem(&env, st, 3, &p, -1, false), 0);
	set_fp(&p, 0, -32);
	ck_assert_int_lt(vf_check_arg_mem(&env, st, 3, &p, -1, false), 0);
	clear_err();
	/*
	 * A helper's access is a read or a write like an instruction's, and
	 * the messages say which (no "indirect" wording); a range read names
	 * the register, a poisoned byte included.
	 */
	set_fp(&p, 0, -2);
	ck_assert_int_lt(vf_check_arg_mem(&env, st, 2, &p, 4, true), 0);
	ck_assert_str_eq(res.msg, "invalid write to stack R2 off=-2 size=4");
	clear_err();
	ck_assert_int_lt(vf_check_arg_mem(&env, st, 2, &p, 4, false), 0);
	ck_assert_str_eq(res.msg, "invalid read from stack R2 off=-2 size=4");
	clear_err();
	set_fp(&p, 0, -16);
	fr(0)->stack[1].type[2] = DF_STACK_POISON;
	ck_assert_int_lt(vf_check_arg_mem(&env, st, 2, &p, 16, false), 0);
	ck_assert_str_eq(res.msg, "reading from stack R2 off -16+5 size 16, slot poisoned by dead "
			 "code elimination");
	clear_err();
	/* variable offsets need initialised bytes even for a write */
	set_fp(&p, 0, -40);
	set_var(&p, 0, 8);
	ck_assert_int_lt(vf_check_arg_mem(&env, st, 2, &p, 8, true), 0);
	ck_assert(!strncmp(res.msg, "invalid write to stack R2", 25) ||
		  !strncmp(res.msg, "invalid read from stack R2 var_off", 34));
	clear_err();
	/* maps, memory, packets */
	set_ptr(&p, DF_PTR_TO_MAP_VALUE, 0, map_idx("vals"));
	ck_assert_int_eq(vf_check_arg_mem(&env, st, 3, &p, 8, true), 0);
	ck_assert_int_lt(vf_check_arg_mem(&env, st, 3, &p, 16, false), 0);
	ck_assert_str_eq(res.msg, "invalid access to map value, value_size=8 off=0 size=16");
	clear_err();
	p.aux = map_idx("ro");
	ck_assert_int_lt(vf_check_arg_mem(&env, st, 3, &p, 8, true), 0);
	ck_assert_str_eq(res.msg, "write into map forbidden, value_size=16 off=0 size=8");
	clear_err();
	set_ptr(&p, DF_PTR_TO_MAP_KEY, 0, map_idx("vals"));
	ck_assert_int_lt(vf_check_arg_mem(&env, st, 2, &p, 4, true), 0);
	ck_assert_str_eq(res.msg, "R2 cannot write into map_key");
	clear_err();
	set_ptr(&p, DF_PTR_TO_PACKET, 4, 20);
	ck_assert_int_eq(vf_check_arg_mem(&env, st, 2, &p, 16, false), 0);
	ck_assert_int_lt(vf_check_arg_mem(&env, st, 2, &p, 17, false), 0);
	clear_err();
	ck_assert_int_lt(vf_check_arg_mem(&env, st, 1, R(1), 4, false), 0);
	ck_assert_str_eq(res.msg, "R1 type=ctx expected=fp");
	clear_err();
	vf_mark_known(&p, 0);
	ck_assert_int_eq(vf_check_arg_mem(&env, st, 4, &p, 0, false), 0);
}
END_TEST

/* ---------------------------------------------------------------- invalidation */

START_TEST(invalidate)
{
	struct df_vframe *f;

	st->frame[1] = vf_frame_new(1, 3, 1);
	st->curframe = 1;
	set_ptr(&fr(0)->regs[6], DF_PTR_TO_SOCKET, 0, 0);
	fr(0)->regs[6].ref_obj_id = 5;
	set_ptr(&fr(0)->regs[7], DF_PTR_TO_SOCKET, 0, 0);
	fr(0)->regs[7].ref_obj_id = 6;
	fr(0)->stack_args[0] = fr(0)->regs[6];
	fr(0)->stack_args[1] = fr(0)->regs[7];
	fr(0)->out_stack_arg_cnt = 2;
	set_ptr(R(2), DF_PTR_TO_SOCKET, 0, 0);
	R(2)->ref_obj_id = 5;
	f = fr(1);
	*R(3) = *R(2);
	ok(STX(DW, 10, 3, -8));
	set_ptr(R(4), DF_PTR_TO_PACKET, 0, 10);
	set_ptr(R(5), DF_PTR_TO_PACKET_END, 0, 0);
	ok(STX(DW, 10, 4, -16));
	f->stack_args[0] = *R(4);
	f->out_stack_arg_cnt = 1;

	vf_mem_invalidate_id(st, 5);
	ck_assert_str_eq(reg_str(&fr(0)->regs[6]), "scalar()");
	ck_assert_int_eq(fr(0)->regs[7].type, DF_PTR_TO_SOCKET);
	ck_assert_int_eq(fr(0)->stack_args[0].type, DF_NOT_INIT);
	ck_assert_int_eq(fr(0)->stack_args[1].type, DF_PTR_TO_SOCKET);
	ck_assert_str_eq(reg_str(R(2)), "scalar()");
	ck_assert_str_eq(reg_str(R(3)), "scalar()");
	ck_assert_str_eq(reg_str(&f->stack[0].spill), "scalar()");
	ck_assert_str_eq(reg_str(&f->stack[1].spill), "pkt(r=10)");

	vf_mem_invalidate_packet(st);
	ck_assert_str_eq(reg_str(R(4)), "scalar()");
	ck_assert_str_eq(reg_str(R(5)), "scalar()");
	ck_assert_str_eq(reg_str(&f->stack[1].spill), "scalar()");
	ck_assert_int_eq(f->stack_args[0].type, DF_NOT_INIT);
	ck_assert_int_eq(fr(0)->regs[7].type, DF_PTR_TO_SOCKET);
	ck_assert_int_eq(R(10)->type, DF_PTR_TO_STACK);
	/* the slot still reads back as the (now unknown) spilled value */
	ok(LDX(DW, 6, 10, -8));
	ck_assert_int_eq(R(6)->type, DF_SCALAR);
	ck_assert_uint_eq(R(6)->var_off.mask, UINT64_MAX);
}
END_TEST

/* ---------------------------------------------------------------- states */

START_TEST(state_copies)
{
	struct df_vstate *dup, *dst;
	struct df_vslot *buf;
	char *before, *after, *text;

	st->frame[1] = vf_frame_new(1, 9, 1);
	st->frame[2] = vf_frame_new(2, 20, 2);
	st->curframe = 2;
	for (int k = 1; k <= 6; k++)
		ck_assert_int_eq(vf_state_add_ref(st, (uint32_t)(10 * k)), 0);
	ok(ST(DW, 10, -48, 3));
	set_fp(R(1), 0, -8);
	ok(ST(DW, 1, 0, 4));
	vf_mark_known(&fr(1)->stack_args[0], 7);
	fr(1)->out_stack_arg_cnt = 1;
	fr(1)->no_stack_arg_load = true;
	st->insn_idx = 33;
	st->branches = 2;
	before = state_str(st);

	dup = vf_state_dup(st);
	ck_assert_ptr_nonnull(dup);
	text = state_str(dup);
	ck_assert_str_eq(text, before);
	free(text);
	ck_assert_uint_eq(dup->insn_idx, 33);
	ck_assert_uint_eq(dup->branches, 2);
	ck_assert_uint_eq(dup->ref_cnt, 6);
	ck_assert(dup->frame[1]->no_stack_arg_load);
	for (uint32_t i = 0; i < 3; i++) {
		ck_assert_ptr_ne(dup->frame[i], st->frame[i]);
		ck_assert_int_eq(memcmp(dup->frame[i]->regs, st->frame[i]->regs,
					sizeof(st->frame[i]->regs)), 0);
	}
	/* the copy is deep: changing the original leaves it alone */
	ok(ST(DW, 10, -8, 99));
	ok(ST(DW, 10, -512, 1));
	vf_state_del_ref(st, 30);
	vf_mark_known(&fr(0)->regs[0], 1);
	text = state_str(dup);
	ck_assert_str_eq(text, before);
	free(text);
	/* the duplicate's stack lives in its frame block; growing moves it out */
	ck_assert_ptr_eq(dup->frame[2]->stack, (struct df_vslot *)(dup->frame[2] + 1));
	ck_assert_int_eq(vf_stack_grow(dup->frame[2], 200), 0);
	ck_assert_uint_eq(dup->frame[2]->allocated, 200);
	ck_assert_ptr_ne(dup->frame[2]->stack, (struct df_vslot *)(dup->frame[2] + 1));
	ck_assert_int_eq(dup->frame[2]->stack[24].type[0], DF_STACK_INVALID);
	ck_assert_int_eq(dup->frame[2]->stack[5].spill.var_off.value, 3);
	ck_assert_int_eq(vf_stack_grow(dup->frame[2], 509), 0);
	ck_assert_uint_eq(dup->frame[2]->allocated, 512);

	/* copy into a state whose stack is as large: its buffer is reused */
	after = state_str(st);
	buf = dup->frame[2]->stack;
	ck_assert_int_eq(vf_state_copy(dup, st), 0);
	ck_assert_ptr_eq(dup->frame[2]->stack, buf);
	text = state_str(dup);
	ck_assert_str_eq(text, after);
	free(text);
	ck_assert_uint_eq(dup->ref_cnt, 5);
	/* a duplicate's stacks stay in their frame blocks when copied over */
	dst = vf_state_dup(st);
	ck_assert_int_eq(vf_state_copy(dst, dup), 0);
	ck_assert_ptr_null(dst->frame[1]->stack);
	for (uint32_t i = 0; i < 3; i += 2)
		ck_assert_ptr_eq(dst->frame[i]->stack, (struct df_vslot *)(dst->frame[i] + 1));
	vf_state_free(dst);
	/* and into one with fewer frames and smaller stacks */
	dst = vf_state_new();
	dst->frame[0] = vf_frame_new(0, UINT32_MAX, 0);
	ck_assert_int_eq(vf_stack_grow(dst->frame[0], 8), 0);
	ck_assert_int_eq(vf_state_copy(dst, st), 0);
	text = state_str(dst);
	ck_assert_str_eq(text, after);
	free(text);
	/* and back to a single frame: the others are freed */
	vf_state_pop_frame(dup);
	vf_state_pop_frame(dup);
	ck_assert_uint_eq(dup->curframe, 0);
	ck_assert_ptr_null(dup->frame[1]);
	ck_assert_int_eq(vf_state_copy(dst, dup), 0);
	ck_assert_ptr_null(dst->frame[2]);
	ck_assert_uint_eq(dst->curframe, 0);
	vf_state_pop_frame(dst);
	ck_assert_ptr_nonnull(dst->frame[0]);
	free(before);
	free(after);
	vf_state_free(dup);
	vf_state_free(dst);
}
END_TEST

START_TEST(refs)
{
	for (uint32_t i = 1; i <= 20; i++)
		ck_assert_int_eq(vf_state_add_ref(st, i), 0);
	ck_assert(vf_state_del_ref(st, 5));
	ck_assert(!vf_state_del_ref(st, 5));
	ck_assert(vf_state_del_ref(st, 20));
	ck_assert_uint_eq(st->ref_cnt, 18);
	ck_assert_uint_eq(st->refs[3], 4);
	ck_assert_uint_eq(st->refs[4], 6);
	for (uint32_t i = 21; i <= 40; i++)
		ck_assert_int_eq(vf_state_add_ref(st, i), 0);
	ck_assert_uint_eq(st->refs[37], 40);
	while (st->ref_cnt)
		ck_assert(vf_state_del_ref(st, st->refs[st->ref_cnt - 1]));
	ck_assert_int_eq(vf_state_add_ref(st, 77), 0);
	ck_state("R1=ctx() R10=fp0 refs=77\n");
}
END_TEST

START_TEST(print_regs)
{
	struct df_vreg r;
	char tn[64], expect[256];

	vf_mark_known(&r, 42);
	ck_assert_str_eq(reg_str(&r), "42");
	vf_mark_known(&r, (uint64_t)-1);
	ck_assert_str_eq(reg_str(&r), "-1");
	vf_mark_known(&r, 0x12345678);
	ck_assert_str_eq(reg_str(&r), "0x12345678");
	vf_mark_unknown(&r);
	ck_assert_str_eq(reg_str(&r), "scalar()");
	r.id = 4;
	ck_assert_str_eq(reg_str(&r), "scalar(id=4)");
	set_range(&r, 0, 100);
	vf_tnum_snprint(tn, sizeof(tn), r.var_off);
	snprintf(expect, sizeof(expect), "scalar(smin=smin32=0,smax=umax=smax32=umax32=100,"
		 "var_off=%s)", tn);
	ck_assert_str_eq(reg_str(&r), expect);
	vf_mark_unknown(&r);
	r.smin = -5;
	r.smax = 70000;
	r.s32min = -5;
	ck_assert_str_eq(reg_str(&r), "scalar(smin=smin32=-5,smax=0x11170)");
	memset(&r, 0, sizeof(r));
	ck_assert_str_eq(reg_str(&r), "?");
	set_ptr(&r, DF_PTR_TO_CTX, 0, 0);
	ck_assert_str_eq(reg_str(&r), "ctx()");
	set_fp(&r, 0, -8);
	ck_assert_str_eq(reg_str(&r), "fp-8");
	set_fp(&r, 1, 0);
	ck_assert_str_eq(reg_str(&r), "fp0");
	set_fp(&r, 0, -16);
	vf_reg_snprint(expect, sizeof(expect), prog, &r, 1);
	ck_assert_str_eq(expect, "fp[0]-16");
	set_ptr(&r, DF_PTR_TO_MAP_VALUE, 0, map_idx("vals"));
	r.flags = DF_VF_MAYBE_NULL;
	r.id = 3;
	ck_assert_str_eq(reg_str(&r), "map_value_or_null(id=3,map=vals,ks=4,vs=8)");
	set_ptr(&r, DF_CONST_PTR_TO_MAP, 0, map_idx("ro"));
	ck_assert_str_eq(reg_str(&r), "map_ptr(map=ro,ks=4,vs=16)");
	set_ptr(&r, DF_PTR_TO_PACKET, 2, 14);
	ck_assert_str_eq(reg_str(&r), "pkt(off=2,r=14)");
	set_ptr(&r, DF_PTR_TO_MEM, 0, 64);
	r.var_off = vf_tnum_const(8);
	ck_assert_str_eq(reg_str(&r), "mem(sz=64,imm=8)");
	set_ptr(&r, DF_PTR_TO_SOCKET, 0, 0);
	r.ref_obj_id = 2;
	ck_assert_str_eq(reg_str(&r), "sock(ref_obj_id=2)");
	set_ptr(&r, DF_PTR_TO_MAP_VALUE, 4, map_idx("vals"));
	set_var(&r, 0, 4);
	vf_tnum_snprint(tn, sizeof(tn), r.var_off);
	snprintf(expect, sizeof(expect), "map_value(map=vals,ks=4,vs=8,off=4,smin=smin32=0,"
		 "smax=umax=smax32=umax32=4,var_off=%s)", tn);
	ck_assert_str_eq(reg_str(&r), expect);
	/* a short buffer gets a terminated prefix and the full length back */
	ck_assert_int_eq(df_vreg_snprint(tn, 5, prog, &r), (int)strlen(expect));
	ck_assert_str_eq(tn, "map_");
}
END_TEST

START_TEST(print_state)
{
	struct df_vframe *f;

	ok(ST(DW, 10, -8, 0x7fffffff));
	ok(ST(W, 10, -12, 0));
	st->frame[1] = f = vf_frame_new(1, 4, 1);
	st->curframe = 1;
	f->in_callback = true;
	set_fp(R(1), 0, -8);
	ok(ST(B, 10, -16, 5));
	ok(ST(H, 10, -2, 1));
	vf_mark_known(&f->stack_args[1], 11);
	f->out_stack_arg_cnt = 2;
	f->stack[1].type[0] = DF_STACK_POISON;
	vf_state_add_ref(st, 3);
	vf_state_add_ref(st, 8);
	ck_state("frame0: R1=ctx() R10=fp0 fp-8=0x7fffffff fp-16=0000????\n"
		 "frame1: cb R1=fp[0]-8 R10=fp0 fp-8=mm?????? fp-16=p??????5 sa1=11 refs=3,8\n");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("vf_mem");
	TCase *other = tcase_create("memory"), *state = tcase_create("state");
	const TTest *to[] = {
		map_value_bounds, mem_and_other_pointers, ctx_tc, ctx_other_types, ctx_sock_ops,
		ctx_cgroup_sock_store, packet_range,
		atomics, arg_mem, invalidate,
	};
	const TTest *tt[] = { state_copies, refs, print_regs, print_state };

	for (size_t i = 0; i < DF_ARRAY_SIZE(to); i++)
		tcase_add_test(other, to[i]);
	for (size_t i = 0; i < DF_ARRAY_SIZE(tt); i++)
		tcase_add_test(state, tt[i]);
	tcase_add_checked_fixture(other, setup, teardown);
	tcase_add_checked_fixture(state, setup, teardown);
	suite_add_tcase(s, other);
	suite_add_tcase(s, state);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
