/* SPDX-License-Identifier: BSD-2-Clause */
/* Internal interfaces of arg tracking, shared with the stack liveness. */
#ifndef DF_ARGTRACK_INT_H
#define DF_ARGTRACK_INT_H

#include "argtrack.h"

#include <string.h>

/* ---- argtrack_lattice.c: values (canonical: unused bytes zero) ---- */
static inline struct df_arg df_arg_none(void)
{
	return (struct df_arg){ .frame = DF_ARG_NONE };
}

static inline struct df_arg df_arg_unvisited(void)
{
	return (struct df_arg){ .frame = DF_ARG_UNVISITED };
}

static inline struct df_arg df_arg_single(int frame, int16_t off)
{
	struct df_arg a = { .frame = (int8_t)frame, .off_cnt = 1 };

	a.off[0] = off;
	return a;
}

static inline struct df_arg df_arg_off_imprecise(int frame)
{
	return (struct df_arg){ .frame = (int8_t)frame };
}

static inline struct df_arg df_arg_imprecise(uint16_t mask)
{
	struct df_arg a = { .frame = DF_ARG_IMPRECISE };

	a.mask = mask;
	return a;
}

/* Offsets sorted and distinct; n > 4 gives offset-imprecise. */
struct df_arg df_arg_offsets(int frame, const int16_t *off, int n);
/* The join of two values that differ and are both visited. */
struct df_arg df_arg_join_slow(struct df_arg a, struct df_arg b);

/* Bitwise equality; the same as df_arg_equal() on canonical values. */
static inline bool df_arg_same(const struct df_arg *a, const struct df_arg *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/* The join without side effects. */
static inline struct df_arg df_arg_join_val(struct df_arg a, struct df_arg b)
{
	if (b.frame == DF_ARG_UNVISITED || df_arg_same(&a, &b))
		return a;
	if (a.frame == DF_ARG_UNVISITED)
		return b;
	return df_arg_join_slow(a, b);
}
/* May point into some frame's stack (frame >= 0 or imprecise). */
static inline bool df_arg_is_fp(const struct df_arg *a)
{
	return a->frame >= 0 || a->frame == DF_ARG_IMPRECISE;
}

/* ---- argtrack_xfer.c: the transfer function of one instruction ---- */
struct df_at_env {
	int depth;			/* frame number of the context */
	const struct df_arg *in_sa;	/* incoming stack args sa0..6 */
	/* spill slots of frame f < depth at the call that created frame f+1 */
	const struct df_arg *(*parent_spills)(void *cookie, int frame);
	void *cookie;
};
void df_at_xfer(const struct df_at_env *env, const struct df_insn *insn,
		struct df_argtrack_state *st);
/* s16 addition; true on overflow (delta not an s16 included). */
bool df_arg_add(int16_t off, int64_t delta, int16_t *out);
/* Stack-argument insns through r11. */
bool df_insn_is_stack_arg(const struct df_insn *insn);

/* ---- argtrack_const.c: per-subprogram constant registers ---- */
enum df_cval_kind {
	DF_CV_UNVISITED,
	DF_CV_SCALAR,		/* val: a known 64-bit value */
	DF_CV_MAP,		/* val: index into prog->obj->maps */
	DF_CV_FUNC,		/* val: cfg subprogram id */
	DF_CV_VARYING,
};

struct df_cval {
	int64_t val;
	uint8_t kind;
};

/* Values of r0..r5 before a call instruction. */
struct df_call_consts {
	uint32_t pc;
	struct df_cval r[6];
};

struct df_consts {
	struct df_call_consts *calls;	/* sorted by pc */
	uint32_t call_cnt;
};

int df_consts_compute(const struct df_prog *prog, const struct df_cfg *cfg,
		      struct df_consts *out);
void df_consts_free(struct df_consts *c);
const struct df_call_consts *df_consts_at(const struct df_consts *c, uint32_t pc);

/* ---- callbacks (semantics §2.4) ---- */
/*
 * For a helper call that runs a callback synchronously: the register
 * holding the callback, the register forwarded to it and the register it
 * arrives in. false for other instructions.
 */
bool df_callback_helper(const struct df_insn *insn, int *cb_reg,
			int *caller_reg, int *callee_reg);
/*
 * Callback subprogram of the call at pc: its cfg id, -1 when the call runs
 * no callback, -2 when the callback is not a known constant.
 */
int df_callback_subprog(const struct df_prog *prog, const struct df_consts *c,
			uint32_t pc, int *caller_reg, int *callee_reg);

/* ---- argtrack.c: the analysis' private data ---- */
/* The kernel's limit on instance analyses (one per context). */
#define DF_ARGTRACK_MAX_ANALYSES 10000

struct df_at_record {
	struct df_argtrack_state st;	/* see df_argtrack_entry() */
	uint32_t parent;		/* record of the caller's context */
	uint32_t caller_ctx;
	uint32_t pc;
	int caller_depth;
};

struct df_argtrack_priv {
	const struct df_cfg *cfg;
	struct df_consts consts;
	struct df_at_record *recs;
	uint32_t rec_cnt;
	uint32_t *hash;			/* record ids, open addressing */
	uint32_t hash_cap;
	struct df_at_record root;
	/* -EINVAL: a call from frame 7 passed a stack pointer; -E2BIG: too many analyses */
	int err;
	uint32_t err_pc;
};

/*
 * Entry values of the call at pc (args[0..DF_ARG_SPILL0): r1..r5 and
 * sa0..6 for a pseudo call, only the callback's argument register for a
 * callback helper) and its callee (cfg id; -1 none; -2 callback unknown).
 * Returns whether a known callee gets a stack pointer (§3.9 step 2), or,
 * for an unknown callback, whether the forwarded value is not NONE.
 */
bool df_argtrack_call_args(const struct df_prog *prog, const struct df_cfg *cfg,
			   const struct df_consts *consts, uint32_t pc,
			   const struct df_argtrack_state *at_call,
			   struct df_arg *args, int *callee);

#endif
