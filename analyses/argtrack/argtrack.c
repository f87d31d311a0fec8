/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Arg tracking ("argtrack"): which registers, outgoing stack-argument slots
 * and spill slots may hold a pointer into which frame's stack, at which
 * offsets (semantics §3.2-§3.5, the kernel's compute_subprog_args()).
 *
 * Lattice: per location the value lattice of argtrack_lattice.c; a state
 * is 11 registers + 7 sa slots + 64 spill slots, joined pointwise.
 * Direction: forward. Equations: in(b) = join of out(p) over predecessors,
 * out = xfer(in) (argtrack_xfer.c). Contexts: the kernel's instances,
 * DF_CTX_CALLSITE_DEPTH. A root starts from r10 = (0, {0}) and NONE
 * elsewhere; a call is followed only when one of its entry values (r1..r5
 * and sa0..6, or the forwarded register of a callback helper) may point
 * into a stack, and the callee starts from those values in frame d+1.
 *
 * Stored (besides the engine's per-instruction states): one call record
 * per followed call, with the caller's outgoing slots (the callee's
 * incoming stack arguments) and the caller's spill slots at the call (for
 * fills through parent-frame pointers). Each state names its record, so
 * every call gets its own context, as every reach of a call is analysed
 * afresh in the kernel.
 */
#include "argtrack_int.h"
#include "internal.h"

#include <stdio.h>

static struct df_argtrack_priv *priv_of(const struct df_ctx *c)
{
	return c->priv;
}

static const struct df_at_record *record(const struct df_argtrack_priv *p,
					 uint32_t entry)
{
	return entry < p->rec_cnt ? &p->recs[entry] : NULL;
}

static uint32_t hash_key(uint32_t ctx, uint32_t pc)
{
	uint64_t k = ((uint64_t)ctx << 32) | pc;

	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return (uint32_t)k;
}

static int hash_grow(struct df_argtrack_priv *p)
{
	uint32_t cap = p->hash_cap ? p->hash_cap * 2 : 64;
	uint32_t *h = malloc(cap * sizeof(*h));

	if (!h)
		return -ENOMEM;
	memset(h, 0xff, cap * sizeof(*h));
	for (uint32_t i = 0; i < p->rec_cnt; i++) {
		uint32_t j = hash_key(p->recs[i].caller_ctx, p->recs[i].pc) & (cap - 1);

		while (h[j] != UINT32_MAX)
			j = (j + 1) & (cap - 1);
		h[j] = i;
	}
	free(p->hash);
	p->hash = h;
	p->hash_cap = cap;
	return 0;
}

/* The record of (caller context, pc), created when missing; UINT32_MAX on ENOMEM. */
static uint32_t record_get(struct df_argtrack_priv *p, uint32_t ctx, uint32_t pc,
			   bool *fresh)
{
	uint32_t j;

	*fresh = false;
	if ((p->rec_cnt + 1) * 2 > p->hash_cap && hash_grow(p))
		return UINT32_MAX;
	j = hash_key(ctx, pc) & (p->hash_cap - 1);
	while (p->hash[j] != UINT32_MAX) {
		const struct df_at_record *r = &p->recs[p->hash[j]];

		if (r->caller_ctx == ctx && r->pc == pc)
			return p->hash[j];
		j = (j + 1) & (p->hash_cap - 1);
	}
	if (df_array_push(p->recs, p->rec_cnt))
		return UINT32_MAX;
	p->hash[j] = p->rec_cnt;
	*fresh = true;
	return p->rec_cnt++;
}

static const struct df_arg *parent_spills(void *cookie, int frame)
{
	const struct df_argtrack_priv *p = ((const void **)cookie)[0];
	const struct df_at_record *r = ((const void **)cookie)[1];

	while (r && r->caller_depth > frame)
		r = record(p, r->parent);
	if (!r || r->caller_depth != frame)
		return NULL;
	return &r->st.loc[DF_ARG_SPILL0];
}

static void set_all(struct df_argtrack_state *s, struct df_arg v, uint32_t entry)
{
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < DF_ARG_NLOCS; i++)
		s->loc[i] = v;
	s->entry = entry;
}

static int at_init(const struct df_ctx *c, void **out)
{
	struct df_argtrack_priv *p = calloc(1, sizeof(*p));
	int err;

	if (!p)
		return -ENOMEM;
	err = df_consts_compute(c->prog, c->cfg, &p->consts);
	if (err) {
		free(p);
		return err;
	}
	set_all(&p->root.st, df_arg_none(), DF_ARG_ENTRY_ROOT);
	p->root.parent = UINT32_MAX;
	p->root.caller_ctx = UINT32_MAX;
	p->root.caller_depth = -1;
	p->cfg = c->cfg;
	*out = p;
	return 0;
}

