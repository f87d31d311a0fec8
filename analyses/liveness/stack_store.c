/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * How the stack liveness stores an instance's frame: its records, packed,
 * and live sets at every DF_LIVE_EVERY-th record and after each block;
 * the per-frame fixpoint and the queries on that storage.
 *
 * A recorded mask is almost always one run of halves (an access of one
 * offset), so a record keeps each of its two masks as a run (first and
 * last half) and only the others in a per-frame table: 12 bytes a record
 * instead of 36. live_before at a record is the fold, backwards, of the
 * records between it and the next checkpoint of its block (or the block's
 * end), so a query folds at most DF_LIVE_EVERY - 1 records. Memory is what
 * bounds the speed of the benchmark program (docs/bench.md): every page the
 * analysis touches costs a page fault.
 */
#include "stack_int.h"
#include "stack_priv.h"
#include "internal.h"

#define BELOW64(n)	((n) >= 64 ? ~0ull : (1ull << ((n) & 63)) - 1)
#define BELOW(n)	{ { BELOW64(n), (n) <= 64 ? 0 : BELOW64((n) - 64) } }
#define BELOW4(n)	BELOW(n), BELOW((n) + 1), BELOW((n) + 2), BELOW((n) + 3)
#define BELOW16(n)	BELOW4(n), BELOW4((n) + 4), BELOW4((n) + 8), BELOW4((n) + 12)
#define BELOW64X(n)	BELOW16(n), BELOW16((n) + 16), BELOW16((n) + 32), BELOW16((n) + 48)

const struct df_halves df_halves_below[DF_HALVES + 1] = {
	BELOW64X(0), BELOW64X(64), BELOW(128)
};

/* A new table entry for h, a mask that is not one run. */
static __attribute__((noinline)) int mask_table(struct df_stack_recs *s, uint32_t *cap,
						const struct df_halves *h, uint32_t *out)
{
	if (s->mask_cnt == *cap) {
		uint32_t c = *cap ? 2 * *cap : 8;
		struct df_halves *m = realloc(s->mask, c * sizeof(*m));

		if (!m)
			return -ENOMEM;
		s->mask = m;
		*cap = c;
	}
	s->mask[s->mask_cnt] = *h;
	*out = DF_MASK_TABLE | s->mask_cnt++;
	return 0;
}

/* The code of a mask: 0 empty, a run, or a new table entry. */
static inline int mask_put(struct df_stack_recs *s, uint32_t *cap, const struct df_halves *h,
			   uint32_t *out)
{
	uint64_t w0 = h->w[0], w1 = h->w[1];
	const struct df_halves *a, *b;
	uint32_t lo, hi;

	if (!(w0 | w1)) {
		*out = 0;
		return 0;
	}
	lo = w0 ? (uint32_t)__builtin_ctzll(w0) : 64 + (uint32_t)__builtin_ctzll(w1);
	hi = w1 ? 127 - (uint32_t)__builtin_clzll(w1) : 63 - (uint32_t)__builtin_clzll(w0);
	/* one run when it equals the halves [lo, hi] */
	a = &df_halves_below[hi + 1];
	b = &df_halves_below[lo];
	if (w0 != (a->w[0] & ~b->w[0]) || w1 != (a->w[1] & ~b->w[1]))
		return mask_table(s, cap, h, out);
	*out = DF_MASK_RUN | lo | hi << 8;
	return 0;
}

int df_recs_pack(struct df_stack_recs *s, const struct df_stack_rec *r, uint32_t n,
		 struct df_arena *arena)
{
	uint32_t cap = 0;

	memset(s, 0, sizeof(*s));
	if (!n)
		return 0;
	s->rec = df_arena_zalloc(arena, n * sizeof(*s->rec));
	if (!s->rec)
		return -ENOMEM;
	s->cnt = n;
	for (uint32_t i = 0; i < n; i++) {
		s->rec[i].pc = r[i].pc;
		if (mask_put(s, &cap, &r[i].may_read, &s->rec[i].rd) ||
		    mask_put(s, &cap, &r[i].must_write, &s->rec[i].wr)) {
			df_recs_free(s);
			return -ENOMEM;
		}
	}
	if (s->mask_cnt < cap) {
		struct df_halves *m = realloc(s->mask, s->mask_cnt * sizeof(*m));

		if (m)
			s->mask = m;
	}
	return 0;
}

