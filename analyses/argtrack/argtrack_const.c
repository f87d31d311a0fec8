/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Constant registers, per subprogram (the kernel's pre-pass of §3.1): which
 * register holds a known scalar, map or subprogram address before each
 * call. The stack liveness takes map key/value sizes and constant size
 * arguments from it, arg tracking the callbacks of §2.4.
 *
 * Lattice per register: UNVISITED < {SCALAR v, MAP m, FUNC s} < VARYING;
 * two different constants join to VARYING. Forward, intraprocedural, a
 * round-robin over each subprogram's reverse postorder until no block
 * entry changes. Only helper and kfunc calls read the values, so only the
 * blocks that can reach one take part (a set closed under predecessors,
 * so their entries are the same as over the whole subprogram). Stored:
 * block entry states while solving, then only the values of r0..r5 at
 * each helper and kfunc call.
 */
#include "argtrack_int.h"
#include "internal.h"

#define NR 11

struct cstate {
	struct df_cval r[NR];
};

static bool cval_join(struct df_cval *a, const struct df_cval *b)
{
	if (b->kind == DF_CV_UNVISITED || a->kind == DF_CV_VARYING)
		return false;
	if (a->kind == DF_CV_UNVISITED) {
		*a = *b;
		return true;
	}
	if (a->kind == b->kind && a->val == b->val)
		return false;
	a->kind = DF_CV_VARYING;
	a->val = 0;
	return true;
}

static struct df_cval scalar(int64_t v)
{
	return (struct df_cval){ .val = v, .kind = DF_CV_SCALAR };
}

static struct df_cval varying(void)
{
	return (struct df_cval){ .kind = DF_CV_VARYING };
}

static bool alu(uint8_t op, uint64_t a, uint64_t b, uint64_t *out)
{
	switch (op) {
	case DF_ADD: *out = a + b; return true;
	case DF_SUB: *out = a - b; return true;
	case DF_MUL: *out = a * b; return true;
	case DF_OR:  *out = a | b; return true;
	case DF_AND: *out = a & b; return true;
	case DF_XOR: *out = a ^ b; return true;
	case DF_LSH: *out = b < 64 ? a << b : 0; return b < 64;
	case DF_RSH: *out = b < 64 ? a >> b : 0; return b < 64;
	default: return false;
	}
}

static void cxfer(const struct df_prog *prog, const struct df_cfg *cfg,
		  uint32_t pc, struct cstate *s)
{
	const struct df_insn *in = &prog->insns[pc];
	uint8_t cls = DF_CLASS(in->code), op = DF_OP(in->code);
	struct df_insn_regs regs;
	struct df_cval *d = &s->r[in->dst_reg < NR ? in->dst_reg : 0];

	if (df_insn_is_ldimm64(in)) {
		const struct df_map *m;

		if (pc + 1 >= prog->insn_cnt || in->dst_reg >= NR)
			return;
		switch (in->src_reg) {
		case 0:
			*d = scalar((int64_t)(((uint64_t)(uint32_t)prog->insns[pc + 1].imm << 32) |
					      (uint32_t)in->imm));
			break;
		case DF_PSEUDO_MAP_FD:
		case DF_PSEUDO_MAP_IDX:
			m = df_prog_map_at(prog, pc);
			*d = m && prog->obj ? (struct df_cval){ .val = m - prog->obj->maps,
								.kind = DF_CV_MAP } : varying();
			break;
		case DF_PSEUDO_FUNC:
			*d = (struct df_cval){
				.val = df_cfg_subprog_of(cfg, (uint32_t)((int64_t)pc + in->imm + 1)),
				.kind = DF_CV_FUNC };
			break;
		default:
			*d = varying();
		}
		return;
	}
	if ((cls == DF_ALU || cls == DF_ALU64) && in->dst_reg < NR && in->src_reg < NR) {
		bool is64 = cls == DF_ALU64;
		struct df_cval src = DF_SRC(in->code) == DF_K ?
			scalar(is64 ? (int64_t)in->imm : (int64_t)(uint32_t)in->imm) :
			s->r[in->src_reg];
		uint64_t v;

		if (op == DF_MOV && in->off == 0) {
			if (is64 || src.kind == DF_CV_SCALAR)
				*d = is64 ? src : scalar((uint32_t)src.val);
			else
				*d = varying();
			return;
		}
		if (op != DF_MOV && op != DF_NEG && op != DF_END &&
		    d->kind == DF_CV_SCALAR && src.kind == DF_CV_SCALAR &&
		    alu(op, (uint64_t)d->val, (uint64_t)src.val, &v)) {
			*d = scalar(is64 ? (int64_t)v : (int64_t)(uint32_t)v);
			return;
		}
	}
	/* the common forms without df_insn_regs() */
	switch (cls) {
	case DF_LDX:
	case DF_ALU:
	case DF_ALU64:
		/* these define their destination only */
		*d = in->dst_reg < NR ? varying() : *d;
		return;
	case DF_ST:
		return;
	case DF_STX:
		if (DF_MODE(in->code) != DF_ATOMIC)
			return;
		break;
	case DF_JMP:
	case DF_JMP32:
		if (op != DF_CALL)
			return;
		for (int r = 0; r <= 5; r++)
			s->r[r] = varying();
		return;
	default:
		break;
	}
	df_insn_regs(in, DF_MAX_REG_ARGS, &regs);
	for (int r = 0; r < NR; r++)
		if (regs.def & (1u << r))
			s->r[r] = varying();
}

/* A call whose stack access or callback depends on constant arguments. */
static bool reads_consts(const struct df_insn *in)
{
	return in->code == (DF_JMP | DF_CALL) &&
	       (in->src_reg == DF_PSEUDO_HELPER || in->src_reg == DF_PSEUDO_KFUNC_CALL);
}

/*
 * Mark the blocks that can reach a helper or kfunc call (need[], indexed
 * from the subprogram's first block): the calls' blocks, then their
 * predecessors transitively; stack[] has room for every block.
 * calls[0..n): the subprogram's call instructions.
 */
static void mark_needed(const struct df_prog *prog, const struct df_cfg *cfg,
			const struct df_subprog *sp, const uint32_t *calls, uint32_t n,
			bool *need, uint32_t *stack)
{
	uint32_t top = 0, first = sp->first_block;

	for (uint32_t i = 0; i < sp->rpo_cnt; i++)
		need[sp->rpo[i] - first] = false;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t b = cfg->block_of[calls[i]];

		if (!reads_consts(&prog->insns[calls[i]]) || !cfg->blocks[b].reachable)
			continue;
		if (need[b - first])
			continue;
		need[b - first] = true;
		stack[top++] = b;
	}
	while (top) {
		const struct df_block *b = &cfg->blocks[stack[--top]];

		for (uint32_t e = 0; e < b->pred_cnt; e++) {
			const struct df_edge *ed = &cfg->edges[b->pred[e]];

			if ((ed->kind != DF_EDGE_FALLTHROUGH && ed->kind != DF_EDGE_TAKEN) ||
			    !cfg->blocks[ed->from].reachable || need[ed->from - first])
				continue;
			need[ed->from - first] = true;
			stack[top++] = ed->from;
		}
	}
}

