/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The dataflow engine on toy analyses: a set of visited pcs (forward and
 * backward, checked against a per-instruction fixpoint on random
 * programs), an interval with widening, contexts in every mode, traces,
 * budgets and lattice laws. Registry, pipeline and plug-ins: check_plugin.c.
 */
#include "internal.h"
#include "solver_test.h"

#include <check.h>
#include <stdio.h>

/* ---------------------------------------------------------------- pcs */

/* The set of pcs on some path: forward before(pc) = pcs run before it. */
#define W 4
struct pcs {
	uint64_t w[W];
};

static void pcs_bottom(const struct df_ctx *c, void *s)
{
	memset(s, 0, sizeof(struct pcs));
}

static bool pcs_join(const struct df_ctx *c, void *dst, const void *src)
{
	struct pcs *d = dst;
	const struct pcs *a = src;
	bool ch = false;

	for (int i = 0; i < W; i++) {
		ch |= (a->w[i] & ~d->w[i]) != 0;
		d->w[i] |= a->w[i];
	}
	return ch;
}

static void pcs_transfer(const struct df_ctx *c, uint32_t pc, const void *in,
			 void *out)
{
	struct pcs *o = out;

	*o = *(const struct pcs *)in;
	o->w[pc / 64 % W] |= 1ull << pc % 64;
}

static uint32_t range_calls;

/* transfer_range(): pcs_transfer() over [first, end) in the analysis direction */
static void pcs_range(const struct df_ctx *c, uint32_t first, uint32_t end, void *s)
{
	const struct df_insn *in = c->prog->insns;
	uint32_t pcs[256], n = 0;

	range_calls++;
	for (uint32_t pc = first; pc < end; pc += df_insn_slots(&in[pc])) {
		ck_assert_uint_lt(n, 256);
		pcs[n++] = pc;
	}
	if (df_solver_analysis(c->solver)->dir == DF_FORWARD)
		for (uint32_t i = 0; i < n; i++)
			pcs_transfer(c, pcs[i], s, s);
	else
		for (uint32_t i = n; i-- > 0;)
			pcs_transfer(c, pcs[i], s, s);
}

static struct df_analysis pcs_fwd = {
	.sz = sizeof(struct df_analysis), .name = "t_pcs", .dir = DF_FORWARD,
	.state_size = sizeof(struct pcs), .ctx_mode = DF_CTX_NONE,
	.bottom = pcs_bottom, .boundary = pcs_bottom, .join = pcs_join,
	.transfer = pcs_transfer,
};

static struct pcs set_of(const int *pcs)
{
	struct pcs s = { { 0 } };

	for (; *pcs >= 0; pcs++)
		s.w[*pcs / 64] |= 1ull << *pcs % 64;
	return s;
}

#define SET(...) set_of((const int[]){ __VA_ARGS__, -1 })

static struct pcs before(uint32_t ctx, uint32_t pc)
{
	struct pcs s;

	ck_assert_int_eq(df_state_before(sol, ctx, pc, &s), 0);
	return s;
}

static void solve(const struct df_prog *p, const struct df_analysis *a,
		  const struct df_solver_opts *o)
{
	int err = df_solver_new(p, cfg, a, o, &sol);

	ck_assert_msg(!err, "solver_new: %d %s", err, diag);
	err = df_solve(sol);
	ck_assert_msg(!err, "solve: %d %s", err, diag);
}

static void set_eq(struct pcs got, struct pcs want, int line)
{
	ck_assert_msg(!memcmp(&got, &want, sizeof(want)),
		      "line %d: %016llx %016llx, want %016llx %016llx", line,
		      (unsigned long long)got.w[1], (unsigned long long)got.w[0],
		      (unsigned long long)want.w[1], (unsigned long long)want.w[0]);
}

#define ck_set(got, want) set_eq((got), (want), __LINE__)

