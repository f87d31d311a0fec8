/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Control-flow graph: subprogram discovery, the kernel's structural checks,
 * basic blocks, edges and per-subprogram depth-first orders. Every pass is
 * a loop over slots, blocks or edges; nothing recurses on program size.
 */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>

enum {
	SLOT_SECOND = 1,	/* second slot of ld_imm64 */
	SLOT_SUBPROG = 2,	/* a subprogram starts here */
	SLOT_LEADER = 4,	/* a block starts here */
	SLOT_CALLED = 8,	/* target of a pseudo call */
	SLOT_CALLBACK = 16,	/* address taken by ld_imm64 func */
};

/* How an instruction ends a block, if it does. */
enum term {
	T_NONE,
	T_COND,		/* conditional jump or may_goto: two successors */
	T_GOTO,		/* JA or gotol */
	T_EXIT,
	T_CALL,		/* pseudo call: successor pc+1, plus call/return edges */
	T_GOTOX,	/* indirect jump: not supported */
};

/*
 * Return edges multiply (exit blocks of a callee times its call sites); this
 * bounds the memory an adversarial program can make us allocate (1 GiB).
 */
#define CFG_MAX_EDGES	(1u << 26)

struct cfg_priv {
	struct df_cfg pub;
	uint32_t *rpo_pool;
	uint32_t *adj_pool;	/* succ lists, then pred lists */
	/* the arrays above and those of pub but topo, and the builder's flags */
	struct df_arena arena;
	/* df_cfg_build_why(): where the first error goes instead of the print callback */
	long *why_pc;
	char *why;
	size_t why_len;
};

struct builder {
	const struct df_prog *prog;
	struct cfg_priv *priv;
	struct df_cfg *cfg;
	uint8_t *flags;
	uint32_t n;
	uint32_t *refs;		/* pseudo calls and ld_imm64 func, in program order */
	uint32_t ref_cnt;
	uint32_t subprog_cnt, leader_cnt;	/* slots flagged SLOT_SUBPROG, SLOT_LEADER */
};

static inline enum term insn_term(const struct df_insn *in)
{
	uint8_t cls = DF_CLASS(in->code);

	if (cls != DF_JMP && cls != DF_JMP32)
		return T_NONE;
	if (DF_CLASS(in->code) == DF_JMP && DF_OP(in->code) == DF_JA &&
	    DF_SRC(in->code) == DF_X)
		return T_GOTOX;
	if (df_insn_is_jump(in))
		return df_insn_is_cond_jump(in) ? T_COND : T_GOTO;
	if (df_insn_is_exit(in))
		return T_EXIT;
	if (df_insn_is_pseudo_call(in))
		return T_CALL;
	return T_NONE;
}

static bool is_subprog_ref(const struct df_insn *in)
{
	return df_insn_is_pseudo_call(in) || df_insn_is_pseudo_func(in);
}

static bool is_last_ok(uint8_t code)
{
	return code == (DF_JMP | DF_EXIT) || code == (DF_JMP | DF_JA) ||
	       code == (DF_JMP32 | DF_JA);
}

/* The start of the instruction holding slot pc. */
static uint32_t insn_start(const struct builder *b, uint32_t pc)
{
	return (b->flags[pc] & SLOT_SECOND) ? pc - 1 : pc;
}

/* The first slot at or after pc (or n) whose flags have one of the bits of bit. */
static uint32_t next_flagged(const struct builder *b, uint32_t pc, uint8_t bit)
{
	uint64_t rep = 0x0101010101010101ull * bit;

	while (pc < b->n && (pc & 7))
		if (b->flags[pc++] & bit)
			return pc - 1;
	while (pc + 8 <= b->n) {
		uint64_t w;

		memcpy(&w, b->flags + pc, 8);
		if (w & rep)
			break;
		pc += 8;
	}
	while (pc < b->n && !(b->flags[pc] & bit))
		pc++;
	return pc;
}

/*
 * Mark ld_imm64 second slots and subprogram starts, and list the subprogram
 * references (one pass over the instructions: the list is short).
 */
