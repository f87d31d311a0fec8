// SPDX-License-Identifier: BSD-2-Clause
/*
 * Calls between contexts: which subprograms a call enters, the context it
 * enters them in (one per subprogram, an interned call string, or the
 * kernel's (callsite, depth) instances), and how states cross the call.
 * docs/engine.md, "Contexts".
 */
#include "engine_int.h"

/* ------------------------------------------------------------ interning */

static uint32_t mix(uint32_t h, uint32_t v)
{
	h ^= v;
	h *= 0x9e3779b1u;
	return h ^ h >> 15;
}

/* Call strings key on (subprog, depth, chain); instances on (subprog, depth, callsite). */
static uint32_t key_hash(const struct df_solver *s, const struct df_sctx *x)
{
	uint32_t h = mix(mix(0x811c9dc5u, x->subprog), x->depth);

	if (s->mode != DF_CTX_CALLSTRING)
		return mix(h, x->callsite);
	h = mix(h, x->chain_len);
	for (uint32_t i = 0; i < x->chain_len; i++)
		h = mix(h, x->chain[i]);
	return h;
}

static bool key_eq(const struct df_solver *s, const struct df_sctx *a,
		   const struct df_sctx *b)
{
	if (a->subprog != b->subprog || a->depth != b->depth)
		return false;
	if (s->mode != DF_CTX_CALLSTRING)
		return a->callsite == b->callsite;
	return a->chain_len == b->chain_len &&
	       !memcmp(a->chain, b->chain, a->chain_len * sizeof(a->chain[0]));
}

/* First context with x's key, or DF_NONE; its variants follow hash_next. */
static uint32_t intern_find(const struct df_solver *s, const struct df_sctx *x)
{
	if (!s->hcap)
		return DF_NONE;
	for (uint32_t i = key_hash(s, x) & (s->hcap - 1);; i = (i + 1) & (s->hcap - 1)) {
		uint32_t id = s->htab[i];

		if (!id)
			return DF_NONE;
		if (key_eq(s, &s->ctx[id - 1], x))
			return id - 1;
	}
}

static void intern_put(struct df_solver *s, uint32_t id)
{
	uint32_t i = key_hash(s, &s->ctx[id]) & (s->hcap - 1);

	while (s->htab[i])
		i = (i + 1) & (s->hcap - 1);
	s->htab[i] = id + 1;
}

static int intern_add(struct df_solver *s, uint32_t id)
{
	uint32_t first = intern_find(s, &s->ctx[id]);

	if (first != DF_NONE) {
		while (s->ctx[first].hash_next != DF_NONE)
			first = s->ctx[first].hash_next;
		s->ctx[first].hash_next = id;
		return 0;
	}
	if (2 * (s->ctx_cnt + 1) > s->hcap) {
		uint32_t cap = s->hcap ? 2 * s->hcap : 64, old = s->hcap;
		/* in the arena, as the heap */
		uint32_t *t = df_arena_zalloc(&s->arena, cap * sizeof(*t)), *o = s->htab;

		if (!t)
			return -ENOMEM;
		s->htab = t;
		s->hcap = cap;
		for (uint32_t i = 0; i < old; i++)
			if (o[i])
				intern_put(s, o[i] - 1);
	}
	intern_put(s, id);
	return 0;
}

/* ------------------------------------------------------------ calls */

uint32_t df_resolve(struct df_solver *s, const struct df_ctx *c, uint32_t pc,
		    const void *at_call, uint32_t *subs)
{
	const struct df_insn *in = &s->prog->insns[pc];
	uint32_t n;

	if (!s->a.resolve_call) {
		int64_t t = (int64_t)pc + in->imm + 1;

		if (!df_insn_is_pseudo_call(in) || t < 0 || t >= s->prog->insn_cnt)
			return 0;
		subs[0] = s->cfg->blocks[s->cfg->block_of[t]].subprog;
		return 1;
	}
	n = s->a.resolve_call(c, pc, at_call, subs, DF_MAX_TARGETS);
	if (n > DF_MAX_TARGETS)
		n = DF_MAX_TARGETS;
	for (uint32_t i = 0; i < n; i++) {
		if (subs[i] >= s->cfg->subprog_cnt) {
			df_prog_err(s->prog, pc, "analysis '%s': resolve_call() "
				    "named subprogram %u of %u", s->a.name,
				    subs[i], s->cfg->subprog_cnt);
			s->err = -EINVAL;
			return 0;
		}
	}
	return n;
}

