/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Pruning modes at work: cleaning with the liveness results of assembled
 * programs (§3.13), the three modes and their registry, a mode loaded
 * from a plug-in, and the visited-state cache (checkpoints, pruning,
 * infinite loops, the checkpoint heuristic, eviction, statistics).
 */
#include "vf_test.h"
#include "liveness.h"
#include "asm_test.h"

#include <check.h>
#include <stdio.h>

#define PLUGIN	BUILDDIR "/tests/plugins/.libs/prune_stack.so"

/* ---------------------------------------------------------------- cleaning */

struct prog {
	struct df_object *obj;
	struct df_pipeline *pipe;
	struct df_prune_ctx ctx;
};

static void prog_load(struct prog *p, const char *text)
{
	memset(p, 0, sizeof(*p));
	asm_test_setup();
	p->obj = asm_test_assemble(text, "t");
	ck_assert_int_eq(df_pipeline_new(&p->obj->progs[0], NULL, &p->pipe), 0);
	ck_assert_int_eq(df_pipeline_run(p->pipe, "regs"), 0);
	ck_assert_int_eq(df_pipeline_run(p->pipe, "stack"), 0);
	p->ctx.regs = df_pipeline_solver(p->pipe, "regs");
	p->ctx.stack = df_pipeline_solver(p->pipe, "stack");
	ck_assert_ptr_nonnull(p->ctx.regs);
	ck_assert_ptr_nonnull(p->ctx.stack);
}

static void prog_free(struct prog *p)
{
	df_pipeline_free(p->pipe);
	df_object_free(p->obj);
	asm_test_teardown();
}

/* Both states cleaned by mode m, then compared with it. */
static bool mode_eq(const struct df_prune_mode *m, const struct prog *p, struct df_vstate *o,
		    struct df_vstate *c)
{
	m->clean(&p->ctx, o);
	m->clean(&p->ctx, c);
	return m->equal(&p->ctx, o, c, DF_NOT_EXACT);
}

/* C3: the two paths store different values to the near half of fp-8; only the far half is read. */
static const char c3[] =
	"*(u32 *)(r10 -8) = 3\n"
	"call bpf_get_prandom_u32\n"
	"if r0 == 0x0 goto pc+2\n"
	"*(u32 *)(r10 -4) = 0\n"
	"goto pc+1\n"
	"*(u32 *)(r10 -4) = 1\n"
	"r0 = *(u32 *)(r10 -8)\n"	/* 6: the join */
	"exit\n";

static void c3_pair(struct df_vstate **o, struct df_vstate **c)
{
	*o = vt_state(1, 8);
	*c = vt_state(1, 8);
	(*o)->insn_idx = (*c)->insn_idx = 6;
	vt_slot(*o, 0, "zzzzmmmm");
	vt_slot(*c, 0, "mmmmmmmm");
	/* a dead register differing too (C1) */
	vf_mark_known(vt_reg(*o, 7), 1);
	vf_mark_known(vt_reg(*c, 7), 2);
}

START_TEST(c3_dead_half_poisoned)
{
	struct prog p;
	struct df_vstate *o, *c;

	prog_load(&p, c3);
	c3_pair(&o, &c);
	ck_assert(!df_prune_half_live(&p.ctx, o, 0, 0));
	ck_assert(df_prune_half_live(&p.ctx, o, 0, 1));
	ck_assert(!df_prune_reg_live(&p.ctx, o, 0, 7));
	ck_assert(df_prune_reg_live(&p.ctx, o, 0, 10));
	ck_assert(!mode_eq(&df_prune_exact, &p, o, c));
	vt_ck_slot(o, 0, "zzzzmmmm");
	ck_assert_int_eq(vt_reg(o, 7)->type, DF_SCALAR);
	vf_state_free(o);
	vf_state_free(c);

	c3_pair(&o, &c);
	ck_assert(!mode_eq(&df_prune_regs, &p, o, c));
	ck_assert_int_eq(vt_reg(o, 7)->type, DF_NOT_INIT);
	ck_assert_int_eq(vt_reg(o, 10)->type, DF_PTR_TO_STACK);
	vt_ck_slot(o, 0, "zzzzmmmm");
	vf_state_free(o);
	vf_state_free(c);

	c3_pair(&o, &c);
	ck_assert(mode_eq(&df_prune_full, &p, o, c));
	vt_ck_slot(o, 0, "ppppmmmm");
	vt_ck_slot(c, 0, "ppppmmmm");
	ck_assert_int_eq(vt_reg(c, 7)->type, DF_NOT_INIT);
	vf_state_free(o);
	vf_state_free(c);
	prog_free(&p);
}
END_TEST