static void at_fini(void *priv)
{
	struct df_argtrack_priv *p = priv;

	if (!p)
		return;
	df_consts_free(&p->consts);
	free(p->recs);
	free(p->hash);
	free(p);
}

static void at_bottom(const struct df_ctx *c, void *s)
{
	(void)c;
	set_all(s, df_arg_unvisited(), DF_ARG_ENTRY_NONE);
}

static void at_boundary(const struct df_ctx *c, void *s)
{
	struct df_argtrack_state *st = s;

	set_all(st, df_arg_none(), DF_ARG_ENTRY_ROOT);
	st->loc[DF_REG_FP] = df_arg_single((int)c->depth, 0);
}

static bool at_join(const struct df_ctx *c, void *dst, const void *src)
{
	struct df_argtrack_state *d = dst;
	const struct df_argtrack_state *s = src;
	bool changed = false;

	(void)c;
	for (int i = 0; i < DF_ARG_NLOCS; i++) {
		struct df_arg r;

		if (df_arg_same(&d->loc[i], &s->loc[i]))
			continue;
		r = df_arg_join_val(d->loc[i], s->loc[i]);
		if (df_arg_equal(&r, &d->loc[i]))
			continue;
		d->loc[i] = r;
		changed = true;
	}
	if (s->entry < d->entry) {
		d->entry = s->entry;
		changed = true;
	}
	return changed;
}

static bool at_equal(const struct df_ctx *c, const void *a, const void *b)
{
	const struct df_argtrack_state *x = a, *y = b;

	(void)c;
	if (x->entry != y->entry)
		return false;
	for (int i = 0; i < DF_ARG_NLOCS; i++)
		if (!df_arg_same(&x->loc[i], &y->loc[i]) &&
		    !df_arg_equal(&x->loc[i], &y->loc[i]))
			return false;
	return true;
}

/* Like the kernel's per-instruction dump: the locations that may hold a stack pointer. */
static void at_print(const struct df_ctx *c, const void *s, FILE *f)
{
	const struct df_argtrack_state *st = s;
	bool any = false;
	char loc[16], val[64];

	(void)c;
	for (unsigned i = 0; i < DF_ARG_NLOCS; i++) {
		if (i == DF_REG_FP || !df_arg_is_fp(&st->loc[i]))
			continue;
		df_arg_loc_snprint(loc, sizeof(loc), i);
		df_arg_snprint(val, sizeof(val), &st->loc[i]);
		fprintf(f, "%s%s=%s", any ? " " : "", loc, val);
		any = true;
	}
}

static void at_transfer(const struct df_ctx *c, uint32_t pc, const void *in,
			void *out)
{
	const struct df_argtrack_priv *p = priv_of(c);
	struct df_argtrack_state *st = out;
	const struct df_at_record *r;
	const void *cookie[2];
	struct df_at_env env;

	r = record(p, ((const struct df_argtrack_state *)in)->entry);
	if (in != out)
		memcpy(out, in, sizeof(*st));
	cookie[0] = p;
	cookie[1] = r;
	env.depth = (int)c->depth;
	env.in_sa = r ? &r->st.loc[DF_ARG_SA0] : NULL;
	env.parent_spills = parent_spills;
	env.cookie = (void *)cookie;
	df_at_xfer(&env, &c->prog->insns[pc], st);
}

bool df_argtrack_call_args(const struct df_prog *prog, const struct df_cfg *cfg,
			   const struct df_consts *consts, uint32_t pc,
			   const struct df_argtrack_state *at_call,
			   struct df_arg *args, int *callee)
{
	const struct df_insn *in = &prog->insns[pc];
	int from, to;
	bool fp = false;

	for (int i = 0; i < DF_ARG_SPILL0; i++)
		args[i] = df_arg_none();
	if (in->code == (DF_JMP | DF_CALL) && in->src_reg == DF_PSEUDO_CALL) {
		int64_t t = (int64_t)pc + in->imm + 1;

		*callee = t >= 0 && t < prog->insn_cnt ?
			(int)df_cfg_subprog_of(cfg, (uint32_t)t) : -1;
		if (*callee >= 0 && cfg->subprogs[*callee].start != (uint32_t)t)
			*callee = -1;
		for (int r = 1; r <= 5; r++)
			args[r] = at_call->loc[r];
		for (int i = 0; i < DF_ARG_NSA; i++)
			args[DF_ARG_SA0 + i] = at_call->loc[DF_ARG_SA0 + i];
	} else {
		*callee = df_callback_subprog(prog, consts, pc, &from, &to);
		if (*callee < 0)
			return *callee == -2 && at_call->loc[from].frame != DF_ARG_NONE;
		args[to] = at_call->loc[from];
	}
	if (*callee < 0)
		return false;
	for (int i = 1; i < DF_ARG_SPILL0; i++)
		if (i != DF_REG_FP && df_arg_is_fp(&args[i]))
			fp = true;
	return fp;
}