struct df_stack_rec *df_recs_unpack(const struct df_stack_recs *s)
{
	struct df_stack_rec *r = malloc((s->cnt ? s->cnt : 1) * sizeof(*r));

	for (uint32_t i = 0; r && i < s->cnt; i++) {
		r[i].pc = s->rec[i].pc;
		r[i].may_read = df_mask_get(s, s->rec[i].rd);
		r[i].must_write = df_mask_get(s, s->rec[i].wr);
	}
	return r;
}

void df_recs_free(struct df_stack_recs *s)
{
	free(s->mask);
	memset(s, 0, sizeof(*s));
}

/* Index of the first record at or after pc. */
static uint32_t lower_bound(const struct df_stack_recs *s, uint32_t pc)
{
	uint32_t lo = 0, hi = s->cnt;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (s->rec[mid].pc < pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct df_stack_crec *df_stack_rec_at(const struct df_stack_recs *s, uint32_t pc)
{
	uint32_t i = lower_bound(s, pc);

	return i < s->cnt && s->rec[i].pc == pc ? &s->rec[i] : NULL;
}

/* live := may_read | (live & ~must_write) of record r. */
static inline void fold(const struct df_stack_recs *s, const struct df_stack_crec *r,
			struct df_halves *live)
{
	struct df_halves u = df_mask_get(s, r->rd), d = df_mask_get(s, r->wr);

	for (int w = 0; w < 2; w++)
		live->w[w] = (live->w[w] & ~d.w[w]) | u.w[w];
}

/* The same on an unpacked record. */
static inline void fold_full(const struct df_stack_rec *m, struct df_halves *live)
{
	for (int w = 0; w < 2; w++)
		live->w[w] = (live->w[w] & ~m->must_write.w[w]) | m->may_read.w[w];
}

/*
 * live_before at record r of block b (records r.. of the block up to its
 * end at pc end): from the first checkpoint at or after r inside the block,
 * else from the live set after the block.
 */
static struct df_halves live_at_rec(const struct df_stack_frame *fr, uint32_t r,
				    uint32_t end, const struct df_halves *out)
{
	const struct df_stack_recs *s = &fr->r;
	uint32_t c = (r + DF_LIVE_EVERY - 1) / DF_LIVE_EVERY * DF_LIVE_EVERY, k;
	struct df_halves cur;

	if (c < s->cnt && s->rec[c].pc < end) {
		cur = fr->live[c / DF_LIVE_EVERY];
		k = c;
	} else {
		cur = *out;
		for (k = r; k < s->cnt && s->rec[k].pc < end; k++)
			;
	}
	while (k-- > r)
		fold(s, &s->rec[k], &cur);
	return cur;
}

static void live_query(const struct df_stack_priv *p, const struct df_stack_inst *in,
		       uint32_t f, uint32_t pc, struct df_halves *out)
{
	const struct df_subprog *sp = &p->cfg->subprogs[in->subprog];
	const struct df_stack_frame *fr;
	uint32_t b, r, end;

	*out = (struct df_halves){ { 0, 0 } };
	if (f > in->depth || !in->fr[f].r.cnt || pc < sp->start || pc >= sp->end)
		return;
	fr = &in->fr[f];
	b = p->cfg->block_of[pc];
	/* unreached instructions and second ld_imm64 slots have no live set */
	if (!p->cfg->blocks[b].reachable ||
	    (pc > sp->start && df_insn_is_ldimm64(&p->prog->insns[pc - 1])))
		return;
	end = p->cfg->blocks[b].end;
	r = lower_bound(&fr->r, pc);
	if (r < fr->r.cnt && fr->r.rec[r].pc < end)
		*out = live_at_rec(fr, r, end, &fr->out[b - sp->first_block]);
	else
		*out = fr->out[b - sp->first_block];
}

void df_stack_live(const struct df_stack_priv *p, const struct df_stack_inst *in,
		   uint32_t f, uint32_t pc, struct df_halves *out)
{
	uint32_t h;

	if (!p->cache) {
		live_query(p, in, f, pc, out);
		return;
	}
	h = (uint32_t)(((uintptr_t)in / sizeof(*in) * 31 + f) * 0x9e3779b1u ^ pc * 0x85ebca6bu);
	h = (h ^ h >> 16) % DF_LIVE_CACHE;
	if (p->cache->e[h].in != in || p->cache->e[h].f != f || p->cache->e[h].pc != pc) {
		live_query(p, in, f, pc, &p->cache->e[h].live);
		p->cache->e[h].in = in;
		p->cache->e[h].f = f;
		p->cache->e[h].pc = pc;
	}
	*out = p->cache->e[h].live;
}

/* live_before at pc in block b (relative): its entry set or a fold of its records. */
static struct df_halves live_in(const struct df_stack_priv *p, const struct df_stack_rec *rec,
				const struct df_stack_frame *fr, uint32_t first_block,
				uint32_t pc)
{
	uint32_t b = p->cfg->block_of[pc] - first_block, r = p->blk_first[b];
	struct df_halves cur = fr->out[b];

	if (pc == p->cfg->blocks[first_block + b].start)
		return p->blk_in[b];
	while (r < p->blk_first[b + 1] && rec[r].pc < pc)
		r++;
	for (uint32_t k = p->blk_first[b + 1]; k-- > r;)
		fold_full(&rec[k], &cur);
	return cur;
}

int df_stack_update_frame(struct df_stack_priv *p, const struct df_subprog *sp,
			  const struct df_stack_sub *ss, const struct df_stack_rec *rec,
			  uint32_t cnt, struct df_stack_frame *fr)
{
	uint32_t nb = sp->block_cnt, j = 0, pending = sp->rpo_cnt;

	fr->live = df_arena_zalloc(&p->arena, ((cnt + DF_LIVE_EVERY - 1) / DF_LIVE_EVERY + 1) *
				   sizeof(*fr->live));
	fr->out = df_arena_zalloc(&p->arena, (nb ? nb : 1) * sizeof(*fr->out));
	if (!fr->live || !fr->out)
		return -ENOMEM;
	for (uint32_t b = 0; b < nb; b++) {
		uint32_t start = p->cfg->blocks[sp->first_block + b].start;

		while (j < cnt && rec[j].pc < start)
			j++;
		p->blk_first[b] = j;
		p->blk_in[b] = (struct df_halves){ { 0, 0 } };
	}
	p->blk_first[nb] = cnt;
	for (uint32_t i = 0; i < sp->rpo_cnt; i++)
		p->dirty[sp->rpo[i] - sp->first_block] = 1;
	while (pending) {
		for (uint32_t i = sp->rpo_cnt; i-- > 0;) {
			uint32_t b = sp->rpo[i] - sp->first_block;
			uint32_t r0 = p->blk_first[b], r = p->blk_first[b + 1];
			struct df_halves cur = { { 0, 0 } };

			if (!p->dirty[b])
				continue;
			p->dirty[b] = 0;
			pending--;
			for (int k = 0; k < 2; k++) {
				struct df_halves l;

				if (ss->succ[b][k] == UINT32_MAX)
					continue;
				l = live_in(p, rec, fr, sp->first_block, ss->succ[b][k]);
				cur.w[0] |= l.w[0];
				cur.w[1] |= l.w[1];
			}
			fr->out[b] = cur;
			while (r-- > r0) {
				fold_full(&rec[r], &cur);
				if (r % DF_LIVE_EVERY == 0)
					fr->live[r / DF_LIVE_EVERY] = cur;
			}
			if (cur.w[0] == p->blk_in[b].w[0] && cur.w[1] == p->blk_in[b].w[1])
				continue;
			p->blk_in[b] = cur;
			for (uint32_t e = ss->pred_first[b]; e < ss->pred_first[b + 1]; e++) {
				if (!p->dirty[ss->pred[e]]) {
					p->dirty[ss->pred[e]] = 1;
					pending++;
				}
			}
		}
	}
	return 0;
}

void df_stack_frame_free(struct df_stack_frame *fr)
{
	df_recs_free(&fr->r);
	memset(fr, 0, sizeof(*fr));
}