/* C6/C7: an 8-byte spill at fp-8 followed only by 4-byte reads of fp-4: the far half is dead. */
static const char c6[] =
	"call bpf_get_prandom_u32\n"
	"*(u64 *)(r10 -8) = r0\n"
	"r0 = *(u32 *)(r10 -4)\n"	/* 2 */
	"exit\n";

static struct df_vstate *spilled(uint32_t pc, int type, uint64_t v)
{
	struct df_vstate *st = vt_state(1, 16);

	st->insn_idx = pc;
	vt_slot(st, 0, "ssssssss");
	vf_mark_known(vt_spill(st, 0), v);
	if (type != DF_SCALAR)
		vt_ptr(vt_spill(st, 0), type, 0, (uint32_t)v);
	return st;
}

START_TEST(c6_scalar_spill_far_dead)
{
	struct prog p;
	struct df_vstate *o = spilled(2, DF_SCALAR, 5), *c = spilled(2, DF_SCALAR, 7);
	struct df_vstate *z = spilled(2, DF_SCALAR, 0);

	prog_load(&p, c6);
	ck_assert(!vt_eq(o, c));
	df_clean_stack(&p.ctx, o);
	df_clean_stack(&p.ctx, c);
	df_clean_stack(&p.ctx, z);
	vt_ck_slot(o, 0, "mmmmpppp");
	vt_ck_slot(z, 0, "zzzzpppp");
	ck_assert_int_eq(vt_spill(o, 0)->type, DF_NOT_INIT);
	vt_ck_slot(o, 1, "........");		/* never written: untouched */
	ck_assert(vt_eq(o, c));
	ck_assert(vt_eq(c, o));
	vt_one_way(o, z);
	vf_state_free(o);
	vf_state_free(c);
	vf_state_free(z);
	prog_free(&p);
}
END_TEST

START_TEST(c7_pointer_spill_far_dead)
{
	struct prog p;
	struct df_vstate *o = spilled(2, DF_PTR_TO_CTX, 0);
	struct df_vstate *c = spilled(2, DF_PTR_TO_MAP_VALUE, 0);

	prog_load(&p, c6);
	df_prune_full.clean(&p.ctx, o);
	df_prune_full.clean(&p.ctx, c);
	vt_ck_slot(o, 0, "ssssssss");
	vt_ck_slot(c, 0, "ssssssss");
	ck_assert_int_eq(vt_spill(o, 0)->type, DF_PTR_TO_CTX);
	ck_assert(!vt_eq(o, c));
	ck_assert(!vt_eq(c, o));
	vf_state_free(o);
	vf_state_free(c);
	prog_free(&p);
}
END_TEST

/* Only the far half of fp-8 is read after the spill: the near half is dead. */
static const char near_dead[] =
	"call bpf_get_prandom_u32\n"
	"*(u64 *)(r10 -8) = r0\n"
	"r0 = *(u32 *)(r10 -8)\n"	/* 2 */
	"exit\n";

START_TEST(near_dead_far_alive)
{
	struct prog p;
	struct df_vstate *o = spilled(2, DF_SCALAR, 5), *c = spilled(2, DF_SCALAR, 5 | 1ull << 40);
	struct df_vstate *z = spilled(2, DF_SCALAR, 0), *q = spilled(2, DF_PTR_TO_CTX, 0);

	prog_load(&p, near_dead);
	ck_assert(!df_prune_half_live(&p.ctx, o, 0, 0));
	ck_assert(df_prune_half_live(&p.ctx, o, 0, 1));
	df_clean_stack(&p.ctx, o);
	df_clean_stack(&p.ctx, c);
	df_clean_stack(&p.ctx, z);
	df_clean_stack(&p.ctx, q);
	vt_ck_slot(o, 0, "ppppmmmm");
	vt_ck_slot(z, 0, "ppppzzzz");
	vt_ck_slot(q, 0, "ssssssss");
	ck_assert_int_eq(vt_spill(o, 0)->type, DF_NOT_INIT);
	ck_assert_int_eq(vt_spill(q, 0)->type, DF_PTR_TO_CTX);
	ck_assert(vt_eq(o, c));
	vt_one_way(o, z);
	vf_state_free(o);
	vf_state_free(c);
	vf_state_free(z);
	vf_state_free(q);
	prog_free(&p);
}
END_TEST

