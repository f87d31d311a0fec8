/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the files of the dataflow engine share: the solver, its block
 * layout and its contexts. Storage scheme and iteration: docs/engine.md.
 */
#ifndef DF_ENGINE_INT_H
#define DF_ENGINE_INT_H

#include "internal.h"

#define DF_NONE		UINT32_MAX
#define DF_MAX_TARGETS	16	/* subprograms one call may enter */
/* A fall-through chain stops storing nothing after this many slots. */
#define DF_CHAIN_LIMIT	64

enum df_blk_kind {
	DF_BLK_DEAD,	/* unreachable from its subprogram's entry */
	DF_BLK_ROOT,	/* in-state stored per context */
	DF_BLK_CHAIN,	/* in-state recomputed from the neighbouring block */
};

/* The solver's view of one CFG block. */
struct df_blk {
	uint32_t start;
	uint32_t last_pc;	/* first slot of the last instruction */
	uint32_t root;		/* ROOT: slot among its subprogram's roots */
	uint32_t prio;		/* ROOT: worklist priority (RPO or postorder rank) */
	uint32_t flow;		/* its flows: flow[flow .. this[1].flow) */
	uint32_t call_idx;	/* its first call among its subprogram's calls */
	uint8_t kind;
	bool widen;		/* widening point */
	bool exit;		/* ends in exit */
	bool call;		/* holds a call instruction */
};

struct df_ssub {
	uint32_t root_base, root_cnt;	/* into root_block[] and prio_root[] */
	uint32_t exit_base, exit_cnt;	/* into exit_roots[] */
	uint32_t call_base;		/* into call_pc[] */
	uint32_t call_cnt;		/* call instructions in reachable blocks */
	bool seeded;			/* analysed from boundary() */
	bool entered;			/* some context exists (callsite-depth) */
	bool entry_flows;		/* a flow reaches the entry block: keep seeds */
};

struct df_sctx {
	uint32_t subprog, depth, callsite, parent, variant;
	uint32_t chain_len;
	uint32_t chain[DF_MAX_CALL_FRAMES];
	uint8_t *states;	/* root_cnt states */
	uint32_t *visits;	/* per root: segment visits */
	uint32_t *joins;	/* per root: flows in (for widening) */
	uint64_t *reached;	/* per root bit */
	uint64_t *pending;	/* per priority bit: on the worklist */
	uint32_t cursor;	/* no pending bit below */
	bool active;		/* on the context heap */
	uint8_t *seed;		/* callsite-depth: the entry state, when entry_flows */
	uint8_t *summary;	/* insensitive/call strings: callee result */
	bool summary_reached;
	uint32_t dep_head;	/* callers reading the summary */
	uint32_t hash_next;
};

struct df_dep {
	uint32_t callee, ctx, prio, next;	/* ctx re-runs prio when callee's summary grows */
};

/*
 * Per-depth scratch of the callsite-depth descent. While the context of a
 * depth is solved, each visit of a segment saves the state before each of
 * its calls (calls[i] for the subprogram's call i), so that following the
 * calls of the converged context needs no replay.
 */
struct df_level {
	uint8_t *a, *entry;
	uint8_t *calls;
	uint32_t call_cap;	/* states calls[] holds */
	uint32_t ctx;		/* the context calls[] belongs to */
	bool saving;		/* calls[] is in use (else: replay) */
};

struct df_solver {
	const struct df_prog *prog;
	const struct df_cfg *cfg;
	const struct df_analysis *orig;
	struct df_analysis a;		/* copy, fields past orig->sz zeroed */
	struct df_solver_opts o;
	const struct df_solver **deps;
	uint32_t dep_cnt;
	enum df_ctx_mode mode;
	bool backward, interproc;
	size_t ssz;
	void *priv;

	struct df_blk *blk;
	struct df_ssub *sub;
	uint32_t *root_block, *prio_root, *exit_roots;
	uint32_t *call_pc;		/* the calls of reachable blocks, in program order */
	uint32_t *flow;			/* root blocks each block flows into */
	uint32_t root_total;

	struct df_sctx *ctx;
	uint32_t ctx_cnt, ctx_cap;
	struct df_arena arena;		/* the layout's and the contexts' arrays */
	uint32_t *htab;			/* context interning, ids + 1 */
	uint32_t hcap;

	struct df_dep *dep;
	uint32_t dep_cnt_used;
	uint32_t *dtab;			/* dependency dedup, ids + 1 */
	uint32_t dcap;

	uint64_t *heap;			/* contexts with pending work */
	uint32_t heap_cnt, heap_cap;

