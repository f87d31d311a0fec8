/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ALU and conditional-jump instructions of the verifier: results the
 * kernel is known to give (r1 &= 0xff has umax 255, "if r1 > 10" leaves
 * umax 10 on the fall-through, 32-bit results are zero-extended, ...) and
 * the rules checked on a whole state: pointer arithmetic and its
 * messages, moves and scalar ids, null checks over every copy of a
 * pointer, packet ranges. check_vf_scalar.c holds the property tests.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "vf.h"

#define I(c, d, s, o, i) ((struct df_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), \
					    .off = (o), .imm = (i) })

/* ---------------------------------------------------------------- values */

static struct df_vreg unknown(void)
{
	struct df_vreg r;

	vf_mark_unknown(&r);
	return r;
}

static struct df_vreg known(uint64_t v)
{
	struct df_vreg r;

	vf_mark_known(&r, v);
	return r;
}

static struct df_vreg urange(uint64_t lo, uint64_t hi)
{
	struct df_vreg r = unknown();

	r.umin = lo;
	r.umax = hi;
	vf_reg_bounds_sync(&r);
	return r;
}

START_TEST(alu_known_results)
{
	struct df_vreg r, k;

	/* r1 &= 0xff */
	r = unknown();
	k = known(0xff);
	vf_scalar_alu(&r, &k, &I(DF_ALU64 | DF_AND | DF_K, 1, 0, 0, 0xff));
	ck_assert_uint_eq(r.umin, 0);
	ck_assert_uint_eq(r.umax, 255);
	ck_assert_int_eq(r.smax, 255);
	ck_assert_uint_eq(r.var_off.mask, 0xff);

	/* w1 += 1 on r1 = -1 wraps to 0 and clears the upper half */
	r = known(UINT64_MAX);
	k = known(1);
	vf_scalar_alu(&r, &k, &I(DF_ALU | DF_ADD | DF_K, 1, 0, 0, 1));
	ck_assert(vf_reg_is_const(&r));
	ck_assert_uint_eq(r.var_off.value, 0);

	/* any 32-bit result is zero-extended */
	r = unknown();
	k = known(0);
	vf_scalar_alu(&r, &k, &I(DF_ALU | DF_ADD | DF_K, 1, 0, 0, 0));
	ck_assert_uint_eq(r.umax, UINT32_MAX);
	ck_assert_int_eq(r.smin, 0);
	ck_assert_uint_eq(r.var_off.mask, UINT32_MAX);

	/* [0, 100] / 10 = [0, 10]; [0, 100] % 7 = [0, 6]; [2, 5] % 10 unchanged */
	r = urange(0, 100);
	k = known(10);
	vf_scalar_alu(&r, &k, &I(DF_ALU64 | DF_DIV | DF_K, 1, 0, 0, 10));
	ck_assert_uint_eq(r.umax, 10);
	r = urange(0, 100);
	k = known(7);
	vf_scalar_alu(&r, &k, &I(DF_ALU64 | DF_MOD | DF_K, 1, 0, 0, 7));
	ck_assert_uint_eq(r.umax, 6);
	r = urange(2, 5);
	k = known(10);
	vf_scalar_alu(&r, &k, &I(DF_ALU64 | DF_MOD | DF_X, 1, 2, 0, 0));
	ck_assert_uint_eq(r.umin, 2);
	ck_assert_uint_eq(r.umax, 5);

	/* x / 0 = 0 and x % 0 = x (register divisor known to be 0) */
	r = urange(3, 9);
	k = known(0);
	vf_scalar_alu(&r, &k, &I(DF_ALU64 | DF_DIV | DF_X, 1, 2, 0, 0));
	ck_assert(vf_reg_is_const(&r) && r.var_off.value == 0);
	r = urange(3, 9);
	vf_scalar_alu(&r, &k, &I(DF_ALU64 | DF_MOD | DF_X, 1, 2, 0, 0));
	ck_assert_uint_eq(r.umin, 3);
	ck_assert_uint_eq(r.umax, 9);

	/* MIN / -1 is MIN; a range holding more than MIN flips over */
	r = unknown();
	r.smax = INT64_MIN + 5;
	vf_reg_bounds_sync(&r);
	k = known(UINT64_MAX);
	vf_scalar_alu(&r, &k, &I(DF_ALU64 | DF_DIV | DF_K, 1, 0, 1, -1));
	ck_assert_int_eq(r.smin, INT64_MIN);
	ck_assert_int_eq(r.smax, INT64_MAX);
	r = known((uint64_t)INT64_MIN);
	vf_scalar_alu(&r, &k, &I(DF_ALU64 | DF_DIV | DF_K, 1, 0, 1, -1));
	ck_assert(vf_reg_is_const(&r) && r.var_off.value == (uint64_t)INT64_MIN);
	r = known(0x80000000);
	vf_scalar_alu(&r, &k, &I(DF_ALU | DF_DIV | DF_K, 1, 0, 1, -1));
	ck_assert(vf_reg_is_const(&r) && r.var_off.value == 0x80000000);
	r = unknown();
	r.s32min = INT32_MIN;
	r.s32max = INT32_MIN + 1;
	vf_reg_bounds_sync(&r);
	vf_scalar_alu(&r, &k, &I(DF_ALU | DF_DIV | DF_K, 1, 0, 1, -1));
	ck_assert_int_eq(r.s32max, INT32_MAX);

	/* division by a non-constant is not tracked */
	r = urange(3, 9);
	k = urange(1, 2);
	vf_scalar_alu(&r, &k, &I(DF_ALU64 | DF_DIV | DF_X, 1, 2, 0, 0));
	ck_assert_uint_eq(r.umax, UINT64_MAX);

	/* <<32 then s>>32 keeps the sign-extended 32-bit range */
	r = unknown();
	r.s32min = -5;
	r.s32max = 5;
	vf_reg_bounds_sync(&r);
	k = known(32);
	vf_scalar_alu(&r, &k, &I(DF_ALU64 | DF_LSH | DF_K, 1, 0, 0, 32));
	ck_assert_int_eq(r.smin, INT64_C(-5) * (INT64_C(1) << 32));
	vf_scalar_alu(&r, &k, &I(DF_ALU64 | DF_ARSH | DF_K, 1, 0, 0, 32));
	ck_assert_int_eq(r.smin, -5);
	ck_assert_int_eq(r.smax, 5);

	/* r1 = -r1 on [1, 10] */
	r = urange(1, 10);
	vf_scalar_alu(&r, &r, &I(DF_ALU64 | DF_NEG, 1, 0, 0, 0));
	ck_assert_int_eq(r.smin, -10);
	ck_assert_int_eq(r.smax, -1);

	/* be16 of 0x1234 and le32 truncation */
	r = known(0xabcd1234);
	vf_scalar_alu(&r, &r, &I(DF_ALU | DF_END | DF_TO_BE, 1, 0, 0, 16));
	ck_assert(vf_reg_is_const(&r) && r.var_off.value == 0x3412);
	r = known(0x1122334455667788ull);
	vf_scalar_alu(&r, &r, &I(DF_ALU | DF_END | DF_TO_LE, 1, 0, 0, 32));
	ck_assert(vf_reg_is_const(&r) && r.var_off.value == 0x55667788);

	/* loads */
	vf_reg_from_load(&r, 2, false);
	ck_assert_uint_eq(r.umax, 0xffff);
	ck_assert_int_eq(r.smin, 0);
	vf_reg_from_load(&r, 1, true);
	ck_assert_int_eq(r.smin, -128);
	ck_assert_int_eq(r.smax, 127);
	vf_reg_from_load(&r, 8, false);
	ck_assert_uint_eq(r.umax, UINT64_MAX);

	/* MOVSX of a range that fits keeps it; of [0, 200] gives the s8 range */
	r = urange(0, 100);
	vf_reg_sext(&r, 1);
	ck_assert_int_eq(r.smax, 100);
	r = urange(0, 200);
	vf_reg_sext(&r, 1);
	ck_assert_int_eq(r.smin, -128);
	ck_assert_int_eq(r.smax, 127);
}
END_TEST