/* The call-string context callee t runs in when ci calls it at pc. */
static int callstring_ctx(struct df_solver *s, uint32_t ci, uint32_t pc,
			  uint32_t t, bool create, uint32_t *out)
{
	const struct df_sctx *x = &s->ctx[ci];
	struct df_sctx key = { .subprog = t, .depth = x->depth + 1 };
	uint32_t n = x->chain_len, skip, id;
	int err;

	memcpy(key.chain, x->chain, n * sizeof(key.chain[0]));
	key.chain[n++] = pc;
	skip = n > s->o.call_depth ? n - s->o.call_depth : 0;
	key.chain_len = n - skip;
	memmove(key.chain, key.chain + skip, key.chain_len * sizeof(key.chain[0]));
	*out = intern_find(s, &key);
	if (*out != DF_NONE || !create)
		return 0;
	err = df_ctx_new(s, t, key.depth, pc, ci, &id);
	if (err)
		return err;
	s->ctx[id].chain_len = key.chain_len;
	memcpy(s->ctx[id].chain, key.chain, sizeof(key.chain));
	err = intern_add(s, id);
	if (err)
		return err;
	if (s->backward)
		df_ctx_seed(s, id, NULL);
	*out = id;
	return 0;
}

static int add_dep(struct df_solver *s, uint32_t callee, uint32_t ci, uint32_t prio)
{
	uint32_t h = mix(mix(mix(7, callee), ci), prio), i;
	struct df_dep *d;

	for (i = s->dcap ? h & (s->dcap - 1) : 0; s->dcap && s->dtab[i];
	     i = (i + 1) & (s->dcap - 1)) {
		d = &s->dep[s->dtab[i] - 1];
		if (d->callee == callee && d->ctx == ci && d->prio == prio)
			return 0;
	}
	if (2 * (s->dep_cnt_used + 1) > s->dcap) {
		uint32_t cap = s->dcap ? 2 * s->dcap : 64;
		uint32_t *t = df_zalloc(cap, sizeof(*t));

		if (!t)
			return -ENOMEM;
		for (uint32_t k = 0; k < s->dep_cnt_used; k++) {
			d = &s->dep[k];
			for (i = mix(mix(mix(7, d->callee), d->ctx), d->prio) & (cap - 1);
			     t[i]; i = (i + 1) & (cap - 1))
				;
			t[i] = k + 1;
		}
		free(s->dtab);
		s->dtab = t;
		s->dcap = cap;
	}
	if (df_array_push(s->dep, s->dep_cnt_used))
		return -ENOMEM;
	for (i = h & (s->dcap - 1); s->dtab[i]; i = (i + 1) & (s->dcap - 1))
		;
	d = &s->dep[s->dep_cnt_used];
	d->callee = callee;
	d->ctx = ci;
	d->prio = prio;
	d->next = s->ctx[callee].dep_head;
	s->ctx[callee].dep_head = s->dep_cnt_used;
	s->dtab[i] = ++s->dep_cnt_used;
	return 0;
}

void df_summary_join(struct df_solver *s, uint32_t ci, const void *st)
{
	struct df_sctx *x = &s->ctx[ci];
	struct df_ctx c;
	bool changed;

	df_ctx_fill(s, ci, &c);
	if (!x->summary_reached) {
		s->a.bottom(&c, x->summary);
		s->a.join(&c, x->summary, st);
		x->summary_reached = true;
		changed = true;
	} else {
		changed = s->a.join(&c, x->summary, st);
	}
	for (uint32_t d = x->dep_head; changed && d != DF_NONE; d = s->dep[d].next)
		df_push(s, s->dep[d].ctx, s->dep[d].prio);
}

