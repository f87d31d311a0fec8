/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Precision tracking (analyses/pruning/precise.c): the equivalence rule for
 * imprecise scalars, and programs that are only rejected because the value
 * a decision depended on was marked precise before the path that breaks a
 * rule reached the checkpoint. Each such program is also verified with a
 * safe variant, and the state counts show what the marks save.
 */
#include "vf_test.h"

#include <check.h>
#include <stdio.h>

/* ------------------------------------------------------------------ */
/* The equivalence rule                                               */
/* ------------------------------------------------------------------ */

static bool eq_precise(const struct df_vstate *o, const struct df_vstate *c, enum df_exact l)
{
	return df_states_equal_precise(NULL, o, c, l);
}

START_TEST(imprecise_covers_scalars)
{
	struct df_vstate *o = vt_state(1, 16), *c = vt_state(1, 16);

	vf_mark_known(vt_reg(o, 1), 1);
	vf_mark_known(vt_reg(c, 1), 2);
	/* by value (exact, regs) the constants differ; by precision old never used its */
	ck_assert(!vt_eq(o, c));
	ck_assert(eq_precise(o, c, DF_NOT_EXACT));
	/* loops: range_within and exact ignore the marks */
	ck_assert(!eq_precise(o, c, DF_RANGE_WITHIN));
	ck_assert(!eq_precise(o, c, DF_EXACT));
	vt_reg(o, 1)->precise = 1;
	ck_assert(!eq_precise(o, c, DF_NOT_EXACT));
	vt_scalar(vt_reg(o, 1), 0, 5);
	vt_reg(o, 1)->precise = 1;
	ck_assert(eq_precise(o, c, DF_NOT_EXACT));
	vt_reg(c, 1)->precise = 1;
	ck_assert(!eq_precise(c, o, DF_NOT_EXACT));

	/* an imprecise scalar covers scalars only */
	vt_reg(o, 1)->precise = 0;
	vt_ptr(vt_reg(c, 1), DF_PTR_TO_CTX, 0, 0);
	ck_assert(!eq_precise(o, c, DF_NOT_EXACT));
	vf_mark_not_init(vt_reg(c, 1));
	ck_assert(!eq_precise(o, c, DF_NOT_EXACT));
	vf_state_free(o);
	vf_state_free(c);
}
END_TEST

START_TEST(imprecise_ids)
{
	struct df_vstate *o = vt_state(1, 16), *c = vt_state(1, 16);

	/* old linked r1 and r2; cur does not: only precise values need the link */
	vt_scalar(vt_reg(o, 1), 0, 5);
	*vt_reg(o, 2) = *vt_reg(o, 1);
	vt_reg(o, 1)->id = vt_reg(o, 2)->id = 7;
	vt_scalar(vt_reg(c, 1), 0, 5);
	vt_scalar(vt_reg(c, 2), 0, 5);
	ck_assert(eq_precise(o, c, DF_NOT_EXACT));
	vt_reg(o, 1)->precise = vt_reg(o, 2)->precise = 1;
	ck_assert(!eq_precise(o, c, DF_NOT_EXACT));
	vf_state_free(o);
	vf_state_free(c);
}
END_TEST

START_TEST(imprecise_stack)
{
	struct df_vstate *o = vt_state(1, 16), *c = vt_state(1, 16);

	/* a spilled imprecise scalar covers a spill of another value and MISC bytes */
	vt_slot(o, 0, "ssssssss");
	vf_mark_known(vt_spill(o, 0), 1);
	vt_slot(c, 0, "ssssssss");
	vf_mark_known(vt_spill(c, 0), 2);
	ck_assert(!vt_eq(o, c));
	ck_assert(eq_precise(o, c, DF_NOT_EXACT));
	vt_slot(c, 0, "mmmmmmmm");
	ck_assert(eq_precise(o, c, DF_NOT_EXACT));
	vt_spill(o, 0)->precise = 1;
	ck_assert(!eq_precise(o, c, DF_NOT_EXACT));

	/* bytes carry no marks: old's ZERO bytes do not cover MISC */
	vt_slot(o, 1, "zzzzzzzz");
	vt_slot(c, 1, "mmmmmmmm");
	vt_spill(o, 0)->precise = 0;
	ck_assert(!eq_precise(o, c, DF_NOT_EXACT));
	vt_slot(c, 1, "zzzzzzzz");
	ck_assert(eq_precise(o, c, DF_NOT_EXACT));
	vf_state_free(o);
	vf_state_free(c);
}
END_TEST