START_TEST(branch_known_results)
{
	struct df_vreg a, b;

	/* if r1 > 10: fall-through umax=10, taken umin=11 */
	a = unknown();
	b = known(10);
	ck_assert_int_eq(vf_scalar_branch_taken(&a, &b, DF_JGT, false), -1);
	ck_assert_int_eq(vf_scalar_refine(&a, &b, DF_JGT, false, false), 0);
	ck_assert_uint_eq(a.umax, 10);
	ck_assert_int_eq(a.smin, 0);
	a = unknown();
	ck_assert_int_eq(vf_scalar_refine(&a, &b, DF_JGT, false, true), 0);
	ck_assert_uint_eq(a.umin, 11);

	/* if r1 == 7 makes it the constant */
	a = urange(0, 100);
	b = known(7);
	ck_assert_int_eq(vf_scalar_refine(&a, &b, DF_JEQ, false, true), 0);
	ck_assert(vf_reg_is_const(&a) && a.var_off.value == 7);

	/* if w1 s< 0 on [0, 0xffffffff]: taken means the low half has its sign bit */
	a = urange(0, UINT32_MAX);
	b = known(0);
	ck_assert_int_eq(vf_scalar_refine(&a, &b, DF_JSLT, true, true), 0);
	ck_assert_uint_eq(a.umin, 0x80000000);

	/* decided branches */
	a = urange(0, 10);
	b = known(20);
	ck_assert_int_eq(vf_scalar_branch_taken(&a, &b, DF_JLT, false), 1);
	ck_assert_int_eq(vf_scalar_refine(&a, &b, DF_JLT, false, false), 1);
	ck_assert_int_eq(vf_scalar_branch_taken(&a, &b, DF_JEQ, false), 0);

	/* if r1 & 4 on a value known to have bit 2 clear */
	a = known(8);
	b = known(4);
	ck_assert_int_eq(vf_scalar_branch_taken(&a, &b, DF_JSET, false), 0);
	a = urange(0, 3);
	ck_assert_int_eq(vf_scalar_refine(&a, &b, DF_JSET, false, true), 1);

	/* != at the edge of a range moves it */
	a = urange(0, 10);
	b = known(0);
	ck_assert_int_eq(vf_scalar_refine(&a, &b, DF_JNE, false, true), 0);
	ck_assert_uint_eq(a.umin, 1);

	/* if r1 >= 10 falls through: r1 <= 9; if w1 s< 5 taken: s32 <= 4 */
	a = urange(0, 100);
	b = known(10);
	ck_assert_int_eq(vf_scalar_refine(&a, &b, DF_JGE, false, false), 0);
	ck_assert_uint_eq(a.umax, 9);
	a = unknown();
	b = known(5);
	ck_assert_int_eq(vf_scalar_refine(&a, &b, DF_JSLT, true, true), 0);
	ck_assert_int_eq(a.s32max, 4);

	/* r1 == r2 leaves both in the intersection */
	a = urange(0, 50);
	b = urange(20, 100);
	ck_assert_int_eq(vf_scalar_refine(&a, &b, DF_JEQ, false, true), 0);
	ck_assert(a.umin == 20 && a.umax == 50 && b.umin == 20 && b.umax == 50);
	ck_assert(a.smax == 50 && b.smax == 50);

	/* same register */
	a = urange(0, 10);
	ck_assert_int_eq(vf_scalar_branch_taken(&a, &a, DF_JGE, false), 1);
	ck_assert_int_eq(vf_scalar_refine(&a, &a, DF_JGT, false, true), 1);
}
END_TEST

