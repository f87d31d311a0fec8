// SPDX-License-Identifier: BSD-2-Clause
/*
 * Which blocks store their state (roots), which are recomputed from their
 * neighbour (chains), worklist priorities and the flow lists the solver
 * follows between roots. docs/engine.md, "Storage".
 */
#include "engine_int.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* ------------------------------------------------------------ layout */

/* The first call instruction in [pc, end), or end; eight slots at a time where it can. */
static uint32_t next_call(const struct df_insn *insns, uint32_t pc, uint32_t end)
{
#ifdef __SSE2__
	const __m128i call = _mm_set1_epi8((char)(DF_JMP | DF_CALL));
	/* the opcode is the first byte of each slot */
	const __m128i code = _mm_set_epi8(0, 0, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, -1);

	_Static_assert(sizeof(struct df_insn) == 8, "eight slots in 64 bytes");
	for (; pc + 8 <= end; pc += 8) {
		const __m128i *v = (const __m128i *)(const void *)&insns[pc];
		__m128i m = _mm_or_si128(
			_mm_or_si128(_mm_cmpeq_epi8(_mm_loadu_si128(v), call),
				     _mm_cmpeq_epi8(_mm_loadu_si128(v + 1), call)),
			_mm_or_si128(_mm_cmpeq_epi8(_mm_loadu_si128(v + 2), call),
				     _mm_cmpeq_epi8(_mm_loadu_si128(v + 3), call)));

		if (_mm_movemask_epi8(_mm_and_si128(m, code)))
			break;
	}
#endif
	for (; pc < end; pc++)
		if (df_is_call(&insns[pc]))
			return pc;
	return end;
}

static uint32_t last_pc(const struct df_prog *p, const struct df_block *b)
{
	if (b->end - b->start >= 2 && df_insn_is_ldimm64(&p->insns[b->end - 2]))
		return b->end - 2;
	return b->end - 1;
}

static bool intra(const struct df_edge *e)
{
	return e->kind == DF_EDGE_FALLTHROUGH || e->kind == DF_EDGE_TAKEN;
}

/*
 * Which blocks store their in-state (docs/engine.md, "Storage"). cnt[b]
 * counts b's incoming flows in the analysis direction, one[b] is one of
 * them.
 */
static void classify(struct df_solver *s, const struct df_subprog *sp,
		     const uint32_t *cnt, const uint32_t *one)
{
	const struct df_cfg *g = s->cfg;
	uint32_t first = sp->first_block, end = first + sp->block_cnt;
	uint32_t clen = 0;

	for (uint32_t k = 0; k < sp->block_cnt; k++) {
		uint32_t b = s->backward ? end - 1 - k : first + k;
		const struct df_block *bk = &g->blocks[b];
		struct df_blk *x = &s->blk[b];
		uint32_t len = bk->end - bk->start;
		const struct df_edge *e;
		bool root;

		if (!bk->reachable) {
			x->kind = DF_BLK_DEAD;
			clen = 0;
			continue;
		}
		e = cnt[b] == 1 ? &g->edges[one[b]] : NULL;
		root = b == first || x->widen || !e ||
		       e->kind != DF_EDGE_FALLTHROUGH ||
		       (s->backward ? e->to != b + 1 : e->from != b - 1) ||
		       clen + len > DF_CHAIN_LIMIT;
		x->kind = root ? DF_BLK_ROOT : DF_BLK_CHAIN;
		clen = root ? len : clen + len;
	}
}

/* Per block, the root blocks its out-state flows into (bit 31: a taken edge). */
static int flows(struct df_solver *s)
{
	const struct df_cfg *g = s->cfg;
	uint32_t n = 0;

	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t i = 0; i < g->edge_cnt; i++) {
			const struct df_edge *e = &g->edges[i];
			uint32_t src = s->backward ? e->to : e->from;
			uint32_t dst = s->backward ? e->from : e->to;

			if (!intra(e) || s->blk[e->from].kind == DF_BLK_DEAD ||
			    s->blk[dst].kind == DF_BLK_CHAIN)
				continue;
			if (!pass)
				s->blk[src].flow++;
			else
				s->flow[s->blk[src].flow++] = dst |
					(uint32_t)(e->kind == DF_EDGE_TAKEN) << 31;
		}
		if (pass)
			break;
		for (uint32_t b = 0; b <= g->block_cnt; b++) {
			uint32_t c = s->blk[b].flow;

			s->blk[b].flow = n;
			n += c;
		}
		s->flow = df_arena_zalloc(&s->arena, (n + 1) * sizeof(*s->flow));
		if (!s->flow)
			return -ENOMEM;
	}
	/* the fill advanced each start to the next block's */
	for (uint32_t b = g->block_cnt; b-- > 0;)
		s->blk[b + 1].flow = s->blk[b].flow;
	s->blk[0].flow = 0;
	return 0;
}

