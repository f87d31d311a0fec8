/* SPDX-License-Identifier: BSD-2-Clause */
/* Arg tracking: the transfer table (§3.5), one test per row at least. */
#include "argtrack_test.h"

struct df_arg in_sa[DF_ARG_NSA];
struct df_arg parent0[DF_ARG_NSPILL];

START_TEST(xfer_mov_imm)
{
	struct df_argtrack_state s = fresh(0);

	s.loc[1] = ONE(0, -8);
	run(0, ALU64K(DF_MOV, 1, 5), &s);
	ck_arg(s.loc[1], NONE);
}
END_TEST

START_TEST(xfer_add_sub_imm)
{
	struct df_argtrack_state s = fresh(0);

	s.loc[1] = offs(0, 2, -8, 0);
	run(0, ALU64K(DF_ADD, 1, -8), &s);
	ck_arg(s.loc[1], offs(0, 2, -16, -8));
	run(0, ALU64K(DF_SUB, 1, 8), &s);
	ck_arg(s.loc[1], offs(0, 2, -24, -16));
	/* s16 overflow */
	run(0, ALU64K(DF_ADD, 1, -40000), &s);
	ck_arg(s.loc[1], OFFI(0));
	s.loc[1] = ONE(0, -32760);
	run(0, ALU64K(DF_SUB, 1, 16), &s);
	ck_arg(s.loc[1], OFFI(0));
	/* unchanged */
	run(0, ALU64K(DF_ADD, 1, 8), &s);
	ck_arg(s.loc[1], OFFI(0));
	s.loc[2] = IMP(3);
	run(0, ALU64K(DF_ADD, 2, 8), &s);
	ck_arg(s.loc[2], IMP(3));
	run(0, ALU64K(DF_ADD, 3, 8), &s);
	ck_arg(s.loc[3], NONE);
}
END_TEST

START_TEST(xfer_other_alu_imm)
{
	static const uint8_t ops[] = { DF_MUL, DF_AND, DF_OR, DF_LSH, DF_RSH, DF_ARSH, DF_NEG, DF_END };
	struct df_argtrack_state s = fresh(1);

	for (size_t i = 0; i < DF_ARRAY_SIZE(ops); i++) {
		s.loc[1] = ONE(1, -8);
		s.loc[2] = IMP(2);
		s.loc[3] = NONE;
		run(1, ALU64K(ops[i], 1, 3), &s);
		run(1, ALU64K(ops[i], 2, 3), &s);
		run(1, ALU64K(ops[i], 3, 3), &s);
		ck_arg(s.loc[1], OFFI(1));
		ck_arg(s.loc[2], IMP(2));
		ck_arg(s.loc[3], NONE);
	}
}
END_TEST

START_TEST(xfer_mov_reg)
{
	struct df_argtrack_state s = fresh(0);

	s.loc[2] = offs(0, 2, -16, -8);
	run(0, ALU64X(DF_MOV, 1, 2), &s);
	ck_arg(s.loc[1], offs(0, 2, -16, -8));
	run(0, ALU64X(DF_MOV, 3, 10), &s);
	ck_arg(s.loc[3], ONE(0, 0));
}
END_TEST

START_TEST(xfer_mov_reg_off)
{
	struct df_argtrack_state s = fresh(0);
	struct df_insn movsx = ALU64X(DF_MOV, 1, 10), cast = ALU64X(DF_MOV, 2, 10);

	movsx.off = 8;
	cast.off = 1;
	cast.imm = 1;
	s.loc[1] = ONE(0, -8);
	run(0, movsx, &s);
	run(0, cast, &s);
	ck_arg(s.loc[1], NONE);
	ck_arg(s.loc[2], NONE);
}
END_TEST