START_TEST(narrow_spill_kept)
{
	struct prog p;
	struct df_vstate *o = vt_state(1, 8);

	/* a 4-byte spill in the live far half stays; the near half is poisoned */
	prog_load(&p, near_dead);
	o->insn_idx = 2;
	vt_slot(o, 0, "m.m.ssss");
	vf_mark_known(vt_spill(o, 0), 9);
	df_clean_stack(&p.ctx, o);
	vt_ck_slot(o, 0, "p.p.ssss");
	ck_assert(vf_reg_is_const(vt_spill(o, 0)));
	vf_state_free(o);
	prog_free(&p);
}
END_TEST

START_TEST(both_dead)
{
	struct prog p;
	struct df_vstate *o = spilled(1, DF_PTR_TO_CTX, 0);

	prog_load(&p, "*(u64 *)(r10 -8) = r1\nr0 = 0\nexit\n");
	vt_slot(o, 1, "mmzz....");
	df_clean_stack(&p.ctx, o);
	vt_ck_slot(o, 0, "pppppppp");
	vt_ck_slot(o, 1, "pppp....");
	ck_assert_int_eq(vt_spill(o, 0)->type, DF_NOT_INIT);
	vf_state_free(o);
	prog_free(&p);
}
END_TEST

/* The caller's registers are live as of its call insn (pc 2), the callee's at its pc. */
static const char call_prog[] =
	"r6 = 1\n"
	"r7 = 2\n"
	"call pc+2\n"
	"r0 = r6\n"
	"exit\n"
	"r0 = 0\n"			/* 5 */
	"exit\n";

START_TEST(outer_frame_regs)
{
	struct prog p;
	struct df_vstate *st = vt_state(2, 8);

	prog_load(&p, call_prog);
	st->insn_idx = 5;
	st->frame[1]->callsite = 2;
	vf_mark_known(&st->frame[0]->regs[6], 1);
	vf_mark_known(&st->frame[0]->regs[7], 2);
	vf_mark_known(&st->frame[1]->regs[6], 3);
	ck_assert(df_prune_reg_live(&p.ctx, st, 0, 6));
	ck_assert(!df_prune_reg_live(&p.ctx, st, 0, 7));
	ck_assert(!df_prune_reg_live(&p.ctx, st, 1, 6));
	ck_assert(df_prune_reg_live(&p.ctx, st, 1, 10));
	df_clean_regs(&p.ctx, st);
	ck_assert_int_eq(st->frame[0]->regs[6].type, DF_SCALAR);
	ck_assert_int_eq(st->frame[0]->regs[7].type, DF_NOT_INIT);
	ck_assert_int_eq(st->frame[1]->regs[6].type, DF_NOT_INIT);
	ck_assert_int_eq(st->frame[0]->regs[10].type, DF_PTR_TO_STACK);
	ck_assert_int_eq(st->frame[1]->regs[10].type, DF_PTR_TO_STACK);
	vf_state_free(st);
	prog_free(&p);
}
END_TEST

START_TEST(no_solver_is_live)
{
	struct df_prune_ctx none = { 0 };
	struct df_vstate *st = spilled(2, DF_SCALAR, 5);

	vf_mark_known(vt_reg(st, 7), 1);
	ck_assert(df_prune_reg_live(NULL, st, 0, 7));
	ck_assert(df_prune_reg_live(&none, st, 0, 7));
	ck_assert(df_prune_half_live(&none, st, 0, 0));
	ck_assert(df_prune_half_live(NULL, st, 0, 1));
	df_clean_regs(&none, st);
	df_clean_stack(&none, st);
	df_prune_full.clean(&none, st);
	ck_assert_int_eq(vt_reg(st, 7)->type, DF_SCALAR);
	vt_ck_slot(st, 0, "ssssssss");
	vf_state_free(st);
}
END_TEST

/* ---------------------------------------------------------------- modes, plug-in */

