// SPDX-License-Identifier: BSD-2-Clause
/*
 * The dataflow solver: contexts, the priority worklist, the processing of
 * one segment (a stored block and the fall-through chain recomputed after
 * it) and the drivers of the intraprocedural, insensitive and call-string
 * modes. Block layout is in layout.c, calls between contexts in
 * solver_interproc.c, queries in results.c; docs/engine.md.
 */
#include "engine_int.h"

/* ------------------------------------------------------------ tracing */

void df_ctx_fill(const struct df_solver *s, uint32_t ci, struct df_ctx *c)
{
	const struct df_sctx *x = &s->ctx[ci];

	c->prog = s->prog;
	c->cfg = s->cfg;
	c->solver = s;
	c->priv = s->priv;
	c->context = ci;
	c->subprog = x->subprog;
	c->depth = x->depth;
	c->callsite = x->callsite;
	c->visit = 0;
}

void df_trace_ev(struct df_solver *s, const struct df_ctx *c,
		 enum df_event_kind kind, uint32_t block, uint32_t pc,
		 uint32_t to_pc, const void *old_state, const void *new_state,
		 bool changed)
{
	struct df_event ev = {
		.kind = kind,
		.step = s->events++,
		.context = c ? c->context : DF_NONE,
		.block = block,
		.pc = pc,
		.to_pc = to_pc,
		.old_state = old_state,
		.new_state = new_state,
		.changed = changed,
	};

	s->o.trace(s->o.trace_cookie, c, &ev);
}

/* ------------------------------------------------------------ contexts */

/* A context's arrays are in the solver's arena, freed with it. */
void df_ctx_release(struct df_sctx *x)
{
	x->states = NULL;
	x->visits = x->joins = NULL;
	x->reached = x->pending = NULL;
	x->seed = x->summary = NULL;
}

int df_ctx_new(struct df_solver *s, uint32_t subprog, uint32_t depth,
	       uint32_t callsite, uint32_t parent, uint32_t *out)
{
	const struct df_ssub *ss = &s->sub[subprog];
	uint32_t n = ss->root_cnt ? ss->root_cnt : 1, words = (n + 63) / 64;
	bool keep_seed = s->mode == DF_CTX_CALLSITE_DEPTH && depth > 0 && ss->entry_flows;
	struct df_sctx *x;
	size_t nst, st_sz, cnt_sz;
	uint8_t *p;

	if (s->ctx_cnt >= s->o.max_contexts) {
		df_prog_err(s->prog, callsite, "analysis '%s': more than %u contexts",
			    s->a.name, s->o.max_contexts);
		return -E2BIG;
	}
	if (s->ctx_cnt == s->ctx_cap) {
		/* in the arena, as the heap: what growing leaves behind is bounded */
		uint32_t cap = s->ctx_cap ? 2 * s->ctx_cap : 4;
		struct df_sctx *t = df_arena_zalloc(&s->arena, cap * sizeof(*t));

		if (!t)
			return -ENOMEM;
		if (s->ctx_cnt)
			memcpy(t, s->ctx, s->ctx_cnt * sizeof(*t));
		s->ctx = t;
		s->ctx_cap = cap;
	}
	x = &s->ctx[s->ctx_cnt];
	memset(x, 0, sizeof(*x));
	x->subprog = subprog;
	x->depth = depth;
	x->callsite = callsite;
	x->parent = parent;
	x->dep_head = DF_NONE;
	x->hash_next = DF_NONE;
	x->cursor = UINT32_MAX;
	/*
	 * Callsite-depth: a call's entry state is compared with the seeds of the
	 * contexts of its key. Where nothing else flows into the entry block,
	 * its stored state is bottom joined with the seed, that is the seed
	 * (bottom is the identity of join), and stands for it; roots (depth 0)
	 * are never compared.
	 */
	nst = n + (s->interproc ? 1 : 0) + (keep_seed ? 1 : 0);
	/*
	 * One piece: reached[] and pending[], the states, then visits[] and
	 * joins[]. The states need no clearing: a state is read only once
	 * reached (bottom() or a copy fills it first).
	 */
	cnt_sz = (s->a.widen ? 2 : 1) * n * sizeof(uint32_t);
	st_sz = (nst * s->ssz + 7) & ~(size_t)7;
	p = df_arena_alloc(&s->arena, 2 * words * sizeof(uint64_t) + st_sz + cnt_sz);
	if (!p) {
		df_ctx_release(x);
		return -ENOMEM;
	}
	memset(p, 0, 2 * words * sizeof(uint64_t));
	memset(p + 2 * words * sizeof(uint64_t) + st_sz, 0, cnt_sz);
	x->reached = (uint64_t *)(void *)p;
	x->pending = x->reached + words;
	x->states = p + 2 * words * sizeof(uint64_t);
	if (s->interproc)
		x->summary = x->states + n * s->ssz;
	if (keep_seed)
		x->seed = x->states + (nst - 1) * s->ssz;
	x->visits = (uint32_t *)(void *)(x->states + ((nst * s->ssz + 7) & ~(size_t)7));
	if (s->a.widen)
		x->joins = x->visits + n;
	s->sub[subprog].entered = true;
	*out = s->ctx_cnt++;
	return 0;
}