/*
 * Scratch of the pass, per block of one subprogram (indexed from its first
 * block): cidx[] is the block's first call among the subprogram's; per
 * call of the program, got[] says its values are in out->calls[] at the
 * same index.
 */
struct cscratch {
	struct cstate *in;
	bool *pend, *need, *got;
	uint32_t *stack, *cidx;
};

/*
 * Round-robin in reverse postorder over the needed blocks; a block whose
 * entry did not change since it was last processed is skipped, as
 * processing it again would change nothing. The values before the helper
 * and kfunc calls of a block are kept at each processing: the last one
 * starts from the block's final entry. rec[] and got[]: those of the
 * subprogram's calls.
 */
static void solve_subprog(const struct df_prog *prog, const struct df_cfg *cfg,
			  const struct df_subprog *sp, const uint32_t *calls, uint32_t ncalls,
			  const struct cscratch *w, struct df_call_consts *rec, bool *got)
{
	uint32_t first = sp->first_block;
	struct cstate *in = w->in;
	bool changed = true, any = false, *pend = w->pend, *need = w->need;

	if (!sp->rpo_cnt)
		return;
	mark_needed(prog, cfg, sp, calls, ncalls, need, w->stack);
	for (uint32_t b = 0, k = 0; b < sp->block_cnt; b++) {
		while (k < ncalls && calls[k] < cfg->blocks[first + b].start)
			k++;
		w->cidx[b] = k;
	}
	for (uint32_t i = 0; i < sp->rpo_cnt; i++) {
		uint32_t b = sp->rpo[i] - first;

		pend[b] = need[b];
		any |= need[b];
		if (need[b])
			memset(&in[b], 0, sizeof(*in));
	}
	if (!any)
		return;
	for (int r = 0; r < NR; r++)
		in[sp->rpo[0] - first].r[r] = varying();
	while (changed) {
		changed = false;
		for (uint32_t i = 0; i < sp->rpo_cnt; i++) {
			const struct df_block *b = &cfg->blocks[sp->rpo[i]];
			struct cstate s = in[sp->rpo[i] - first];
			uint32_t k = w->cidx[sp->rpo[i] - first];

			if (!pend[sp->rpo[i] - first])
				continue;
			pend[sp->rpo[i] - first] = false;

			for (uint32_t pc = b->start; pc < b->end;
			     pc += df_insn_slots(&prog->insns[pc])) {
				if (k < ncalls && calls[k] == pc) {
					if (reads_consts(&prog->insns[pc])) {
						rec[k].pc = pc;
						memcpy(rec[k].r, s.r, sizeof(rec[k].r));
						got[k] = true;
					}
					k++;
				}
				cxfer(prog, cfg, pc, &s);
			}
			for (uint32_t e = 0; e < b->succ_cnt; e++) {
				const struct df_edge *ed = &cfg->edges[b->succ[e]];
				uint32_t t = ed->to - first;
				bool grew = false;

				/* calls and returns leave the subprogram: t is not its block */
				if (ed->kind != DF_EDGE_FALLTHROUGH && ed->kind != DF_EDGE_TAKEN)
					continue;
				if (!need[t])
					continue;
				for (int r = 0; r < NR; r++)
					grew |= cval_join(&in[t].r[r], &s.r[r]);
				pend[t] |= grew;
				changed |= grew;
			}
		}
	}
}