START_TEST(registry)
{
	ck_assert_ptr_eq(df_prune_mode_find("exact"), &df_prune_exact);
	ck_assert_ptr_eq(df_prune_mode_find("regs"), &df_prune_regs);
	ck_assert_ptr_eq(df_prune_mode_find("full"), &df_prune_full);
	ck_assert_ptr_null(df_prune_mode_find("nothing"));
	ck_assert_ptr_null(df_prune_mode_find(NULL));
	ck_assert_uint_ge(df_prune_mode_cnt(), 3);
	ck_assert_ptr_eq(df_prune_mode_at(0), &df_prune_exact);
	ck_assert_ptr_null(df_prune_mode_at(df_prune_mode_cnt()));
	ck_assert_str_eq(df_prune_exact.requires, "");
	ck_assert_str_eq(df_prune_regs.requires, "regs");
	ck_assert_str_eq(df_prune_full.requires, "regs stack");
	for (uint32_t i = 0; i < 3; i++) {
		const struct df_prune_mode *m = df_prune_mode_at(i);

		ck_assert_uint_eq(m->sz, sizeof(*m));
		ck_assert_ptr_eq(m->equal, m == &df_prune_full ? df_states_equal_precise :
				 df_states_equal);
		ck_assert_ptr_nonnull(m->clean);
		ck_assert(m->summary && m->summary[0]);
	}
}
END_TEST

/* Descriptors are checked before they join the registry. */
START_TEST(register_checks)
{
	static struct {
		struct df_prune_mode m;
		uint64_t newer;
	} big;
	static struct df_prune_mode m;		/* registered: outlives the test */
	uint32_t n = df_prune_mode_cnt();

	asm_test_setup();
	m = df_prune_full;
	m.name = "t_dup";
	m.sz = sizeof(m) - 1;
	ck_assert_int_eq(vf_prune_mode_register(&m, "x.so"), -EINVAL);
	ck_assert_ptr_nonnull(strstr(asm_test_msgs, "x.so: prune mode '?': descriptor size"));
	m.sz = sizeof(m);
	m.name = "";
	ck_assert_int_eq(vf_prune_mode_register(&m, NULL), -EINVAL);
	ck_assert_ptr_nonnull(strstr(asm_test_msgs, "prune mode descriptor lacks a name"));
	m.name = "t_mode";
	m.equal = NULL;
	ck_assert_int_eq(vf_prune_mode_register(&m, NULL), -EINVAL);
	ck_assert_ptr_nonnull(strstr(asm_test_msgs, "'t_mode': descriptor lacks equal()"));
	m.equal = df_states_equal;
	m.requires = "regs nosuch";
	ck_assert_int_eq(vf_prune_mode_register(&m, NULL), -ENOENT);
	ck_assert_ptr_nonnull(strstr(asm_test_msgs, "requires unknown analysis 'nosuch'"));
	m.name = "full";
	m.requires = "regs";
	ck_assert_int_eq(vf_prune_mode_register(&m, NULL), -EEXIST);
	ck_assert_uint_eq(df_prune_mode_cnt(), n);
	/* a descriptor from a newer header: unknown fields must be zero */
	big.m = df_prune_full;
	big.m.name = "t_newer";
	big.m.sz = sizeof(big);
	big.newer = 1;
	ck_assert_int_eq(vf_prune_mode_register(&big.m, NULL), -EINVAL);
	ck_assert_ptr_nonnull(strstr(asm_test_msgs, "does not know"));
	big.newer = 0;
	ck_assert_int_eq(vf_prune_mode_register(&big.m, NULL), 0);
	ck_assert_ptr_eq(df_prune_mode_find("t_newer"), &big.m);
	/* clean() may be left out: nothing is cleaned */
	m.name = "t_noclean";
	m.clean = NULL;
	m.requires = NULL;
	ck_assert_int_eq(vf_prune_mode_register(&m, NULL), 0);
	ck_assert_uint_eq(df_prune_mode_cnt(), n + 2);
	ck_assert_ptr_eq(df_prune_mode_at(n + 1), &m);
	asm_test_teardown();
}
END_TEST

