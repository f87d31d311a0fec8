/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Loads and stores through stack pointers (stackmem.c): spills and fills,
 * narrow and partial stores, INVALID and POISON bytes, bounds, and
 * variable-offset accesses. States are built by hand and instructions run
 * one at a time through vf_mem_insn().
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "vf_mem_test.h"

/* ---------------------------------------------------------------- spill and fill */

START_TEST(spill_fill_pointer)
{
	set_ptr(R(1), DF_PTR_TO_MAP_VALUE, 4, map_idx("vals"));
	R(1)->id = 7;
	ok(STX(DW, 10, 1, -8));
	ck_assert_str_eq(slot_types(0, 0), "rrrrrrrr");
	ok(LDX(DW, 2, 10, -8));
	ck_assert_int_eq(memcmp(R(2), R(1), sizeof(*R(1))), 0);
	ck_assert_uint_eq(subs[0].stack_depth, 8);
	ck_state("R1=map_value(id=7,map=vals,ks=4,vs=8,off=4) R2=map_value(id=7,map=vals,ks=4,vs=8,"
		 "off=4) R10=fp0 fp-8=map_value(id=7,map=vals,ks=4,vs=8,off=4)\n");
	/* a pointer is spilled whole only, and read back whole only */
	fails(STX(W, 10, 1, -16), "invalid size of register spill");
	fails(LDX(W, 3, 10, -8), "invalid size of register fill");
	fails(LDX(W, 3, 10, -4), "invalid size of register fill");
	/* another frame's stack pointer may not go into a caller frame */
	st->frame[1] = vf_frame_new(1, 5, 1);
	st->curframe = 1;
	set_fp(R(2), 0, -16);
	fails(STX(DW, 2, 10, 0), "cannot spill pointers to stack into stack frame of the caller");
	ok(STX(DW, 10, 2, -8));
	ck_assert_str_eq(reg_str(&fr(1)->stack[0].spill), "fp-16");
}
END_TEST

START_TEST(spill_fill_scalar)
{
	set_range(R(1), 0, 100);
	ok(STX(DW, 10, 1, -16));
	ck_assert_uint_ne(R(1)->id, 0);
	ok(LDX(DW, 2, 10, -16));
	ck_assert_int_eq(memcmp(R(2), R(1), sizeof(*R(1))), 0);
	/* narrower fills at the slot boundary: the value fits, it comes back */
	ok(LDX(B, 3, 10, -16));
	ck_assert_uint_eq(R(3)->umax, 100);
	ck_assert_uint_eq(R(3)->id, R(1)->id);
	/* an 8-byte spill read from its near half: an unknown u32 */
	ok(LDX(W, 4, 10, -12));
	ck_assert_uint_eq(R(4)->umax, UINT32_MAX);
	ck_assert_uint_eq(R(4)->id, 0);
	/* ... unless the spilled value is 0 */
	vf_mark_known(R(5), 0);
	ok(STX(DW, 10, 5, -24));
	ok(LDX(W, 4, 10, -20));
	ck_assert_str_eq(reg_str(R(4)), "0");
	ck_assert_uint_eq(subs[0].stack_depth, 24);
}
END_TEST

START_TEST(spill_narrow)
{
	/* a 4-byte spill at a slot boundary keeps the register, bytes 4..7 */
	set_range(R(1), 0, 100);
	ok(STX(W, 10, 1, -8));
	ck_assert_str_eq(slot_types(0, 0), "????rrrr");
	ok(LDX(W, 2, 10, -8));
	ck_assert_uint_eq(R(2)->umax, 100);
	ck_assert_uint_eq(R(2)->id, R(1)->id);
	ok(LDX(H, 2, 10, -8));
	ck_assert_uint_eq(R(2)->umax, 100);
	/* the upper bytes were never written */
	fails(LDX(DW, 2, 10, -8), "invalid read from stack off -8+4 size 8");
	/* a value wider than the store is truncated on the way back */
	vf_mark_known(R(3), 0x1ff);
	ok(STX(B, 10, 3, -16));
	ck_assert_str_eq(slot_types(0, 1), "???????r");
	ok(LDX(B, 4, 10, -16));
	ck_assert_str_eq(reg_str(R(4)), "255");
	/* a narrowing spill breaks the link between slot and register */
	set_range(R(6), 0, 0x1ff);
	R(6)->id = 42;
	ok(STX(B, 10, 6, -32));
	ck_assert_uint_eq(fr(0)->stack[3].spill.id, 0);
	ck_assert_uint_eq(R(6)->id, 42);
	ok(LDX(B, 7, 10, -32));
	ck_assert_uint_eq(R(7)->umax, 0xff);
	ck_assert_uint_eq(R(7)->id, 0);
	/* immediates: the same record; MEMSX sign-extends it */
	ok(ST(B, 10, -24, 0x80));
	ok(LDSX(B, 5, 10, -24));
	ck_assert_str_eq(reg_str(R(5)), "-128");
	ok(LDX(B, 5, 10, -24));
	ck_assert_str_eq(reg_str(R(5)), "128");
	/* a wider spill over a narrow one, then a narrow one over it */
	ok(STX(DW, 10, 1, -8));
	ck_assert_str_eq(slot_types(0, 0), "rrrrrrrr");
	ok(STX(W, 10, 3, -8));
	ck_assert_str_eq(slot_types(0, 0), "mmmmrrrr");
	ok(LDX(DW, 2, 10, -8));
	ck_assert_str_eq(reg_str(R(2)), "scalar()");
}
END_TEST