START_TEST(type_names)
{
	struct df_vreg r;

	vf_mark_unknown(&r);
	ck_assert_str_eq(vf_type_name(&r), "scalar");
	ck_assert(!vf_reg_is_pointer(&r));
	r.type = DF_PTR_TO_MAP_VALUE;
	ck_assert_str_eq(vf_type_name(&r), "map_value");
	ck_assert(vf_reg_is_pointer(&r));
	r.flags = DF_VF_MAYBE_NULL;
	ck_assert_str_eq(vf_type_name(&r), "map_value_or_null");
	r.type = DF_PTR_TO_SOCKET;
	ck_assert_str_eq(vf_type_name(&r), "sock_or_null");
	r.flags = 0;
	r.type = DF_PTR_TO_STACK;
	ck_assert_str_eq(vf_type_name(&r), "fp");
	r.type = DF_PTR_TO_PACKET_END;
	ck_assert_str_eq(vf_type_name(&r), "pkt_end");
	r.type = DF_CONST_PTR_TO_MAP;
	ck_assert_str_eq(vf_type_name(&r), "map_ptr");
	vf_mark_not_init(&r);
	ck_assert(!vf_reg_is_pointer(&r));
}
END_TEST

/* ---------------------------------------------------------------- instructions on a state */

struct fx {
	struct vf_env env;
	struct df_verify_result res;
	struct df_vstate st;
	struct df_vframe *f;
	struct df_vreg *r;	/* the frame's registers */
};

static struct fx *fx_new(void)
{
	struct fx *x = calloc(1, sizeof(*x));