int df_layout(struct df_solver *s)
{
	const struct df_cfg *g = s->cfg;
	const struct df_prog *p = s->prog;
	uint32_t nexit = 0, slot, ex, calls = 0, *cnt, *one, *ncall, *fcall;
	bool calls_used = s->mode == DF_CTX_CALLSITE_DEPTH;

	size_t nb = (size_t)g->block_cnt + 1, ns = g->subprog_cnt ? g->subprog_cnt : 1;

	_Static_assert(_Alignof(struct df_blk) <= 4 && _Alignof(struct df_ssub) <= 4,
		       "blk[], sub[] and the counts share one piece");
	s->blk = df_arena_zalloc(&s->arena, nb * sizeof(*s->blk) + ns * sizeof(*s->sub) +
				 4 * nb * sizeof(*cnt));
	if (!s->blk)
		return -ENOMEM;
	s->sub = (struct df_ssub *)(s->blk + nb);
	cnt = (uint32_t *)(s->sub + ns);
	one = cnt + g->block_cnt + 1;
	ncall = one + g->block_cnt + 1;
	fcall = ncall + g->block_cnt + 1;	/* the first call of a block */
	for (uint32_t b = 0; b < g->block_cnt; b++) {
		const struct df_block *bk = &g->blocks[b];
		struct df_blk *x = &s->blk[b];

		/* the ends of blocks are far apart: their instructions would miss the cache */
		if (b + 16 < g->block_cnt)
			__builtin_prefetch(&p->insns[g->blocks[b + 16].end - 1]);
		x->start = bk->start;
		x->last_pc = last_pc(p, bk);
		x->exit = df_insn_is_exit(&p->insns[x->last_pc]);
		x->root = DF_NONE;
		/*
		 * Only the callsite-depth descent reads the calls, those of
		 * reachable (not DF_BLK_DEAD) blocks in program order. A checked
		 * program's second ld_imm64 slots have code 0: no call.
		 */
		for (uint32_t pc = bk->start; calls_used; pc++) {
			pc = next_call(p->insns, pc, bk->end);
			if (pc >= bk->end)
				break;
			if (!ncall[b]++)
				fcall[b] = pc;
		}
		if (bk->reachable)
			calls += ncall[b];
		x->call = ncall[b] != 0;
	}
	for (uint32_t i = 0; i < g->edge_cnt; i++) {
		const struct df_edge *e = &g->edges[i];
		uint32_t k = s->backward ? e->from : e->to;

		if (!intra(e) || !g->blocks[e->from].reachable)
			continue;
		cnt[k]++;
		one[k] = i;
		if (e->back && s->a.widen)
			s->blk[s->backward ? e->from : e->to].widen = true;
	}
	for (uint32_t i = 0; i < g->subprog_cnt; i++)
		classify(s, &g->subprogs[i], cnt, one);

	for (uint32_t b = 0; b < g->block_cnt; b++) {
		if (s->blk[b].kind == DF_BLK_ROOT)
			s->root_total++;
		if (s->blk[b].kind == DF_BLK_ROOT && s->blk[b].exit)
			nexit++;
	}
	s->root_block = df_arena_zalloc(&s->arena, (2 * ((size_t)s->root_total + 1) + nexit + 1 +
						    calls + 1) * sizeof(uint32_t));
	if (!s->root_block)
		return -ENOMEM;
	s->prio_root = s->root_block + s->root_total + 1;
	s->exit_roots = s->prio_root + s->root_total + 1;
	s->call_pc = s->exit_roots + nexit + 1;
	for (uint32_t b = 0, k = 0; k < calls; b++) {
		const struct df_block *bk = &g->blocks[b];

		if (!ncall[b] || !bk->reachable)
			continue;
		s->call_pc[k++] = fcall[b];
		for (uint32_t pc = fcall[b] + 1, n = 1; n < ncall[b]; pc++, n++)
			s->call_pc[k++] = pc = next_call(p->insns, pc, bk->end);
	}
	slot = 0;
	ex = 0;
	calls = 0;
	for (uint32_t i = 0; i < g->subprog_cnt; i++) {
		const struct df_subprog *sp = &g->subprogs[i];
		struct df_ssub *ss = &s->sub[i];
		uint32_t prio = 0;

		ss->root_base = slot;
		ss->exit_base = ex;
		ss->call_base = calls;
		ss->entry_flows = !sp->rpo_cnt || cnt[sp->first_block];
		for (uint32_t b = sp->first_block; b < sp->first_block + sp->block_cnt; b++) {
			s->blk[b].call_idx = ss->call_cnt;
			if (s->blk[b].kind == DF_BLK_DEAD || !ncall[b])
				continue;
			ss->call_cnt += ncall[b];
			calls += ncall[b];
		}
		for (uint32_t b = sp->first_block; b < sp->first_block + sp->block_cnt; b++) {
			if (s->blk[b].kind != DF_BLK_ROOT)
				continue;
			s->blk[b].root = slot - ss->root_base;
			s->root_block[slot++] = b;
			if (s->blk[b].exit)
				s->exit_roots[ex++] = b;
		}
		ss->root_cnt = slot - ss->root_base;
		ss->exit_cnt = ex - ss->exit_base;
		for (uint32_t k = 0; k < sp->rpo_cnt; k++) {
			uint32_t b = sp->rpo[s->backward ? sp->rpo_cnt - 1 - k : k];

			if (s->blk[b].kind != DF_BLK_ROOT)
				continue;
			s->blk[b].prio = prio;
			s->prio_root[ss->root_base + prio++] = s->blk[b].root;
		}
	}
	return flows(s);
}