static int find_subprogs(struct builder *b)
{
	const struct df_insn *insns = b->prog->insns;
	uint32_t pc, n = b->n, i;

	for (pc = 0; pc < n; pc += df_insn_slots(&insns[pc])) {
		const struct df_insn *in = &insns[pc];

		if (df_insn_is_ldimm64(in)) {
			if (pc + 1 >= n) {
				df_cfg_err(b->cfg, pc, "invalid bpf_ld_imm64 insn");
				return -EINVAL;
			}
			b->flags[pc + 1] |= SLOT_SECOND;
		}
		if (!is_subprog_ref(in))
			continue;
		if (df_array_push(b->refs, b->ref_cnt))
			return -ENOMEM;
		b->refs[b->ref_cnt++] = pc;
	}
	b->flags[0] |= SLOT_SUBPROG;
	b->subprog_cnt = 1;
	for (i = 0; i < b->ref_cnt; i++) {
		const struct df_insn *in;
		int64_t t;

		pc = b->refs[i];
		in = &insns[pc];
		t = (int64_t)pc + in->imm + 1;
		if (t < 0 || t >= n || (b->flags[t] & SLOT_SECOND)) {
			df_cfg_err(b->cfg, pc, "call to invalid destination");
			return -EINVAL;
		}
		b->subprog_cnt += !(b->flags[t] & SLOT_SUBPROG);
		b->flags[t] |= SLOT_SUBPROG |
			       (df_insn_is_ldimm64(in) ? SLOT_CALLBACK : SLOT_CALLED);
	}
	return 0;
}

static int make_subprogs(struct builder *b)
{
	struct df_cfg *cfg = b->cfg;
	uint32_t pc, cnt = b->subprog_cnt, s;

	cfg->subprogs = df_arena_zalloc(&b->priv->arena, cnt * sizeof(*cfg->subprogs));
	if (!cfg->subprogs)
		return -ENOMEM;
	cfg->subprog_cnt = cnt;
	for (pc = 0, s = 0; (pc = next_flagged(b, pc, SLOT_SUBPROG)) < b->n; pc++) {
		struct df_subprog *sp = &cfg->subprogs[s];
		const struct df_func *f;

		if (s)
			cfg->subprogs[s - 1].end = pc;
		sp->start = pc;
		sp->arg_cnt = -1;
		sp->linkage = DF_LINKAGE_UNKNOWN;
		if (!s)
			sp->kind = DF_SUBPROG_MAIN;
		else if (b->flags[pc] & SLOT_CALLBACK)
			sp->kind = DF_SUBPROG_CALLBACK;
		else
			sp->kind = DF_SUBPROG_CALLED;
		f = df_prog_func_at(b->prog, pc);
		if (f && f->start == pc) {
			sp->name = f->name;
			sp->arg_cnt = f->arg_cnt;
			sp->linkage = f->linkage;
		}
		s++;
	}
	cfg->subprogs[cnt - 1].end = b->n;
	return 0;
}

static inline void mark_leader(struct builder *b, uint32_t pc)
{
	b->leader_cnt += !(b->flags[pc] & SLOT_LEADER);
	b->flags[pc] |= SLOT_LEADER;
}

/* The checks and leaders of one slot that ends a block or its subprogram. */
static int check_insn(struct builder *b, const struct df_subprog *sp, uint32_t pc,
		      enum term term)
{
	const struct df_insn *in = &b->prog->insns[pc];

	if (b->flags[pc] & SLOT_SECOND)
		term = T_NONE;
	if (term == T_GOTOX) {
		df_cfg_err(b->cfg, pc, "indirect jump (gotox) is not supported");
		return -EOPNOTSUPP;
	}
	if (term == T_COND || term == T_GOTO) {
		int64_t t = df_insn_jump_target(in, pc);

		if (t < sp->start || t >= sp->end) {
			df_cfg_err(b->cfg, pc, "jump out of range from insn %u to %lld",
				   pc, (long long)t);
			return -EINVAL;
		}
		if (b->flags[t] & SLOT_SECOND) {
			df_cfg_err(b->cfg, pc, "jump into the middle of ldimm64 insn %lld",
				   (long long)t - 1);
			return -EINVAL;
		}
		mark_leader(b, (uint32_t)t);
	}
	if (term != T_NONE && pc + 1 < b->n)
		mark_leader(b, pc + 1);
	if (pc == sp->end - 1 && !is_last_ok(in->code)) {
		df_cfg_err(b->cfg, insn_start(b, pc), "last insn is not an exit or jmp");
		return -EINVAL;
	}
	return 0;
}