int df_consts_compute_calls(const struct df_prog *prog, const struct df_cfg *cfg,
			    const uint32_t *call_pc, const uint32_t *call_first,
			    struct df_consts *out)
{
	uint32_t n = 1, total = call_first[cfg->subprog_cnt];
	uint64_t small[128];	/* a small program's scratch */
	struct cscratch w;
	size_t size;

	memset(out, 0, sizeof(*out));
	for (uint32_t i = 0; i < cfg->subprog_cnt; i++)
		if (cfg->subprogs[i].block_cnt > n)
			n = cfg->subprogs[i].block_cnt;
	/* one piece: in[], stack[], cidx[], pend[], need[], got[] */
	size = n * (sizeof(*w.in) + 2 * sizeof(*w.stack) + 2 * sizeof(*w.pend)) + total;
	w.in = size <= sizeof(small) ? (struct cstate *)(void *)small : malloc(size);
	if (!w.in)
		return -ENOMEM;
	w.stack = (uint32_t *)(w.in + n);
	w.cidx = w.stack + n;
	w.pend = (bool *)(w.cidx + n);
	w.need = w.pend + n;
	w.got = w.need + n;
	memset(w.got, 0, total);
	/* a call's values at its index among the program's calls, then packed */
	if (total) {
		out->calls = malloc(total * sizeof(*out->calls));
		if (!out->calls) {
			if (w.in != (struct cstate *)(void *)small)
				free(w.in);
			return -ENOMEM;
		}
	}
	for (uint32_t i = 0; i < cfg->subprog_cnt; i++)
		solve_subprog(prog, cfg, &cfg->subprogs[i], call_pc + call_first[i],
			      call_first[i + 1] - call_first[i], &w, out->calls + call_first[i],
			      w.got + call_first[i]);
	/* in pc order, as the calls are */
	for (uint32_t i = 0; i < total; i++)
		if (w.got[i])
			out->calls[out->call_cnt++] = out->calls[i];
	if (w.in != (struct cstate *)(void *)small)
		free(w.in);
	return 0;
}