START_TEST(xfer_alu_reg)
{
	struct df_argtrack_state s = fresh(1);

	/* pointer op scalar, pointer op same frame */
	s.loc[1] = ONE(1, -8);
	run(1, ALU64X(DF_ADD, 1, 0), &s);
	ck_arg(s.loc[1], OFFI(1));
	s.loc[1] = ONE(1, -8);
	s.loc[2] = ONE(1, -16);
	run(1, ALU64X(DF_SUB, 1, 2), &s);
	ck_arg(s.loc[1], OFFI(1));
	/* scalar op pointer: the pointer's identity leaks */
	s.loc[3] = NONE;
	run(1, ALU64X(DF_ADD, 3, 2), &s);
	ck_arg(s.loc[3], OFFI(1));
	/* both scalars */
	run(1, ALU64X(DF_ADD, 4, 5), &s);
	ck_arg(s.loc[4], NONE);
	/* frames differ, imprecise operands */
	s.loc[1] = ONE(0, -8);
	run(1, ALU64X(DF_ADD, 1, 2), &s);
	ck_arg(s.loc[1], IMP(3));
	s.loc[4] = NONE;
	s.loc[5] = IMP(4);
	run(1, ALU64X(DF_ADD, 4, 5), &s);
	ck_arg(s.loc[4], IMP(4));
	s.loc[6] = IMP(1);
	run(1, ALU64X(DF_XOR, 6, 4), &s);
	ck_arg(s.loc[6], IMP(5));
}
END_TEST

START_TEST(xfer_alu32)
{
	struct df_argtrack_state s = fresh(0);

	s.loc[1] = ONE(0, -8);
	run(0, ALU32K(DF_ADD, 1, 0), &s);
	ck_arg(s.loc[1], NONE);
	s.loc[1] = ONE(0, -8);
	run(0, ((struct df_insn){ .code = DF_ALU | DF_X | DF_MOV, .dst_reg = 1, .src_reg = 10 }), &s);
	ck_arg(s.loc[1], NONE);
}
END_TEST

START_TEST(xfer_ldimm64)
{
	struct df_argtrack_state s = fresh(0);

	s.loc[1] = ONE(0, -8);
	run(0, ((struct df_insn){ .code = DF_LD | DF_IMM | DF_DW, .dst_reg = 1, .imm = 7 }), &s);
	ck_arg(s.loc[1], NONE);
	/* legacy packet loads leave the tracking alone */
	s.loc[0] = ONE(0, -8);
	run(0, ((struct df_insn){ .code = DF_LD | DF_ABS | DF_W, .imm = 12 }), &s);
	ck_arg(s.loc[0], ONE(0, -8));
}
END_TEST

START_TEST(xfer_call)
{
	struct df_argtrack_state s = fresh(0);

	for (int r = 0; r <= 9; r++)
		s.loc[r] = ONE(0, (int16_t)(-8 * (r + 1)));
	SP(s, 0) = ONE(0, -16);
	s.loc[DF_ARG_SA0] = ONE(0, -24);
	run(0, ((struct df_insn){ .code = DF_JMP | DF_CALL, .imm = 7 }), &s);
	for (int r = 0; r <= 5; r++)
		ck_arg(s.loc[r], NONE);
	for (int r = 6; r <= 9; r++)
		ck_arg(s.loc[r], ONE(0, (int16_t)(-8 * (r + 1))));
	ck_arg(SP(s, 0), ONE(0, -16));
	ck_arg(s.loc[DF_ARG_SA0], ONE(0, -24));
}
END_TEST

START_TEST(xfer_ldx_stack_arg)
{
	struct df_argtrack_state s = fresh(1);

	in_sa[0] = ONE(0, -8);
	in_sa[6] = IMP(1);
	run(1, LDX(DF_DW, 6, DF_REG_PARAMS, 8), &s);
	run(1, LDX(DF_DW, 7, DF_REG_PARAMS, 56), &s);
	ck_arg(s.loc[6], ONE(0, -8));
	ck_arg(s.loc[7], IMP(1));
	/* a root has no incoming values; slots beyond 7 read NONE */
	s = fresh(0);
	s.loc[6] = ONE(0, -8);
	run(0, LDX(DF_DW, 6, DF_REG_PARAMS, 8), &s);
	ck_arg(s.loc[6], NONE);
	s = fresh(1);
	s.loc[6] = ONE(1, -8);
	run(1, LDX(DF_DW, 6, DF_REG_PARAMS, 64), &s);
	ck_arg(s.loc[6], NONE);
}
END_TEST