	ck_assert_ptr_nonnull(x);
	x->f = calloc(1, sizeof(*x->f));
	ck_assert_ptr_nonnull(x->f);
	x->f->allocated = 16;
	x->f->stack = calloc(2, sizeof(*x->f->stack));
	x->f->callsite = UINT32_MAX;
	x->r = x->f->regs;
	for (int i = 0; i < DF_NREGS; i++)
		vf_mark_not_init(&x->r[i]);
	vf_mark_known_zero(&x->r[DF_REG_FP]);
	x->r[DF_REG_FP].type = DF_PTR_TO_STACK;
	x->st.frame[0] = x->f;
	x->env.cur = &x->st;
	x->env.res = &x->res;
	x->env.res->err_pc = -1;
	return x;
}

static void fx_free(struct fx *x)
{
	free(x->f->stack);
	free(x->f);
	free(x);
}

static void set_ptr(struct fx *x, int regno, uint8_t type, int32_t off)
{
	vf_mark_known_zero(&x->r[regno]);
	x->r[regno].type = type;
	x->r[regno].off = off;
}

static void alu_ok(struct fx *x, struct df_insn in)
{
	int err = vf_alu(&x->env, &x->st, &in);

	ck_assert_msg(!err, "insn %#x rejected: %s", in.code, x->res.msg);
}

static void alu_err(struct fx *x, struct df_insn in, const char *msg)
{
	struct df_vreg saved[DF_NREGS];

	memcpy(saved, x->r, sizeof(saved));
	x->res.msg[0] = 0;
	ck_assert_int_lt(vf_alu(&x->env, &x->st, &in), 0);
	ck_assert_str_eq(x->res.msg, msg);
	memcpy(x->r, saved, sizeof(saved));
}

START_TEST(ptr_arith)
{
	struct fx *x = fx_new();

	/* r1 = r10; r1 += -8; r2 in [0, 8]; r1 += r2 */
	alu_ok(x, I(DF_ALU64 | DF_MOV | DF_X, 1, 10, 0, 0));
	ck_assert_int_eq(x->r[1].type, DF_PTR_TO_STACK);
	alu_ok(x, I(DF_ALU64 | DF_ADD | DF_K, 1, 0, 0, -8));
	ck_assert_int_eq(x->r[1].off, -8);
	ck_assert(vf_tnum_is_const(x->r[1].var_off));
	x->r[2] = urange(0, 8);
	alu_ok(x, I(DF_ALU64 | DF_ADD | DF_X, 1, 2, 0, 0));
	ck_assert_int_eq(x->r[1].off, -8);
	ck_assert_uint_eq(x->r[1].umax, 8);

	set_ptr(x, 1, DF_PTR_TO_STACK, -8);
	alu_err(x, I(DF_ALU64 | DF_SUB | DF_K, 1, 0, 0, 8),
		"R1 subtraction from stack pointer prohibited");
	alu_err(x, I(DF_ALU64 | DF_AND | DF_K, 1, 0, 0, 7),
		"R1 bitwise operator &= on pointer prohibited");
	alu_err(x, I(DF_ALU64 | DF_MUL | DF_K, 1, 0, 0, 2),
		"R1 pointer arithmetic with *= operator prohibited");
	alu_err(x, I(DF_ALU | DF_ADD | DF_K, 1, 0, 0, 8),
		"R1 32-bit pointer arithmetic prohibited");
	x->r[2] = unknown();
	alu_err(x, I(DF_ALU64 | DF_ADD | DF_X, 1, 2, 0, 0),
		"math between fp pointer and register with unbounded min value is not allowed");
	x->r[2] = known(4);
	alu_err(x, I(DF_ALU64 | DF_SUB | DF_X, 2, 1, 0, 0),
		"R2 tried to subtract pointer from scalar");
	alu_err(x, I(DF_ALU64 | DF_DIV | DF_K, 2, 0, 0, 0), "div by zero");
	alu_err(x, I(DF_ALU64 | DF_LSH | DF_K, 2, 0, 0, 64), "invalid shift 64");
	alu_err(x, I(DF_ALU64 | DF_MOV | DF_K, 10, 0, 0, 1), "frame pointer is read only");
	alu_err(x, I(DF_ALU64 | DF_ADD | DF_X, 2, 3, 0, 0), "R3 !read_ok");

	set_ptr(x, 1, DF_PTR_TO_MAP_VALUE, 0);
	x->r[1].flags = DF_VF_MAYBE_NULL;
	x->r[1].id = 3;
	alu_err(x, I(DF_ALU64 | DF_ADD | DF_K, 1, 0, 0, 8),
		"R1 pointer arithmetic on map_value_or_null prohibited, null-check it first");
	set_ptr(x, 1, DF_PTR_TO_PACKET_END, 0);
	alu_err(x, I(DF_ALU64 | DF_ADD | DF_K, 1, 0, 0, 1),
		"R1 pointer arithmetic on pkt_end prohibited");

	/* scalar += pointer makes a pointer; pointer - pointer */
	x->r[2] = known(16);
	set_ptr(x, 3, DF_PTR_TO_MAP_VALUE, 4);
	alu_ok(x, I(DF_ALU64 | DF_ADD | DF_X, 2, 3, 0, 0));
	ck_assert_int_eq(x->r[2].type, DF_PTR_TO_MAP_VALUE);
	ck_assert_int_eq(x->r[2].off, 20);
	alu_ok(x, I(DF_ALU64 | DF_SUB | DF_X, 2, 3, 0, 0));
	ck_assert_int_eq(x->r[2].type, DF_SCALAR);
	set_ptr(x, 2, DF_PTR_TO_STACK, -8);
	alu_err(x, I(DF_ALU64 | DF_SUB | DF_X, 2, 3, 0, 0), "R2 pointer -= pointer prohibited");
	alu_err(x, I(DF_ALU64 | DF_ADD | DF_X, 2, 3, 0, 0), "R2 pointer += pointer prohibited");

	/* a packet pointer moved by a variable gets a new id and no range */
	set_ptr(x, 4, DF_PTR_TO_PACKET, 0);
	x->r[4].aux = 20;
	x->r[5] = urange(0, 4);
	alu_ok(x, I(DF_ALU64 | DF_ADD | DF_X, 4, 5, 0, 0));
	ck_assert_uint_ne(x->r[4].id, 0);
	ck_assert_uint_eq(x->r[4].aux, 0);

	/* a 32-bit copy of a pointer is an unknown 32-bit scalar */
	alu_ok(x, I(DF_ALU | DF_MOV | DF_X, 6, 10, 0, 0));
	ck_assert_int_eq(x->r[6].type, DF_SCALAR);
	ck_assert_uint_eq(x->r[6].umax, UINT32_MAX);
	fx_free(x);
}
END_TEST