/* Enter callee context cj from a call at pc with state in (before the call in program order forward). */
static void enter(struct df_solver *s, const struct df_ctx *c, uint32_t pc,
		  const void *in, uint32_t cj)
{
	const struct df_ssub *ss = &s->sub[s->ctx[cj].subprog];
	const struct df_subprog *sp = &s->cfg->subprogs[s->ctx[cj].subprog];
	const void *entry = in;
	struct df_ctx cc;
	bool changed = false;

	df_ctx_fill(s, cj, &cc);
	if (s->a.call_into) {
		s->a.call_into(c, pc, in, &cc, s->acc);
		entry = s->acc;
	}
	if (!s->backward)
		changed = df_root_join(s, cj, sp->first_block, entry, pc);
	for (uint32_t i = 0; s->backward && i < ss->exit_cnt; i++)
		changed |= df_root_join(s, cj, s->exit_roots[ss->exit_base + i],
					entry, pc);
	if (s->o.trace)
		df_trace_ev(s, &cc, DF_EV_CALL, sp->first_block, pc, sp->start,
			    NULL, entry, changed);
}

/*
 * A call in the insensitive and call-string modes: the state after it (in
 * the analysis direction) joins call_return() over the entered callees
 * that produced a result. False when none did: nothing flows on yet.
 */
bool df_call_step(struct df_solver *s, const struct df_ctx *c, uint32_t pc,
		  const void *in, void *out, bool replay)
{
	uint32_t subs[DF_MAX_TARGETS], n, cj;
	bool have = false;
	int err;

	n = df_resolve(s, c, pc, in, subs);
	if (!n) {
		if (s->err)
			return false;
		s->a.transfer(c, pc, in, out);
		if (s->o.trace && !replay)
			df_trace_ev(s, c, DF_EV_TRANSFER, s->cfg->block_of[pc],
				    pc, pc, in, out, true);
		return true;
	}
	for (uint32_t i = 0; i < n; i++) {
		const struct df_sctx *xj;
		const void *ret;

		cj = subs[i];
		if (s->mode == DF_CTX_CALLSTRING) {
			err = callstring_ctx(s, c->context, pc, subs[i], !replay, &cj);
			if (err) {
				s->err = err;
				return false;
			}
			if (cj == DF_NONE)
				continue;
		}
		if (!replay) {
			enter(s, c, pc, in, cj);
			err = add_dep(s, cj, c->context, s->cur_prio);
			if (err) {
				s->err = err;
				return false;
			}
		}
		xj = &s->ctx[cj];
		if (!xj->summary_reached)
			continue;
		ret = xj->summary;
		if (s->a.call_return) {
			s->a.call_return(c, pc, in, xj->summary, s->cret);
			ret = s->cret;
		}
		df_copy_or(s, c, out, ret, &have);
		if (s->o.trace && !replay)
			df_trace_ev(s, c, DF_EV_RETURN, s->cfg->block_of[pc], pc,
				    pc, in, ret, true);
	}
	return have;
}

/* ------------------------------------------------------------ callsite depth */

static bool state_eq(const struct df_solver *s, const struct df_ctx *c,
		     const void *a, const void *b)
{
	return s->a.equal ? s->a.equal(c, a, b) : !memcmp(a, b, s->ssz);
}

static int descend(struct df_solver *s, uint32_t ci);

/* Bytes of saved call states per depth; beyond it the descent replays. */
#define DF_CALL_SAVE_MAX	(1u << 20)

/* Make the solve of context ci save the states before its calls. */
static void level_prepare(struct df_solver *s, uint32_t ci)
{
	const struct df_sctx *x = &s->ctx[ci];
	struct df_level *l = &s->lvl[x->depth];
	uint32_t n = s->sub[x->subprog].call_cnt;

	l->saving = false;
	if (!n || s->a.edge || (size_t)n * s->ssz > DF_CALL_SAVE_MAX)
		return;
	if (n > l->call_cap) {
		/* in the arena, at least doubling: what it leaves behind is bounded */
		uint32_t cap = n > 2 * l->call_cap ? n : 2 * l->call_cap;
		uint8_t *p;

		if ((size_t)cap * s->ssz > DF_CALL_SAVE_MAX)
			cap = n;
		p = df_arena_zalloc(&s->arena, (size_t)cap * s->ssz);
		if (!p)
			return;	/* replay instead */
		l->calls = p;
		l->call_cap = cap;
	}
	l->ctx = ci;
	l->saving = true;
}