START_TEST(xfer_fill_local)
{
	struct df_argtrack_state s = fresh(0);

	SP(s, 0) = ONE(0, -16);
	SP(s, 1) = ONE(0, -32);
	SP(s, 63) = IMP(1);
	/* r10 base: exact slot */
	run(0, LDX(DF_DW, 2, 10, -8), &s);
	ck_arg(s.loc[2], ONE(0, -16));
	run(0, LDX(DF_DW, 2, 10, -512), &s);
	ck_arg(s.loc[2], IMP(1));
	/* through a single-offset pointer: joined from NONE, so the fake 0 appears */
	s.loc[1] = ONE(0, -16);
	run(0, LDX(DF_DW, 3, 1, 8), &s);
	ck_arg(s.loc[3], offs(0, 2, -16, 0));
	/* several offsets: the join of their slots */
	s.loc[1] = offs(0, 2, -16, -8);
	run(0, LDX(DF_DW, 3, 1, 0), &s);
	ck_arg(s.loc[3], offs(0, 3, -32, -16, 0));
	/* unaligned, out of the frame, offset-imprecise, imprecise: all frames 0..d */
	run(0, LDX(DF_DW, 3, 10, -12), &s);
	ck_arg(s.loc[3], IMP(1));
	run(0, LDX(DF_DW, 3, 10, 8), &s);
	ck_arg(s.loc[3], IMP(1));
	s = fresh(2);
	s.loc[1] = OFFI(2);
	run(2, LDX(DF_DW, 3, 1, 0), &s);
	ck_arg(s.loc[3], IMP(7));
	s.loc[1] = IMP(4);
	run(2, LDX(DF_DW, 3, 1, 0), &s);
	ck_arg(s.loc[3], IMP(7));
}
END_TEST

START_TEST(xfer_fill_parent)
{
	struct df_argtrack_state s = fresh(1);

	parent0[1] = ONE(0, -48);
	s.loc[1] = ONE(0, -16);
	SP(s, 1) = ONE(1, -8);
	run(1, LDX(DF_DW, 2, 1, 0), &s);
	ck_arg(s.loc[2], offs(0, 2, -48, 0));
	/* unaligned in the parent: imprecise over frames 0..f */
	run(1, LDX(DF_DW, 2, 1, 4), &s);
	ck_arg(s.loc[2], IMP(1));
}
END_TEST

START_TEST(xfer_fill_imprecise_parent)
{
	struct df_argtrack_state s = fresh(2);

	s.loc[1] = IMP(3);
	run(2, LDX(DF_DW, 2, 1, 0), &s);
	ck_arg(s.loc[2], IMP(3));
}
END_TEST

START_TEST(xfer_ldx_other)
{
	struct df_argtrack_state s = fresh(0);
	struct df_insn sx = LDX(DF_DW, 2, 10, -8);

	SP(s, 0) = ONE(0, -16);
	run(0, LDX(DF_W, 2, 10, -8), &s);
	ck_arg(s.loc[2], NONE);
	sx.code = DF_LDX | DF_MEMSX | DF_W;
	s.loc[2] = ONE(0, -8);
	run(0, sx, &s);
	ck_arg(s.loc[2], NONE);
	s.loc[1] = NONE;
	s.loc[2] = ONE(0, -8);
	run(0, LDX(DF_DW, 2, 1, 0), &s);
	ck_arg(s.loc[2], NONE);
}
END_TEST

