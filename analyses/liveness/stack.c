/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Half-slot stack liveness ("stack", requires "argtrack"), semantics
 * §3.6-§3.11, the kernel's per-instance may_read / must_write /
 * live_before masks.
 *
 * Lattice: sets of 4-byte halves (128 per frame), ordered by inclusion,
 * join = union, bottom = empty. Direction: backward.
 *   live_before(i) = may_read(i) | (live_after(i) & ~must_write(i))
 * The instance masks are built when the solver starts (init): the
 * recording pass over the converged arg tracking, callee summaries, the
 * merge of the variants of one (callsite, depth) key and the per-frame
 * fixpoints follow the kernel's recursion order (stack_instances.c), which
 * the engine's contexts cannot express: an instance is not a context, its
 * frame count varies, and a merge must recompute a fixpoint in the middle
 * of its caller's recording. The engine then solves, per subprogram and
 * context-insensitively, the liveness of the subprogram's own frame with
 * may_read joined and must_write intersected over all its instances: the
 * state is that own-frame set (struct df_halves). The summary is sparse,
 * like the instances' records, and found by rank in a bitmap of its pcs.
 */
#include "stack_int.h"
#include "stack_priv.h"
#include "internal.h"

#include <stdio.h>

static int cmp_child(const void *a, const void *b)
{
	const struct df_stack_child *x = a, *y = b;

	if (x->parent != y->parent)
		return x->parent < y->parent ? -1 : 1;
	return x->callsite < y->callsite ? -1 : x->callsite > y->callsite;
}

uint32_t df_stack_child(const struct df_stack_priv *p, uint32_t parent,
			uint32_t callsite)
{
	struct df_stack_child key = { parent, callsite, 0 };
	const struct df_stack_child *c;

	if (!p->child_cnt)
		return UINT32_MAX;
	c = bsearch(&key, p->children, p->child_cnt, sizeof(key), cmp_child);
	return c ? c->ctx : UINT32_MAX;
}

static int build_children(struct df_stack_priv *p)
{
	uint32_t n = df_solver_context_cnt(p->at);

	p->children = df_arena_zalloc(&p->arena, n * sizeof(*p->children));
	if (!p->children)
		return -ENOMEM;
	for (uint32_t c = 0; c < n; c++) {
		struct df_context_info ci;

		if (df_solver_context(p->at, c, &ci) || ci.parent == UINT32_MAX)
			continue;
		p->children[p->child_cnt++] = (struct df_stack_child){
			ci.parent, ci.callsite, c };
	}
	if (p->child_cnt)
		qsort(p->children, p->child_cnt, sizeof(*p->children), cmp_child);
	return 0;
}

/* Instance ids grouped by subprogram (a counting sort). */
static uint32_t *by_subprog(struct df_stack_priv *p, uint32_t **first_out)
{
	uint32_t subs = p->cfg->subprog_cnt;
	/* one piece: first[], ids[] */
	uint32_t *first = df_arena_zalloc(&p->arena, ((size_t)subs + 2 + p->inst_cnt) *
					  sizeof(*first));
	uint32_t *ids = first + subs + 2;

	if (!first)
		return NULL;
	for (uint32_t i = 0; i < p->inst_cnt; i++)
		first[p->insts[i].subprog + 2]++;
	for (uint32_t s = 0; s < subs; s++)
		first[s + 2] += first[s + 1];
	for (uint32_t i = 0; i < p->inst_cnt; i++)
		ids[first[p->insts[i].subprog + 1]++] = i;
	*first_out = first;
	return ids;
}

/* The own frames of n instances of one subprogram merged into ss->own_alloc. */
static int own_merge(struct df_stack_priv *p, const uint32_t *ids, uint32_t n,
		     struct df_stack_sub *ss)
{
	struct df_stack_rec *acc = NULL;
	uint32_t acc_cnt = 0;
	int err = 0;

	for (uint32_t i = 0; !err && i < n; i++) {
		const struct df_stack_inst *in = &p->insts[ids[i]];
		struct df_stack_rec *r = df_recs_unpack(&in->fr[in->depth].r), *m;
		uint32_t mc;

		if (!r) {
			err = -ENOMEM;
			break;
		}
		if (!i) {
			acc = r;
			acc_cnt = in->fr[in->depth].r.cnt;
			continue;
		}
		err = df_recs_merge(acc, acc_cnt, r, in->fr[in->depth].r.cnt, &m, &mc);
		free(r);
		free(acc);
		acc = m;
		acc_cnt = mc;
	}
	if (!err)
		err = df_recs_pack(&ss->own_alloc, acc, acc_cnt, &p->arena);
	free(acc);
	if (!err)
		ss->own = &ss->own_alloc;
	return err;
}

/*
 * The summaries' pcs in the bitmap and their codes in one array in pc
 * order, their mask tables in one table (one pass over the records).
 */
