/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The registry, the pipeline and its requirements, and the example
 * plug-in (examples/plugin/constprop.c) loaded from its shared object.
 */
#include "internal.h"
#include "solver_test.h"

#include <check.h>
#include <stdio.h>

static void solve(const struct df_prog *p, const struct df_analysis *a,
		  const struct df_solver_opts *o)
{
	int err = df_solver_new(p, cfg, a, o, &sol);

	ck_assert_msg(!err, "solver_new: %d %s", err, diag);
	err = df_solve(sol);
	ck_assert_msg(!err, "solve: %d %s", err, diag);
}

/* A minimal analysis: one 64-bit word, or-ed with each pc. */
static void zero(const struct df_ctx *c, void *s)
{
	*(uint64_t *)s = 0;
}

static bool or_join(const struct df_ctx *c, void *dst, const void *src)
{
	uint64_t *d = dst, o = *d;

	*d |= *(const uint64_t *)src;
	return *d != o;
}

static void mark(const struct df_ctx *c, uint32_t pc, const void *in, void *out)
{
	*(uint64_t *)out = *(const uint64_t *)in | 1ull << pc % 64;
}

static const struct df_analysis pcs_fwd = {
	.sz = sizeof(struct df_analysis), .name = "t_pcs", .dir = DF_FORWARD,
	.state_size = sizeof(uint64_t), .bottom = zero, .boundary = zero,
	.join = or_join, .transfer = mark,
};

/* ---------------------------------------------------------------- requirements, registry */

static int needs_regs_init(const struct df_ctx *c, void **priv)
{
	return df_solver_dep(c->solver, "regs") ? 0 : -EINVAL;
}

START_TEST(requirements)
{
	struct df_prog *p = load(".prog x \"xdp\"\nr0 = 0\nexit\n");
	static const char *const missing[] = { "t_missing", NULL };
	static const char *const regs[] = { "regs", NULL };
	static struct df_analysis a, b;
	struct df_pipeline *pl;
	uint32_t cnt;

	a = pcs_fwd;
	a.name = "t_needs_missing";
	a.requires = missing;
	ck_assert_int_eq(df_solver_new(p, cfg, &a, NULL, &sol), -ENOENT);
	ck_assert_ptr_nonnull(strstr(diag, "'t_missing'"));

	ck_assert_ptr_nonnull(df_analysis_find("regs"));
	cnt = df_analysis_cnt();
	ck_assert_int_eq(df_analysis_register(&a), 0);
	ck_assert_int_eq(df_analysis_register(&a), -EEXIST);
	ck_assert_uint_eq(df_analysis_cnt(), cnt + 1);
	ck_assert_ptr_eq(df_analysis_at(cnt), &a);

	b = pcs_fwd;
	b.name = "t_needs_regs";
	b.requires = regs;
	b.init = needs_regs_init;
	ck_assert_int_eq(df_analysis_register(&b), 0);

	ck_assert_int_eq(df_pipeline_new(p, NULL, &pl), 0);
	diag[0] = 0;
	ck_assert_int_eq(df_pipeline_run(pl, "t_needs_missing"), -ENOENT);
	ck_assert_ptr_nonnull(strstr(diag, "requires 't_missing', which is not registered"));
	ck_assert_ptr_null(df_pipeline_solver(pl, "t_needs_missing"));
	ck_assert_int_eq(df_pipeline_run(pl, "no_such"), -ENOENT);
	ck_assert_int_eq(df_pipeline_run(pl, "t_needs_regs"), 0);
	ck_assert_ptr_nonnull(df_pipeline_solver(pl, "regs"));
	ck_assert_ptr_nonnull(df_pipeline_solver(pl, "t_needs_regs"));
	ck_assert_int_eq(df_pipeline_run(pl, "regs"), 0);
	ck_assert_ptr_nonnull(df_pipeline_cfg(pl));
	df_pipeline_free(pl);
}
END_TEST

