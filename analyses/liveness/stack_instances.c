/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Instances of the stack liveness (semantics §2.3, §3.9, §3.10): one per
 * (callsite, depth) with frames 0..depth.
 *
 * The arg-tracking contexts are replayed in the kernel's order: roots in
 * reverse topological order, each context recorded afresh, then its
 * followed calls in instruction postorder, recursively; the callee's entry
 * liveness of frames 0..d is imported as a read at the call; a reach of an
 * already analysed key merges into it (may_read union, must_write
 * intersection); then live_before is brought to its fixpoint per frame:
 *
 *   live_before(i) = may_read(i) | (OR of live_before(s), s in succ(i)) & ~must_write(i)
 *
 * A context is recorded from arg tracking's access log (the converged
 * values before each memory access and call), not from a second pass over
 * its states. Storage and the fixpoint are in stack_store.c: per frame,
 * only the instructions that touch it (the others pass live sets through
 * unchanged); exit instructions keep live_before empty, as in the kernel.
 * A frame nothing touches stores nothing: it is dead everywhere.
 */
#include "stack_int.h"
#include "stack_priv.h"
#include "internal.h"


static int succs(const struct df_prog *prog, uint32_t pc, uint32_t out[2])
{
	const struct df_insn *in = &prog->insns[pc];
	uint8_t cls = DF_CLASS(in->code), op = DF_OP(in->code);
	int n = 0;

	if (cls == DF_JMP || cls == DF_JMP32) {
		if (op == DF_EXIT)
			return 0;
		if (op == DF_JA) {
			out[0] = (uint32_t)((int64_t)pc + (cls == DF_JMP32 ? in->imm : in->off) + 1);
			return 1;
		}
		out[n++] = pc + 1;
		if (op != DF_CALL)
			out[n++] = (uint32_t)((int64_t)pc + in->off + 1);
		return n;
	}
	out[n++] = pc + df_insn_slots(in);
	return n;
}

static uint32_t hash_slot(uint32_t callsite, uint32_t depth, uint32_t cap)
{
	return (uint32_t)((((uint64_t)callsite << 3 | depth) * 0x9e3779b97f4a7c15ull) >> 32) &
	       (cap - 1);
}

/*
 * Open addressing over instance ids + 1 (0: empty), sized by the number of
 * contexts (each context is analysed once, so there are no more instances):
 * at most half full.
 */
static int hash_add(struct df_stack_priv *p, uint32_t id)
{
	if (2 * p->inst_cnt > p->hash_cap)
		return -EOVERFLOW;
	for (uint32_t s = hash_slot(p->insts[id].callsite, p->insts[id].depth,
				    p->hash_cap);; s = (s + 1) & (p->hash_cap - 1)) {
		if (!p->hash[s]) {
			p->hash[s] = id + 1;
			return 0;
		}
	}
}

static struct df_stack_inst *find_inst(struct df_stack_priv *p, uint32_t callsite,
				       uint32_t depth)
{
	if (!p->hash_cap)
		return NULL;
	for (uint32_t s = hash_slot(callsite, depth, p->hash_cap);;
	     s = (s + 1) & (p->hash_cap - 1)) {
		const struct df_stack_inst *in;

		if (!p->hash[s])
			return NULL;
		in = &p->insts[p->hash[s] - 1];
		if (in->callsite == callsite && in->depth == depth)
			return &p->insts[p->hash[s] - 1];
	}
}

/* The reachable predecessors of each block, from the successors (a CSR list). */
static int preds(struct df_stack_priv *p, const struct df_subprog *sp,
		 struct df_stack_sub *ss)
{
	uint32_t nb = sp->block_cnt, *first, *pred;