static int own_flatten(struct df_stack_priv *p, uint32_t cnt, uint32_t masks)
{
	uint32_t k = 0, t = 0;

	/* one piece: own_mask[], own_code[] */
	p->own_mask = df_arena_zalloc(&p->arena, masks * sizeof(*p->own_mask) +
				      cnt * sizeof(*p->own_code));
	if (!p->own_mask)
		return -ENOMEM;
	p->own_code = (void *)(p->own_mask + masks);
	for (uint32_t s = 0; s < p->cfg->subprog_cnt; s++) {
		const struct df_stack_recs *own = p->subs[s].own;

		if (!own)
			continue;
		for (uint32_t i = 0; i < own->cnt; i++, k++) {
			uint32_t pc = own->rec[i].pc, rd = own->rec[i].rd, wr = own->rec[i].wr;

			p->own_bits[pc / 64] |= 1ull << (pc % 64);
			p->own_code[k][0] = rd & DF_MASK_TABLE ? rd + t : rd;
			p->own_code[k][1] = wr & DF_MASK_TABLE ? wr + t : wr;
		}
		if (own->mask_cnt)
			memcpy(p->own_mask + t, own->mask, own->mask_cnt * sizeof(*own->mask));
		t += own->mask_cnt;
	}
	return 0;
}

/*
 * may_read joined and must_write intersected over the instances of each
 * subprogram, kept for the pcs where one is not empty; a subprogram with
 * one instance uses that instance's records.
 */
static int own_summary(struct df_stack_priv *p)
{
	uint32_t n = p->prog->insn_cnt, words = n / 64 + 1, cnt = 0, masks = 0;
	uint32_t *first = NULL, *ids;
	int err = 0;

	ids = by_subprog(p, &first);
	/* one piece: own_bits[], own_rank[] */
	p->own_bits = df_arena_zalloc(&p->arena, words * (sizeof(*p->own_bits) +
							  sizeof(*p->own_rank)));
	if (!ids || !p->own_bits)
		return -ENOMEM;
	p->own_rank = (void *)(p->own_bits + words);
	for (uint32_t s = 0; !err && s < p->cfg->subprog_cnt; s++) {
		struct df_stack_sub *ss = &p->subs[s];

		if (first[s] < first[s + 1]) {
			const struct df_stack_inst *in = &p->insts[ids[first[s]]];

			ss->own = &in->fr[in->depth].r;
		}
		if (first[s + 1] - first[s] > 1)
			err = own_merge(p, ids + first[s], first[s + 1] - first[s], ss);
		cnt += ss->own ? ss->own->cnt : 0;
		masks += ss->own ? ss->own->mask_cnt : 0;
	}
	if (!err)
		err = own_flatten(p, cnt, masks);
	if (err)
		return err;
	for (uint32_t w = 1; w < words; w++)
		p->own_rank[w] = p->own_rank[w - 1] +
				 df_popcount64(p->own_bits[w - 1]);
	return 0;
}

static void st_fini(void *priv)
{
	struct df_stack_priv *p = priv;

	if (!p)
		return;
	df_stack_insts_free(p);
	df_arena_free(&p->arena);
	free(p);
}

static int st_init(const struct df_ctx *c, void **out)
{
	struct df_stack_priv *p = df_zalloc(1, sizeof(*p));
	int err;

	if (!p)
		return -ENOMEM;
	p->prog = c->prog;
	p->cfg = c->cfg;
	p->at = df_solver_dep(c->solver, "argtrack");
	if (!p->at || df_solver_analysis(p->at) != &df_argtrack_analysis) {
		df_prog_err(c->prog, -1, "stack: the argtrack analysis is missing");
		st_fini(p);
		return -ENOENT;
	}
	p->atp = df_solver_priv(p->at);
	err = !p->atp ? -ENOMEM : 0;
	if (!err && p->atp->err) {
		/* the complexity limit was reported when it was hit */
		if (p->atp->err != -E2BIG)
			df_prog_err(c->prog, p->atp->err_pc, "argtrack: %s",
				    p->atp->err == -ENOMEM ? "out of memory" :
				    "a call from frame 7 passes a stack pointer");
		err = p->atp->err;
	}
	if (!err)
		err = build_children(p);
	if (!err)
		err = df_stack_run(p);
	if (!err)
		err = own_summary(p);
	if (!err) {
		/* the live sets are final from here on */
		p->cache = df_arena_zalloc(&p->arena, sizeof(*p->cache));
		err = p->cache ? 0 : -ENOMEM;
	}
	if (err) {
		st_fini(p);
		return err;
	}
	*out = p;
	return 0;
}

static void st_bottom(const struct df_ctx *c, void *s)
{
	(void)c;
	memset(s, 0, sizeof(struct df_halves));
}