START_TEST(forward_diamond)
{
	/* 0: if r1 == 0 goto 3; 1: r0 = 1; 2: goto 4; 3: r0 = 2; 4: exit; 5: dead */
	struct df_prog *p = load("if r1 == 0x0 goto pc+2\nr0 = 1\ngoto pc+1\n"
				 "r0 = 2\nexit\nr0 = 3\nexit\n");
	struct pcs s;

	solve(p, &pcs_fwd, NULL);
	ck_set(before(0, 0), SET(-1));
	ck_set(before(0, 1), SET(0));
	ck_set(before(0, 3), SET(0));
	ck_set(before(0, 4), SET(0, 1, 2, 3));
	ck_assert_int_eq(df_state_after(sol, 0, 4, &s), 0);
	ck_set(s, SET(0, 1, 2, 3, 4));
	/* unreached is not bottom; a pc outside the context is invalid */
	ck_assert_int_eq(df_state_before(sol, 0, 5, &s), -ENOENT);
	ck_assert_int_eq(df_state_before(sol, 0, 99, &s), -EINVAL);
	ck_assert_int_eq(df_state_before(sol, 1, 0, &s), -EINVAL);
}
END_TEST

START_TEST(backward_diamond)
{
	struct df_prog *p = load("if r1 == 0x0 goto pc+2\nr0 = 1\ngoto pc+1\n"
				 "r0 = 2\nexit\n");
	struct df_analysis a = pcs_fwd;
	struct pcs s;

	a.dir = DF_BACKWARD;
	solve(p, &a, NULL);
	ck_set(before(0, 0), SET(0, 1, 2, 3, 4));
	ck_set(before(0, 3), SET(3, 4));
	ck_assert_int_eq(df_state_after(sol, 0, 1, &s), 0);
	ck_set(s, SET(2, 4));
	ck_assert_int_eq(df_state_after(sol, 0, 4, &s), 0);
	ck_set(s, SET(-1));
}
END_TEST

/* ---------------------------------------------------------------- random programs */

static uint32_t rng = 12345;

static uint32_t rnd(uint32_t n)
{
	rng = rng * 1103515245u + 12345u;
	return (rng >> 8) % n;
}

#define INSN(c, d, s, o, i) \
	((struct df_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })

static struct df_prog *random_prog(uint32_t n)
{
	struct df_prog *p;
	struct df_insn *in = calloc(n, sizeof(*in));
	bool *second = calloc(n, sizeof(*second));

	obj = df_object_new("rand.o", DF_INPUT_RAW);
	p = df_object_add_prog(obj);
	p->name = df_strdup("rand");
	p->section = df_strdup("xdp");
	for (uint32_t i = 0; i + 1 < n; i++) {
		uint32_t k = rnd(100);

		if (k < 10 && i + 2 < n) {
			in[i] = INSN(DF_LD | DF_IMM | DF_DW, 1, 0, 0, (int32_t)i);
			second[++i] = true;
		} else if (k < 55) {
			in[i] = INSN(DF_ALU64 | DF_ADD | DF_K, rnd(10), 0, 0, 1);
		} else if (k < 60) {
			in[i] = INSN(DF_JMP | DF_CALL, 0, 0, 0, 7);
		} else if (k < 64) {
			in[i] = INSN(DF_JMP | DF_EXIT, 0, 0, 0, 0);
		} else {
			in[i] = INSN(DF_JMP | (k < 70 ? DF_JA : DF_JGT), k < 70 ? 0 : 1, 0, 0, 0);
		}
	}
	in[n - 1] = INSN(DF_JMP | DF_EXIT, 0, 0, 0, 0);
	for (uint32_t i = 0; i + 1 < n; i++) {
		int32_t t;

		if (DF_CLASS(in[i].code) != DF_JMP || DF_OP(in[i].code) == DF_EXIT ||
		    DF_OP(in[i].code) == DF_CALL || second[i])
			continue;
		do
			t = rnd(n);
		while (second[t]);
		in[i].off = (int16_t)(t - (int32_t)i - 1);
	}
	p->insns = in;
	p->insn_cnt = n;
	free(second);
	diag[0] = 0;
	ck_assert_msg(!df_prog_check(p), "%s", diag);
	ck_assert_msg(!df_cfg_build(p, &cfg), "%s", diag);
	return p;
}