/* The entry state a context was created with (see df_ctx_new()). */
static const void *ctx_seed(const struct df_solver *s, uint32_t ci)
{
	const struct df_sctx *x = &s->ctx[ci];

	if (x->seed)
		return x->seed;
	return df_root_state(s, x, s->blk[s->cfg->subprogs[x->subprog].first_block].root);
}

/* The kernel's instance for a call from ci at pc into t (§3.9). */
static int enter_instance(struct df_solver *s, uint32_t ci, uint32_t pc,
			  uint32_t t, const void *at_call)
{
	struct df_sctx key = { .subprog = t, .depth = s->ctx[ci].depth + 1, .callsite = pc };
	struct df_level *l = &s->lvl[s->ctx[ci].depth];
	struct df_ctx c, cc = {
		.prog = s->prog, .cfg = s->cfg, .solver = s, .priv = s->priv,
		.context = DF_NONE, .subprog = t, .depth = key.depth, .callsite = pc,
	};
	uint32_t cj, variant = 0;
	struct df_sctx *x;
	int err;

	df_ctx_fill(s, ci, &c);
	if (key.depth >= DF_MAX_CALL_FRAMES) {
		df_prog_err(s->prog, pc, "analysis '%s': a call in frame %u cannot "
			    "enter another frame (at most %d)", s->a.name,
			    key.depth - 1, DF_MAX_CALL_FRAMES);
		return -EINVAL;
	}
	if (s->a.call_into)
		s->a.call_into(&c, pc, at_call, &cc, l->entry);
	else
		memcpy(l->entry, at_call, s->ssz);
	for (cj = intern_find(s, &key); cj != DF_NONE; cj = s->ctx[cj].hash_next) {
		variant++;
		if (state_eq(s, &cc, ctx_seed(s, cj), l->entry)) {
			if (s->o.trace) {
				df_ctx_fill(s, cj, &cc);
				df_trace_ev(s, &cc, DF_EV_CALL,
					    s->cfg->subprogs[t].first_block, pc,
					    s->cfg->subprogs[t].start, NULL,
					    l->entry, false);
			}
			return 0;
		}
	}
	err = df_ctx_new(s, t, key.depth, pc, ci, &cj);
	if (err)
		return err;
	x = &s->ctx[cj];
	x->variant = variant;
	x->chain_len = s->ctx[ci].chain_len + 1;
	memcpy(x->chain, s->ctx[ci].chain, sizeof(x->chain[0]) * s->ctx[ci].chain_len);
	x->chain[x->chain_len - 1] = pc;
	if (x->seed)
		memcpy(x->seed, l->entry, s->ssz);
	err = intern_add(s, cj);
	if (err)
		return err;
	if (s->o.trace) {
		df_ctx_fill(s, cj, &cc);
		df_trace_ev(s, &cc, DF_EV_CALL, s->cfg->subprogs[t].first_block,
			    pc, s->cfg->subprogs[t].start, NULL, l->entry, true);
	}
	level_prepare(s, cj);
	df_ctx_seed(s, cj, l->entry);
	err = df_drain(s);
	if (err)
		return err;
	df_converged(s, cj);
	return descend(s, cj);
}

static int level_alloc(struct df_solver *s, uint32_t depth)
{
	struct df_level *l = &s->lvl[depth];

	if (l->a)
		return 0;
	l->a = df_arena_zalloc(&s->arena, 2 * s->ssz);
	if (!l->a)
		return -ENOMEM;
	l->entry = l->a + s->ssz;
	return 0;
}

