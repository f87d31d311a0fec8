// SPDX-License-Identifier: BSD-2-Clause
/*
 * Reading a solved analysis: per-instruction states in program order,
 * recomputed from the stored state of the instruction's segment
 * (docs/engine.md, "Storage"), and the list of contexts.
 */
#include "engine_int.h"

uint32_t df_solver_context_cnt(const struct df_solver *s)
{
	return s ? s->ctx_cnt : 0;
}

int df_solver_context(const struct df_solver *s, uint32_t context,
		      struct df_context_info *out)
{
	const struct df_sctx *x;

	if (!s || !out || context >= s->ctx_cnt)
		return -EINVAL;
	x = &s->ctx[context];
	memset(out, 0, sizeof(*out));
	out->subprog = x->subprog;
	out->depth = x->depth;
	out->callsite = x->callsite;
	out->parent = x->parent;
	out->variant = x->variant;
	out->chain_len = x->chain_len;
	memcpy(out->chain, x->chain, sizeof(out->chain));
	return 0;
}

/* Scratch for a query: the solver's own, or fresh when it is in use. */
struct qbuf {
	uint8_t *p[4];
	bool own;
};

static int qbuf_get(struct df_solver *s, struct qbuf *q)
{
	if (!s->q_busy) {
		s->q_busy = true;
		memcpy(q->p, s->q, sizeof(q->p));
		q->own = false;
		return 0;
	}
	q->p[0] = malloc(4 * s->ssz);
	if (!q->p[0])
		return -ENOMEM;
	for (int i = 1; i < 4; i++)
		q->p[i] = q->p[0] + i * s->ssz;
	q->own = true;
	return 0;
}

static void qbuf_put(struct df_solver *s, struct qbuf *q)
{
	if (q->own)
		free(q->p[0]);
	else
		s->q_busy = false;
}

static int check_pc(const struct df_solver *s, uint32_t ci, uint32_t pc)
{
	const struct df_subprog *sp;

	if (!s || ci >= s->ctx_cnt)
		return -EINVAL;
	sp = &s->cfg->subprogs[s->ctx[ci].subprog];
	if (pc < sp->start || pc >= sp->end)
		return -EINVAL;
	if (pc > sp->start && df_insn_is_ldimm64(&s->prog->insns[pc - 1]) &&
	    s->cfg->blocks[s->cfg->block_of[pc]].start != pc)
		return -EINVAL;
	return 0;
}

/*
 * States around pc in program order: before and after (either may be
 * NULL). Replays the segment from its stored state.
 */
static int replay(struct df_solver *s, uint32_t ci, uint32_t pc, void *before,
		  void *after, struct qbuf *q)
{
	const struct df_cfg *g = s->cfg;
	const struct df_sctx *x = &s->ctx[ci];
	uint32_t b = g->block_of[pc], r = b;
	uint8_t *cur = q->p[0], *nxt = q->p[1];
	struct df_ctx c;

	if (s->blk[b].kind == DF_BLK_DEAD)
		return -ENOENT;
	while (s->blk[r].kind == DF_BLK_CHAIN)
		r += s->backward ? 1 : -1;
	if (!df_bit(x->reached, s->blk[r].root))
		return -ENOENT;
	df_ctx_fill(s, ci, &c);
	memcpy(cur, df_root_state(s, x, s->blk[r].root), s->ssz);
	for (;; r += s->backward ? -1 : 1) {
		const struct df_block *bk = &g->blocks[r];
		uint32_t lp = s->blk[r].last_pc;

		if (!s->backward) {
			for (uint32_t p = bk->start; p < bk->end;
			     p += df_insn_slots(&s->prog->insns[p])) {
				if (p == pc) {
					if (before)
						memcpy(before, cur, s->ssz);
					if (after && !df_step(s, &c, p, cur, nxt, true))
						return -ENOENT;
					if (after)
						memcpy(after, nxt, s->ssz);
					return 0;
				}
				if (!df_step_cur(s, &c, p, &cur, &nxt, true))
					return -ENOENT;
			}
			if (s->a.edge && !s->a.edge(&c, lp, g->blocks[r + 1].start,
						    DF_EDGE_FALLTHROUGH, cur))
				return -ENOENT;
			continue;
		}
		for (uint32_t p = lp;; p = df_prev_pc(s, bk->start, p)) {
			if (p == pc) {
				if (after)
					memcpy(after, cur, s->ssz);
				if (before && !df_step(s, &c, p, cur, nxt, true))
					return -ENOENT;
				if (before)
					memcpy(before, nxt, s->ssz);
				return 0;
			}
			if (!df_step_cur(s, &c, p, &cur, &nxt, true))
				return -ENOENT;
			if (p == bk->start)
				break;
		}
		if (s->a.edge && !s->a.edge(&c, s->blk[r - 1].last_pc, bk->start,
					    DF_EDGE_FALLTHROUGH, cur))
			return -ENOENT;
	}
}

