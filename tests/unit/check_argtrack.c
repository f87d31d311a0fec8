/* SPDX-License-Identifier: BSD-2-Clause */
/* Arg tracking: the join table (§3.3), the lattice laws, the constant pass. */
#include "argtrack_test.h"

struct df_arg in_sa[DF_ARG_NSA];
struct df_arg parent0[DF_ARG_NSPILL];

/* ---------------------------------------------------------------- §3.3 */

START_TEST(join_unvisited)
{
	ck_join(UNV, NONE, NONE);
	ck_join(UNV, ONE(0, -8), ONE(0, -8));
	ck_join(UNV, IMP(5), IMP(5));
	ck_join(UNV, UNV, UNV);
}
END_TEST

START_TEST(join_none_none)
{
	ck_join(NONE, NONE, NONE);
}
END_TEST

START_TEST(join_same_frame_off_imprecise)
{
	ck_join(OFFI(1), ONE(1, -8), OFFI(1));
	ck_join(OFFI(1), OFFI(1), OFFI(1));
}
END_TEST

START_TEST(join_same_frame_union)
{
	ck_join(ONE(0, -8), ONE(0, -16), offs(0, 2, -16, -8));
	ck_join(offs(0, 2, -8, -16), offs(0, 2, -16, -24), offs(0, 3, -24, -16, -8));
	ck_join(ONE(0, -8), ONE(0, -8), ONE(0, -8));
	ck_join(offs(0, 3, -8, -16, -24), ONE(0, -32), offs(0, 4, -32, -24, -16, -8));
}
END_TEST

START_TEST(join_same_frame_overflow)
{
	ck_join(offs(0, 4, -8, -16, -24, -32), ONE(0, -40), OFFI(0));
	ck_join(offs(2, 3, -8, -16, -24), offs(2, 2, -32, -40), OFFI(2));
}
END_TEST

START_TEST(join_pointer_none)
{
	/* the fake offset 0 */
	ck_join(ONE(0, -8), NONE, offs(0, 2, -8, 0));
	ck_join(ONE(0, 0), NONE, ONE(0, 0));
	/* multi-offset and offset-imprecise values stay */
	ck_join(offs(1, 2, -8, -16), NONE, offs(1, 2, -8, -16));
	ck_join(OFFI(1), NONE, OFFI(1));
	ck_assert_str_eq(str(df_arg_join_val(ONE(0, -16), NONE)), "fp0-16|fp0+0");
}
END_TEST

START_TEST(join_frames_differ)
{
	ck_join(ONE(0, -8), ONE(1, -8), IMP(3));
	ck_join(OFFI(2), ONE(0, -8), IMP(5));
}
END_TEST

START_TEST(join_imprecise_pointer)
{
	ck_join(IMP(1), ONE(2, -8), IMP(5));
	ck_join(IMP(4), OFFI(2), IMP(4));
}
END_TEST

START_TEST(join_imprecise_imprecise)
{
	ck_join(IMP(1), IMP(6), IMP(7));
}
END_TEST

START_TEST(join_imprecise_none)
{
	ck_join(IMP(6), NONE, IMP(6));
}
END_TEST

/* The kernel's join is not associative: the fake offset 0 counts toward the 4. */
START_TEST(join_not_associative)
{
	struct df_arg a = ONE(0, -8), b = NONE, c = offs(0, 3, -16, -24, -32);

	ck_arg(df_arg_join_val(df_arg_join_val(a, b), c), OFFI(0));
	ck_arg(df_arg_join_val(a, df_arg_join_val(b, c)), offs(0, 4, -8, -16, -24, -32));
}
END_TEST

/* Laws on values that do not hit the fake-offset rule (see join_not_associative). */
START_TEST(join_laws)
{
	size_t n;
	const struct df_arg *s = samples(&n);

	for (size_t i = 0; i < n; i++) {
		ck_arg(df_arg_join_val(s[i], s[i]), s[i]);
		ck_arg(df_arg_join_val(UNV, s[i]), s[i]);
		for (size_t j = 0; j < n; j++) {
			ck_arg(df_arg_join_val(s[i], s[j]), df_arg_join_val(s[j], s[i]));
			for (size_t k = 0; k < n; k++)
				ck_arg(df_arg_join_val(df_arg_join_val(s[i], s[j]), s[k]),
				       df_arg_join_val(s[i], df_arg_join_val(s[j], s[k])));
		}
	}
}
END_TEST