static uint32_t at_resolve_call(const struct df_ctx *c, uint32_t pc,
				const void *at_call, uint32_t *subprogs,
				uint32_t max)
{
	struct df_argtrack_priv *p = priv_of(c);
	struct df_arg args[DF_ARG_SPILL0];
	int callee;

	if (!max || !df_argtrack_call_args(c->prog, c->cfg, &p->consts, pc,
					   at_call, args, &callee) || callee < 0)
		return 0;
	if (c->depth + 1 >= DF_MAX_CALL_FRAMES) {
		if (!p->err) {
			p->err = -EINVAL;
			p->err_pc = pc;
		}
		return 0;
	}
	/* every followed call is one more analysis in the kernel's count */
	if (df_solver_context_cnt(c->solver) >= DF_ARGTRACK_MAX_ANALYSES) {
		if (!p->err) {
			df_prog_err(c->prog, -1, "liveness analysis exceeded complexity limit (%d calls)",
				    DF_ARGTRACK_MAX_ANALYSES + 1);
			p->err = -E2BIG;
			p->err_pc = pc;
		}
		return 0;
	}
	subprogs[0] = (uint32_t)callee;
	return 1;
}

static void at_call_into(const struct df_ctx *caller, uint32_t pc,
			 const void *at_call, const struct df_ctx *callee,
			 void *out)
{
	struct df_argtrack_priv *p = priv_of(caller);
	const struct df_argtrack_state *cs = at_call;
	struct df_argtrack_state *st = out;
	struct df_arg args[DF_ARG_SPILL0];
	struct df_at_record *r;
	uint32_t id;
	int sub;
	bool fresh;

	(void)callee;
	df_argtrack_call_args(caller->prog, caller->cfg, &p->consts, pc, cs,
			      args, &sub);
	set_all(st, df_arg_none(), DF_ARG_ENTRY_ROOT);
	for (int i = 1; i <= 5; i++)
		st->loc[i] = args[i];
	st->loc[DF_REG_FP] = df_arg_single((int)caller->depth + 1, 0);
	id = record_get(p, caller->context, pc, &fresh);
	if (id == UINT32_MAX) {
		/* out of memory: the callee still runs, without incoming values */
		p->err = p->err ? p->err : -ENOMEM;
		return;
	}
	st->entry = id;
	if (!fresh)
		return;
	r = &p->recs[id];
	set_all(&r->st, df_arg_none(), id);
	for (int i = 1; i < DF_ARG_SPILL0; i++)
		r->st.loc[i] = i == DF_REG_FP ? df_arg_none() : args[i];
	memcpy(&r->st.loc[DF_ARG_SPILL0], &cs->loc[DF_ARG_SPILL0],
	       DF_ARG_NSPILL * sizeof(struct df_arg));
	r->parent = cs->entry;
	r->caller_ctx = caller->context;
	r->pc = pc;
	r->caller_depth = (int)caller->depth;
}

static const char *const no_deps[] = { NULL };

DF_API const struct df_analysis df_argtrack_analysis = {
	.sz = sizeof(struct df_analysis),
	.name = "argtrack",
	.summary = "which registers and stack slots may point into which frame's stack",
	.dir = DF_FORWARD,
	.state_size = sizeof(struct df_argtrack_state),
	.requires = no_deps,
	.ctx_mode = DF_CTX_CALLSITE_DEPTH,
	.init = at_init,
	.fini = at_fini,
	.bottom = at_bottom,
	.boundary = at_boundary,
	.join = at_join,
	.equal = at_equal,
	.print = at_print,
	.transfer = at_transfer,
	.resolve_call = at_resolve_call,
	.call_into = at_call_into,
};

const struct df_argtrack_state *df_argtrack_entry(const struct df_solver *s,
						  uint32_t context)
{
	const struct df_argtrack_priv *p;
	struct df_context_info info;
	struct df_argtrack_state st;

	if (!s || df_solver_analysis(s) != &df_argtrack_analysis)
		return NULL;
	p = df_solver_priv(s);
	if (!p || df_solver_context(s, context, &info))
		return NULL;
	if (info.subprog >= p->cfg->subprog_cnt ||
	    df_state_before(s, context, p->cfg->subprogs[info.subprog].start, &st))
		return NULL;
	return st.entry < p->rec_cnt ? &p->recs[st.entry].st : &p->root.st;
}