static bool st_join(const struct df_ctx *c, void *dst, const void *src)
{
	struct df_halves *d = dst;
	const struct df_halves *s = src;
	struct df_halves o = *d;

	(void)c;
	d->w[0] |= s->w[0];
	d->w[1] |= s->w[1];
	return o.w[0] != d->w[0] || o.w[1] != d->w[1];
}

/* The own-frame record at pc (its bit is set in word) applied to *i. */
static __attribute__((noinline)) void own_apply(const struct df_stack_priv *p, uint32_t pc,
						uint64_t word, const struct df_halves *i,
						struct df_halves *o)
{
	const uint32_t *code = p->own_code[p->own_rank[pc / 64] +
					   df_popcount64(word & ((1ull << (pc % 64)) - 1))];
	struct df_halves u = df_mask_decode(p->own_mask, code[0]);
	struct df_halves d = df_mask_decode(p->own_mask, code[1]);

	o->w[0] = u.w[0] | (i->w[0] & ~d.w[0]);
	o->w[1] = u.w[1] | (i->w[1] & ~d.w[1]);
}

static void st_transfer(const struct df_ctx *c, uint32_t pc, const void *in,
			void *out)
{
	const struct df_stack_priv *p = c->priv;
	uint64_t word = p->own_bits[pc / 64];

	if (word >> (pc % 64) & 1)
		own_apply(p, pc, word, in, out);
	else
		*(struct df_halves *)out = *(const struct df_halves *)in;
}

static void st_print(const struct df_ctx *c, const void *s, FILE *f)
{
	char buf[1024];

	df_halves_snprint(buf, sizeof(buf), c->depth, s);
	fputs(buf, f);
}

static const char *const st_deps[] = { "argtrack", NULL };

DF_API const struct df_analysis df_stack_analysis = {
	.sz = sizeof(struct df_analysis),
	.name = "stack",
	.summary = "half-slot stack liveness per (callsite, depth) instance",
	.dir = DF_BACKWARD,
	.state_size = sizeof(struct df_halves),
	.requires = st_deps,
	.ctx_mode = DF_CTX_NONE,
	.init = st_init,
	.fini = st_fini,
	.bottom = st_bottom,
	.boundary = st_bottom,
	.join = st_join,
	.print = st_print,
	.transfer = st_transfer,
};

static const struct df_stack_priv *priv_of(const struct df_solver *s)
{
	if (!s || df_solver_analysis(s) != &df_stack_analysis)
		return NULL;
	return df_solver_priv(s);
}

uint32_t df_stack_instance_cnt(const struct df_solver *s)
{
	const struct df_stack_priv *p = priv_of(s);

	return p ? p->inst_cnt : 0;
}

int df_stack_instance(const struct df_solver *s, uint32_t i,
		      struct df_stack_instance *out)
{
	const struct df_stack_priv *p = priv_of(s);

	if (!p || i >= p->inst_cnt)
		return -EINVAL;
	out->subprog = p->insts[i].subprog;
	out->callsite = p->insts[i].callsite;
	out->depth = p->insts[i].depth;
	return 0;
}

int df_stack_masks(const struct df_solver *s, uint32_t i, uint32_t pc,
		   uint32_t frame, struct df_halves *use, struct df_halves *def,
		   struct df_halves *live)
{
	const struct df_stack_priv *p = priv_of(s);
	const struct df_stack_inst *in;
	const struct df_stack_crec *r;
	const struct df_subprog *sp;

	if (!p || i >= p->inst_cnt)
		return -EINVAL;
	in = &p->insts[i];
	sp = &p->cfg->subprogs[in->subprog];
	if (frame > in->depth || pc < sp->start || pc >= sp->end)
		return -EINVAL;
	if (!p->cfg->blocks[p->cfg->block_of[pc]].reachable)
		return -ENOENT;
	r = df_stack_rec_at(&in->fr[frame].r, pc);
	if (use)
		*use = df_mask_get(&in->fr[frame].r, r ? r->rd : 0);
	if (def)
		*def = df_mask_get(&in->fr[frame].r, r ? r->wr : 0);
	if (live)
		df_stack_live(p, in, frame, pc, live);
	return 0;
}

static const struct df_stack_inst *find(const struct df_stack_priv *p,
					uint32_t callsite, uint32_t depth)
{
	uint32_t lo = 0, hi = p->inst_cnt;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct df_stack_inst *in = &p->insts[mid];

		if (in->callsite < callsite || (in->callsite == callsite && in->depth < depth))
			lo = mid + 1;
		else if (in->callsite == callsite && in->depth == depth)
			return in;
		else
			hi = mid;
	}
	return NULL;
}