/*
 * Flow src into the stored state of root block b: join (or widen at a
 * widening point), mark it reached, and queue it when it changed.
 */
static bool root_join(struct df_solver *s, const struct df_ctx *cc, uint32_t b,
		      const void *src, uint32_t from_pc)
{
	uint32_t ci = cc->context;
	struct df_sctx *x = &s->ctx[ci];
	const struct df_blk *xb = &s->blk[b];
	uint8_t *dst = df_root_state(s, x, xb->root);
	bool first = !df_bit(x->reached, xb->root), widen = false, changed;
	struct df_ctx c = *cc;

	c.visit = x->visits[xb->root];
	if (s->o.trace)
		memcpy(s->old, dst, s->ssz);
	if (first) {
		s->a.bottom(&c, dst);
		s->a.join(&c, dst, src);
		df_bit_set(x->reached, xb->root);
		changed = true;
	} else if (xb->widen && x->joins[xb->root] >= s->o.widen_delay) {
		widen = true;
		changed = s->a.widen(&c, dst, src);
	} else {
		changed = s->a.join(&c, dst, src);
	}
	if (x->joins)
		x->joins[xb->root]++;
	if (s->o.trace)
		df_trace_ev(s, &c, widen ? DF_EV_WIDEN : DF_EV_JOIN, b, from_pc,
			    s->cfg->blocks[b].start, first ? NULL : s->old, dst,
			    changed);
	if (changed)
		df_push(s, ci, xb->prio);
	return changed;
}

bool df_root_join(struct df_solver *s, uint32_t ci, uint32_t b,
		  const void *src, uint32_t from_pc)
{
	struct df_ctx c;

	df_ctx_fill(s, ci, &c);
	return root_join(s, &c, b, src, from_pc);
}

/*
 * Make a context start from st: forward at its entry; backward at its
 * exits, every reachable block being visited once at least (as the
 * kernel's liveness visits every instruction).
 */
void df_ctx_seed(struct df_solver *s, uint32_t ci, const void *st)
{
	struct df_sctx *x = &s->ctx[ci];
	const struct df_ssub *ss = &s->sub[x->subprog];
	const struct df_subprog *sp = &s->cfg->subprogs[x->subprog];
	struct df_ctx c;

	if (!s->backward) {
		if (sp->rpo_cnt)
			df_root_join(s, ci, sp->first_block, st, DF_NONE);
		return;
	}
	df_ctx_fill(s, ci, &c);
	for (uint32_t r = 0; r < ss->root_cnt; r++) {
		if (df_bit(x->reached, r))
			continue;
		s->a.bottom(&c, df_root_state(s, x, r));
		df_bit_set(x->reached, r);
		df_push(s, ci, s->blk[s->root_block[ss->root_base + r]].prio);
	}
	for (uint32_t i = 0; st && i < ss->exit_cnt; i++)
		df_root_join(s, ci, s->exit_roots[ss->exit_base + i], st, DF_NONE);
}

/* ------------------------------------------------------------ worklist */

/*
 * Two levels: a min-heap of contexts with pending work (by id), and per
 * context a bitmap of pending roots by priority with a cursor below which
 * no bit is set. Popping takes the lowest priority of the lowest context.
 */
static void heap_up(struct df_solver *s, uint64_t key)
{
	uint32_t i;

	for (i = s->heap_cnt++; i;) {
		uint32_t up = (i - 1) / 2;

		if (s->heap[up] <= key)
			break;
		s->heap[i] = s->heap[up];
		i = up;
	}
	s->heap[i] = key;
}