START_TEST(narrow_writes)
{
	char t1[64], t3[64], expect[512];

	/* stores that do not start a slot: MISC, or ZERO for a known 0 */
	ok(ST(W, 10, -4, 0));
	ck_assert_str_eq(slot_types(0, 0), "0000????");
	set_range(R(1), 0, 1000);
	ok(STX(H, 10, 1, -6));
	ck_assert_str_eq(slot_types(0, 0), "0000mm??");
	vf_mark_known(R(2), 0);
	ok(STX(B, 10, 2, -7));
	ck_assert_str_eq(slot_types(0, 0), "0000mm0?");
	ok(LDX(W, 3, 10, -4));
	ck_assert_str_eq(reg_str(R(3)), "0");
	ok(LDX(H, 3, 10, -6));
	ck_assert_uint_eq(R(3)->umax, 0xffff);
	ck_assert(!vf_tnum_is_const(R(3)->var_off));
	fails(LDX(DW, 3, 10, -8), "invalid read from stack off -8+0 size 8");
	vf_tnum_snprint(t1, sizeof(t1), R(1)->var_off);
	vf_tnum_snprint(t3, sizeof(t3), R(3)->var_off);
	snprintf(expect, sizeof(expect), "R1=scalar(smin=smin32=0,smax=umax=smax32=umax32=1000,"
		 "var_off=%s) R2=0 R3=scalar(smin=smin32=0,smax=umax=smax32=umax32=0xffff,"
		 "var_off=%s) R10=fp0 fp-8=0000mm0?\n", t1, t3);
	ck_state(expect);
}
END_TEST

START_TEST(partial_pointer_overwrite)
{
	set_ptr(R(1), DF_PTR_TO_MAP_VALUE, 0, map_idx("vals"));
	ok(STX(DW, 10, 1, -8));
	set_range(R(2), 0, 5);
	ok(STX(W, 10, 2, -4));
	/* the spill is gone: every written byte and the rest of the slot are MISC */
	ck_assert_str_eq(slot_types(0, 0), "mmmmmmmm");
	ok(LDX(DW, 3, 10, -8));
	ck_assert_int_eq(R(3)->type, DF_SCALAR);
	ck_assert_str_eq(reg_str(R(3)), "scalar()");
	/* an unknown-value byte store over a spilled scalar scrubs it too */
	vf_mark_known(R(4), 0);
	ok(STX(DW, 10, 4, -16));
	ok(ST(B, 10, -9, 1));
	ck_assert_str_eq(slot_types(0, 1), "mmmmmmmm");
}
END_TEST

START_TEST(invalid_and_bounds)
{
	ok(ST(DW, 10, -32, 1));
	ck_assert_uint_eq(fr(0)->allocated, 32);
	fails(LDX(DW, 2, 10, -24), "invalid read from stack off -24+0 size 8");
	fails(LDX(DW, 2, 10, -40), "invalid read from stack R10 off=-40 size=8");
	fails(LDX(DW, 2, 10, 0), "invalid read from stack R10 off=0 size=8");
	fails(STX(DW, 10, 1, -520), "invalid write to stack R10 off=-520 size=8");
	fails(ST(DW, 10, -4, 0), "misaligned stack access off *");
	fails(LDX(W, 2, 10, -30), "misaligned stack access off *");
	fails(LDX(DW, 10, 10, -32), "frame pointer is read only");
	fails(LDX(DW, 2, 3, 0), "R3 !read_ok");
	ok(ST(DW, 10, -512, 1));
	ck_assert_uint_eq(fr(0)->allocated, 512);
	ck_assert_uint_eq(subs[0].stack_depth, 512);
}
END_TEST