START_TEST(mov_ids)
{
	struct fx *x = fx_new();
	struct df_insn jgt = I(DF_JMP | DF_JGT | DF_K, 1, 0, 3, 9);

	x->r[2] = urange(0, 100);
	alu_ok(x, I(DF_ALU64 | DF_MOV | DF_X, 1, 2, 0, 0));
	ck_assert_uint_ne(x->r[1].id, 0);
	ck_assert_uint_eq(x->r[1].id, x->r[2].id);
	/* a spilled copy follows too */
	x->f->stack[0].spill = x->r[1];
	memset(x->f->stack[0].type, DF_STACK_SPILL, 8);

	ck_assert_int_eq(vf_branch_taken(&x->env, &x->st, &jgt), -1);
	ck_assert_int_eq(vf_branch_refine(&x->env, &x->st, &jgt, false), 0);
	ck_assert_uint_eq(x->r[1].umax, 9);
	ck_assert_uint_eq(x->r[2].umax, 9);
	ck_assert_uint_eq(x->f->stack[0].spill.umax, 9);

	/* any other write drops the link */
	alu_ok(x, I(DF_ALU64 | DF_ADD | DF_K, 1, 0, 0, 1));
	ck_assert_uint_eq(x->r[1].id, 0);
	/* constants need no id */
	x->r[3] = known(5);
	alu_ok(x, I(DF_ALU64 | DF_MOV | DF_X, 4, 3, 0, 0));
	ck_assert_uint_eq(x->r[4].id, 0);
	/* w4 = w2 keeps the link only while r2 fits in 32 bits */
	x->r[2] = unknown();
	alu_ok(x, I(DF_ALU | DF_MOV | DF_X, 4, 2, 0, 0));
	ck_assert_uint_eq(x->r[4].id, 0);
	ck_assert_uint_eq(x->r[4].umax, UINT32_MAX);
	/* r5 = (s8)r2: linked only when the sign extension changes nothing */
	alu_ok(x, I(DF_ALU64 | DF_MOV | DF_X, 5, 2, 8, 0));
	ck_assert_int_eq(x->r[5].smin, -128);
	ck_assert_int_eq(x->r[5].smax, 127);
	ck_assert_uint_eq(x->r[5].id, 0);
	x->r[2] = urange(0, 100);
	alu_ok(x, I(DF_ALU64 | DF_MOV | DF_X, 5, 2, 8, 0));
	ck_assert_uint_ne(x->r[5].id, 0);
	ck_assert_uint_eq(x->r[5].id, x->r[2].id);
	ck_assert_uint_eq(x->r[5].umax, 100);
	fx_free(x);
}
END_TEST