	uint8_t *wa, *wb, *tmp, *old, *acc, *cret;	/* solve scratch */
	uint8_t *q[4];			/* query scratch */
	bool q_busy;
	struct df_level lvl[DF_MAX_CALL_FRAMES + 1];

	uint64_t steps, events;
	uint32_t cur_prio;		/* priority of the segment being solved */
	int err;
	bool solved;
};

static inline uint8_t *df_root_state(const struct df_solver *s,
				     const struct df_sctx *x, uint32_t slot)
{
	return x->states + (size_t)slot * s->ssz;
}

static inline bool df_bit(const uint64_t *m, uint32_t i)
{
	return m[i / 64] >> (i % 64) & 1;
}

static inline void df_bit_set(uint64_t *m, uint32_t i)
{
	m[i / 64] |= 1ull << (i % 64);
}

static inline void df_bit_clear(uint64_t *m, uint32_t i)
{
	m[i / 64] &= ~(1ull << (i % 64));
}

static inline bool df_is_call(const struct df_insn *in)
{
	return in->code == (DF_JMP | DF_CALL);
}

/* solver.c */
int df_analysis_check(const struct df_analysis *a, struct df_analysis *copy);

/* layout.c */
int df_layout(struct df_solver *s);

/* The instruction before pc in a block starting at start. */
static inline uint32_t df_prev_pc(const struct df_solver *s, uint32_t start, uint32_t pc)
{
	if (pc >= start + 2 && df_insn_is_ldimm64(&s->prog->insns[pc - 2]))
		return pc - 2;
	return pc - 1;
}

/* engine.c */
void df_ctx_release(struct df_sctx *x);
void df_converged(struct df_solver *s, uint32_t ci);
void df_boundary(struct df_solver *s, uint32_t ci, void *st);
void df_ctx_fill(const struct df_solver *s, uint32_t ci, struct df_ctx *c);
void df_trace_ev(struct df_solver *s, const struct df_ctx *c,
		 enum df_event_kind kind, uint32_t block, uint32_t pc,
		 uint32_t to_pc, const void *old_state, const void *new_state,
		 bool changed);
int df_ctx_new(struct df_solver *s, uint32_t subprog, uint32_t depth,
	       uint32_t callsite, uint32_t parent, uint32_t *out);
void df_ctx_seed(struct df_solver *s, uint32_t ci, const void *st);
bool df_root_join(struct df_solver *s, uint32_t ci, uint32_t block,
		  const void *src, uint32_t from_pc);
void df_push(struct df_solver *s, uint32_t ci, uint32_t prio);
int df_drain(struct df_solver *s);
void df_copy_or(const struct df_solver *s, const struct df_ctx *c, void *dst,
		const void *src, bool *have);

/* solver_interproc.c */
bool df_call_step(struct df_solver *s, const struct df_ctx *c, uint32_t pc,
		  const void *in, void *out, bool replay);
void df_summary_join(struct df_solver *s, uint32_t ci, const void *st);
int df_solve_callsite_depth(struct df_solver *s);
uint32_t df_resolve(struct df_solver *s, const struct df_ctx *c, uint32_t pc,
		    const void *at_call, uint32_t *subs);

/* One instruction in -> out; false when nothing flows on (see df_call_step). */
static inline bool df_step(struct df_solver *s, const struct df_ctx *c,
			   uint32_t pc, const void *in, void *out, bool replay)
{
	if (s->interproc && df_is_call(&s->prog->insns[pc]))
		return df_call_step(s, c, pc, in, out, replay);
	s->a.transfer(c, pc, in, out);
	if (s->o.trace && !replay)
		df_trace_ev(s, c, DF_EV_TRANSFER, s->cfg->block_of[pc], pc, pc,
			    in, out, true);
	return true;
}

/*
 * The same on *cur in place (transfer() accepts in == out) where nothing
 * needs the state before it: a call that crosses contexts and a traced
 * transfer go through *nxt, and the two are swapped.
 */
static inline bool df_step_cur(struct df_solver *s, const struct df_ctx *c,
			       uint32_t pc, uint8_t **cur, uint8_t **nxt,
			       bool replay)
{
	uint8_t *t;

	if (!(s->interproc && df_is_call(&s->prog->insns[pc])) &&
	    (replay || !s->o.trace)) {
		s->a.transfer(c, pc, *cur, *cur);
		return true;
	}
	if (!df_step(s, c, pc, *cur, *nxt, replay))
		return false;
	t = *cur;
	*cur = *nxt;
	*nxt = t;
	return true;
}

#endif