START_TEST(checkpoint_starts_unmarked)
{
	struct df_vstate *st = vt_state(2, 16);

	vt_scalar(vt_reg(st, 3), 0, 5);
	vt_reg(st, 3)->precise = 1;
	vt_slot(st, 1, "ssssssss");
	vf_mark_known(vt_spill(st, 1), 4);
	vt_spill(st, 1)->precise = 1;
	st->frame[0]->regs[6].precise = 1;
	vf_precise_clear(st);
	ck_assert_uint_eq(vt_reg(st, 3)->precise, 0);
	ck_assert_uint_eq(vt_spill(st, 1)->precise, 0);
	ck_assert_uint_eq(st->frame[0]->regs[6].precise, 0);
	vf_state_free(st);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Programs                                                           */
/* ------------------------------------------------------------------ */

static int quiet(enum df_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

struct outcome {
	enum df_verdict verdict;
	char msg[256];
	uint64_t states, pruned;
};

static struct outcome run(const char *text, const struct df_prune_mode *mode, bool freq)
{
	DF_OPTS(df_verify_opts, opts, .mode = mode, .state_freq = freq);
	df_print_fn old = df_set_print(quiet);
	struct df_verify_result *res = NULL;
	struct df_object *obj = NULL;
	struct outcome o;

	ck_assert_int_eq(df_asm(text, strlen(text), "precise.s", &obj), 0);
	ck_assert_int_eq(df_verify(&obj->progs[0], &opts, &res), 0);
	df_set_print(old);
	o.verdict = res->verdict;
	snprintf(o.msg, sizeof(o.msg), "%s", res->msg);
	o.states = res->stats.total_states;
	o.pruned = res->stats.prune_hits;
	df_verify_result_free(res);
	df_object_free(obj);
	return o;
}

static const struct df_prune_mode *const modes[] = {
	&df_prune_exact, &df_prune_regs, &df_prune_full,
};

/* Every mode, with and without a checkpoint at every prune point, gives verdict v. */
static void expect(const char *text, enum df_verdict v, const char *msg)
{
	for (unsigned m = 0; m < 3; m++) {
		for (int freq = 0; freq < 2; freq++) {
			struct outcome o = run(text, modes[m], freq);

			ck_assert_msg(o.verdict == v, "%s%s: %s (%s)", modes[m]->name,
				      freq ? " state-freq" : "", df_verdict_name(o.verdict), o.msg);
			if (msg)
				ck_assert_str_eq(o.msg, msg);
		}
	}
}

#define BAD_READ	"invalid read from stack R10 off=-16 size=8"

/*
 * r6 is 0 on the fall-through (walked first) and 1 on the taken side; after
 * the join only r6 == 0 is safe. The first path decides the last jump by
 * r6's value, so r6 is precise in the join's checkpoint and the second path
 * is not pruned there.
 */
#define TWO_PATHS(v0, v1) \
	"\tcall bpf_get_prandom_u32#7\n" \
	"\tif r0 == 0x0 goto two\n" \
	"\tr6 = " #v0 "\n" \
	"\tgoto join\n" \
	"two:\tr6 = " #v1 "\n" \
	"join:\tr0 = 0\n"

START_TEST(branch_on_constant)
{
	expect(".prog p \"socket\"\n" TWO_PATHS(0, 1)
	       "\tif r6 == 0x0 goto ok\n"
	       "\tr0 = *(u64 *)(r10 -16)\n"
	       "ok:\tr0 = 0\n\texit\n", DF_VERDICT_REJECT, BAD_READ);
	expect(".prog p \"socket\"\n" TWO_PATHS(0, 2)
	       "\tif r6 < 0x5 goto ok\n"
	       "\tr0 = *(u64 *)(r10 -16)\n"
	       "ok:\tr0 = 0\n\texit\n", DF_VERDICT_ACCEPT, NULL);
}
END_TEST

START_TEST(return_value)
{
	/* cgroup_skb programs return 0 or 1: r0 at the exit is checked */
	expect(".prog p \"cgroup_skb/ingress\"\n" TWO_PATHS(0, 2)
	       "\tr0 = r6\n\texit\n", DF_VERDICT_REJECT,
	       "At program exit the register R0 has smin=2 smax=2 should have been in [0, 1]");
	/* so does a callback */
	expect(".prog p \"tc\"\n"
	       "\tr1 = 1\n\tr2 = subprog[cb]\n\tr3 = 0\n\tr4 = 0\n"
	       "\tcall bpf_loop#181\n\tr0 = 0\n\texit\n"
	       ".func cb 2 static\n" TWO_PATHS(0, 2)
	       "\tr0 = r6\n\texit\n", DF_VERDICT_REJECT,
	       "At callback return the register R0 has smin=2 smax=2 should have been in [0, 1]");
}
END_TEST

START_TEST(pointer_offset)
{
	/* r6 becomes a stack offset: fp-8 is written, fp-7 is not */
	expect(".prog p \"socket\"\n"
	       "\t*(u8 *)(r10 -8) = 0\n" TWO_PATHS(0, 1)
	       "\tr1 = r10\n\tr1 += -8\n\tr1 += r6\n"
	       "\tr0 = *(u8 *)(r1 +0)\n\tr0 = 0\n\texit\n", DF_VERDICT_REJECT, NULL);
}
END_TEST

START_TEST(spill_and_fill)
{
	/* the value goes through fp-8 and back (through another pointer to fp) */
	expect(".prog p \"socket\"\n" TWO_PATHS(0, 1)
		"\t*(u64 *)(r10 -8) = r6\n"
		"\tr6 = 7\n"
		"\tcall bpf_get_prandom_u32#7\n"
		"\tif r0 == 0x0 goto next\n"
		"\tr0 = 0\n"
		"next:\tr2 = r10\n"
		"\tr7 = *(u64 *)(r2 -8)\n"
		"\tif r7 == 0x0 goto ok\n"
		"\tr0 = *(u64 *)(r10 -16)\n"
		"ok:\tr0 = 0\n\texit\n", DF_VERDICT_REJECT, BAD_READ);
}
END_TEST

START_TEST(through_subprog)
{
	/* an argument: the callee decides by r1, the caller's r6 */
	expect(".prog p \"socket\"\n" TWO_PATHS(0, 1)
	       "\tr1 = r6\n\tcall f\n\tr0 = 0\n\texit\n"
	       ".func f 1 static\n"
	       "\tif r1 == 0x0 goto ok\n"
	       "\tr0 = *(u64 *)(r10 -16)\n"
	       "ok:\tr0 = 0\n\texit\n", DF_VERDICT_REJECT, BAD_READ);
	/* a return value: the caller decides by the callee's r0 */
	expect(".prog p \"socket\"\n"
	       "\tcall f\n"
	       "\tif r0 == 0x0 goto ok\n"
	       "\tr0 = *(u64 *)(r10 -16)\n"
	       "ok:\tr0 = 0\n\texit\n"
	       ".func f 0 static\n"
	       "\tcall bpf_get_prandom_u32#7\n"
	       "\tif r0 == 0x0 goto one\n"
	       "\tr0 = 0\n\texit\n"
	       "one:\tr0 = 1\n\texit\n", DF_VERDICT_REJECT, BAD_READ);
}
END_TEST

START_TEST(through_stack_arg)
{
	/* the sixth argument goes through the caller's outgoing slot */
	expect(".prog p \"tc\"\n" TWO_PATHS(0, 1)
	       "\t*(u64 *)(r11 -8) = r6\n"
	       "\tr1 = 0\n\tr2 = 0\n\tr3 = 0\n\tr4 = 0\n\tr5 = 0\n"
	       "\tcall f\n\tr0 = 0\n\texit\n"
	       ".func f 6 static\n"
	       "\tr1 = *(u64 *)(r11 +8)\n"
	       "\tif r1 == 0x0 goto ok\n"
	       "\tr0 = *(u64 *)(r10 -16)\n"
	       "ok:\tr0 = 0\n\texit\n", DF_VERDICT_REJECT, BAD_READ);
	expect(".prog p \"tc\"\n" TWO_PATHS(0, 2)
	       "\t*(u64 *)(r11 -8) = r6\n"
	       "\tr1 = 0\n\tr2 = 0\n\tr3 = 0\n\tr4 = 0\n\tr5 = 0\n"
	       "\tcall f\n\tr0 = 0\n\texit\n"
	       ".func f 6 static\n"
	       "\tr1 = *(u64 *)(r11 +8)\n"
	       "\tif r1 < 0x3 goto ok\n"
	       "\tr0 = *(u64 *)(r10 -16)\n"
	       "ok:\tr0 = 0\n\texit\n", DF_VERDICT_ACCEPT, NULL);
}
END_TEST

START_TEST(linked_scalars)
{
	/*
	 * r8 is a copy of r6 (same id); the branch on r8 bounds r6 too, and r6
	 * then indexes the stack (fp-16 is written, fp-8 is not): r7, the
	 * bound, matters through the link.
	 */
	expect(".prog p \"socket\"\n"
	       "\t*(u64 *)(r10 -16) = 0\n"
	       "\tcall bpf_get_prandom_u32#7\n"
	       "\tr6 = r0\n"
	       "\tr6 &= 0xf\n"
	       "\tcall bpf_get_prandom_u32#7\n"
	       "\tif r0 == 0x0 goto two\n"
	       "\tr7 = 7\n"
	       "\tgoto join\n"
	       "two:\tr7 = 8\n"
	       "join:\tr8 = r6\n"
	       "\tif r8 > r7 goto out\n"
	       "\tr1 = r10\n\tr1 += -16\n\tr1 += r6\n"
	       "\tr0 = *(u8 *)(r1 +0)\n"
	       "out:\tr0 = 0\n\texit\n", DF_VERDICT_REJECT, NULL);
}
END_TEST

/*
 * n diamonds, each adding 1 or 2 to r6, which is returned: live everywhere,
 * used by no decision. Compared by value (regs), a path is pruned at a join
 * only when an earlier one reached it with the same sum; with precision
 * (full) every taken side is pruned at its join: 3 checkpoints per diamond
 * (after the call, the taken side, the join) with a checkpoint at every
 * prune point. A last jump decided by r6 (decide) makes r6 precise, and
 * full keeps as many states as regs.
 */
static char *adders(unsigned n, bool decide)
{
	size_t len = 0;
	char *s = NULL;
	FILE *f = open_memstream(&s, &len);

	ck_assert_ptr_nonnull(f);
	fprintf(f, ".prog adders \"socket\"\n\tr6 = 0\n");
	for (unsigned i = 0; i < n; i++)
		fprintf(f, "\tcall bpf_get_prandom_u32#7\n\tif r0 == 0x0 goto t%u\n"
			"\tr6 += 1\n\tgoto j%u\nt%u:\tr6 += 2\nj%u:\n", i, i, i, i);
	if (decide)
		fprintf(f, "\tif r6 > 0x100 goto bad\n\tr0 = r6\n\texit\n"
			"bad:\tr0 = *(u64 *)(r10 -8)\n\texit\n");
	else
		fprintf(f, "\tr0 = r6\n\texit\n");
	fclose(f);
	return s;
}

START_TEST(states_saved)
{
	static const struct {
		bool decide;
		uint64_t regs, full;
	} cases[] = {
		{ false, 69, 18 },
		{ true, 69, 69 },
	};

	for (unsigned c = 0; c < 2; c++) {
		char *text = adders(6, cases[c].decide);
		struct outcome r = run(text, &df_prune_regs, true);
		struct outcome f = run(text, &df_prune_full, true);

		ck_assert_int_eq(r.verdict, DF_VERDICT_ACCEPT);
		ck_assert_int_eq(f.verdict, DF_VERDICT_ACCEPT);
		printf("adders(6, %d): total_states regs %llu, full %llu\n", cases[c].decide,
		       (unsigned long long)r.states, (unsigned long long)f.states);
		ck_assert_uint_eq(r.states, cases[c].regs);
		ck_assert_uint_eq(f.states, cases[c].full);
		free(text);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("precise");
	TCase *tc = tcase_create("equiv");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, imprecise_covers_scalars);
	tcase_add_test(tc, imprecise_ids);
	tcase_add_test(tc, imprecise_stack);
	tcase_add_test(tc, checkpoint_starts_unmarked);
	suite_add_tcase(s, tc);
	tc = tcase_create("programs");
	tcase_add_test(tc, branch_on_constant);
	tcase_add_test(tc, return_value);
	tcase_add_test(tc, pointer_offset);
	tcase_add_test(tc, spill_and_fill);
	tcase_add_test(tc, through_subprog);
	tcase_add_test(tc, through_stack_arg);
	tcase_add_test(tc, linked_scalars);
	tcase_add_test(tc, states_saved);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