static void heap_pop(struct df_solver *s)
{
	uint64_t last = s->heap[--s->heap_cnt];
	uint32_t i = 0, n = s->heap_cnt;

	for (;;) {
		uint32_t l = 2 * i + 1, m;

		if (l >= n)
			break;
		m = l + 1 < n && s->heap[l + 1] < s->heap[l] ? l + 1 : l;
		if (s->heap[m] >= last)
			break;
		s->heap[i] = s->heap[m];
		i = m;
	}
	if (n)
		s->heap[i] = last;
}

void df_push(struct df_solver *s, uint32_t ci, uint32_t prio)
{
	struct df_sctx *x = &s->ctx[ci];

	if (df_bit(x->pending, prio))
		return;
	df_bit_set(x->pending, prio);
	if (prio < x->cursor)
		x->cursor = prio;
	if (x->active)
		return;
	if (s->heap_cnt == s->heap_cap) {
		/* in the arena: the old heap stays there, half the size at most */
		uint32_t cap = s->heap_cap ? 2 * s->heap_cap : 64;
		uint64_t *h = df_arena_zalloc(&s->arena, cap * sizeof(*h));

		if (!h) {
			s->err = -ENOMEM;
			return;
		}
		if (s->heap_cnt)
			memcpy(h, s->heap, s->heap_cnt * sizeof(*h));
		s->heap = h;
		s->heap_cap = cap;
	}
	x->active = true;
	heap_up(s, ci);
}

static bool pop(struct df_solver *s, uint32_t *ci, uint32_t *prio)
{
	while (s->heap_cnt) {
		uint32_t c = (uint32_t)s->heap[0];
		struct df_sctx *x = &s->ctx[c];
		uint32_t words = (s->sub[x->subprog].root_cnt + 63) / 64;

		for (uint32_t w = x->cursor / 64; w < words; w++) {
			uint64_t m = x->pending[w];

			if (w == x->cursor / 64)
				m &= ~0ull << (x->cursor % 64);
			if (m) {
				uint32_t p = w * 64 + (uint32_t)__builtin_ctzll(m);

				df_bit_clear(x->pending, p);
				x->cursor = p + 1;
				*ci = c;
				*prio = p;
				return true;
			}
		}
		x->active = false;
		x->cursor = UINT32_MAX;
		heap_pop(s);
	}
	return false;
}

/* ------------------------------------------------------------ segments */

static int budget_out(struct df_solver *s, const struct df_ctx *c, uint32_t b)
{
	if (s->o.trace)
		df_trace_ev(s, c, DF_EV_BUDGET, b, s->cfg->blocks[b].start,
			    s->cfg->blocks[b].start, NULL, NULL, false);
	df_prog_err(s->prog, -1, "analysis '%s' on program '%s': step budget of "
		    "%llu block visits exhausted", s->a.name,
		    s->prog->name ? s->prog->name : "?",
		    (unsigned long long)s->o.max_steps);
	return -E2BIG;
}

/* Flow st from block b into root target f (a flow[] entry). */
static void flow(struct df_solver *s, const struct df_ctx *c, uint32_t b,
		 uint32_t f, const void *st)
{
	uint32_t to = f & ~(1u << 31), from_pc, to_pc;
	enum df_edge_kind kind = f >> 31 ? DF_EDGE_TAKEN : DF_EDGE_FALLTHROUGH;

	from_pc = s->backward ? s->blk[to].last_pc : s->blk[b].last_pc;
	to_pc = s->backward ? s->blk[b].start : s->blk[to].start;
	if (s->a.edge) {
		memcpy(s->tmp, st, s->ssz);
		if (!s->a.edge(c, from_pc, to_pc, kind, s->tmp))
			return;
		st = s->tmp;
	}
	root_join(s, c, to, st, s->backward ? to_pc : from_pc);
}

/*
 * A block's transfers in place, nothing else to do per instruction but
 * saving the states before calls (lv, forward only).
 */