/* Incomplete or foreign descriptors are refused with a message. */
START_TEST(registry_checks)
{
	static struct {
		struct df_analysis a;
		uint64_t newer;
	} big;
	struct df_analysis a = pcs_fwd;

	df_set_print(capture);
	a.join = NULL;
	diag[0] = 0;
	ck_assert_int_eq(df_analysis_register(&a), -EINVAL);
	ck_assert_ptr_nonnull(strstr(diag, "lacks join()"));
	a = pcs_fwd;
	a.sz = 8;
	ck_assert_int_eq(df_analysis_register(&a), -EINVAL);
	/* a descriptor from a newer header: unknown fields must be zero */
	big.a = pcs_fwd;
	big.a.name = "t_newer";
	big.a.sz = sizeof(big);
	big.newer = 1;
	ck_assert_int_eq(df_analysis_register(&big.a), -EINVAL);
	big.newer = 0;
	ck_assert_int_eq(df_analysis_register(&big.a), 0);
	ck_assert_ptr_eq(df_analysis_find("t_newer"), &big.a);
	ck_assert_ptr_null(df_analysis_find("t_nothing"));
	ck_assert_ptr_null(df_analysis_at(df_analysis_cnt()));
}
END_TEST

/* ---------------------------------------------------------------- plug-in */

#define PLUGIN BUILDDIR "/examples/plugin/.libs/constprop.so"

struct cp {
	uint8_t kind[10];	/* 0 unset, 1 constant, 2 unknown */
	int64_t val[10];
};

static void cp_expect(uint32_t pc, int reg, int kind, int64_t val)
{
	struct cp s;

	ck_assert_int_eq(df_state_before(sol, 0, pc, &s), 0);
	ck_assert_msg(s.kind[reg] == kind, "pc %u r%d kind %d, want %d", pc, reg,
		      s.kind[reg], kind);
	if (kind == 1)
		ck_assert_msg(s.val[reg] == val, "pc %u r%d = %lld, want %lld", pc,
			      reg, (long long)s.val[reg], (long long)val);
}

START_TEST(plugin)
{
	const struct df_analysis *a = NULL, *again;
	struct df_prog *p;
	struct cp s;

	diag[0] = 0;
	df_set_print(capture);
	ck_assert_msg(df_plugin_load(PLUGIN, &a) == 0, "%s", diag);
	ck_assert_str_eq(a->name, "constprop");
	ck_assert_ptr_eq(df_analysis_find("constprop"), a);
	ck_assert_int_eq(df_plugin_load(PLUGIN, &again), -EEXIST);
	ck_assert_int_eq(df_plugin_load(BUILDDIR "/no/such.so", &again), -ENOENT);
	ck_assert_ptr_nonnull(strstr(diag, "cannot load plug-in"));

	/* straight line, ALU folding, 32-bit wrap, calls clobber r0..r5 */
	p = load("r1 = 6\nr2 = r1\nr2 *= 7\nw3 = -1\nr4 = 0x100000000 ll\n"
		 "r4 >>= 28\nr6 = r2\ncall bpf_get_prandom_u32\nexit\n");
	solve(p, a, NULL);
	cp_expect(0, 1, 2, 0);
	cp_expect(0, 6, 0, 0);
	cp_expect(2, 2, 1, 6);
	cp_expect(3, 2, 1, 42);
	cp_expect(4, 3, 1, 0xffffffff);
	cp_expect(6, 4, 1, 0x100000000);
	cp_expect(7, 4, 1, 16);
	cp_expect(8, 6, 1, 42);
	cp_expect(9, 2, 2, 0);
	cp_expect(9, 0, 2, 0);
	cp_expect(9, 6, 1, 42);
	teardown();

	/* merges: equal constants stay, different ones become unknown */
	p = load("if r1 == 0x0 goto pc+3\nr2 = 5\nr3 = 1\ngoto pc+2\n"
		 "r2 = 5\nr3 = 2\nr0 = r2\nexit\n");
	solve(p, a, NULL);
	cp_expect(6, 2, 1, 5);
	cp_expect(6, 3, 2, 0);
	cp_expect(7, 0, 1, 5);
	teardown();

	/* branch conditions: r1 is 3 on the taken edge; a decided branch kills the other side */
	p = load("if r1 == 0x3 goto pc+2\nr0 = 0\nexit\nr0 = r1\nr2 = 1\n"
		 "if r2 != 0x1 goto pc+1\nexit\nr0 = 9\nexit\n");
	solve(p, a, NULL);
	cp_expect(3, 1, 1, 3);
	cp_expect(1, 1, 2, 0);
	cp_expect(6, 0, 1, 3);
	ck_assert_int_eq(df_state_before(sol, 0, 7, &s), -ENOENT);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("plugin");
	TCase *t = tcase_create("plugin");

	tcase_add_checked_fixture(t, NULL, teardown);
	tcase_add_test(t, requirements);
	tcase_add_test(t, registry_checks);
	tcase_add_test(t, plugin);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? 1 : 0;
}