static uint32_t succ(const struct df_prog *p, uint32_t i, uint32_t *s)
{
	const struct df_insn *in = &p->insns[i];
	uint32_t n = 0;

	if (df_insn_is_exit(in))
		return 0;
	if (!(DF_CLASS(in->code) == DF_JMP && DF_OP(in->code) == DF_JA))
		s[n++] = i + df_insn_slots(in);
	if (df_insn_jump_target(in, i) >= 0)
		s[n++] = (uint32_t)df_insn_jump_target(in, i);
	return n;
}

/* The per-instruction fixpoint the engine must reproduce. */
static void reference(const struct df_prog *p, bool bwd, struct pcs *bef,
		      struct pcs *aft, bool *reach)
{
	uint32_t n = p->insn_cnt, s[2], k;
	bool changed = true;

	memset(bef, 0, n * sizeof(*bef));
	memset(aft, 0, n * sizeof(*aft));
	memset(reach, 0, n * sizeof(*reach));
	reach[0] = true;
	while (changed) {
		changed = false;
		for (uint32_t i = 0; i < n; i += df_insn_slots(&p->insns[i])) {
			if (!reach[i])
				continue;
			k = succ(p, i, s);
			for (uint32_t j = 0; j < k; j++) {
				changed |= !reach[s[j]];
				reach[s[j]] = true;
			}
		}
	}
	changed = true;
	while (changed) {
		changed = false;
		for (uint32_t i = 0; i < n; i += df_insn_slots(&p->insns[i])) {
			struct pcs x;

			if (!reach[i])
				continue;
			k = succ(p, i, s);
			if (!bwd) {
				pcs_transfer(NULL, i, &bef[i], &x);
				aft[i] = x;
				for (uint32_t j = 0; j < k; j++)
					changed |= pcs_join(NULL, &bef[s[j]], &x);
			} else {
				for (uint32_t j = 0; j < k; j++)
					changed |= pcs_join(NULL, &aft[i], &bef[s[j]]);
				pcs_transfer(NULL, i, &aft[i], &x);
				changed |= pcs_join(NULL, &bef[i], &x);
			}
		}
	}
}

struct walked {
	struct pcs *bef, *aft;
	bool *seen;
	int64_t last;
	bool any;	/* df_solver_walk_any(): each pc once, in any order */
};

static int walk_cb(void *cookie, const struct df_ctx *c, uint32_t pc,
		   const void *b, const void *a)
{
	struct walked *w = cookie;

	ck_assert_msg(w->any || (int64_t)pc > w->last, "walk out of order: %u after %lld",
		      pc, (long long)w->last);
	ck_assert_msg(!w->seen[pc], "walk visits pc %u twice", pc);
	w->last = pc;
	w->seen[pc] = true;
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_nonnull(a);
	ck_set(*(const struct pcs *)b, w->bef[pc]);
	ck_set(*(const struct pcs *)a, w->aft[pc]);
	return 0;
}