static void plain_block(const struct df_solver *s, const struct df_ctx *c,
			const struct df_blk *xb, uint8_t *cur, struct df_level *lv)
{
	void (*transfer)(const struct df_ctx *, uint32_t, const void *, void *) =
		s->a.transfer;
	const struct df_insn *insns = s->prog->insns;
	uint32_t call = xb->call_idx;

	if (s->backward && s->a.transfer_range) {
		s->a.transfer_range(c, xb->start, s->cfg->blocks[xb - s->blk].end, cur);
		return;
	}
	if (s->backward) {
		for (uint32_t pc = xb->last_pc;; pc = df_prev_pc(s, xb->start, pc)) {
			transfer(c, pc, cur, cur);
			if (pc == xb->start)
				break;
		}
		return;
	}
	if (s->a.transfer_range) {
		const struct df_ssub *ss = &s->sub[c->subprog];
		const uint32_t *cpc = s->call_pc + ss->call_base;
		uint32_t run = xb->start, end = s->cfg->blocks[xb - s->blk].end;

		/* runs between the calls whose state before is saved (the layout lists them) */
		for (uint32_t pc; lv && xb->call && call < ss->call_cnt && (pc = cpc[call]) < end;
		     call++) {
			if (pc > run)
				s->a.transfer_range(c, run, pc, cur);
			memcpy(lv->calls + (size_t)call * s->ssz, cur, s->ssz);
			run = pc;
		}
		s->a.transfer_range(c, run, end, cur);
		return;
	}
	if (!lv || !xb->call) {
		for (uint32_t pc = xb->start; pc <= xb->last_pc; pc += df_insn_slots(&insns[pc]))
			transfer(c, pc, cur, cur);
		return;
	}
	for (uint32_t pc = xb->start; pc <= xb->last_pc; pc += df_insn_slots(&insns[pc])) {
		if (df_is_call(&insns[pc]))
			memcpy(lv->calls + (size_t)call++ * s->ssz, cur, s->ssz);
		transfer(c, pc, cur, cur);
	}
}

/*
 * The same with what may happen per instruction: calls between contexts,
 * tracing, saving the states before calls (lv). False: nothing flows on.
 */
static bool step_block(struct df_solver *s, const struct df_ctx *c,
		       const struct df_blk *xb, struct df_level *lv, uint8_t **cur,
		       uint8_t **nxt)
{
	const struct df_insn *insns = s->prog->insns;
	uint32_t pc = s->backward ? xb->last_pc : xb->start;

	for (uint32_t call = xb->call_idx;;) {
		if (lv && xb->call && df_is_call(&insns[pc]))
			memcpy(lv->calls + (size_t)call++ * s->ssz, *cur, s->ssz);
		if (!df_step_cur(s, c, pc, cur, nxt, false))
			return false;
		if (s->backward) {
			if (pc == xb->start)
				return true;
			pc = df_prev_pc(s, xb->start, pc);
		} else {
			if (pc == xb->last_pc)
				return true;
			pc += df_insn_slots(&insns[pc]);
		}
	}
}

/*
 * Process a segment: its root from the stored state, then each chained
 * block after it (forward) or before it (backward), flowing into the
 * roots they reach.
 */
static int segment(struct df_solver *s, uint32_t ci, uint32_t slot)
{
	struct df_sctx *x = &s->ctx[ci];
	uint32_t b = s->root_block[s->sub[x->subprog].root_base + slot];
	uint32_t entry = s->cfg->subprogs[x->subprog].first_block;
	uint8_t *cur = s->wa, *nxt = s->wb;
	bool bwd = s->backward, plain = !s->interproc && !s->o.trace;
	struct df_level *lv = s->mode == DF_CTX_CALLSITE_DEPTH &&
			      x->depth <= DF_MAX_CALL_FRAMES &&
			      s->lvl[x->depth].saving &&
			      s->lvl[x->depth].ctx == ci ? &s->lvl[x->depth] : NULL;
	struct df_ctx c;

	df_ctx_fill(s, ci, &c);
	c.visit = x->visits[slot]++;
	memcpy(cur, df_root_state(s, x, slot), s->ssz);
	for (;;) {
		const struct df_blk *xb = &s->blk[b];
		uint32_t next = bwd ? b - 1 : b + 1, pc = bwd ? xb->last_pc : xb->start;

		if (s->steps++ >= s->o.max_steps) {
			s->steps--;
			return budget_out(s, &c, b);
		}
		if (s->o.trace)
			df_trace_ev(s, &c, DF_EV_VISIT, b, pc, pc, NULL, cur, false);
		/* the ends of the states this block flows into, while its transfers run */
		for (uint32_t i = xb->flow; i < xb[1].flow; i++) {
			uint32_t to = s->flow[i] & ~(1u << 31);
			const uint8_t *t = df_root_state(s, x, s->blk[to].root);

			__builtin_prefetch(t, 1);
			__builtin_prefetch(t + s->ssz - 1, 1);
		}
		if (plain)
			plain_block(s, &c, xb, cur, lv);
		else if (!step_block(s, &c, xb, lv, &cur, &nxt))
			return s->err;
		if (s->interproc && (bwd ? b == entry : xb->exit))
			df_summary_join(s, ci, cur);
		for (uint32_t i = xb->flow; i < xb[1].flow; i++)
			flow(s, &c, b, s->flow[i], cur);
		if (s->err)
			return s->err;
		if ((bwd && b == 0) || s->blk[next].kind != DF_BLK_CHAIN)
			return 0;
		if (s->a.edge && !s->a.edge(&c, bwd ? s->blk[next].last_pc : xb->last_pc,
					    bwd ? xb->start : s->blk[next].start,
					    DF_EDGE_FALLTHROUGH, cur))
			return 0;
		b = next;
	}
}