	/* one piece: first[], pred[] */
	first = df_arena_zalloc(&p->arena, ((size_t)nb + 2 + 2 * (size_t)sp->rpo_cnt + 1) *
				sizeof(*first));
	if (!first)
		return -ENOMEM;
	pred = first + nb + 2;
	/* count into first[t + 2], prefix-sum, then fill advancing first[t + 1] */
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t i = 0; i < sp->rpo_cnt; i++) {
			uint32_t b = sp->rpo[i] - sp->first_block;

			for (int k = 0; k < 2; k++) {
				uint32_t t;

				if (ss->succ[b][k] == UINT32_MAX)
					continue;
				t = p->cfg->block_of[ss->succ[b][k]] - sp->first_block;
				if (!pass)
					first[t + 2]++;
				else
					pred[first[t + 1]++] = b;
			}
		}
		for (uint32_t b = 0; !pass && b < nb; b++)
			first[b + 2] += first[b + 1];
	}
	ss->pred_first = first;
	ss->pred = pred;
	return 0;
}

/* Entries of the sorted a[0..n) that are at most v. */
static uint32_t upper(const uint32_t *a, uint32_t n, uint32_t v)
{
	uint32_t lo = 0, hi = n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (a[mid] <= v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Block successors and the calls in instruction postorder, once per
 * subprogram; the calls come from arg tracking's list (argtrack_log.c).
 */
static int prepare_sub(struct df_stack_priv *p, uint32_t sub)
{
	const struct df_subprog *sp = &p->cfg->subprogs[sub];
	const struct df_at_log *l = &p->atp->log;
	const uint32_t *calls = l->call_pc + l->call_first[sub];
	uint32_t ncalls = l->call_first[sub + 1] - l->call_first[sub];
	struct df_stack_sub *ss = &p->subs[sub];
	uint32_t n = 0;
	int err;

	if (ss->ready)
		return 0;
	ss->succ = df_arena_zalloc(&p->arena, sp->block_cnt * sizeof(*ss->succ));
	if (!ss->succ)
		return -ENOMEM;
	for (uint32_t b = 0; b < sp->block_cnt; b++) {
		const struct df_block *bl = &p->cfg->blocks[sp->first_block + b];
		uint32_t last = bl->end - 1, s[2];
		int k;

		if (bl->end - bl->start >= 2 && df_insn_is_ldimm64(&p->prog->insns[last - 1]))
			last--;
		k = succs(p->prog, last, s);
		for (int j = 0; j < 2; j++)
			ss->succ[b][j] = j < k && s[j] >= sp->start && s[j] < sp->end ?
					 s[j] : UINT32_MAX;
	}
	err = preds(p, sp, ss);
	if (err)
		return err;
	ss->calls = df_arena_zalloc(&p->arena, ncalls * sizeof(*ss->calls));
	if (!ss->calls)
		return -ENOMEM;
	/* blocks in postorder, each block's calls last first */
	for (uint32_t i = sp->rpo_cnt; i-- > 0;) {
		const struct df_block *b = &p->cfg->blocks[sp->rpo[i]];
		uint32_t k = upper(calls, ncalls, b->end - 1);

		while (k-- > 0 && calls[k] >= b->start)
			ss->calls[n++] = calls[k];
	}
	ss->call_cnt = n;
	ss->ready = true;
	return 0;
}

/*
 * A fresh recording of an instance's key, merged into it or its first
 * records; then live_before of each frame brought to its fixpoint.
 */
static int take(struct df_stack_priv *p, struct df_stack_inst *in, struct df_rec_sink *k)
{
	const struct df_subprog *sp = &p->cfg->subprogs[in->subprog];

	for (uint32_t f = 0; f <= in->depth; f++) {
		struct df_stack_frame *fr = &in->fr[f];
		struct df_rec_vec *v = &k->fr[f];
		struct df_stack_rec *m, *old;
		uint32_t n;
		int err = 0;

		df_rec_vec_finish(v);
		m = v->r;
		n = v->cnt;
		if (in->initialized) {
			old = df_recs_unpack(&fr->r);
			err = old ? df_recs_merge(old, fr->r.cnt, v->r, v->cnt, &m, &n) : -ENOMEM;
			free(old);
			if (err)
				return err;
		}
		df_stack_frame_free(fr);
		if (n)
			err = df_stack_update_frame(p, sp, &p->subs[in->subprog], m, n, fr);
		if (!err)
			err = df_recs_pack(&fr->r, m, n, &p->arena);
		if (m != v->r)
			free(m);
		if (err)
			return err;
	}
	in->initialized = true;
	return 0;
}

static void sink_free(struct df_rec_sink *k)
{
	for (int f = 0; k && f < DF_MAX_CALL_FRAMES; f++) {
		free(k->fr[f].r);
		memset(&k->fr[f], 0, sizeof(k->fr[f]));
	}
}

static int inst_get(struct df_stack_priv *p, const struct df_context_info *ci,
		    uint32_t *out)
{
	const struct df_subprog *sp = &p->cfg->subprogs[ci->subprog];
	uint32_t key = ci->depth > 0 ? ci->callsite : sp->start;
	struct df_stack_inst *in = find_inst(p, key, ci->depth);

	if (!in) {
		if (p->inst_cnt == p->inst_cap)
			return -EOVERFLOW;
		in = &p->insts[p->inst_cnt];
		in->subprog = ci->subprog;
		in->callsite = key;
		in->depth = ci->depth;
		p->inst_cnt++;
		if (hash_add(p, p->inst_cnt - 1))
			return -ENOMEM;
	}
	*out = (uint32_t)(in - p->insts);
	return prepare_sub(p, ci->subprog);
}

/* The recording pass over a context, from the arg-tracking log (argtrack_log.c). */
static int record_context(struct df_stack_priv *p, uint32_t ctx, uint32_t sub,
			  struct df_rec_sink *k)
{
	const struct df_subprog *sp = &p->cfg->subprogs[sub];
	const struct df_at_log *l = &p->atp->log;
	const struct df_arg *base = ctx < l->ctx_cap ? l->ctx[ctx] : NULL;

	for (uint32_t pc = sp->start; base && pc < sp->end; pc++) {
		uint32_t slot = l->slot[pc];
		const struct df_arg *v;
		int err;

		if (slot == DF_AT_NO_SLOT)
			continue;
		v = base + (slot & ((1u << DF_AT_SLOT_BITS) - 1));
		if (v->frame == DF_ARG_UNVISITED)
			continue;	/* not reached */
		if (slot >> DF_AT_SLOT_BITS == DF_AT_LOG_CALL)
			err = df_record_call(k, p->prog, &p->atp->consts, pc, v);
		else
			err = df_record_mem(k, &p->prog->insns[pc], pc, v);
		if (err)
			return err;
	}
	return 0;
}

static int analyze(struct df_stack_priv *p, uint32_t ctx, uint32_t *inst_out);

static int follow_calls(struct df_stack_priv *p, uint32_t ctx,
			const struct df_context_info *ci, struct df_rec_sink *k)
{
	const struct df_stack_sub *ss = &p->subs[ci->subprog];

	for (uint32_t i = 0; i < ss->call_cnt; i++) {
		struct df_arg args[DF_ARG_SPILL0];
		struct df_stack_inst *callee;
		uint32_t pc = ss->calls[i], child, ci_id, start;
		const struct df_arg *v = df_at_log_get(&p->atp->log, ctx, pc);
		int sub, err;

		if (!v)
			continue;
		if (!df_argtrack_call_vals(p->prog, p->cfg, &p->atp->consts, pc, v,
					   v + DF_MAX_REG_ARGS, args, &sub) || sub < 0)
			continue;
		if (ci->depth == DF_MAX_CALL_FRAMES - 1) {
			df_prog_err(p->prog, pc, "call passes a stack pointer from frame %u: "
				    "the call stack of %d frames is too deep",
				    ci->depth, DF_MAX_CALL_FRAMES + 1);
			return -EINVAL;
		}
		child = df_stack_child(p, ctx, pc);
		if (child == UINT32_MAX) {
			df_prog_err(p->prog, pc, "argtrack did not follow this call");
			return -EINVAL;
		}
		err = analyze(p, child, &ci_id);
		if (err)
			return err;
		callee = &p->insts[ci_id];
		start = p->cfg->subprogs[callee->subprog].start;
		for (uint32_t f = 0; f < callee->depth; f++) {
			const struct df_halves none = { { 0, 0 } };
			struct df_halves e;

			df_stack_live(p, callee, f, start, &e);
			err = df_sink_or(k, f, pc, &e, &none);
			if (err)
				return err;
		}
	}
	return 0;
}

static int analyze(struct df_stack_priv *p, uint32_t ctx, uint32_t *inst_out)
{
	const struct df_subprog *sp;
	struct df_context_info ci;
	struct df_rec_sink *fresh;
	uint32_t id;
	int err;

	if (++p->analyses > DF_ARGTRACK_MAX_ANALYSES) {
		df_prog_err(p->prog, -1,
			    "liveness analysis exceeded complexity limit (%d calls)",
			    (int)p->analyses);
		return -E2BIG;
	}
	if (p->level > DF_MAX_CALL_FRAMES) {
		df_prog_err(p->prog, -1, "stack: calls nested deeper than %d frames",
			    DF_MAX_CALL_FRAMES);
		return -EINVAL;
	}
	err = df_solver_context(p->at, ctx, &ci);
	if (!err)
		err = inst_get(p, &ci, &id);
	if (err)
		return err;
	sp = &p->cfg->subprogs[ci.subprog];
	if (!p->sinks[p->level]) {
		p->sinks[p->level] = df_arena_zalloc(&p->arena, sizeof(*fresh));
		if (!p->sinks[p->level])
			return -ENOMEM;
	}
	fresh = p->sinks[p->level++];
	for (uint32_t f = 0; f < DF_MAX_CALL_FRAMES; f++) {
		fresh->fr[f].cnt = 0;
		fresh->fr[f].unsorted = false;
	}
	fresh->start = sp->start;
	fresh->insn_cnt = sp->end - sp->start;
	fresh->depth = ci.depth;
	err = record_context(p, ctx, ci.subprog, fresh);
	if (!err)
		err = follow_calls(p, ctx, &ci, fresh);
	p->level--;
	if (!err)
		err = take(p, &p->insts[id], fresh);
	*inst_out = id;
	return err;
}

static int cmp_inst(const void *a, const void *b)
{
	const struct df_stack_inst *x = a, *y = b;

	if (x->callsite != y->callsite)
		return x->callsite < y->callsite ? -1 : 1;
	return x->depth < y->depth ? -1 : x->depth > y->depth;
}

/* Root contexts grouped by subprogram (a counting sort), for the topo walk. */
static int roots_by_subprog(struct df_stack_priv *p, uint32_t **first_out,
			    uint32_t **ctx_out)
{
	uint32_t n = df_solver_context_cnt(p->at), subs = p->cfg->subprog_cnt;
	/* one piece: first[], ctx[], sub_of[] */
	uint32_t *first = df_arena_zalloc(&p->arena, ((size_t)subs + 1 + 2 * (size_t)n) *
					  sizeof(*first));
	uint32_t *ctx = first + subs + 1, *sub_of = ctx + n;

	if (!first)
		return -ENOMEM;
	for (uint32_t c = 0; c < n; c++) {
		struct df_context_info ci;

		sub_of[c] = UINT32_MAX;
		if (df_solver_context(p->at, c, &ci) || ci.parent != UINT32_MAX ||
		    ci.subprog >= subs)
			continue;
		sub_of[c] = ci.subprog;
		first[ci.subprog + 1]++;
	}
	for (uint32_t i = 0; i < subs; i++)
		first[i + 1] += first[i];
	for (uint32_t c = 0; c < n; c++) {
		if (sub_of[c] != UINT32_MAX)
			ctx[first[sub_of[c]]++] = c;
	}
	/* first[] now holds each bucket's end; shift back to starts */
	for (uint32_t i = subs; i > 0; i--)
		first[i] = first[i - 1];
	first[0] = 0;
	*first_out = first;
	*ctx_out = ctx;
	return 0;
}

/* Everything the run needs at most, in the arena: no reallocation while it recurses. */
static int run_alloc(struct df_stack_priv *p)
{
	uint32_t n = df_solver_context_cnt(p->at), nb = 0, cap = 16;
	size_t sz[6], total = 0;
	char *at;

	for (uint32_t s = 0; s < p->cfg->subprog_cnt; s++)
		if (p->cfg->subprogs[s].block_cnt > nb)
			nb = p->cfg->subprogs[s].block_cnt;
	while (cap < 2 * (size_t)n + 2)
		cap *= 2;
	/* one piece, each array 16-byte aligned */
	sz[0] = ((size_t)p->cfg->subprog_cnt + 1) * sizeof(*p->subs);
	sz[1] = (size_t)n * sizeof(*p->insts);
	sz[2] = (size_t)cap * sizeof(*p->hash);
	sz[3] = ((size_t)nb + 1) * sizeof(*p->blk_first);
	sz[4] = ((size_t)nb + 1) * sizeof(*p->blk_in);
	sz[5] = (size_t)nb + 1;
	for (int i = 0; i < 6; i++)
		total += (sz[i] + 15) & ~(size_t)15;
	at = df_arena_zalloc(&p->arena, total);
	if (!at)
		return -ENOMEM;
	p->subs = (void *)at;
	at += (sz[0] + 15) & ~(size_t)15;
	p->insts = (void *)at;
	at += (sz[1] + 15) & ~(size_t)15;
	p->hash = (void *)at;
	at += (sz[2] + 15) & ~(size_t)15;
	p->blk_first = (void *)at;
	at += (sz[3] + 15) & ~(size_t)15;
	p->blk_in = (void *)at;
	at += (sz[4] + 15) & ~(size_t)15;
	p->dirty = (void *)at;
	p->inst_cap = n;
	p->hash_cap = cap;
	return 0;
}

int df_stack_run(struct df_stack_priv *p)
{
	uint32_t *first, *ctx;
	int err;

	err = run_alloc(p);
	if (!err)
		err = roots_by_subprog(p, &first, &ctx);
	if (err)
		return err;
	for (uint32_t k = p->cfg->subprog_cnt; !err && k-- > 0;) {
		uint32_t sub = p->cfg->topo[k], id;

		for (uint32_t i = first[sub]; !err && i < first[sub + 1]; i++)
			err = analyze(p, ctx[i], &id);
	}
	p->hash = NULL;
	p->hash_cap = 0;
	for (uint32_t l = 0; l <= DF_MAX_CALL_FRAMES; l++)
		sink_free(p->sinks[l]);
	if (err)
		return err;
	if (p->inst_cnt)
		qsort(p->insts, p->inst_cnt, sizeof(*p->insts), cmp_inst);
	return 0;
}

/* The mask tables (malloc'ed); everything else is in the arena. */
void df_stack_insts_free(struct df_stack_priv *p)
{
	for (uint32_t i = 0; i < p->inst_cnt; i++)
		for (uint32_t f = 0; f <= p->insts[i].depth; f++)
			free(p->insts[i].fr[f].r.mask);
	p->insts = NULL;
	p->inst_cnt = 0;
	for (uint32_t i = 0; p->subs && i < p->cfg->subprog_cnt; i++)
		free(p->subs[i].own_alloc.mask);
	p->subs = NULL;
	for (uint32_t l = 0; l <= DF_MAX_CALL_FRAMES; l++)
		sink_free(p->sinks[l]);
}