START_TEST(random_programs)
{
	for (int round = 0; round < 160; round++) {
		uint32_t n = 2 + rnd(round < 100 ? 60 : 250);
		struct df_prog *p = random_prog(n);
		struct pcs *bef = calloc(n, sizeof(*bef)), *aft = calloc(n, sizeof(*aft));
		bool *reach = calloc(n, sizeof(*reach)), *seen = calloc(n, sizeof(*seen));
		struct df_analysis a = pcs_fwd;

		for (int k = 0; k < 4; k++) {
			struct walked w = { bef, aft, seen, -1, false };
			bool bwd = k & 1;

			a.dir = bwd ? DF_BACKWARD : DF_FORWARD;
			/* the same results through the range transfer, which the engine uses */
			a.transfer_range = k >= 2 ? pcs_range : NULL;
			range_calls = 0;
			reference(p, bwd, bef, aft, reach);
			solve(p, &a, NULL);
			memset(seen, 0, n);
			ck_assert_int_eq(df_solver_walk(sol, 0, walk_cb, &w), 0);
			for (uint32_t i = 0; i < n; i += df_insn_slots(&p->insns[i])) {
				struct pcs x;
				int err = df_state_before(sol, 0, i, &x);

				ck_assert_msg(reach[i] == seen[i], "round %d pc %u walk", round, i);
				ck_assert_int_eq(err, reach[i] ? 0 : -ENOENT);
				if (reach[i])
					ck_set(x, bef[i]);
			}
			memset(seen, 0, n);
			w.any = true;
			ck_assert_int_eq(df_solver_walk_any(sol, 0, walk_cb, &w), 0);
			for (uint32_t i = 0; i < n; i += df_insn_slots(&p->insns[i]))
				ck_assert_msg(reach[i] == seen[i], "round %d pc %u unordered walk",
					      round, i);
			ck_assert(k < 2 ? !range_calls : range_calls > 0);
			df_solver_free(sol);
			sol = NULL;
		}
		free(bef);
		free(aft);
		free(reach);
		free(seen);
		teardown();
	}
}
END_TEST

/* ---------------------------------------------------------------- intervals */

struct itv {
	int64_t lo, hi;		/* empty when lo > hi */
};

static void itv_bottom(const struct df_ctx *c, void *s)
{
	*(struct itv *)s = (struct itv){ INT64_MAX, INT64_MIN };
}

static void itv_top(const struct df_ctx *c, void *s)
{
	*(struct itv *)s = (struct itv){ INT64_MIN, INT64_MAX };
}

static bool itv_join(const struct df_ctx *c, void *dst, const void *src)
{
	struct itv *d = dst, o = *d;
	const struct itv *a = src;

	if (a->lo > a->hi)
		return false;
	if (d->lo > d->hi) {
		*d = *a;
	} else {
		d->lo = a->lo < d->lo ? a->lo : d->lo;
		d->hi = a->hi > d->hi ? a->hi : d->hi;
	}
	return d->lo != o.lo || d->hi != o.hi;
}

static bool itv_widen(const struct df_ctx *c, void *dst, const void *src)
{
	struct itv *d = dst, o = *d;
	const struct itv *a = src;

	if (d->lo > d->hi)
		return itv_join(c, dst, src);
	if (a->lo <= a->hi && a->lo < d->lo)
		d->lo = INT64_MIN;
	if (a->lo <= a->hi && a->hi > d->hi)
		d->hi = INT64_MAX;
	return d->lo != o.lo || d->hi != o.hi;
}

static int64_t sat_add(int64_t v, int64_t k)
{
	if (v == INT64_MIN || v == INT64_MAX)
		return v;
	return v > INT64_MAX - k ? INT64_MAX : v + k;
}

/* Tracks r0 only: r0 = K, r0 += K. */
static void itv_transfer(const struct df_ctx *c, uint32_t pc, const void *in, void *out)
{
	const struct df_insn *i = &c->prog->insns[pc];
	struct itv *o = out;

	*o = *(const struct itv *)in;
	if (i->dst_reg || o->lo > o->hi)
		return;
	if (i->code == (DF_ALU64 | DF_MOV | DF_K))
		*o = (struct itv){ i->imm, i->imm };
	else if (i->code == (DF_ALU64 | DF_ADD | DF_K) && i->imm >= 0)
		*o = (struct itv){ sat_add(o->lo, i->imm), sat_add(o->hi, i->imm) };
}

/* if r0 < K: taken -> r0 <= K-1, fallthrough -> r0 >= K */
static bool itv_edge(const struct df_ctx *c, uint32_t from, uint32_t to,
		     enum df_edge_kind kind, void *s)
{
	const struct df_insn *i = &c->prog->insns[from];
	struct itv *v = s;

	if (i->code != (DF_JMP | DF_JLT | DF_K) || i->dst_reg)
		return true;
	if (kind == DF_EDGE_TAKEN && v->hi > i->imm - 1)
		v->hi = i->imm - 1;
	if (kind == DF_EDGE_FALLTHROUGH && v->lo < i->imm)
		v->lo = i->imm;
	return v->lo <= v->hi;
}