int df_drain(struct df_solver *s)
{
	uint32_t ci, prio;

	while (!s->err && pop(s, &ci, &prio)) {
		struct df_sctx *x = &s->ctx[ci];
		uint32_t slot = s->prio_root[s->sub[x->subprog].root_base + prio];
		int err;

		s->cur_prio = prio;
		err = segment(s, ci, slot);
		if (err)
			return err;
	}
	return s->err;
}

/* Join src into dst, or copy it when dst holds nothing yet. */
void df_copy_or(const struct df_solver *s, const struct df_ctx *c, void *dst,
		const void *src, bool *have)
{
	if (*have) {
		s->a.join(c, dst, src);
	} else {
		memcpy(dst, src, s->ssz);
		*have = true;
	}
}

/* ------------------------------------------------------------ drivers */

void df_converged(struct df_solver *s, uint32_t ci)
{
	struct df_ctx c;

	if (!s->o.trace)
		return;
	df_ctx_fill(s, ci, &c);
	df_trace_ev(s, &c, DF_EV_CONVERGED, s->cfg->subprogs[c.subprog].first_block,
		    s->cfg->subprogs[c.subprog].start, DF_NONE, NULL, NULL, false);
}

void df_boundary(struct df_solver *s, uint32_t ci, void *st)
{
	struct df_ctx c;

	df_ctx_fill(s, ci, &c);
	s->a.boundary(&c, st);
}

/* Subprograms analysed from boundary(): see docs/engine.md. */
static void mark_seeded(struct df_solver *s)
{
	const struct df_cfg *g = s->cfg;

	for (uint32_t i = 0; i < g->subprog_cnt; i++)
		s->sub[i].seeded = i == 0 || s->mode == DF_CTX_NONE ||
				   g->subprogs[i].linkage == DF_LINKAGE_GLOBAL;
	if (s->mode == DF_CTX_NONE)
		return;
	for (uint32_t i = 1; i < g->subprog_cnt; i++) {
		bool called = false;

		for (uint32_t k = 0; k < g->call_cnt && !called; k++)
			called = g->calls[k].callee == i && !g->calls[k].callback;
		if (!called)
			s->sub[i].seeded = true;
	}
}

static int solve_flat(struct df_solver *s)
{
	const struct df_cfg *g = s->cfg;
	uint32_t ci;
	int err;

	mark_seeded(s);
	for (uint32_t i = 0; i < g->subprog_cnt; i++) {
		if (s->mode == DF_CTX_CALLSTRING && !s->sub[i].seeded)
			continue;
		err = df_ctx_new(s, i, 0, g->subprogs[i].start, DF_NONE, &ci);
		if (err)
			return err;
	}
	for (ci = 0; ci < s->ctx_cnt; ci++) {
		uint32_t sub = s->ctx[ci].subprog;

		if (s->sub[sub].seeded) {
			df_boundary(s, ci, s->acc);
			df_ctx_seed(s, ci, s->acc);
		} else if (s->backward) {
			df_ctx_seed(s, ci, NULL);
		}
		if (s->err)
			return s->err;
		if (s->mode == DF_CTX_NONE) {
			err = df_drain(s);
			if (err)
				return err;
			df_converged(s, ci);
		}
	}
	if (s->mode == DF_CTX_NONE)
		return 0;
	err = df_drain(s);
	if (err)
		return err;
	for (ci = 0; ci < s->ctx_cnt; ci++)
		df_converged(s, ci);
	return 0;
}

int df_solve(struct df_solver *s)
{
	int err;

	if (!s)
		return -EINVAL;
	if (s->solved)
		return s->err;
	s->solved = true;
	if (s->mode == DF_CTX_CALLSITE_DEPTH)
		err = df_solve_callsite_depth(s);
	else
		err = solve_flat(s);
	s->err = err;
	return err;
}