int df_consts_compute(const struct df_prog *prog, const struct df_cfg *cfg,
		      struct df_consts *out)
{
	uint32_t *call_pc = NULL, *first = df_zalloc(cfg->subprog_cnt + 1, sizeof(*first));
	uint32_t cnt = 0;
	int err = first ? 0 : -ENOMEM;

	for (uint32_t s = 0; !err && s < cfg->subprog_cnt; s++) {
		const struct df_subprog *sp = &cfg->subprogs[s];

		first[s] = cnt;
		for (uint32_t pc = sp->start; !err && pc < sp->end; pc++) {
			if (prog->insns[pc].code != (DF_JMP | DF_CALL))
				continue;
			err = df_array_push(call_pc, cnt);
			if (!err)
				call_pc[cnt++] = pc;
		}
	}
	if (!err) {
		first[cfg->subprog_cnt] = cnt;
		err = df_consts_compute_calls(prog, cfg, call_pc, first, out);
	}
	free(call_pc);
	free(first);
	return err;
}

void df_consts_free(struct df_consts *c)
{
	free(c->calls);
	c->calls = NULL;
	c->call_cnt = 0;
}

const struct df_call_consts *df_consts_at(const struct df_consts *c, uint32_t pc)
{
	uint32_t lo = 0, hi = c->call_cnt;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (c->calls[mid].pc < pc)
			lo = mid + 1;
		else if (c->calls[mid].pc > pc)
			hi = mid;
		else
			return &c->calls[mid];
	}
	return NULL;
}

bool df_callback_helper(const struct df_insn *insn, int *cb_reg,
			int *caller_reg, int *callee_reg)
{
	if (insn->code != (DF_JMP | DF_CALL) || insn->src_reg != DF_PSEUDO_HELPER)
		return false;
	switch (insn->imm) {
	case 181:	/* bpf_loop(nr, cb, ctx, flags) */
	case 209:	/* bpf_user_ringbuf_drain(map, cb, ctx, flags) */
		*cb_reg = 2, *caller_reg = 3, *callee_reg = 2;
		return true;
	case 164:	/* bpf_for_each_map_elem(map, cb, ctx, flags) */
		*cb_reg = 2, *caller_reg = 3, *callee_reg = 4;
		return true;
	case 180:	/* bpf_find_vma(task, addr, cb, ctx, flags) */
		*cb_reg = 3, *caller_reg = 4, *callee_reg = 3;
		return true;
	default:
		return false;
	}
}

int df_callback_subprog(const struct df_prog *prog, const struct df_consts *c,
			uint32_t pc, int *caller_reg, int *callee_reg)
{
	const struct df_call_consts *cc;
	int cb;

	if (!df_callback_helper(&prog->insns[pc], &cb, caller_reg, callee_reg))
		return -1;
	cc = df_consts_at(c, pc);
	if (!cc || cc->r[cb].kind != DF_CV_FUNC)
		return -2;
	return (int)cc->r[cb].val;
}