/*
 * The kernel's per-subprogram checks, in its order (slot by slot), and
 * block leaders: jump targets and whatever follows a jump, an exit or a
 * pseudo call.
 */
static int check_subprogs(struct builder *b)
{
	const struct df_insn *insns = b->prog->insns;
	const struct df_subprog *sp = b->cfg->subprogs, *sp_end = sp + b->cfg->subprog_cnt;
	uint32_t pc = 0;

	for (; sp < sp_end; sp++) {
		mark_leader(b, sp->start);
		for (pc = sp->start; pc < sp->end; pc++) {
			const struct df_insn *in = &insns[pc];
			enum term term = insn_term(in);
			int err;

			if (term == T_NONE && pc != sp->end - 1)
				continue;
			err = check_insn(b, sp, pc, term);
			if (err)
				return err;
		}
	}
	return 0;
}

static int make_blocks(struct builder *b)
{
	struct df_cfg *cfg = b->cfg;
	uint32_t pc, cnt = b->leader_cnt, id = UINT32_MAX, s = UINT32_MAX;

	/* one piece: blocks[], block_of[] */
	cfg->blocks = df_arena_zalloc(&b->priv->arena, cnt * sizeof(*cfg->blocks) +
				      (size_t)b->n * sizeof(*cfg->block_of));
	if (!cfg->blocks)
		return -ENOMEM;
	cfg->block_of = (uint32_t *)(void *)(cfg->blocks + cnt);
	cfg->block_cnt = cnt;
	/* slot 0 leads a block: the subprogram start */
	for (pc = 0; pc < b->n;) {
		uint32_t next = next_flagged(b, pc + 1, SLOT_LEADER);

		if (b->flags[pc] & SLOT_SUBPROG) {
			s++;
			cfg->subprogs[s].first_block = id + 1;
		}
		id++;
		cfg->blocks[id].start = pc;
		cfg->blocks[id].end = next;
		cfg->blocks[id].subprog = s;
		cfg->subprogs[s].block_cnt++;
		for (; pc < next; pc++)
			cfg->block_of[pc] = id;
	}
	return 0;
}

static int make_calls(struct builder *b)
{
	const struct df_insn *insns = b->prog->insns;
	struct df_cfg *cfg = b->cfg;

	if (!b->ref_cnt)
		return 0;
	cfg->calls = df_arena_zalloc(&b->priv->arena, b->ref_cnt * sizeof(*cfg->calls));
	if (!cfg->calls)
		return -ENOMEM;
	for (uint32_t i = 0; i < b->ref_cnt; i++) {
		uint32_t pc = b->refs[i];
		const struct df_insn *in = &insns[pc];
		struct df_call *c;

		c = &cfg->calls[cfg->call_cnt++];
		c->pc = pc;
		c->caller = cfg->blocks[cfg->block_of[pc]].subprog;
		c->callee = cfg->blocks[cfg->block_of[pc + in->imm + 1]].subprog;
		c->callback = df_insn_is_ldimm64(in);
	}
	return 0;
}

/* Last instruction of a block. */
static const struct df_insn *block_last(const struct builder *b,
					const struct df_block *blk, uint32_t *pc)
{
	*pc = insn_start(b, blk->end - 1);
	return &b->prog->insns[*pc];
}

/* Intra-procedural successors of a block: count and, with out, the edges. */
static uint32_t intra_succ(const struct builder *b, uint32_t id,
			   struct df_edge *out)
{
	const struct df_cfg *cfg = b->cfg;
	const struct df_block *blk = &cfg->blocks[id];
	const struct df_subprog *sp = &cfg->subprogs[blk->subprog];
	const struct df_insn *in;
	uint32_t pc, cnt = 0;
	enum term term;

	in = block_last(b, blk, &pc);
	term = insn_term(in);
	if (term != T_GOTO && term != T_EXIT && blk->end < sp->end) {
		if (out)
			out[cnt] = (struct df_edge){ id, cfg->block_of[blk->end],
						     DF_EDGE_FALLTHROUGH, false };
		cnt++;
	}
	if (term == T_COND || term == T_GOTO) {
		if (out)
			out[cnt] = (struct df_edge){ id, cfg->block_of[df_insn_jump_target(in, pc)],
						     DF_EDGE_TAKEN, false };
		cnt++;
	}
	if (term == T_CALL) {
		if (out)
			out[cnt] = (struct df_edge){ id, cfg->block_of[pc + in->imm + 1],
						     DF_EDGE_CALL, false };
		cnt++;
	}
	return cnt;
}