START_TEST(plugin)
{
	const struct df_prune_mode *m = NULL, *again;
	struct prog p;
	struct df_vstate *o, *c;
	uint32_t n = df_prune_mode_cnt();

	asm_test_setup();
	ck_assert_msg(df_prune_mode_load(PLUGIN, &m) == 0, "%s", asm_test_msgs);
	ck_assert_str_eq(m->name, "stack");
	ck_assert_ptr_eq(df_prune_mode_find("stack"), m);
	ck_assert_uint_eq(df_prune_mode_cnt(), n + 1);
	ck_assert_ptr_eq(df_prune_mode_at(n), m);
	ck_assert_int_eq(df_prune_mode_load(PLUGIN, &again), -EEXIST);
	ck_assert_ptr_nonnull(strstr(asm_test_msgs, "already registered"));
	ck_assert_ptr_nonnull(strstr(asm_test_msgs, PLUGIN));
	asm_test_msgs[0] = '\0';
	ck_assert_int_eq(df_prune_mode_load(BUILDDIR "/no/such.so", &again), -ENOENT);
	ck_assert_ptr_null(again);
	ck_assert_ptr_nonnull(strstr(asm_test_msgs, "cannot load plug-in"));
	asm_test_msgs[0] = '\0';
	ck_assert_int_eq(df_prune_mode_load(BUILDDIR "/examples/plugin/.libs/constprop.so",
					    &again), -ENOENT);
	ck_assert_ptr_nonnull(strstr(asm_test_msgs, DF_PRUNE_PLUGIN_SYMBOL));
	ck_assert_uint_eq(df_prune_mode_cnt(), n + 1);
	asm_test_teardown();

	/* it poisons the dead half but keeps the dead register */
	prog_load(&p, c3);
	c3_pair(&o, &c);
	ck_assert(!mode_eq(m, &p, o, c));
	vt_ck_slot(o, 0, "ppppmmmm");
	ck_assert_int_eq(vt_reg(o, 7)->type, DF_SCALAR);
	vf_mark_known(vt_reg(o, 7), 2);
	ck_assert(m->equal(&p.ctx, o, c, DF_NOT_EXACT));
	vf_state_free(o);
	vf_state_free(c);
	prog_free(&p);
}
END_TEST

/* ---------------------------------------------------------------- cache */

struct cache_env {
	struct vf_env env;
	char *log;
	size_t log_len;
};

static void env_init(struct cache_env *e, const struct df_prune_mode *m)
{
	memset(e, 0, sizeof(*e));
	e->env.mode = m;
	e->env.res = calloc(1, sizeof(*e->env.res));
	ck_assert_ptr_nonnull(e->env.res);
	e->env.res->err_pc = -1;
	e->env.opts.sz = sizeof(e->env.opts);
	e->env.opts.log = open_memstream(&e->log, &e->log_len);
	e->env.opts.log_level = 2;
	e->env.opts.state_freq = true;
}

static void env_fini(struct cache_env *e)
{
	vf_cache_free(&e->env);
	ck_assert_uint_eq(e->env.cur_states, 0);
	fclose(e->env.opts.log);
	free(e->log);
	free(e->env.res);
}

/* A new path at VT_PC with r1 = v, continuing from the checkpoint parent. */
static struct df_vstate *path(struct cache_env *e, struct df_vstate *parent, uint64_t v)
{
	struct df_vstate *st = vt_state(1, 8);

	vf_mark_known(vt_reg(st, 1), v);
	st->parent = parent;
	if (parent)
		parent->branches++;
	e->env.cur = st;
	e->env.insn_idx = VT_PC;
	return st;
}

static void path_end(struct cache_env *e, struct df_vstate *st)
{
	vf_branch_done(&e->env, st);
	vf_state_free(st);
	e->env.cur = NULL;
}

START_TEST(cache_prune)
{
	struct cache_env e;
	struct df_vstate *a, *b, *ck;

	env_init(&e, &df_prune_exact);
	a = path(&e, NULL, 1);
	ck_assert_int_eq(vf_is_state_visited(&e.env, VT_PC), 0);
	ck = a->parent;
	ck_assert_ptr_nonnull(ck);
	ck_assert_ptr_ne(ck, a);
	ck_assert_uint_eq(ck->branches, 1);
	ck_assert_ptr_null(ck->parent);
	ck_assert_uint_eq(e.env.stats.total_states, 1);
	ck_assert_uint_eq(e.env.stats.peak_states, 1);

	/* an equal state elsewhere: no pruning while a's path below ck is open */
	b = path(&e, NULL, 1);
	ck_assert_int_eq(vf_is_state_visited(&e.env, VT_PC), 0);
	ck_assert_uint_eq(e.env.stats.prune_hits, 0);
	ck_assert_uint_eq(e.env.stats.total_states, 2);
	ck_assert_ptr_ne(b->parent, ck);
	path_end(&e, b);

	/* a's path ends: the checkpoint is fully explored and prunes an equal state */
	e.env.cur = a;
	path_end(&e, a);
	ck_assert_uint_eq(ck->branches, 0);
	b = path(&e, NULL, 1);
	ck_assert_int_eq(vf_is_state_visited(&e.env, VT_PC), 1);
	ck_assert_uint_eq(e.env.stats.prune_hits, 1);
	path_end(&e, b);
	/* a different value is not pruned */
	b = path(&e, NULL, 2);
	ck_assert_int_eq(vf_is_state_visited(&e.env, VT_PC), 0);
	ck_assert_uint_eq(e.env.stats.prune_hits, 1);
	ck_assert_uint_eq(e.env.stats.max_states_per_insn, 2);
	path_end(&e, b);
	env_fini(&e);
}
END_TEST