static const struct df_analysis itv_an = {
	.sz = sizeof(struct df_analysis), .name = "t_itv", .dir = DF_FORWARD,
	.state_size = sizeof(struct itv), .bottom = itv_bottom,
	.boundary = itv_top, .join = itv_join, .widen = itv_widen,
	.transfer = itv_transfer,
};

#define LOOP "r0 = 0\nl: r0 += 1\nif r0 < 0xa goto l\nexit\n"

START_TEST(widening)
{
	struct df_prog *p = load(LOOP);
	struct df_analysis a = itv_an;
	struct itv v;

	uint64_t steps;
	DF_OPTS(df_solver_opts, o, .widen_delay = 20);

	solve(p, &a, NULL);
	ck_assert_int_eq(df_state_before(sol, 0, 1, &v), 0);
	ck_assert(v.lo == 0 && v.hi == INT64_MAX);
	steps = df_solver_steps(sol);
	df_solver_free(sol);
	sol = NULL;
	/* a later widening takes more visits of the loop, same result */
	solve(p, &a, &o);
	ck_assert_uint_ge(df_solver_steps(sol), steps + 18);
	ck_assert_int_eq(df_state_before(sol, 0, 1, &v), 0);
	ck_assert(v.lo == 0 && v.hi == INT64_MAX);
	df_solver_free(sol);
	sol = NULL;

	/* with branch refinement: the exit sees r0 >= 10 */
	a.edge = itv_edge;
	solve(p, &a, NULL);
	ck_assert_int_eq(df_state_before(sol, 0, 3, &v), 0);
	ck_assert(v.lo == 10 && v.hi == INT64_MAX);
	ck_assert_int_eq(df_state_before(sol, 0, 1, &v), 0);
	ck_assert(v.lo == 0);
}
END_TEST

START_TEST(budget)
{
	struct df_prog *p = load(".prog spin \"xdp\"\n" LOOP);
	struct df_analysis a = itv_an;
	DF_OPTS(df_solver_opts, o, .max_steps = 1000);

	a.widen = NULL;
	ck_assert_int_eq(df_solver_new(p, cfg, &a, &o, &sol), 0);
	diag[0] = 0;
	ck_assert_int_eq(df_solve(sol), -E2BIG);
	ck_assert_ptr_nonnull(strstr(diag, "analysis 't_itv' on program 'spin'"));
	ck_assert_ptr_nonnull(strstr(diag, "budget of 1000 block visits"));
	ck_assert_uint_eq(df_solver_steps(sol), 1000);
	ck_assert_int_eq(strchr(diag, '\n') - diag + 1, (long)strlen(diag));	/* one line */
}
END_TEST

/* ---------------------------------------------------------------- traces */

struct tr {
	enum df_event_kind k[64];
	uint64_t step[64];
	int n;
};

static void trace_cb(void *cookie, const struct df_ctx *c, const struct df_event *ev)
{
	struct tr *t = cookie;

	if (t->n < 64) {
		t->k[t->n] = ev->kind;
		t->step[t->n++] = ev->step;
	}
}

START_TEST(trace_events)
{
	struct df_prog *p = load("r0 = 0\nif r1 == 0x0 goto pc+1\nr0 = 1\nexit\n");
	struct tr t = { .n = 0 };
	DF_OPTS(df_solver_opts, o, .trace = trace_cb, .trace_cookie = &t);
	static const enum df_event_kind want[] = {
		DF_EV_JOIN,				/* entry seeded */
		DF_EV_VISIT, DF_EV_TRANSFER, DF_EV_TRANSFER,
		DF_EV_JOIN,				/* taken edge into the exit block */
		DF_EV_VISIT, DF_EV_TRANSFER,		/* chained block 2 */
		DF_EV_JOIN,				/* fallthrough into exit: changed */
		DF_EV_VISIT, DF_EV_TRANSFER,
		DF_EV_CONVERGED,
	};

	solve(p, &pcs_fwd, &o);
	ck_assert_int_eq(t.n, (int)DF_ARRAY_SIZE(want));
	for (int i = 0; i < t.n; i++) {
		ck_assert_msg(t.k[i] == want[i], "event %d: %d, want %d", i, t.k[i], want[i]);
		ck_assert_uint_eq(t.step[i], (uint64_t)i);
	}
}
END_TEST