START_TEST(null_check)
{
	struct df_insn jeq = I(DF_JMP | DF_JEQ | DF_K, 0, 0, 2, 0);

	for (int taken = 0; taken < 2; taken++) {
		struct fx *x = fx_new();

		set_ptr(x, 0, DF_PTR_TO_MAP_VALUE, 0);
		x->r[0].flags = DF_VF_MAYBE_NULL;
		x->r[0].id = 7;
		x->r[0].aux = 1;
		x->r[6] = x->r[0];
		x->f->stack[1].spill = x->r[0];
		memset(x->f->stack[1].type, DF_STACK_SPILL, 8);
		set_ptr(x, 7, DF_PTR_TO_MAP_VALUE, 0);	/* another lookup */
		x->r[7].flags = DF_VF_MAYBE_NULL;
		x->r[7].id = 8;

		ck_assert_int_eq(vf_branch_taken(&x->env, &x->st, &jeq), -1);
		ck_assert_int_eq(vf_branch_refine(&x->env, &x->st, &jeq, taken), 0);
		struct df_vreg *copies[] = { &x->r[0], &x->r[6], &x->f->stack[1].spill };

		for (int i = 0; i < 3; i++) {
			if (taken) {
				ck_assert(vf_reg_is_const(copies[i]));
				ck_assert_uint_eq(copies[i]->var_off.value, 0);
			} else {
				ck_assert_int_eq(copies[i]->type, DF_PTR_TO_MAP_VALUE);
				ck_assert_uint_eq(copies[i]->flags, 0);
				ck_assert_uint_eq(copies[i]->id, 0);
				ck_assert_uint_eq(copies[i]->aux, 1);
			}
		}
		ck_assert_uint_eq(x->r[7].flags, DF_VF_MAYBE_NULL);
		/* a checked pointer is never 0 */
		if (!taken) {
			ck_assert_int_eq(vf_branch_taken(&x->env, &x->st, &jeq), 0);
			ck_assert_int_eq(vf_branch_refine(&x->env, &x->st, &jeq, true), 1);
		}
		fx_free(x);
	}
}
END_TEST

START_TEST(pkt_ranges)
{
	struct df_insn jgt = I(DF_JMP | DF_JGT | DF_X, 3, 4, 2, 0);
	struct df_insn jlt = I(DF_JMP | DF_JLT | DF_X, 3, 4, 2, 0);
	struct df_insn jge_end = I(DF_JMP | DF_JGE | DF_X, 4, 3, 2, 0);
	struct fx *x = fx_new();

	set_ptr(x, 2, DF_PTR_TO_PACKET, 0);
	set_ptr(x, 3, DF_PTR_TO_PACKET, 8);
	set_ptr(x, 4, DF_PTR_TO_PACKET_END, 0);
	ck_assert_int_eq(vf_branch_taken(&x->env, &x->st, &jgt), -1);
	/* if r3 > pkt_end: the fall-through proves 8 bytes */
	ck_assert_int_eq(vf_branch_refine(&x->env, &x->st, &jgt, true), 0);
	ck_assert_uint_eq(x->r[2].aux, 0);
	ck_assert_int_eq(vf_branch_refine(&x->env, &x->st, &jgt, false), 0);
	ck_assert_uint_eq(x->r[2].aux, 8);
	ck_assert_uint_eq(x->r[3].aux, 8);
	/* if r3 < pkt_end taken: 9 bytes */
	ck_assert_int_eq(vf_branch_refine(&x->env, &x->st, &jlt, true), 0);
	ck_assert_uint_eq(x->r[2].aux, 9);
	fx_free(x);

	x = fx_new();
	set_ptr(x, 3, DF_PTR_TO_PACKET, 14);
	set_ptr(x, 4, DF_PTR_TO_PACKET_END, 0);
	ck_assert_int_eq(vf_branch_refine(&x->env, &x->st, &jge_end, true), 0);
	ck_assert_uint_eq(x->r[3].aux, 14);
	/* other pointer comparisons are refused */
	set_ptr(x, 1, DF_PTR_TO_STACK, -8);
	x->r[2] = known(5);
	x->res.msg[0] = 0;
	ck_assert_int_lt(vf_branch_taken(&x->env, &x->st, &I(DF_JMP | DF_JGT | DF_X, 1, 2, 1, 0)),
			 -1);
	ck_assert_str_eq(x->res.msg, "R1 pointer comparison prohibited");
	x->res.msg[0] = 0;
	ck_assert_int_lt(vf_branch_taken(&x->env, &x->st, &I(DF_JMP | DF_JEQ | DF_X, 2, 1, 1, 0)),
			 -1);
	ck_assert_str_eq(x->res.msg, "R1 pointer comparison prohibited");
	fx_free(x);
}
END_TEST