START_TEST(join_reports_change)
{
	struct df_arg a = ONE(0, -8), b = ONE(0, -8), c = ONE(0, -16);

	ck_assert(!df_arg_join(&a, &b));
	ck_assert(df_arg_join(&a, &c));
	ck_arg(a, offs(0, 2, -8, -16));
}
END_TEST

START_TEST(print_forms)
{
	char buf[64];

	ck_assert_str_eq(str(NONE), "_");
	ck_assert_str_eq(str(UNV), "?");
	ck_assert_str_eq(str(ONE(0, -8)), "fp0-8");
	ck_assert_str_eq(str(offs(1, 2, -16, 0)), "fp1-16|fp1+0");
	ck_assert_str_eq(str(OFFI(2)), "fp2 ?");
	ck_assert_str_eq(str(IMP(5)), "IMP5");
	df_arg_loc_snprint(buf, sizeof(buf), 3);
	ck_assert_str_eq(buf, "r3");
	df_arg_loc_snprint(buf, sizeof(buf), DF_ARG_SA0 + 2);
	ck_assert_str_eq(buf, "sa2");
	df_arg_loc_snprint(buf, sizeof(buf), DF_ARG_SPILL0 + 1);
	ck_assert_str_eq(buf, "fp-16");
	/* truncation reports the full length */
	ck_assert_int_eq(df_arg_snprint(buf, 4, &(struct df_arg){ .frame = 0, .off_cnt = 1,
				       .off = { -16 } }), 6);
	ck_assert_str_eq(buf, "fp0");
}
END_TEST

/* ---------------------------------------------------------------- laws */

/* States built from the value samples, shifted so that each location varies. */
static void state_samples(struct df_argtrack_state *st, size_t cnt)
{
	size_t n;
	const struct df_arg *v = samples(&n);

	for (size_t i = 0; i < cnt; i++) {
		memset(&st[i], 0, sizeof(st[i]));
		for (int l = 0; l < DF_ARG_NLOCS; l++)
			st[i].loc[l] = v[(i * 7 + (size_t)l) % n];
		st[i].entry = i % 3 ? DF_ARG_ENTRY_ROOT : 4;
	}
}

START_TEST(state_laws)
{
	struct df_argtrack_state st[6];
	struct df_ctx c = { .context = UINT32_MAX };

	state_samples(st, 6);
	ck_assert_int_eq(df_check_laws(&df_argtrack_analysis, &c, st, 6), 0);
}
END_TEST

/*
 * a <= b implies xfer(a) <= xfer(b), on sample pairs and one insn of each
 * kind, in frame 1 with values of frames 0 and 1 (the values a context can
 * hold; a fill through an imprecise pointer covers frames 0..d only).
 */
START_TEST(xfer_monotone)
{
	static const struct df_insn insns[] = {
		ALU64K(DF_ADD, 1, -8), ALU64K(DF_MUL, 2, 3), ALU64X(DF_ADD, 1, 2),
		ALU64X(DF_MOV, 3, 1), LDX(DF_DW, 4, 1, 0), LDX(DF_DW, 4, 10, -16),
		LDX(DF_DW, 5, 2, -8), STX(DF_DW, 1, 2, 0), STX(DF_DW, 10, 1, -24),
		STX(DF_W, 2, 1, 0), ST(DF_DW, 1, -8, 0), ATOMIC(DF_DW, 1, 2, 0, DF_ADD),
		{ .code = DF_JMP | DF_CALL, .imm = 1 },
	};
	const struct df_arg v[] = {
		NONE, NONE, offs(1, 2, -8, -16), offs(1, 2, -16, -24), OFFI(1),
		offs(0, 2, -8, 0), offs(0, 3, -32, -16, 0), OFFI(0), IMP(1), IMP(2), IMP(3),
	};
	size_t n = DF_ARRAY_SIZE(v);

	for (size_t i = 1; i < n; i++) {
		for (size_t j = 1; j < n; j++) {
			struct df_argtrack_state a = fresh(1), b;

			a.loc[1] = v[i];
			a.loc[2] = v[j];
			SP(a, 1) = v[j];
			SP(a, 2) = v[i];
			for (size_t k = 1; k < n; k++) {
				b = a;
				b.loc[1] = df_arg_join_val(a.loc[1], v[k]);
				SP(b, 2) = df_arg_join_val(SP(a, 2), v[k]);
				for (size_t x = 0; x < DF_ARRAY_SIZE(insns); x++) {
					struct df_argtrack_state fa = a, fb = b;

					run(1, insns[x], &fa);
					run(1, insns[x], &fb);
					ck_assert_msg(leq(&fa, &fb), "insn %zu samples %zu %zu %zu",
						      x, i, j, k);
				}
			}
		}
	}
}
END_TEST