static int query(const struct df_solver *cs, uint32_t ci, uint32_t pc,
		 void *before, void *after)
{
	struct df_solver *s = (struct df_solver *)cs;
	struct qbuf q;
	int err = check_pc(s, ci, pc);

	if (err)
		return err;
	if (!s->solved || s->err)
		return -ENOENT;
	err = qbuf_get(s, &q);
	if (err)
		return err;
	err = replay(s, ci, pc, before, after, &q);
	qbuf_put(s, &q);
	return err;
}

int df_state_before(const struct df_solver *s, uint32_t context, uint32_t pc,
		    void *out)
{
	return out ? query(s, context, pc, out, NULL) : -EINVAL;
}

int df_state_after(const struct df_solver *s, uint32_t context, uint32_t pc,
		   void *out)
{
	return out ? query(s, context, pc, NULL, out) : -EINVAL;
}

/* ------------------------------------------------------------ walk */

static int walk_fwd(struct df_solver *s, uint32_t ci, df_walk_fn fn,
		    void *cookie, uint8_t *cur, uint8_t *nxt)
{
	const struct df_cfg *g = s->cfg;
	const struct df_subprog *sp = &g->subprogs[s->ctx[ci].subprog];
	bool valid = false;
	struct df_ctx c;
	uint8_t *t;
	int err;

	df_ctx_fill(s, ci, &c);
	for (uint32_t b = sp->first_block; b < sp->first_block + sp->block_cnt; b++) {
		const struct df_block *bk = &g->blocks[b];
		const struct df_blk *xb = &s->blk[b];

		if (xb->kind == DF_BLK_DEAD) {
			valid = false;
			continue;
		}
		if (xb->kind == DF_BLK_ROOT) {
			valid = df_bit(s->ctx[ci].reached, xb->root);
			if (valid)
				memcpy(cur, df_root_state(s, &s->ctx[ci], xb->root), s->ssz);
		}
		for (uint32_t pc = bk->start; valid && pc < bk->end;
		     pc += df_insn_slots(&s->prog->insns[pc])) {
			valid = df_step(s, &c, pc, cur, nxt, true);
			err = fn(cookie, &c, pc, cur, valid ? nxt : NULL);
			if (err)
				return err;
			t = cur;
			cur = nxt;
			nxt = t;
		}
		if (valid && b + 1 < sp->first_block + sp->block_cnt &&
		    s->blk[b + 1].kind == DF_BLK_CHAIN && s->a.edge)
			valid = s->a.edge(&c, xb->last_pc, g->blocks[b + 1].start,
					  DF_EDGE_FALLTHROUGH, cur);
	}
	return 0;
}

struct seg {
	uint8_t *st;		/* 2 states per instruction: before, after */
	uint32_t *pc;
	bool *ok;		/* before is reached */
};

/* Room for the longest segment of the subprogram: all its instructions. */
static int seg_alloc(struct seg *g, const struct df_cfg *cfg, const struct df_subprog *sp,
		     size_t ssz)
{
	size_t n = 0, al = _Alignof(max_align_t), pcs;

	for (uint32_t b = sp->first_block; b < sp->first_block + sp->block_cnt; b++)
		n += cfg->blocks[b].end - cfg->blocks[b].start;
	pcs = (2 * n * ssz + al - 1) / al * al;

	g->st = malloc(pcs + n * (sizeof(*g->pc) + sizeof(*g->ok)));
	if (!g->st)
		return -ENOMEM;
	g->pc = (uint32_t *)(g->st + pcs);
	g->ok = (bool *)(g->pc + n);
	return 0;
}