/* The instance that verifier frame j runs in (§2.3): by decreasing depth. */
static const struct df_stack_inst *lookup(const struct df_stack_priv *p,
					  const uint32_t *pcs,
					  const uint32_t *callsites, uint32_t j)
{
	uint32_t start;

	if (pcs[j] >= p->prog->insn_cnt)
		return NULL;
	start = p->cfg->subprogs[df_cfg_subprog_of(p->cfg, pcs[j])].start;
	for (uint32_t d = j;; d--) {
		const struct df_stack_inst *in =
			find(p, d > 0 ? callsites[j] : start, d);

		if (in || d == 0)
			return in;
	}
}

static void or_live(const struct df_stack_priv *p, const struct df_stack_inst *in,
		    uint32_t pc, uint32_t frame, struct df_halves *acc)
{
	struct df_halves l;

	df_stack_live(p, in, frame, pc, &l);
	acc->w[0] |= l.w[0];
	acc->w[1] |= l.w[1];
}

void df_stack_alive_mask(const struct df_solver *s, const uint32_t *pcs,
			 const uint32_t *callsites, uint32_t cur, uint32_t F,
			 struct df_halves *live)
{
	const struct df_stack_priv *p = priv_of(s);
	const struct df_stack_inst *in;
	uint32_t rel;
	int cb, from, to;

	live->w[0] = live->w[1] = UINT64_MAX;
	if (!p || cur >= DF_MAX_CALL_FRAMES || F > cur)
		return;
	in = lookup(p, pcs, callsites, cur);
	if (!in)
		return;
	live->w[0] = live->w[1] = 0;
	rel = F + in->depth - cur;
	if (F + in->depth >= cur && rel <= in->depth)
		or_live(p, in, pcs[cur], rel, live);
	/* F's halves read after the calls it is under return */
	for (uint32_t i = F; i < cur; i++) {
		uint32_t cs = pcs[i];

		in = lookup(p, pcs, callsites, i);
		if (!in || F + in->depth < i || F + in->depth - i > in->depth ||
		    cs >= p->prog->insn_cnt) {
			live->w[0] = live->w[1] = UINT64_MAX;
			return;
		}
		rel = F + in->depth - i;
		or_live(p, in, df_callback_helper(&p->prog->insns[cs], &cb, &from, &to) ?
			cs : cs + 1, rel, live);
	}
}

bool df_stack_alive(const struct df_solver *s, const uint32_t *pcs,
		    const uint32_t *callsites, uint32_t cur, uint32_t F,
		    uint32_t h)
{
	struct df_halves live;

	df_stack_alive_mask(s, pcs, callsites, cur, F, &live);
	return df_halves_test(&live, h);
}

int df_halves_snprint(char *buf, size_t len, uint32_t frame,
		      const struct df_halves *h)
{
	int tot = 0;

	if (len)
		buf[0] = '\0';
	for (int spi = 0; spi < DF_HALVES / 2; spi++) {
		bool lo = df_halves_test(h, 2 * spi), hi = df_halves_test(h, 2 * spi + 1);
		const char *sp = tot ? " " : "";
		int n;

		if (!lo && !hi)
			continue;
		if (!lo || !hi) {
			n = snprintf(len > (size_t)tot ? buf + tot : NULL,
				     len > (size_t)tot ? len - tot : 0, "%sfp%u%dh",
				     sp, frame, -8 * (spi + 1) + (lo ? 4 : 0));
		} else if (spi + 2 < DF_HALVES / 2 && df_halves_test(h, 2 * spi + 2) &&
			   df_halves_test(h, 2 * spi + 3) && df_halves_test(h, 2 * spi + 4) &&
			   df_halves_test(h, 2 * spi + 5)) {
			int first = spi;

			while (spi + 1 < DF_HALVES / 2 && df_halves_test(h, 2 * spi + 2) &&
			       df_halves_test(h, 2 * spi + 3))
				spi++;
			n = snprintf(len > (size_t)tot ? buf + tot : NULL,
				     len > (size_t)tot ? len - tot : 0, "%sfp%u%d..%d",
				     sp, frame, -8 * (first + 1), -8 * (spi + 1));
		} else {
			n = snprintf(len > (size_t)tot ? buf + tot : NULL,
				     len > (size_t)tot ? len - tot : 0, "%sfp%u%d",
				     sp, frame, -8 * (spi + 1));
		}
		if (n < 0)
			return n;
		tot += n;
	}
	return tot;
}

int df_call_stack_access(const struct df_solver *argtrack, uint32_t pc,
			 unsigned arg, int64_t *size)
{
	const struct df_argtrack_priv *p;

	if (!argtrack || df_solver_analysis(argtrack) != &df_argtrack_analysis)
		return -EINVAL;
	p = df_solver_priv(argtrack);
	if (!p || pc >= p->cfg->prog->insn_cnt)
		return -EINVAL;
	return df_proto_access(p->cfg->prog, pc, arg,
			       df_consts_at(&p->consts, pc), size);
}