START_TEST(cache_infinite_loop)
{
	struct cache_env e;
	struct df_vstate *a, *ck;

	env_init(&e, &df_prune_full);
	a = path(&e, NULL, 1);
	ck_assert_int_eq(vf_is_state_visited(&e.env, VT_PC), 0);
	ck = a->parent;
	/* back at VT_PC with a different state: a loop that makes progress */
	vf_mark_known(vt_reg(a, 1), 2);
	ck_assert_int_eq(vf_is_state_visited(&e.env, VT_PC), 0);
	ck_assert_ptr_ne(a->parent, ck);
	ck_assert_ptr_eq(a->parent->parent, ck);
	ck_assert_uint_eq(e.env.stats.peak_states, 2);
	/* back with the state of the first visit: it never ends */
	vf_mark_known(vt_reg(a, 1), 1);
	ck_assert_int_eq(vf_is_state_visited(&e.env, VT_PC), -EACCES);
	ck_assert_int_eq(e.env.res->verdict, DF_VERDICT_REJECT);
	ck_assert_str_eq(e.env.res->msg, "infinite loop detected at insn 5");
	path_end(&e, a);
	ck_assert_uint_eq(ck->branches, 0);
	env_fini(&e);
}
END_TEST

START_TEST(cache_heuristic)
{
	struct cache_env e;
	struct df_vstate *a;

	env_init(&e, &df_prune_exact);
	e.env.opts.state_freq = false;
	a = path(&e, NULL, 1);
	e.env.jmps_since_ckpt = 1;
	e.env.insns_since_ckpt = 50;
	ck_assert_int_eq(vf_is_state_visited(&e.env, VT_PC), 0);
	ck_assert_ptr_null(a->parent);
	e.env.jmps_since_ckpt = 5;
	e.env.insns_since_ckpt = 7;
	ck_assert_int_eq(vf_is_state_visited(&e.env, VT_PC), 0);
	ck_assert_ptr_null(a->parent);
	e.env.insns_since_ckpt = 8;
	e.env.jmps_since_ckpt = 2;
	ck_assert_int_eq(vf_is_state_visited(&e.env, VT_PC), 0);
	ck_assert_ptr_nonnull(a->parent);
	ck_assert_uint_eq(e.env.jmps_since_ckpt, 0);
	ck_assert_uint_eq(e.env.insns_since_ckpt, 0);
	/* in a loop (an open checkpoint here): 20 jumps or 100 insns */
	vf_mark_known(vt_reg(a, 1), 2);
	e.env.jmps_since_ckpt = 19;
	e.env.insns_since_ckpt = 99;
	ck_assert_int_eq(vf_is_state_visited(&e.env, VT_PC), 0);
	ck_assert_uint_eq(e.env.stats.total_states, 1);
	e.env.jmps_since_ckpt = 20;
	ck_assert_int_eq(vf_is_state_visited(&e.env, VT_PC), 0);
	ck_assert_uint_eq(e.env.stats.total_states, 2);
	path_end(&e, a);
	env_fini(&e);
}
END_TEST