START_TEST(poison_reads)
{
	ok(ST(DW, 10, -8, 1));
	ok(ST(DW, 10, -16, 1));
	memset(fr(0)->stack[0].type, DF_STACK_POISON, 8);
	fails(LDX(DW, 2, 10, -8), "reading from stack off -8+0 size 8, slot poisoned by dead "
				  "code elimination");
	/* a spill whose near half was wiped: the poison is what is reported */
	set_ptr(R(1), DF_PTR_TO_MAP_VALUE, 0, map_idx("vals"));
	ok(STX(DW, 10, 1, -16));
	memset(fr(0)->stack[1].type, DF_STACK_POISON, 4);
	fails(LDX(DW, 2, 10, -16), "reading from stack off -16+4 size 8, slot poisoned by dead "
				   "code elimination");
	/* a narrow spill over it leaves the dead half dead */
	ok(ST(W, 10, -16, 3));
	ck_assert_str_eq(slot_types(0, 1), "pppprrrr");
	ok(LDX(W, 2, 10, -16));
	ck_assert_str_eq(reg_str(R(2)), "3");
	/* a variable-offset read over poisoned bytes */
	set_fp(R(3), 0, -16);
	set_var(R(3), 0, 8);
	fails(LDX(B, 2, 3, 0), "reading from stack R3 off -16+4 size 1, slot poisoned by dead code "
			       "elimination");
}
END_TEST

/* ---------------------------------------------------------------- variable offsets */

START_TEST(stack_variable_offset)
{
	ok(ST(DW, 10, -8, 5));
	ok(ST(DW, 10, -16, 0));
	ok(ST(W, 10, -20, 0));		/* fp-24: 4 ZERO bytes, far half unwritten */
	/* r2 = fp-16 + {0, 8}: bytes -16 .. -1 are initialised */
	set_fp(R(2), 0, -16);
	set_var(R(2), 0, 8);
	R(2)->var_off = (struct df_tnum){ 0, 8 };
	ok(LDX(B, 3, 2, 0));
	ck_assert_uint_eq(R(3)->umax, 0xff);
	ok(LDX(W, 3, 2, 4));
	ck_assert_uint_eq(R(3)->umax, UINT32_MAX);
	fails(LDX(B, 3, 2, -8), "invalid read from stack R2 var_off *");
	fails(LDX(B, 3, 2, 9), "invalid variable-offset read from stack R2 var_off=* off=-7 "
			       "size=1");
	/* all bytes possibly read are ZERO: the result is 0 */
	set_fp(R(4), 0, -20);
	set_var(R(4), 0, 3);
	ok(LDX(B, 3, 4, 0));
	ck_assert_str_eq(reg_str(R(3)), "0");
	/* a variable-offset store touches every byte it may: MISC, spills gone */
	set_fp(R(5), 0, -24);
	set_var(R(5), 0, 15);
	vf_mark_known(R(6), 9);
	ok(STX(B, 5, 6, 0));
	ck_assert_str_eq(slot_types(0, 2), "mmmmmmmm");
	ck_assert_str_eq(slot_types(0, 1), "mmmmmmmm");
	ck_assert_str_eq(slot_types(0, 0), "rrrrrrrr");
	ok(LDX(B, 3, 5, 0));
	/* a zero store keeps ZERO bytes and spills of 0 */
	ok(ST(DW, 10, -32, 0));
	ok(ST(W, 10, -36, 0));
	set_fp(R(5), 0, -40);
	set_var(R(5), 0, 12);
	ok(ST(B, 5, 0, 0));
	ck_assert_str_eq(slot_types(0, 4), "0000mmmm");
	ck_assert_str_eq(slot_types(0, 3), "rrrrrrrr");
	fails(ST(B, 5, 30, 0), "invalid variable-offset write to stack R5 var_off=* off=-10 "
			       "size=1");
	set_var(R(5), 0, 1ULL << 40);
	fails(ST(B, 5, 0, 0), "invalid unbounded variable-offset write to stack R5");
	ck_assert_uint_eq(subs[0].stack_depth, 40);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("vf_stackmem");
	TCase *tc = tcase_create("stack");
	const TTest *ts[] = {
		spill_fill_pointer, spill_fill_scalar, spill_narrow, narrow_writes,
		partial_pointer_overwrite, invalid_and_bounds, poison_reads, stack_variable_offset,
	};

	for (size_t i = 0; i < DF_ARRAY_SIZE(ts); i++)
		tcase_add_test(tc, ts[i]);
	tcase_add_checked_fixture(tc, setup, teardown);
	suite_add_tcase(s, tc);
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