static bool is_exit_block(const struct builder *b, const struct df_block *blk)
{
	uint32_t pc;

	return insn_term(block_last(b, blk, &pc)) == T_EXIT;
}

/*
 * Edges grouped by their source block, in block order: fallthrough, taken,
 * call, then from an exit block one return edge per call site of its
 * subprogram. The pseudo calls to each subprogram come from a counting sort.
 */
static int make_edges(struct builder *b)
{
	struct df_cfg *cfg = b->cfg;
	uint32_t *call_first = NULL, *by_callee = NULL, *fill = NULL;
	uint32_t i, S = cfg->subprog_cnt, B = cfg->block_cnt;
	uint64_t total = 0;

	/* one piece: call_first[], fill[], by_callee[] */
	call_first = df_arena_zalloc(&b->priv->arena, (2 * ((size_t)S + 1) + cfg->call_cnt) *
				     sizeof(*call_first));
	if (!call_first)
		return -ENOMEM;
	fill = call_first + S + 1;
	by_callee = fill + S + 1;
	for (i = 0; i < cfg->call_cnt; i++)
		if (!cfg->calls[i].callback)
			call_first[cfg->calls[i].callee + 1]++;
	for (i = 0; i < S; i++)
		call_first[i + 1] += call_first[i];
	memcpy(fill, call_first, ((size_t)S + 1) * sizeof(*fill));
	for (i = 0; i < cfg->call_cnt; i++)
		if (!cfg->calls[i].callback)
			by_callee[fill[cfg->calls[i].callee]++] = i;

	for (i = 0; i < B; i++) {
		uint32_t s = cfg->blocks[i].subprog;

		total += intra_succ(b, i, NULL);
		if (is_exit_block(b, &cfg->blocks[i]))
			total += call_first[s + 1] - call_first[s];
	}
	if (total > CFG_MAX_EDGES) {
		df_cfg_err(b->cfg, -1, "control-flow graph too large (%llu edges)",
			   (unsigned long long)total);
		return -E2BIG;
	}
	cfg->edges = df_arena_zalloc(&b->priv->arena, (total ? total : 1) * sizeof(*cfg->edges));
	if (!cfg->edges)
		return -ENOMEM;
	for (i = 0; i < B; i++) {
		struct df_block *blk = &cfg->blocks[i];
		uint32_t s = blk->subprog, k;

		cfg->edge_cnt += intra_succ(b, i, cfg->edges + cfg->edge_cnt);
		if (!is_exit_block(b, blk))
			continue;
		for (k = call_first[s]; k < call_first[s + 1]; k++) {
			const struct df_call *c = &cfg->calls[by_callee[k]];

			cfg->edges[cfg->edge_cnt++] = (struct df_edge){
				i, cfg->block_of[c->pc + 1], DF_EDGE_RETURN, false };
		}
	}
	return 0;
}

/* succ lists are the edges in order; pred lists come from a counting sort. */
static int make_adjacency(struct builder *b)
{
	struct df_cfg *cfg = b->cfg;
	uint32_t i, E = cfg->edge_cnt, B = cfg->block_cnt;
	uint32_t *succ, *pred;

	b->priv->adj_pool = df_arena_zalloc(&b->priv->arena,
					    ((size_t)E * 2 + 1) * sizeof(uint32_t));
	if (!b->priv->adj_pool)
		return -ENOMEM;
	succ = b->priv->adj_pool;
	pred = succ + E;
	for (i = 0; i < E; i++) {
		struct df_edge *e = &cfg->edges[i];

		succ[i] = i;
		if (!cfg->blocks[e->from].succ_cnt++)
			cfg->blocks[e->from].succ = &succ[i];
		cfg->blocks[e->to].pred_cnt++;
	}
	for (i = 0; i < B; i++) {
		cfg->blocks[i].pred = pred;
		pred += cfg->blocks[i].pred_cnt;
		cfg->blocks[i].pred_cnt = 0;
	}
	for (i = 0; i < E; i++) {
		struct df_block *to = &cfg->blocks[cfg->edges[i].to];

		to->pred[to->pred_cnt++] = i;
	}
	return 0;
}