/*
 * Backward: each segment [lo, root] is computed from the root down. With
 * sg, its steps are kept and visited upwards, in program order; without,
 * each is visited as it is computed.
 */
static int walk_bwd(struct df_solver *s, uint32_t ci, df_walk_fn fn,
		    void *cookie, uint8_t *cur, uint8_t *nxt, struct seg *sg)
{
	const struct df_cfg *g = s->cfg;
	const struct df_subprog *sp = &g->subprogs[s->ctx[ci].subprog];
	uint32_t lo = sp->first_block, end = sp->first_block + sp->block_cnt;
	struct df_ctx c;
	int err = 0;

	df_ctx_fill(s, ci, &c);
	for (uint32_t r = sp->first_block; !err && r < end; r++) {
		const struct df_blk *xr = &s->blk[r];
		uint32_t n = 0, k, stop;
		uint8_t *t;

		if (xr->kind == DF_BLK_DEAD)
			lo = r + 1;
		if (xr->kind != DF_BLK_ROOT)
			continue;
		stop = lo;
		lo = r + 1;
		if (!df_bit(s->ctx[ci].reached, xr->root))
			continue;
		for (uint32_t b = stop; sg && b <= r; b++)
			n += g->blocks[b].end - g->blocks[b].start;
		if (sg && !sg->st) {
			err = seg_alloc(sg, g, sp, s->ssz);
			if (err)
				break;
		}
		k = n;
		memcpy(cur, df_root_state(s, &s->ctx[ci], xr->root), s->ssz);
		for (uint32_t b = r + 1; !err && b-- > stop;) {
			const struct df_block *bk = &g->blocks[b];
			bool ok = true;

			for (uint32_t pc = s->blk[b].last_pc; ok;
			     pc = df_prev_pc(s, bk->start, pc)) {
				ok = df_step(s, &c, pc, cur, nxt, true);
				if (sg) {
					k--;
					sg->pc[k] = pc;
					sg->ok[k] = ok;
					memcpy(sg->st + (2 * (size_t)k + 1) * s->ssz, cur, s->ssz);
					memcpy(sg->st + 2 * (size_t)k * s->ssz, nxt, s->ssz);
				} else {
					err = fn(cookie, &c, pc, ok ? nxt : NULL, cur);
					if (err)
						break;
				}
				t = cur;
				cur = nxt;
				nxt = t;
				if (pc == bk->start)
					break;
			}
			if (err || !ok || (b > stop && s->a.edge &&
					   !s->a.edge(&c, s->blk[b - 1].last_pc, bk->start,
						      DF_EDGE_FALLTHROUGH, cur)))
				break;
		}
		for (; !err && k < n; k++)
			err = fn(cookie, &c, sg->pc[k],
				 sg->ok[k] ? sg->st + 2 * (size_t)k * s->ssz : NULL,
				 sg->st + (2 * (size_t)k + 1) * s->ssz);
	}
	return err;
}

static int walk(const struct df_solver *cs, uint32_t context, df_walk_fn fn, void *cookie,
		bool ordered)
{
	struct df_solver *s = (struct df_solver *)cs;
	/* two states of the common small sizes live here, others on the heap */
	union {
		max_align_t align;
		uint8_t b[256];
	} local;
	uint8_t *buf;
	int err;

	if (!s || !fn || context >= s->ctx_cnt)
		return -EINVAL;
	if (!s->solved || s->err)
		return -ENOENT;
	buf = 2 * s->ssz <= sizeof(local.b) ? local.b : malloc(2 * s->ssz);
	if (!buf)
		return -ENOMEM;
	if (s->backward) {
		struct seg sg = { 0 };

		err = walk_bwd(s, context, fn, cookie, buf, buf + s->ssz, ordered ? &sg : NULL);
		free(sg.st);
	} else {
		err = walk_fwd(s, context, fn, cookie, buf, buf + s->ssz);
	}
	if (buf != local.b)
		free(buf);
	return err;
}

int df_solver_walk(const struct df_solver *s, uint32_t context, df_walk_fn fn, void *cookie)
{
	return walk(s, context, fn, cookie, true);
}

int df_solver_walk_any(const struct df_solver *s, uint32_t context, df_walk_fn fn,
		       void *cookie)
{
	return walk(s, context, fn, cookie, false);
}