START_TEST(cache_evict)
{
	struct cache_env e;
	struct df_vstate *a;

	env_init(&e, &df_prune_exact);
	a = path(&e, NULL, 100);
	ck_assert_int_eq(vf_is_state_visited(&e.env, VT_PC), 0);
	path_end(&e, a);
	/* every later state misses it; after 3 * 0 + 3 misses the fourth evicts it */
	for (uint64_t v = 0; v < 4; v++) {
		a = path(&e, NULL, v);
		ck_assert_int_eq(vf_is_state_visited(&e.env, VT_PC), 0);
		path_end(&e, a);
	}
	ck_assert_uint_eq(e.env.stats.total_states, 5);
	ck_assert_uint_eq(e.env.cur_states, 4);
	ck_assert_uint_eq(e.env.stats.peak_states, 4);
	a = path(&e, NULL, 100);
	ck_assert_int_eq(vf_is_state_visited(&e.env, VT_PC), 0);	/* evicted: no hit */
	path_end(&e, a);
	a = path(&e, NULL, 3);
	ck_assert_int_eq(vf_is_state_visited(&e.env, VT_PC), 1);	/* still there */
	path_end(&e, a);
	/* lookups that add no checkpoint count no miss: nothing is evicted */
	e.env.opts.state_freq = false;
	for (uint64_t v = 0; v < 10; v++) {
		a = path(&e, NULL, 1000 + v);
		ck_assert_int_eq(vf_is_state_visited(&e.env, VT_PC), 0);
		path_end(&e, a);
	}
	ck_assert_uint_eq(e.env.cur_states, 4);
	a = path(&e, NULL, 1);
	ck_assert_int_eq(vf_is_state_visited(&e.env, VT_PC), 1);
	path_end(&e, a);
	env_fini(&e);
}
END_TEST

/* A path ending releases its checkpoints up to the first one with other open paths. */
START_TEST(branch_done)
{
	struct df_vstate *ck1 = vt_state(1, 0), *ck2 = vt_state(1, 0), *a = vt_state(1, 0);
	struct vf_env env;

	memset(&env, 0, sizeof(env));
	ck1->branches = 1;
	ck2->branches = 2;
	ck2->parent = ck1;
	a->parent = ck2;
	vf_branch_done(&env, a);
	ck_assert_uint_eq(ck2->branches, 1);
	ck_assert_uint_eq(ck1->branches, 1);
	vf_branch_done(&env, a);
	ck_assert_uint_eq(ck2->branches, 0);
	ck_assert_uint_eq(ck1->branches, 0);
	vf_state_free(ck1);
	vf_state_free(ck2);
	vf_state_free(a);
}
END_TEST

/* The mode cleans cur before the lookup, and cur goes on cleaned (C1: a dead register). */
START_TEST(cache_cleans)
{
	struct cache_env e;
	struct prog p;
	struct df_vstate *a, *ck;

	prog_load(&p, c3);
	env_init(&e, &df_prune_regs);
	e.env.pctx = p.ctx;
	a = path(&e, NULL, 1);
	a->insn_idx = 6;
	vf_mark_known(vt_reg(a, 7), 1);
	ck_assert_int_eq(vf_is_state_visited(&e.env, 6), 0);
	ck = a->parent;
	ck_assert_int_eq(vt_reg(a, 7)->type, DF_NOT_INIT);
	ck_assert_int_eq(vt_reg(ck, 7)->type, DF_NOT_INIT);
	ck_assert_int_eq(vt_reg(a, 10)->type, DF_PTR_TO_STACK);
	path_end(&e, a);
	a = path(&e, NULL, 1);
	a->insn_idx = 6;
	vf_mark_known(vt_reg(a, 7), 2);
	ck_assert_int_eq(vf_is_state_visited(&e.env, 6), 1);
	path_end(&e, a);
	env_fini(&e);
	prog_free(&p);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("vf_prune");
	TCase *t = tcase_create("clean");

	tcase_add_test(t, c3_dead_half_poisoned);
	tcase_add_test(t, c6_scalar_spill_far_dead);
	tcase_add_test(t, c7_pointer_spill_far_dead);
	tcase_add_test(t, near_dead_far_alive);
	tcase_add_test(t, narrow_spill_kept);
	tcase_add_test(t, both_dead);
	tcase_add_test(t, outer_frame_regs);
	tcase_add_test(t, no_solver_is_live);
	suite_add_tcase(s, t);

	t = tcase_create("modes");
	tcase_add_test(t, registry);
	tcase_add_test(t, register_checks);
	tcase_add_test(t, plugin);
	suite_add_tcase(s, t);

	t = tcase_create("cache");
	tcase_add_test(t, cache_prune);
	tcase_add_test(t, cache_infinite_loop);
	tcase_add_test(t, cache_heuristic);
	tcase_add_test(t, cache_evict);
	tcase_add_test(t, branch_done);
	tcase_add_test(t, cache_cleans);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	int fails;

	srunner_run_all(r, CK_NORMAL);
	fails = srunner_ntests_failed(r);
	srunner_free(r);
	return fails ? 1 : 0;
}