enum { WHITE, GREY, BLACK };

/*
 * Per subprogram, an explicit-stack DFS over fallthrough and taken edges
 * (fallthrough first, as the kernel explores): postorder, reachability and
 * retreating edges. The postorder is written into the subprogram's slice of
 * the pool and reversed in place.
 */
static int dfs_orders(struct builder *b)
{
	struct df_cfg *cfg = b->cfg;
	uint32_t B = cfg->block_cnt, s, used = 0;
	uint32_t *stack, *it, *pool;
	uint8_t *color;

	/* the scratch arrays live as long as the CFG: B * 9 bytes */
	/* one piece: pool[], stack[], it[], color[] */
	pool = b->priv->rpo_pool = df_arena_zalloc(&b->priv->arena, (size_t)B * 13);
	if (!pool)
		return -ENOMEM;
	stack = pool + B;
	it = stack + B;
	color = (uint8_t *)(it + B);
	for (s = 0; s < cfg->subprog_cnt; s++) {
		struct df_subprog *sp = &cfg->subprogs[s];
		uint32_t root = sp->first_block, sp_top = 0, i, j;

		sp->rpo = pool + used;
		stack[sp_top++] = root;
		color[root] = GREY;
		while (sp_top) {
			uint32_t u = stack[sp_top - 1];
			struct df_block *blk = &cfg->blocks[u];
			struct df_edge *e;

			if (it[u] == blk->succ_cnt) {
				color[u] = BLACK;
				blk->reachable = true;
				pool[used + sp->rpo_cnt++] = u;
				sp_top--;
				continue;
			}
			e = &cfg->edges[blk->succ[it[u]++]];
			if (e->kind != DF_EDGE_FALLTHROUGH && e->kind != DF_EDGE_TAKEN)
				continue;
			if (color[e->to] == WHITE) {
				color[e->to] = GREY;
				stack[sp_top++] = e->to;
			} else if (color[e->to] == GREY) {
				e->back = true;
			}
		}
		for (i = 0, j = sp->rpo_cnt; i + 1 < j; i++, j--) {
			uint32_t t = sp->rpo[i];

			sp->rpo[i] = sp->rpo[j - 1];
			sp->rpo[j - 1] = t;
		}
		used += sp->rpo_cnt;
	}
	return 0;
}

void df_cfg_free(struct df_cfg *cfg)
{
	struct cfg_priv *priv = (struct cfg_priv *)cfg;
	struct df_arena a;

	if (!cfg)
		return;
	free(cfg->topo);
	/* priv is in its arena */
	a = priv->arena;
	df_arena_free(&a);
}

void df_cfg_err(const struct df_cfg *cfg, long pc, const char *fmt, ...)
{
	const struct cfg_priv *priv = (const struct cfg_priv *)cfg;
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!priv->why) {
		df_prog_err(cfg->prog, pc, "%s", msg);
		return;
	}
	if (*priv->why_pc == -1 && !priv->why[0]) {
		*priv->why_pc = pc;
		snprintf(priv->why, priv->why_len, "%s", msg);
	}
}

static int build(const struct df_prog *prog, struct df_cfg **out, long *why_pc,
		 char *why, size_t why_len)
{
	struct builder b = { .prog = prog };
	struct df_arena a = { 0 };
	int err;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!prog)
		return -EINVAL;
	if (!prog->insn_cnt || !prog->insns) {
		if (why)
			snprintf(why, why_len, "empty program");
		else
			df_prog_err(prog, -1, "empty program");
		return -EINVAL;
	}
	b.n = prog->insn_cnt;
	b.priv = df_arena_zalloc(&a, sizeof(*b.priv));
	if (!b.priv)
		return -ENOMEM;
	b.priv->arena = a;
	b.priv->why_pc = why_pc;
	b.priv->why = why;
	b.priv->why_len = why_len;
	b.cfg = &b.priv->pub;
	b.cfg->prog = prog;
	b.flags = df_arena_zalloc(&b.priv->arena, b.n);
	if (!b.flags) {
		err = -ENOMEM;
		goto out;
	}
	err = find_subprogs(&b);
	if (!err)
		err = make_subprogs(&b);
	if (!err)
		err = check_subprogs(&b);
	if (!err)
		err = make_blocks(&b);
	if (!err)
		err = make_calls(&b);
	if (!err)
		err = df_cfg_callgraph(b.cfg);
	if (!err)
		err = make_edges(&b);
	if (!err)
		err = make_adjacency(&b);
	if (!err)
		err = dfs_orders(&b);