START_TEST(xfer_stx_stack_arg)
{
	struct df_argtrack_state s = fresh(0);

	s.loc[6] = ONE(0, -8);
	run(0, STX(DF_DW, DF_REG_PARAMS, 6, -8), &s);
	run(0, STX(DF_DW, DF_REG_PARAMS, 10, -56), &s);
	ck_arg(s.loc[DF_ARG_SA0], ONE(0, -8));
	ck_arg(s.loc[DF_ARG_SA0 + 6], ONE(0, 0));
	ck_arg(SP(s, 0), NONE);
}
END_TEST

START_TEST(xfer_st_stack_arg)
{
	struct df_argtrack_state s = fresh(0);

	s.loc[DF_ARG_SA0 + 1] = ONE(0, -8);
	run(0, ST(DF_DW, DF_REG_PARAMS, -16, 5), &s);
	ck_arg(s.loc[DF_ARG_SA0 + 1], NONE);
}
END_TEST

START_TEST(xfer_spill)
{
	struct df_argtrack_state s = fresh(0);

	/* r10 base, 8 bytes: strong */
	s.loc[1] = ONE(0, -16);
	run(0, STX(DF_DW, 10, 1, -8), &s);
	ck_arg(SP(s, 0), ONE(0, -16));
	/* narrower store: the slot holds no pointer */
	run(0, STX(DF_W, 10, 1, -8), &s);
	ck_arg(SP(s, 0), NONE);
	/* unaligned r10 store: no slot */
	SP(s, 1) = ONE(0, -8);
	run(0, STX(DF_W, 10, 1, -12), &s);
	ck_arg(SP(s, 1), ONE(0, -8));
	/* single offset: strong */
	s.loc[2] = ONE(0, -16);
	run(0, STX(DF_DW, 2, 1, 0), &s);
	ck_arg(SP(s, 1), ONE(0, -16));
	/* several offsets: weak */
	s.loc[2] = offs(0, 2, -16, -8);
	SP(s, 0) = NONE;
	s.loc[3] = ONE(0, -64);
	run(0, STX(DF_DW, 2, 3, 0), &s);
	ck_arg(SP(s, 0), offs(0, 2, -64, 0));
	ck_arg(SP(s, 1), offs(0, 2, -64, -16));
	/* offset-imprecise: every slot, weakly */
	s = fresh(0);
	s.loc[2] = OFFI(0);
	s.loc[3] = ONE(0, -64);
	run(0, STX(DF_DW, 2, 3, 0), &s);
	for (int k = 0; k < DF_ARG_NSPILL; k++)
		ck_arg(SP(s, k), offs(0, 2, -64, 0));
	/* through a parent pointer: not tracked */
	s = fresh(1);
	s.loc[2] = ONE(0, -8);
	s.loc[3] = ONE(1, -8);
	run(1, STX(DF_DW, 2, 3, 0), &s);
	for (int k = 0; k < DF_ARG_NSPILL; k++)
		ck_arg(SP(s, k), NONE);
}
END_TEST

START_TEST(xfer_st)
{
	struct df_argtrack_state s = fresh(0);

	for (int k = 0; k < 4; k++)
		SP(s, k) = ONE(0, -64);
	/* r10: overlapped slots, strongly */
	run(0, ST(DF_W, 10, -12, 0), &s);
	ck_arg(SP(s, 0), ONE(0, -64));
	ck_arg(SP(s, 1), NONE);
	run(0, ST(DF_DW, 10, -4, 0), &s);
	ck_arg(SP(s, 0), NONE);
	ck_arg(SP(s, 2), ONE(0, -64));
	/* several offsets: weakly */
	s.loc[1] = offs(0, 2, -32, -24);
	run(0, ST(DF_DW, 1, 0, 0), &s);
	ck_arg(SP(s, 2), offs(0, 2, -64, 0));
	ck_arg(SP(s, 3), offs(0, 2, -64, 0));
	/* single offset: strongly */
	s.loc[1] = ONE(0, -32);
	run(0, ST(DF_B, 1, 0, 0), &s);
	ck_arg(SP(s, 3), NONE);
}
END_TEST