/* ---------------------------------------------------------------- contexts */

#define CALLS ".prog main \"xdp\"\nr1 = 1\ncall f\nr1 = 2\ncall f\nexit\n" \
	      ".func f 1\nr0 = r1\ncall g\nexit\n.func g 0\nr0 = 0\nexit\n"

static void info(uint32_t ci, struct df_context_info *x)
{
	ck_assert_int_eq(df_solver_context(sol, ci, x), 0);
}

START_TEST(ctx_none_insensitive)
{
	struct df_prog *p = load(CALLS);
	struct df_analysis a = pcs_fwd;
	struct df_context_info x;
	DF_OPTS(df_solver_opts, o, .ctx_mode = DF_CTX_INSENSITIVE);

	solve(p, &a, NULL);
	ck_assert_uint_eq(df_solver_context_cnt(sol), 3);
	info(1, &x);
	ck_assert_uint_eq(x.subprog, 1);
	ck_assert_uint_eq(x.callsite, 5);
	ck_assert_uint_eq(x.parent, UINT32_MAX);
	ck_set(before(1, 5), SET(-1));
	ck_set(before(0, 2), SET(0, 1));
	df_solver_free(sol);
	sol = NULL;

	solve(p, &a, &o);
	ck_assert_uint_eq(df_solver_context_cnt(sol), 3);
	ck_set(before(1, 5), SET(0, 2, 5, 7, 8, 9));
	ck_set(before(0, 4), SET(0, 2, 5, 7, 8, 9));
	ck_set(before(0, 2), SET(0, 2, 5, 7, 8, 9));
	df_solver_free(sol);
	sol = NULL;

	/* backward: the call's before is the callee's entry result */
	a.dir = DF_BACKWARD;
	solve(p, &a, &o);
	ck_set(before(0, 0), SET(0, 2, 4, 5, 7, 8, 9));
	ck_set(before(2, 8), SET(2, 4, 5, 7, 8, 9));
}
END_TEST

START_TEST(ctx_callstring)
{
	struct df_prog *p = load(CALLS);
	struct df_context_info x;
	DF_OPTS(df_solver_opts, o, .ctx_mode = DF_CTX_CALLSTRING);
	uint32_t fa = UINT32_MAX, fb = UINT32_MAX;

	solve(p, &pcs_fwd, &o);
	ck_assert_uint_eq(df_solver_context_cnt(sol), 5);
	for (uint32_t i = 0; i < 5; i++) {
		info(i, &x);
		if (x.subprog == 1 && x.chain[0] == 1)
			fa = i;
		if (x.subprog == 1 && x.chain[0] == 3)
			fb = i;
		if (x.subprog == 2) {
			ck_assert_uint_eq(x.chain_len, 2);
			ck_assert_uint_eq(x.chain[1], 6);
			ck_assert_uint_eq(x.depth, 2);
		}
	}
	ck_assert(fa != UINT32_MAX && fb != UINT32_MAX);
	ck_set(before(fa, 5), SET(0));
	ck_set(before(fb, 5), SET(0, 2, 5, 7, 8, 9));
	df_solver_free(sol);
	sol = NULL;

	o.call_depth = 1;
	solve(p, &pcs_fwd, &o);
	ck_assert_uint_eq(df_solver_context_cnt(sol), 4);
	df_solver_free(sol);
	sol = NULL;

	o.max_contexts = 3;
	ck_assert_int_eq(df_solver_new(p, cfg, &pcs_fwd, &o, &sol), 0);
	diag[0] = 0;
	ck_assert_int_eq(df_solve(sol), -E2BIG);
	ck_assert_ptr_nonnull(strstr(diag, "more than 3 contexts"));
}
END_TEST