out:
	free(b.refs);
	b.priv->why = NULL;
	if (err) {
		df_cfg_free(b.cfg);
		return err;
	}
	*out = b.cfg;
	return 0;
}

int df_cfg_build(const struct df_prog *prog, struct df_cfg **out)
{
	return build(prog, out, NULL, NULL, 0);
}

int df_cfg_build_why(const struct df_prog *prog, struct df_cfg **out, long *pc,
		     char *why, size_t why_len)
{
	*pc = -1;
	if (why_len)
		why[0] = 0;
	return build(prog, out, pc, why_len ? why : NULL, why_len);
}

uint32_t df_cfg_subprog_of(const struct df_cfg *cfg, uint32_t pc)
{
	if (!cfg || pc >= cfg->prog->insn_cnt)
		return UINT32_MAX;
	return cfg->blocks[cfg->block_of[pc]].subprog;
}

const char *df_edge_kind_name(enum df_edge_kind kind)
{
	switch (kind) {
	case DF_EDGE_FALLTHROUGH:
		return "fallthrough";
	case DF_EDGE_TAKEN:
		return "taken";
	case DF_EDGE_CALL:
		return "call";
	case DF_EDGE_RETURN:
		return "return";
	}
	return "unknown";
}

static const char *kind_name(enum df_subprog_kind kind)
{
	switch (kind) {
	case DF_SUBPROG_MAIN:
		return "main";
	case DF_SUBPROG_CALLED:
		return "called";
	case DF_SUBPROG_CALLBACK:
		return "callback";
	}
	return "unknown";
}

static void dump_block(FILE *f, const struct df_cfg *cfg, uint32_t id)
{
	const struct df_block *blk = &cfg->blocks[id];
	uint32_t k;

	fprintf(f, "block %u [%u,%u)%s", id, blk->start, blk->end,
		blk->reachable ? "" : " unreachable");
	for (k = 0; k < blk->succ_cnt; k++) {
		const struct df_edge *e = &cfg->edges[blk->succ[k]];

		fprintf(f, "%s%u %s%s", k ? ", " : " -> ", e->to,
			df_edge_kind_name(e->kind), e->back ? " back" : "");
	}
	fputc('\n', f);
}

int df_cfg_dump(FILE *f, const struct df_cfg *cfg)
{
	uint32_t s, k;

	for (s = 0; s < cfg->subprog_cnt; s++) {
		const struct df_subprog *sp = &cfg->subprogs[s];

		fprintf(f, "subprog %u %s [%u,%u) %s", s, sp->name ? sp->name : "-",
			sp->start, sp->end, kind_name(sp->kind));
		if (sp->arg_cnt >= 0)
			fprintf(f, " args %d", sp->arg_cnt);
		if (sp->linkage == DF_LINKAGE_STATIC)
			fputs(" static", f);
		else if (sp->linkage == DF_LINKAGE_GLOBAL)
			fputs(" global", f);
		fputs("\nrpo", f);
		for (k = 0; k < sp->rpo_cnt; k++)
			fprintf(f, " %u", sp->rpo[k]);
		fputc('\n', f);
		for (k = 0; k < sp->block_cnt; k++)
			dump_block(f, cfg, sp->first_block + k);
	}
	for (k = 0; k < cfg->call_cnt; k++) {
		const struct df_call *c = &cfg->calls[k];

		fprintf(f, "%s %u %u -> %u\n", c->callback ? "callback" : "call",
			c->pc, c->caller, c->callee);
	}
	fputs("topo", f);
	for (s = 0; s < cfg->subprog_cnt; s++)
		fprintf(f, " %u", cfg->topo[s]);
	fprintf(f, "\ndepth %u\n", cfg->max_call_depth);
	return ferror(f) ? -EIO : 0;
}