START_TEST(alu_rules)
{
	struct fx *x = fx_new();

	/* a constant 0 may be added to a map pointer, nothing else */
	set_ptr(x, 1, DF_CONST_PTR_TO_MAP, 0);
	alu_ok(x, I(DF_ALU64 | DF_ADD | DF_K, 1, 0, 0, 0));
	ck_assert_int_eq(x->r[1].type, DF_CONST_PTR_TO_MAP);
	alu_err(x, I(DF_ALU64 | DF_ADD | DF_K, 1, 0, 0, 8),
		"R1 pointer arithmetic on map_ptr prohibited");
	set_ptr(x, 1, DF_PTR_TO_SOCKET, 0);
	alu_err(x, I(DF_ALU64 | DF_ADD | DF_K, 1, 0, 0, 8),
		"R1 pointer arithmetic on sock prohibited");

	/* offsets far out of any object */
	set_ptr(x, 1, DF_PTR_TO_MAP_VALUE, 0);
	x->r[2] = known(1 << 29);
	alu_err(x, I(DF_ALU64 | DF_ADD | DF_X, 1, 2, 0, 0),
		"math between map_value pointer and 536870912 is not allowed");
	x->r[2] = urange(1 << 29, (1 << 29) + 4);
	alu_err(x, I(DF_ALU64 | DF_ADD | DF_X, 1, 2, 0, 0),
		"value 536870912 makes map_value pointer be out of bounds");

	/* a variable subtracted from a map value pointer */
	x->r[2] = urange(0, 4);
	set_ptr(x, 1, DF_PTR_TO_MAP_VALUE, 8);
	alu_ok(x, I(DF_ALU64 | DF_SUB | DF_X, 1, 2, 0, 0));
	ck_assert_int_eq(x->r[1].off, 8);
	ck_assert_int_eq(x->r[1].smin, -4);
	ck_assert_int_eq(x->r[1].smax, 0);

	/* the privileged kernel turns these into scalars */
	set_ptr(x, 1, DF_PTR_TO_STACK, -8);
	alu_ok(x, I(DF_ALU | DF_SUB | DF_K, 1, 0, 0, 8));
	ck_assert_int_eq(x->r[1].type, DF_SCALAR);
	set_ptr(x, 1, DF_PTR_TO_STACK, -8);
	alu_ok(x, I(DF_ALU64 | DF_NEG, 1, 0, 0, 0));
	ck_assert_int_eq(x->r[1].type, DF_SCALAR);
	alu_ok(x, I(DF_ALU64 | DF_MOV | DF_X, 2, 10, 16, 0));
	ck_assert_int_eq(x->r[2].type, DF_SCALAR);

	/* division by a register that may be 0 warns when asked to */
	x->r[1] = urange(0, 100);
	x->r[2] = urange(0, 4);
	alu_ok(x, I(DF_ALU64 | DF_DIV | DF_X, 1, 2, 0, 0));
	ck_assert_uint_eq(x->res.warn_cnt, 0);
	x->env.opts.div_by_zero = true;
	alu_ok(x, I(DF_ALU | DF_MOD | DF_X, 1, 2, 0, 0));
	ck_assert_uint_eq(x->res.warn_cnt, 1);
	x->r[2] = urange(1, 4);
	alu_ok(x, I(DF_ALU | DF_MOD | DF_X, 1, 2, 0, 0));
	ck_assert_uint_eq(x->res.warn_cnt, 1);

	/* encodings the kernel refuses */
	alu_err(x, I(DF_ALU64 | DF_ADD | DF_K, 1, 0, 1, 8), "BPF_ALU uses reserved fields");
	alu_err(x, I(DF_ALU64 | DF_MOV | DF_X, 1, 2, 4, 0), "BPF_MOV uses reserved fields");
	alu_err(x, I(DF_ALU | DF_MOV | DF_X, 1, 2, 32, 0), "BPF_MOV uses reserved fields");
	alu_err(x, I(DF_ALU | DF_END | DF_TO_BE, 1, 0, 0, 8), "BPF_END uses reserved fields");
	alu_err(x, I(DF_ALU64 | DF_NEG, 1, 0, 0, 1), "BPF_NEG uses reserved fields");

	/* immediates: a 32-bit move zero-extends, a 64-bit one sign-extends */
	alu_ok(x, I(DF_ALU | DF_MOV | DF_K, 3, 0, 0, -1));
	ck_assert(vf_reg_is_const(&x->r[3]) && x->r[3].var_off.value == UINT32_MAX);
	alu_ok(x, I(DF_ALU64 | DF_MOV | DF_K, 3, 0, 0, -1));
	ck_assert(vf_reg_is_const(&x->r[3]) && x->r[3].var_off.value == UINT64_MAX);
	fx_free(x);
}
END_TEST