static void zero_into(const struct df_ctx *caller, uint32_t pc, const void *at,
		      const struct df_ctx *callee, void *out)
{
	ck_assert_uint_eq(callee->callsite, pc);
	ck_assert_uint_eq(callee->depth, caller->depth + 1);
	memset(out, 0, sizeof(struct pcs));
}

START_TEST(ctx_callsite_depth)
{
	struct df_prog *p = load(".prog main \"xdp\"\nr1 = 1\ncall f\nr1 = 2\ncall f\n"
				 "exit\n.func f 1\nr0 = r1\ncall g\nexit\n.func g 0\n"
				 "r0 = 0\nr3 = subprog[cb]\nexit\n.func cb 0\nr0 = 0\nexit\n");
	struct df_analysis a = pcs_fwd;
	struct df_context_info x;
	DF_OPTS(df_solver_opts, o, .ctx_mode = DF_CTX_CALLSITE_DEPTH);

	solve(p, &a, &o);
	/* main, f@1, g@6 (from f@1), f@3, g@6 variant 1, cb as a root */
	ck_assert_uint_eq(df_solver_context_cnt(sol), 6);
	info(4, &x);
	ck_assert_uint_eq(x.subprog, 2);
	ck_assert_uint_eq(x.depth, 2);
	ck_assert_uint_eq(x.callsite, 6);
	ck_assert_uint_eq(x.variant, 1);
	ck_assert_uint_eq(x.parent, 3);
	ck_assert_uint_eq(x.chain_len, 2);
	ck_assert_uint_eq(x.chain[0], 3);
	ck_set(before(4, 8), SET(0, 1, 2, 5));
	ck_set(before(2, 8), SET(0, 5));
	info(5, &x);
	ck_assert_uint_eq(x.subprog, 3);
	ck_assert_uint_eq(x.depth, 0);
	df_solver_free(sol);
	sol = NULL;

	a.call_into = zero_into;
	solve(p, &a, &o);
	ck_assert_uint_eq(df_solver_context_cnt(sol), 5);
}
END_TEST

static char *chain_prog(void)
{
	static char buf[4096];
	size_t n = 0;

	n += snprintf(buf + n, sizeof(buf) - n, ".prog main \"xdp\"\ncall f1\ncall f1\nexit\n");
	for (int i = 1; i < 7; i++)
		n += snprintf(buf + n, sizeof(buf) - n,
			      ".func f%d 0\ncall f%d\nr0 = %d\ncall f%d\nexit\n",
			      i, i + 1, i, i + 1);
	snprintf(buf + n, sizeof(buf) - n, ".func f7 0\nr0 = 7\nexit\n");
	return buf;
}

START_TEST(ctx_deep_chains)
{
	struct df_prog *p = load(chain_prog());
	struct df_analysis a = pcs_fwd;
	struct df_context_info x;
	DF_OPTS(df_solver_opts, o, .ctx_mode = DF_CTX_CALLSTRING);
	uint32_t deepest = 0;

	ck_assert_uint_eq(cfg->max_call_depth, 8);
	solve(p, &a, &o);
	ck_assert_uint_eq(df_solver_context_cnt(sol), 255);
	for (uint32_t i = 0; i < 255; i++) {
		info(i, &x);
		ck_assert_uint_eq(x.chain_len, x.depth);
		if (x.depth == 7)
			deepest++;
	}
	ck_assert_uint_eq(deepest, 128);
	df_solver_free(sol);
	sol = NULL;

	o.ctx_mode = DF_CTX_CALLSITE_DEPTH;
	solve(p, &a, &o);
	ck_assert_uint_eq(df_solver_context_cnt(sol), 255);
	df_solver_free(sol);
	sol = NULL;
	a.call_into = zero_into;
	solve(p, &a, &o);
	ck_assert_uint_eq(df_solver_context_cnt(sol), 15);
}
END_TEST

/* ---------------------------------------------------------------- laws */

static bool xor_join(const struct df_ctx *c, void *dst, const void *src)
{
	uint64_t *d = dst, o = *d;

	*d ^= *(const uint64_t *)src;
	return *d != o;
}