/* The kernel's fill joins from NONE: a single-offset slot gains the fake 0. */
START_TEST(xfer_not_monotone)
{
	struct df_argtrack_state a = fresh(1), b;

	a.loc[2] = offs(1, 2, -16, -8);
	SP(a, 1) = offs(1, 2, -16, -8);
	SP(a, 2) = ONE(1, -8);
	b = a;
	SP(b, 2) = offs(1, 2, -16, -8);
	ck_assert(leq(&a, &b));
	run(1, LDX(DF_DW, 5, 2, -8), &a);
	run(1, LDX(DF_DW, 5, 2, -8), &b);
	ck_arg(a.loc[5], offs(1, 3, -16, -8, 0));
	ck_arg(b.loc[5], offs(1, 2, -16, -8));
	ck_assert(!leq(&a, &b));
}
END_TEST

/* ---------------------------------------------------------------- consts */

START_TEST(consts_callbacks)
{
	static const char text[] =
		"r1 = 4\n"
		"r2 = subprog[cb]\n"
		"r3 = r10\n"
		"r4 = 0\n"
		"call bpf_loop\n"
		"call bpf_get_prandom_u32\n"
		"r2 = subprog[cb]\n"
		"if r0 == 0x0 goto +2\n"
		"r2 = subprog[cb2]\n"
		"r3 = r10\n"
		"call bpf_loop\n"
		"r0 = 0\n"
		"exit\n"
		".func cb 2 static\n"
		"r0 = 0\n"
		"exit\n"
		".func cb2 2 static\n"
		"r0 = 1\n"
		"exit\n";
	struct df_object *obj;
	struct df_cfg *cfg;
	struct df_consts c;
	int from, to, cb;

	ck_assert_int_eq(df_asm(text, strlen(text), "cb", &obj), 0);
	ck_assert_int_eq(df_cfg_build(&obj->progs[0], &cfg), 0);
	ck_assert_int_eq(df_consts_compute(&obj->progs[0], cfg, &c), 0);
	cb = df_callback_subprog(&obj->progs[0], &c, 5, &from, &to);
	ck_assert_int_ge(cb, 1);
	ck_assert_uint_eq(cfg->subprogs[cb].start, 16);
	ck_assert_int_eq(from, 3);
	ck_assert_int_eq(to, 2);
	ck_assert_int_eq(df_consts_at(&c, 5)->r[1].kind, DF_CV_SCALAR);
	ck_assert_int_eq(df_consts_at(&c, 5)->r[1].val, 4);
	ck_assert_int_eq(df_callback_subprog(&obj->progs[0], &c, 6, &from, &to), -1);
	ck_assert_int_eq(df_callback_subprog(&obj->progs[0], &c, 13, &from, &to), -2);
	df_consts_free(&c);
	df_cfg_free(cfg);
	df_object_free(obj);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("argtrack");
	TCase *j = tcase_create("join"), *l = tcase_create("laws"), *c = tcase_create("consts");

	{
		const TTest *t[] = {
			join_unvisited,
			join_none_none,
			join_same_frame_off_imprecise,
			join_same_frame_union,
			join_same_frame_overflow,
			join_pointer_none,
			join_frames_differ,
			join_imprecise_pointer,
			join_imprecise_imprecise,
			join_imprecise_none,
			join_not_associative,
			join_laws,
			join_reports_change,
			print_forms,
		};

		for (size_t i = 0; i < DF_ARRAY_SIZE(t); i++)
			tcase_add_test(j, t[i]);
	}
	{
		const TTest *t[] = {
			state_laws,
			xfer_monotone,
			xfer_not_monotone,
		};

		for (size_t i = 0; i < DF_ARRAY_SIZE(t); i++)
			tcase_add_test(l, t[i]);
	}
	{
		const TTest *t[] = {
			consts_callbacks,
		};

		for (size_t i = 0; i < DF_ARRAY_SIZE(t); i++)
			tcase_add_test(c, t[i]);
	}
	suite_add_tcase(s, j);
	suite_add_tcase(s, l);
	suite_add_tcase(s, c);
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