START_TEST(jmp_rules)
{
	struct fx *x = fx_new();
	struct df_insn jne = I(DF_JMP | DF_JNE | DF_K, 1, 0, 1, 0);

	/* a map value pointer is never 0; a stack pointer may be compared with 0 only */
	set_ptr(x, 1, DF_PTR_TO_MAP_VALUE, 0);
	ck_assert_int_eq(vf_branch_taken(&x->env, &x->st, &jne), 1);
	set_ptr(x, 1, DF_PTR_TO_STACK, -8);
	ck_assert_int_eq(vf_branch_taken(&x->env, &x->st, &jne), -1);
	ck_assert_int_eq(vf_branch_refine(&x->env, &x->st, &jne, false), 0);
	ck_assert_int_eq(x->r[1].type, DF_PTR_TO_STACK);
	ck_assert_int_lt(vf_branch_taken(&x->env, &x->st, &I(DF_JMP | DF_JNE | DF_K, 1, 0, 1, 5)),
			 -1);
	ck_assert_str_eq(x->res.msg, "R1 pointer comparison prohibited");

	/* the null check needs a 64-bit ==/!= 0; other compares with 0 teach nothing */
	set_ptr(x, 1, DF_PTR_TO_MAP_VALUE, 0);
	x->r[1].flags = DF_VF_MAYBE_NULL;
	x->r[1].id = 4;
	struct df_insn jne32 = I(DF_JMP32 | DF_JNE | DF_K, 1, 0, 1, 0);

	ck_assert_int_eq(vf_branch_taken(&x->env, &x->st, &jne32), -1);
	ck_assert_int_eq(vf_branch_refine(&x->env, &x->st, &jne32, true), 0);
	ck_assert_uint_eq(x->r[1].flags, DF_VF_MAYBE_NULL);

	/* reading an uninitialised register */
	x->res.msg[0] = 0;
	ck_assert_int_lt(vf_branch_taken(&x->env, &x->st, &I(DF_JMP | DF_JEQ | DF_X, 1, 5, 1, 0)),
			 -1);
	ck_assert_str_eq(x->res.msg, "R5 !read_ok");

	/* jmp32 refines the low half; the upper half stays unknown */
	x->r[2] = unknown();
	ck_assert_int_eq(vf_branch_refine(&x->env, &x->st, &I(DF_JMP32 | DF_JLT | DF_K, 2, 0, 1,
							      16), true), 0);
	ck_assert_uint_eq(x->r[2].u32max, 15);
	ck_assert_uint_eq(x->r[2].umax, 0xffffffff0000000full);
	ck_assert_uint_eq(x->r[2].var_off.mask, 0xffffffff0000000full);
	fx_free(x);
}
END_TEST

/* ---------------------------------------------------------------- suite */

static Suite *vf_alu_suite(void)
{
	Suite *s = suite_create("vf_alu");
	TCase *tc = tcase_create("insns");

	tcase_add_test(tc, alu_known_results);
	tcase_add_test(tc, branch_known_results);
	tcase_add_test(tc, type_names);
	tcase_add_test(tc, ptr_arith);
	tcase_add_test(tc, alu_rules);
	tcase_add_test(tc, mov_ids);
	tcase_add_test(tc, null_check);
	tcase_add_test(tc, pkt_ranges);
	tcase_add_test(tc, jmp_rules);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(vf_alu_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