/* Follow the calls at call_pc[first..end) with the states saved before them. */
static int follow_saved(struct df_solver *s, uint32_t ci, uint32_t first, uint32_t end)
{
	const struct df_ssub *ss = &s->sub[s->ctx[ci].subprog];
	const struct df_level *l = &s->lvl[s->ctx[ci].depth];
	struct df_ctx c;
	int err = 0;

	df_ctx_fill(s, ci, &c);
	for (uint32_t i = first; !err && i < end; i++) {
		uint32_t subs[DF_MAX_TARGETS], n, pc = s->call_pc[ss->call_base + i];
		const uint8_t *at = l->calls + (size_t)i * s->ssz;

		n = df_resolve(s, &c, pc, at, subs);
		if (s->err)
			return s->err;
		for (uint32_t k = 0; !err && k < n; k++)
			err = enter_instance(s, ci, pc, subs[k], at);
	}
	return err;
}

/* Follow the calls of a solved context, in program order (the kernel's order). */
static int descend(struct df_solver *s, uint32_t ci)
{
	uint32_t depth = s->ctx[ci].depth, sub = s->ctx[ci].subprog;
	const struct df_ssub *ss = &s->sub[sub];
	const struct df_subprog *sp = &s->cfg->subprogs[sub];
	uint32_t end = sp->first_block + sp->block_cnt;
	int err = level_alloc(s, depth);
	/* the states before the calls, saved while ci was solved */
	bool saved = s->lvl[depth].saving && s->lvl[depth].ctx == ci;

	for (uint32_t r = 0; !err && r < ss->root_cnt; r++) {
		uint32_t b = s->root_block[ss->root_base + r], last = b;
		struct df_level *l = &s->lvl[depth];
		uint8_t *cur = l->a;
		bool calls = false;
		struct df_ctx c;

		if (!df_bit(s->ctx[ci].reached, r))
			continue;
		for (uint32_t k = b; k < end && (k == b || s->blk[k].kind == DF_BLK_CHAIN); k++) {
			calls |= s->blk[k].call;
			last = k;
		}
		if (!calls)
			continue;
		if (saved) {
			uint32_t stop = last + 1 < end ? s->blk[last + 1].call_idx : ss->call_cnt;

			err = follow_saved(s, ci, s->blk[b].call_idx, stop);
			continue;
		}
		df_ctx_fill(s, ci, &c);
		memcpy(cur, df_root_state(s, &s->ctx[ci], r), s->ssz);
		for (uint32_t k = b; !err && k <= last; k++) {
			const struct df_block *bk = &s->cfg->blocks[k];

			for (uint32_t pc = bk->start; !err && pc < bk->end;
			     pc += df_insn_slots(&s->prog->insns[pc])) {
				uint32_t subs[DF_MAX_TARGETS], n = 0;

				if (df_is_call(&s->prog->insns[pc]))
					n = df_resolve(s, &c, pc, cur, subs);
				if (s->err)
					return s->err;
				for (uint32_t i = 0; !err && i < n; i++)
					err = enter_instance(s, ci, pc, subs[i], cur);
				s->a.transfer(&c, pc, cur, cur);
			}
			if (k < last && s->a.edge &&
			    !s->a.edge(&c, s->blk[k].last_pc, s->cfg->blocks[k + 1].start,
				       DF_EDGE_FALLTHROUGH, cur))
				break;
		}
	}
	return err;
}

int df_solve_callsite_depth(struct df_solver *s)
{
	const struct df_cfg *g = s->cfg;
	uint32_t ci;
	int err;

	for (uint32_t k = g->subprog_cnt; k-- > 0;) {
		uint32_t sub = g->topo[k];

		if (s->sub[sub].entered && g->subprogs[sub].linkage != DF_LINKAGE_GLOBAL)
			continue;
		err = df_ctx_new(s, sub, 0, g->subprogs[sub].start, DF_NONE, &ci);
		if (err)
			return err;
		err = intern_add(s, ci);
		if (err)
			return err;
		df_boundary(s, ci, s->acc);
		level_prepare(s, ci);
		df_ctx_seed(s, ci, s->acc);
		err = df_drain(s);
		if (err)
			return err;
		df_converged(s, ci);
		err = descend(s, ci);
		if (err)
			return err;
	}
	return 0;
}