static bool or_join(const struct df_ctx *c, void *dst, const void *src)
{
	uint64_t *d = dst, o = *d;

	*d |= *(const uint64_t *)src;
	return *d != o;
}

static void u64_zero(const struct df_ctx *c, void *s)
{
	*(uint64_t *)s = 0;
}

static void not_transfer(const struct df_ctx *c, uint32_t pc, const void *in, void *out)
{
	*(uint64_t *)out = ~*(const uint64_t *)in;
}

static void or1_transfer(const struct df_ctx *c, uint32_t pc, const void *in, void *out)
{
	*(uint64_t *)out = *(const uint64_t *)in | 1;
}

START_TEST(laws)
{
	struct df_prog *p = load("r0 = 0\nexit\n");
	static const uint64_t smp[] = { 0, 1, 6, 0xff00, ~0ull };
	struct df_analysis a = {
		.sz = sizeof(a), .name = "t_u64", .state_size = 8, .bottom = u64_zero,
		.boundary = u64_zero, .join = or_join, .transfer = or1_transfer,
	};
	struct df_ctx c = { .prog = p, .cfg = cfg, .context = UINT32_MAX };

	ck_assert_int_eq(df_check_laws(&a, NULL, smp, 5), 0);
	ck_assert_int_eq(df_check_laws(&a, &c, smp, 5), 0);
	a.transfer = not_transfer;
	diag[0] = 0;
	ck_assert_int_eq(df_check_laws(&a, &c, smp, 5), -EINVAL);
	ck_assert_ptr_nonnull(strstr(diag, "not monotone"));
	a.join = xor_join;
	diag[0] = 0;
	ck_assert_int_eq(df_check_laws(&a, NULL, smp, 5), -EINVAL);
	ck_assert_ptr_nonnull(strstr(diag, "idempotence"));
}
END_TEST

/* An arena that starts in a lent region: pieces from it, then from chunks; the region stays. */
START_TEST(arena_in_region)
{
	unsigned char *region = malloc(200);
	struct df_arena a;
	unsigned char *p, *q, *big;

	memset(region, 0xa5, 200);
	df_arena_init(&a, region + 1, 199);
	p = df_arena_zalloc(&a, 40);
	ck_assert_ptr_nonnull(p);
	ck_assert(p > region && p < region + 200 && !((uintptr_t)p % 16));
	for (int i = 0; i < 48; i++)
		ck_assert_uint_eq(p[i], 0);
	q = df_arena_alloc(&a, 16);	/* not cleared: the region's bytes */
	ck_assert(q >= p + 48 && q < region + 200);
	ck_assert_uint_eq(q[0], 0xa5);
	big = df_arena_zalloc(&a, 5000);	/* too large for the rest: a chunk of its own */
	ck_assert(big && (big < region || big >= region + 200));
	for (int i = 0; i < 5000; i++)
		ck_assert_uint_eq(big[i], 0);
	/* a small piece still fits in the region, which stays current */
	ck_assert(df_arena_alloc(&a, 16) == q + 16);
	ck_assert_ptr_null(df_arena_zalloc(&a, SIZE_MAX - 3));
	df_arena_free(&a);
	ck_assert_uint_eq(region[0], 0xa5);	/* the region is the caller's */
	free(region);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("engine");
	TCase *t = tcase_create("engine");

	tcase_add_checked_fixture(t, NULL, teardown);
	tcase_set_timeout(t, 120);
	tcase_add_test(t, forward_diamond);
	tcase_add_test(t, backward_diamond);
	tcase_add_test(t, random_programs);
	tcase_add_test(t, widening);
	tcase_add_test(t, budget);
	tcase_add_test(t, trace_events);
	tcase_add_test(t, ctx_none_insensitive);
	tcase_add_test(t, ctx_callstring);
	tcase_add_test(t, ctx_callsite_depth);
	tcase_add_test(t, ctx_deep_chains);
	tcase_add_test(t, laws);
	tcase_add_test(t, arena_in_region);
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
