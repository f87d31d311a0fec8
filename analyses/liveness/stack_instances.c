/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Instances of the stack liveness (semantics §2.3, §3.9, §3.10): one per
 * (callsite, depth), frames 0..depth of may_read / must_write /
 * live_before per instruction, allocated lazily per frame.
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
 * by sweeps over the subprogram's instruction postorder until nothing
 * changes. Exit instructions keep live_before empty, as in the kernel.
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

static struct df_stack_inst *find_inst(struct df_stack_priv *p, uint32_t callsite,
				       uint32_t depth)
{
	for (uint32_t i = 0; i < p->inst_cnt; i++)
		if (p->insts[i].callsite == callsite && p->insts[i].depth == depth)
			return &p->insts[i];
	return NULL;
}

/* Post-order of the reachable instructions of a subprogram. */
static int postorder(struct df_stack_priv *p, uint32_t sub)
{
	const struct df_subprog *sp = &p->cfg->subprogs[sub];
	uint32_t n = 0;

	if (p->po[sub])
		return 0;
	for (uint32_t i = 0; i < sp->rpo_cnt; i++) {
		const struct df_block *b = &p->cfg->blocks[sp->rpo[i]];

		n += b->end - b->start;
	}
	p->po[sub] = malloc((n ? n : 1) * sizeof(uint32_t));
	if (!p->po[sub])
		return -ENOMEM;
	n = 0;
	for (uint32_t i = sp->rpo_cnt; i-- > 0;) {
		const struct df_block *b = &p->cfg->blocks[sp->rpo[i]];
		uint32_t base = n;

		for (uint32_t pc = b->start; pc < b->end;
		     pc += df_insn_slots(&p->prog->insns[pc]))
			p->po[sub][n++] = pc;
		for (uint32_t a = base, z = n - 1; a < z; a++, z--) {
			uint32_t t = p->po[sub][a];

			p->po[sub][a] = p->po[sub][z];
			p->po[sub][z] = t;
		}
	}
	p->po_cnt[sub] = n;
	return 0;
}

void df_stack_update(struct df_stack_priv *p, struct df_stack_inst *in)
{
	const uint32_t *po = p->po[in->subprog];
	uint32_t cnt = p->po_cnt[in->subprog];
	bool changed;

	in->initialized = true;
	do {
		changed = false;
		for (uint32_t f = 0; f <= in->depth; f++) {
			struct df_frame_masks *fm = in->sink.frames[f];

			if (!fm)
				continue;
			for (uint32_t i = 0; i < cnt; i++) {
				uint32_t s[2], pc = po[i];
				int n = succs(p->prog, pc, s);
				struct df_frame_masks *m = &fm[pc - in->sink.start];
				struct df_halves after = { { 0, 0 } }, before;

				if (!n)
					continue;
				for (int j = 0; j < n; j++) {
					if (s[j] < in->sink.start ||
					    s[j] - in->sink.start >= in->sink.insn_cnt)
						continue;
					after.w[0] |= fm[s[j] - in->sink.start].live_before.w[0];
					after.w[1] |= fm[s[j] - in->sink.start].live_before.w[1];
				}
				for (int w = 0; w < 2; w++)
					before.w[w] = (after.w[w] & ~m->must_write.w[w]) |
						      m->may_read.w[w];
				if (before.w[0] != m->live_before.w[0] ||
				    before.w[1] != m->live_before.w[1]) {
					m->live_before = before;
					changed = true;
				}
			}
		}
	} while (changed);
}

static void merge(struct df_stack_inst *dst, struct df_rec_sink *src)
{
	for (uint32_t f = 0; f <= dst->depth; f++) {
		struct df_frame_masks *d = dst->sink.frames[f];

		if (!src->frames[f] || !d) {
			if (!d) {
				dst->sink.frames[f] = src->frames[f];
				src->frames[f] = NULL;
				d = dst->sink.frames[f];
			}
			for (uint32_t i = 0; d && i < dst->sink.insn_cnt; i++)
				d[i].must_write = (struct df_halves){ { 0, 0 } };
			continue;
		}
		for (uint32_t i = 0; i < dst->sink.insn_cnt; i++) {
			for (int w = 0; w < 2; w++) {
				d[i].may_read.w[w] |= src->frames[f][i].may_read.w[w];
				d[i].must_write.w[w] &= src->frames[f][i].must_write.w[w];
			}
		}
	}
}

static void sink_free(struct df_rec_sink *k)
{
	for (int f = 0; f < DF_MAX_CALL_FRAMES; f++) {
		free(k->frames[f]);
		k->frames[f] = NULL;
	}
}

static int inst_get(struct df_stack_priv *p, const struct df_context_info *ci,
		    uint32_t *out)
{
	const struct df_subprog *sp = &p->cfg->subprogs[ci->subprog];
	uint32_t key = ci->depth > 0 ? ci->callsite : sp->start;
	struct df_stack_inst *in = find_inst(p, key, ci->depth);

	if (!in) {
		if (df_array_push(p->insts, p->inst_cnt))
			return -ENOMEM;
		in = &p->insts[p->inst_cnt];
		memset(in, 0, sizeof(*in));
		in->subprog = ci->subprog;
		in->callsite = key;
		in->depth = ci->depth;
		in->sink.start = sp->start;
		in->sink.insn_cnt = sp->end - sp->start;
		in->sink.depth = ci->depth;
		p->inst_cnt++;
	}
	*out = (uint32_t)(in - p->insts);
	return postorder(p, ci->subprog);
}