START_TEST(xfer_atomic_clears)
{
	struct df_argtrack_state s = fresh(0);

	SP(s, 0) = ONE(0, -16);
	SP(s, 1) = ONE(0, -16);
	s.loc[1] = ONE(0, -8);
	s.loc[2] = ONE(0, -32);
	run(0, ATOMIC(DF_DW, 1, 2, 0, DF_ADD), &s);
	ck_arg(SP(s, 0), NONE);
	ck_arg(s.loc[2], ONE(0, -32));
	/* store-release clears too, and does not spill */
	run(0, ATOMIC(DF_DW, 10, 2, -16, DF_STORE_REL), &s);
	ck_arg(SP(s, 1), NONE);
	/* load-acquire leaves the slots */
	SP(s, 0) = ONE(0, -16);
	run(0, ATOMIC(DF_DW, 3, 10, -8, DF_LOAD_ACQ), &s);
	ck_arg(SP(s, 0), ONE(0, -16));
}
END_TEST

START_TEST(xfer_atomic_regs)
{
	struct df_argtrack_state s = fresh(0);

	s.loc[0] = ONE(0, -8);
	s.loc[2] = ONE(0, -8);
	s.loc[3] = ONE(0, -8);
	s.loc[4] = ONE(0, -8);
	s.loc[5] = ONE(0, -8);
	run(0, ATOMIC(DF_DW, 1, 2, 0, DF_ADD | DF_FETCH), &s);
	ck_arg(s.loc[2], NONE);
	run(0, ATOMIC(DF_DW, 1, 3, 0, DF_XCHG), &s);
	ck_arg(s.loc[3], NONE);
	run(0, ATOMIC(DF_DW, 1, 4, 0, DF_CMPXCHG), &s);
	ck_arg(s.loc[0], NONE);
	ck_arg(s.loc[4], ONE(0, -8));
	run(0, ATOMIC(DF_DW, 5, 10, -8, DF_LOAD_ACQ), &s);
	ck_arg(s.loc[5], NONE);
	s.loc[2] = ONE(0, -8);
	run(0, ATOMIC(DF_DW, 1, 2, 0, DF_ADD), &s);
	ck_arg(s.loc[2], ONE(0, -8));
}
END_TEST

START_TEST(xfer_jumps)
{
	struct df_argtrack_state s = fresh(0), t;
	static const struct df_insn j[] = {
		{ .code = DF_JMP | DF_JA, .off = 2 },
		{ .code = DF_JMP | DF_JEQ | DF_K, .dst_reg = 1, .off = 2 },
		{ .code = DF_JMP32 | DF_JGT | DF_X, .dst_reg = 1, .src_reg = 2, .off = 2 },
		{ .code = DF_JMP | DF_EXIT },
		{ .code = DF_JMP | DF_JCOND, .off = 1 },
	};

	s.loc[1] = ONE(0, -8);
	SP(s, 3) = IMP(1);
	t = s;
	for (size_t i = 0; i < DF_ARRAY_SIZE(j); i++)
		run(0, j[i], &s);
	ck_assert(!memcmp(&s, &t, sizeof(s)));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("argtrack_xfer");
	TCase *x = tcase_create("xfer");

	{
		const TTest *t[] = {
			xfer_mov_imm,
			xfer_add_sub_imm,
			xfer_other_alu_imm,
			xfer_mov_reg,
			xfer_mov_reg_off,
			xfer_alu_reg,
			xfer_alu32,
			xfer_ldimm64,
			xfer_call,
			xfer_ldx_stack_arg,
			xfer_fill_local,
			xfer_fill_parent,
			xfer_fill_imprecise_parent,
			xfer_ldx_other,
			xfer_stx_stack_arg,
			xfer_st_stack_arg,
			xfer_spill,
			xfer_st,
			xfer_atomic_clears,
			xfer_atomic_regs,
			xfer_jumps,
		};

		for (size_t i = 0; i < DF_ARRAY_SIZE(t); i++)
			tcase_add_test(x, t[i]);
	}
	suite_add_tcase(s, x);
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