struct record_walk {
	struct df_stack_priv *p;
	struct df_rec_sink *k;
};

static int record_one(void *cookie, const struct df_ctx *c, uint32_t pc,
		      const void *before, const void *after)
{
	struct record_walk *w = cookie;

	return df_record_insn(w->k, w->p->prog, &w->p->atp->consts, pc, before);
}

/* One linear pass over the context's converged states (df_solver_walk). */
static int record_context(struct df_stack_priv *p, uint32_t ctx,
			  struct df_rec_sink *k)
{
	struct record_walk w = { .p = p, .k = k };

	return df_solver_walk(p->at, ctx, record_one, &w);
}

static int analyze(struct df_stack_priv *p, uint32_t ctx, uint32_t *inst_out);

static int follow_calls(struct df_stack_priv *p, uint32_t ctx,
			const struct df_context_info *ci, struct df_rec_sink *k)
{
	const uint32_t *po = p->po[ci->subprog];
	uint32_t cnt = p->po_cnt[ci->subprog];

	for (uint32_t i = 0; i < cnt; i++) {
		struct df_arg args[DF_ARG_SPILL0];
		struct df_argtrack_state st;
		struct df_stack_inst *callee;
		uint32_t pc = po[i], child, ci_id;
		int sub, err;

		if (!df_insn_is_call(&p->prog->insns[pc]) ||
		    df_state_before(p->at, ctx, pc, &st))
			continue;
		if (!df_argtrack_call_args(p->prog, p->cfg, &p->atp->consts, pc,
					   &st, args, &sub) || sub < 0)
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
		for (uint32_t f = 0; f < callee->depth; f++) {
			struct df_frame_masks *m, *e = callee->sink.frames[f];

			if (!e)
				continue;
			m = df_sink_masks(k, f, pc);
			if (!m)
				return -ENOMEM;
			m->may_read.w[0] |= e[0].live_before.w[0];
			m->may_read.w[1] |= e[0].live_before.w[1];
		}
	}
	return 0;
}

static int analyze(struct df_stack_priv *p, uint32_t ctx, uint32_t *inst_out)
{
	struct df_context_info ci;
	struct df_rec_sink fresh;
	struct df_stack_inst *in;
	uint32_t id;
	int err;

	if (++p->analyses > DF_ARGTRACK_MAX_ANALYSES) {
		df_prog_err(p->prog, -1,
			    "liveness analysis exceeded complexity limit (%d calls)",
			    (int)p->analyses);
		return -E2BIG;
	}
	err = df_solver_context(p->at, ctx, &ci);
	if (!err)
		err = inst_get(p, &ci, &id);
	if (err)
		return err;
	in = &p->insts[id];
	memset(&fresh, 0, sizeof(fresh));
	fresh.start = in->sink.start;
	fresh.insn_cnt = in->sink.insn_cnt;
	fresh.depth = in->depth;
	p->cur_sub = ci.subprog;
	err = record_context(p, ctx, &fresh);
	if (!err)
		err = follow_calls(p, ctx, &ci, &fresh);
	if (err) {
		sink_free(&fresh);
		return err;
	}
	/* the recursion may have grown (moved) the instance array */
	in = &p->insts[id];
	if (in->initialized) {
		merge(in, &fresh);
		sink_free(&fresh);
	} else {
		memcpy(in->sink.frames, fresh.frames, sizeof(fresh.frames));
	}
	df_stack_update(p, in);
	*inst_out = id;
	return 0;
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
	uint32_t *first = calloc(subs + 1, sizeof(*first));
	uint32_t *ctx = malloc((n ? n : 1) * sizeof(*ctx));
	uint32_t *sub_of = malloc((n ? n : 1) * sizeof(*sub_of));

	if (!first || !ctx || !sub_of) {
		free(first);
		free(ctx);
		free(sub_of);
		return -ENOMEM;
	}
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
	free(sub_of);
	*first_out = first;
	*ctx_out = ctx;
	return 0;
}

int df_stack_run(struct df_stack_priv *p)
{
	uint32_t *first, *ctx;
	int err = roots_by_subprog(p, &first, &ctx);

	if (err)
		return err;
	for (uint32_t k = p->cfg->subprog_cnt; !err && k-- > 0;) {
		uint32_t sub = p->cfg->topo[k], id;

		for (uint32_t i = first[sub]; !err && i < first[sub + 1]; i++)
			err = analyze(p, ctx[i], &id);
	}
	free(first);
	free(ctx);
	if (err)
		return err;
	if (p->inst_cnt)
		qsort(p->insts, p->inst_cnt, sizeof(*p->insts), cmp_inst);
	return 0;
}

void df_stack_insts_free(struct df_stack_priv *p)
{
	for (uint32_t i = 0; i < p->inst_cnt; i++)
		sink_free(&p->insts[i].sink);
	free(p->insts);
	p->insts = NULL;
	p->inst_cnt = 0;
}
